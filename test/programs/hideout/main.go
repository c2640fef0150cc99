// Command hideout is the oracle program for mapscope list and top: maps hidden in nested
// structs, slices of pointers, arrays, interfaces and maps of maps, a map reachable by several
// paths, a nil map, and a cyclic graph of 100,000 nodes with a map far out of a walk's reach.
//
// Protocol as mapsuite's: `hideout -truth FILE [-mode live|crash]` writes the ground truth
// (truth.go) to FILE, prints "READY <pid>", then sleeps (live) or panics for a core (crash).
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
	fmt.Fprintf(os.Stderr, "hideout: "+format+"\n", args...)
	os.Exit(3)
}

func main() {
	truthPath := flag.String("truth", "", "write the ground-truth JSON to this file (required)")
	mode := flag.String("mode", "live", "live: block forever after READY; crash: panic for a core dump")
	flag.Parse()
	if *truthPath == "" || (*mode != "live" && *mode != "crash") {
		flag.Usage()
		os.Exit(2)
	}
	deep := fill()
	if err := writeTruth(*truthPath, buildTruth(deep)); err != nil {
		fatalf("writing truth: %v", err)
	}
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(w, "READY %d\n", os.Getpid())
	w.Flush()
	if *mode == "crash" {
		debug.SetTraceback("crash")
		panic("hideout: crash for core dump")
	}
	for { // intentionally endless: the harness kills us
		time.Sleep(time.Hour)
	}
}
