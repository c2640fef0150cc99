// Command gorolocals is the oracle program for `mapscope goroutines` and goroutine-local
// `inspect --goroutine G --frame F`: every map lives only in a local variable or a parameter
// of one goroutine, each of a distinct size so that its count names it, and each goroutine is
// held in a different state: parked on a channel receive, a send, a select, a mutex, a sleep,
// blocked in a system call, spinning on an OS thread, and (in crash mode) panicking.
//
// Protocol as mapsuite's: `gorolocals -truth FILE [-mode live|crash]` writes the ground truth
// (truth.go) to FILE once every goroutine has reached its state, prints "READY <pid>", then
// sleeps (live) or lets one goroutine panic so that the kernel writes a core (crash).
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
	fmt.Fprintf(os.Stderr, "gorolocals: "+format+"\n", args...)
	os.Exit(3)
}

func main() {
	truthPath := flag.String("truth", "", "write the ground-truth JSON to this file (required)")
	mode := flag.String("mode", "live", "live: block forever after READY; crash: one goroutine panics for a core dump")
	flag.Parse()
	if *truthPath == "" || (*mode != "live" && *mode != "crash") {
		flag.Usage()
		os.Exit(2)
	}
	crash := *mode == "crash"
	if crash {
		debug.SetTraceback("crash")
	}
	trigger := startHolders(crash)
	goroutines := collectReports(crash)
	waitUntilSettled(goroutines)
	if err := writeTruth(*truthPath, goroutines); err != nil {
		fatalf("writing truth: %v", err)
	}
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(w, "READY %d\n", os.Getpid())
	w.Flush()
	if crash {
		close(trigger) // the crasher panics; the kernel writes the core
	}
	for { // intentionally endless: the harness kills us, or the crasher ends us
		time.Sleep(time.Hour)
	}
}
