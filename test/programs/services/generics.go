package main

// Generic containers instantiated at several types as package-level variables, and a generic
// function that holds a map in a local while its goroutine is parked. Go compiles that
// function once per shape: its DWARF types are go.shape.* types, and only the instantiation
// (its dictionary) says what the keys really are.

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/google/uuid"
)

// Set is a set of comparable values.
type Set[T comparable] struct{ m map[T]struct{} }

func NewSet[T comparable]() Set[T] { return Set[T]{m: make(map[T]struct{})} }

func (s Set[T]) Add(v T) { s.m[v] = struct{}{} }

// Cache is a locked map with a hit counter.
type Cache[K comparable, V any] struct {
	mu   sync.Mutex
	m    map[K]V
	hits int
}

func NewCache[K comparable, V any]() *Cache[K, V] { return &Cache[K, V]{m: make(map[K]V)} }

func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
}

var (
	tags     Set[string]
	ports    Set[int]
	seenIDs  Set[uuid.UUID]
	byEmail  *Cache[string, *Session]
	hitsByID *Cache[uuid.UUID, int]
)

func fillGenerics() {
	tags = NewSet[string]()
	for _, t := range []string{"alpha", "beta", "canary", "stable", "eu", "us"} {
		tags.Add(t)
	}
	ports = NewSet[int]()
	for _, p := range []int{80, 443, 8080, 8443, 9090} {
		ports.Add(p)
	}
	seenIDs = NewSet[uuid.UUID]()
	byEmail = NewCache[string, *Session]()
	hitsByID = NewCache[uuid.UUID, int]()
	n := 0
	for id, s := range sessions {
		if n == 12 {
			break
		}
		seenIDs.Add(id)
		byEmail.Put(s.Email, s)
		hitsByID.Put(id, s.Logins*3)
		n++
	}
	byEmail.Put(admin.Email, admin)
}

// genericHeld parks the generic holders for ever.
var genericHeld = make(chan struct{})

// startGenericHolders starts hold at two instantiations, a string and a uuid.UUID key (shapes
// go.shape.string and go.shape.[16]uint8), and returns their reports.
func startGenericHolders() []goroutineTruth {
	reports := make(chan goroutineTruth, 2)
	go hold(reports, []string{"eu-west", "us-east", "ap-south"})
	ids := make([]uuid.UUID, 0, 4)
	for i := 0; i < 4; i++ {
		ids = append(ids, uuid.NewSHA1(sessionNS, []byte(fmt.Sprintf("held-%d", i))))
	}
	go hold(reports, ids)
	return []goroutineTruth{<-reports, <-reports}
}

// hold keeps the set of keys it was given in a local map across a channel receive.
func hold[K comparable](reports chan<- goroutineTruth, keys []K) {
	set := make(map[K]struct{}, len(keys))
	for _, k := range keys {
		set[k] = struct{}{}
	}
	escape(set)
	reports <- here("chan receive", local("set", set))
	<-genericHeld
	runtime.KeepAlive(set)
}
