package main

// The maps mapscope list and top must find: plain package-level maps, and maps hidden in
// nested structs, slices of pointers, arrays, interfaces (any and a named one), maps of maps
// and maps of pointers to structs holding maps. Some maps are reachable by two paths; one
// hangs off a node deep in a 100,000-node ring, beyond any sensible walk bound.

import (
	"fmt"

	"hideout/store"
)

type Session struct {
	ID   int
	Tags map[string]int
}

type Tenant struct {
	Name     string
	Sessions map[int]*Session
}

type Cache struct {
	ByKey map[string][]byte
	Hits  int
}

// Handler is a named interface; its implementations hold maps.
type Handler interface{ Handle() int }

// counter is stored in interfaces as a pointer: the data word is the pointer itself.
type counter struct{ counts map[string]int }

func (c *counter) Handle() int { return len(c.counts) }

// valueHandler is stored in interfaces by value: too big for the data word, so it is boxed.
type valueHandler struct {
	pad [3]int
	m   map[int]int
}

func (v valueHandler) Handle() int { return len(v.m) }

type Server struct {
	Name     string
	cache    Cache
	handlers map[string]Handler
	// shadow points back into this server's own cache: a second, longer path to cache.ByKey.
	shadow *Cache
	// stale grew to thousands of entries and lost nearly all: Go never shrinks a map, so top
	// must rank it by what it still holds and report it oversized.
	stale map[int]string
}

type Shard struct {
	id   int
	byID map[int]string
	next *Shard
}

type Holder struct {
	inner struct {
		label string
		deep  struct {
			m map[uint8]bool
		}
	}
}

type Node struct {
	prev, next *Node
	id         int
	payload    *Payload
}

type Payload struct{ attrs map[string]string }

type NamedMap map[string]int

// Point keys have no Go literal a path could use: maps found under them are named by address.
type Point struct{ X, Y int }

// ringSize nodes in a doubly linked ring; ringDeep is the node whose map no bounded walk reaches.
const (
	ringSize = 100000
	ringNear = 2
	ringDeep = ringSize / 2
	nShards  = 8
)

var (
	// Package-level maps, for mapscope list.
	routes      map[string]int
	routesAlias map[string]int // the same map as routes
	named       NamedMap
	emptyMade   map[int]int
	nilMap      map[string]int
	big         map[int64]int64
	matrix      map[string]map[int]string
	byTenant    map[string]*Tenant
	byPoint     map[Point]*Payload

	// Maps hidden deeper, for mapscope top.
	srv     *Server
	shards  []*Shard
	grid    [3]map[string]int
	nested  Holder
	anyBox  any             // *Tenant
	anyMap  any             // map[string]int
	box     struct{ v any } // v: map[string]int, an interface field holding a map
	anyVal  any             // Cache, boxed
	handler Handler
	plugin  any // *store.Store: a type of another package
	ring    *Node
	hub     *Hub
)

// Hub and Leaf: 100,000 pointers in one slice, every leaf pointing back at the hub and at a
// peer, so that a walk meets each object many times and must visit it once.
type Hub struct {
	leaves []*Leaf
}

type Leaf struct {
	hub  *Hub
	peer *Leaf
	id   int
	m    map[int]int
}

const (
	nLeaves = 100000
	mapLeaf = 65432
)

func sessions(tenant string, n int) map[int]*Session {
	out := make(map[int]*Session, n)
	for i := 1; i <= n; i++ {
		tags := map[string]int{}
		for j := 0; j < i+1; j++ {
			tags[fmt.Sprintf("%s-%d-tag%d", tenant, i, j)] = j
		}
		out[i] = &Session{ID: i, Tags: tags}
	}
	return out
}

// fill builds every map and returns the one deep in the ring, which only the ground truth may
// hold on to (as a package-level variable the walk would find it at once).
func fill() (deep map[string]string) {
	routes = map[string]int{}
	for i := 0; i < 50; i++ {
		routes[fmt.Sprintf("/route/%d", i)] = i
	}
	routesAlias = routes
	named = NamedMap{"a": 1, "b": 2, "c": 3}
	emptyMade = make(map[int]int)
	big = make(map[int64]int64)
	for i := int64(0); i < 5000; i++ {
		big[i*7919] = i
	}
	matrix = map[string]map[int]string{
		"a": {1: "one", 2: "two"},
		"b": {3: "three"},
	}
	byTenant = map[string]*Tenant{
		"acme":   {Name: "acme", Sessions: sessions("acme", 2)},
		"globex": {Name: "globex", Sessions: sessions("globex", 3)},
	}

	byPoint = map[Point]*Payload{{X: 1, Y: 2}: {attrs: map[string]string{"at": "1,2"}}}

	srv = &Server{Name: "api", cache: Cache{ByKey: map[string][]byte{"k1": []byte("v1"), "k2": []byte("v2")}}}
	srv.shadow = &srv.cache
	srv.stale = make(map[int]string)
	for i := 0; i < 4096; i++ {
		srv.stale[i] = "gone"
	}
	for i := 3; i < 4096; i++ {
		delete(srv.stale, i)
	}
	srv.handlers = map[string]Handler{
		"count": &counter{counts: map[string]int{"x": 1, "y": 2, "z": 3, "w": 4}},
		"value": valueHandler{m: map[int]int{1: 1, 2: 4, 3: 9, 4: 16, 5: 25}},
	}
	for i := 0; i < nShards; i++ {
		s := &Shard{id: i, byID: map[int]string{}}
		for j := 0; j <= i; j++ {
			s.byID[i*100+j] = fmt.Sprint(j)
		}
		shards = append(shards, s)
	}
	shards[3].next = shards[4]
	grid[0] = map[string]int{"g0": 0}
	grid[2] = map[string]int{"g2": 2, "g22": 22}
	nested.inner.label = "nested"
	nested.inner.deep.m = map[uint8]bool{1: true, 2: false}
	anyBox = byTenant["globex"]
	anyMap = map[string]int{"in": 1, "an": 2, "interface": 3}
	box.v = map[string]int{"in": 1, "a": 2, "field": 3, "of": 4, "any": 5}
	anyVal = Cache{ByKey: map[string][]byte{"boxed": []byte("yes")}, Hits: 7}
	handler = valueHandler{m: map[int]int{10: 100}}
	plugin = store.New("plug", 6)

	// Not a package-level variable: only the ring's own pointers lead to its nodes, so the node
	// holding the deep map is ringDeep hops away from any root.
	ringNodes := make([]*Node, ringSize)
	for i := range ringNodes {
		ringNodes[i] = &Node{id: i}
	}
	for i, n := range ringNodes {
		n.next = ringNodes[(i+1)%ringSize]
		n.prev = ringNodes[(i+ringSize-1)%ringSize]
	}
	ringNodes[ringNear].payload = &Payload{attrs: map[string]string{"near": "yes"}}
	ringNodes[ringDeep].payload = &Payload{attrs: map[string]string{"deep": "yes", "far": "away"}}
	ring = ringNodes[0]

	hub = &Hub{leaves: make([]*Leaf, nLeaves)}
	for i := range hub.leaves {
		hub.leaves[i] = &Leaf{hub: hub, id: i}
	}
	for i, l := range hub.leaves {
		l.peer = hub.leaves[(i*7+3)%nLeaves]
	}
	hub.leaves[mapLeaf].m = map[int]int{1: 2, 3: 4, 5: 6}
	return ringNodes[ringDeep].payload.attrs
}
