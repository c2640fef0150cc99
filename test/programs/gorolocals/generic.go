package main

// Generic holders. A local of a generic function has a shape type in DWARF
// (map[go.shape.string]struct {}): the compiler emits one body per shape and passes it a
// dictionary holding the real types, which a debugger reads to name the maps as instantiated.

import (
	"fmt"
	"runtime"
	"strconv"
)

// pairKey is a struct key; its fields are exported so that the truth's JSON shows them.
type pairKey struct {
	ID   int32
	Name string
}

var (
	// Nobody ever sends on these but the one holder each receives.
	genericStringOnly = make(chan int)
	genericPairOnly   = make(chan int)
	shapeOnly         = make(chan int)
	shapeSink         int
)

// setHolder holds two maps keyed by its type parameter. It needs its dictionary after it
// blocks (the maps become interfaces for KeepAlive), so the compiler keeps the dictionary in the
// frame, where a debugger finds it.
func setHolder[K comparable, V any](keys []K, value func(K) V, wait chan int) {
	set := make(map[K]struct{})
	byKey := make(map[K]V)
	for _, k := range keys {
		set[k] = struct{}{}
		byKey[k] = value(k)
	}
	report("chan receive", local("set", set), local("byKey", byKey))
	<-wait
	runtime.KeepAlive(set)
	runtime.KeepAlive(byKey)
}

// shapeHolder never uses its dictionary: an optimized build keeps it nowhere, and its map can
// be named only by its shape type.
func shapeHolder[K comparable](m map[K]int, wait chan int) {
	reportShapes("chan receive", local("m", m))
	<-wait
	shapeSink = len(m)
}

func stringKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strconv.Itoa(i + 11) // "22" among them
	}
	return keys
}

func pairKeys(n int) []pairKey {
	keys := make([]pairKey, n)
	for i := range keys {
		keys[i] = pairKey{ID: int32(i * 3), Name: fmt.Sprintf("pair-%d", i)}
	}
	return keys
}
