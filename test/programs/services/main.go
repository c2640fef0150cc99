// Command services is the oracle program for mapscope on the maps real services hold, built on
// real third-party modules: an object cache on github.com/patrickmn/go-cache whose items hold
// interface values of several dynamic types, an LRU of sessions on
// github.com/hashicorp/golang-lru/v2, maps keyed by github.com/google/uuid UUIDs, the
// per-client state of a net/http server with requests parked in its handler, generic sets and
// caches (and a generic function holding a map in a parked goroutine), a sync.Map, one small
// map per request behind a map of pointers, and one big map[string]*T.
//
// Protocol as mapsuite's and hideout's: `services -truth FILE [-mode live|crash] [sizes]`
// writes the ground truth (truth.go) to FILE once every goroutine it parks has reached its
// state, prints "READY <pid>", then sleeps (live) or panics so that the kernel writes a core
// (crash). The sizes default to a service's (100,000 requests, a 300,000-entry catalog); the
// test suite asks for less.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"time"
)

func fatalf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "services: "+format+"\n", args...)
	os.Exit(3)
}

// sizes of the shapes, from the command line.
type sizes struct {
	Objects  int `json:"objects"`  // go-cache items
	Sessions int `json:"sessions"` // sessions, by UUID; the LRU keeps half of them
	Clients  int `json:"clients"`  // HTTP clients the server keeps state for
	Requests int `json:"requests"` // requests, each with its own small map of headers
	Catalog  int `json:"catalog"`  // entries of the big map[string]*Product
}

func main() {
	truthPath := flag.String("truth", "", "write the ground-truth JSON to this file (required)")
	mode := flag.String("mode", "live", "live: block forever after READY; crash: panic for a core dump")
	var sz sizes
	flag.IntVar(&sz.Objects, "objects", 10000, "items in the go-cache object cache")
	flag.IntVar(&sz.Sessions, "sessions", 10000, "sessions by UUID (the LRU keeps half)")
	flag.IntVar(&sz.Clients, "clients", 50, "HTTP clients served before READY")
	flag.IntVar(&sz.Requests, "requests", 100000, "requests, each with a map of 2-4 headers")
	flag.IntVar(&sz.Catalog, "catalog", 300000, "entries of the catalog map[string]*Product")
	flag.Parse()
	if *truthPath == "" || (*mode != "live" && *mode != "crash") || sz.Objects < 5 || sz.Sessions < 2 || sz.Clients < 1 || sz.Requests < 1 || sz.Catalog < 1 {
		flag.Usage()
		os.Exit(2)
	}
	crash := *mode == "crash"
	if crash {
		debug.SetTraceback("crash")
	}
	fillSessions(sz.Sessions)
	fillObjects(sz.Objects)
	fillGenerics()
	fillRequests(sz.Requests)
	fillCatalog(sz.Catalog)
	fillConns()
	parked := startServer(sz.Clients)
	parked = append(parked, startGenericHolders()...)
	waitUntilSettled(parked)
	if err := writeTruth(*truthPath, buildTruth(sz, parked)); err != nil {
		fatalf("writing truth: %v", err)
	}
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(w, "READY %d\n", os.Getpid())
	w.Flush()
	if crash {
		panic("services: crash for core dump")
	}
	for { // intentionally endless: the harness kills us
		time.Sleep(time.Hour)
	}
}
