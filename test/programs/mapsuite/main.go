// Command mapsuite is the oracle program of mapscope's test suite.
//
// It fills Go maps of many shapes (package-level variables, so they stay
// reachable), writes its own ground truth (entries via reflect, runtime
// internals via unsafe) as JSON, prints "READY <pid>" and then either blocks
// forever (-mode live) or panics so that the kernel writes a core dump
// (-mode crash). See README.md for the truth format.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"time"
)

// exitShape is the exit status when a promised map shape was not produced
// (or the program found itself inconsistent).
const exitShape = 3

func fatalf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "mapsuite: "+format+"\n", args...)
	os.Exit(exitShape)
}

func main() {
	truthPath := flag.String("truth", "", "write the ground-truth JSON to this file (required)")
	mode := flag.String("mode", "live", "live: block forever after READY; crash: panic for a core dump")
	flag.Parse()
	if *truthPath == "" || (*mode != "live" && *mode != "crash") {
		flag.Usage()
		os.Exit(2)
	}

	if err := checkImpl(); err != nil {
		fatalf("runtime map implementation does not match the build tags (%s): %v", implName, err)
	}

	// 1. Fill every map of the catalogue.
	fillAll()

	// 2. Ground truth: entries first (ranging sets classic iterator flags),
	// internals afterwards, read-only.
	truth := buildTruth()
	if err := writeTruth(*truthPath, truth); err != nil {
		fmt.Fprintf(os.Stderr, "mapsuite: writing truth: %v\n", err)
		os.Exit(1)
	}

	// 3. Announce.
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(w, "READY %d\n", os.Getpid())
	w.Flush()

	// 4. Wait or crash. Nothing below touches a map.
	if *mode == "crash" {
		debug.SetTraceback("crash")
		panic("mapsuite: crash for core dump")
	}
	for { // intentionally endless: the harness kills us
		time.Sleep(time.Hour)
	}
}
