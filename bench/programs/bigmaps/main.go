// bigmaps builds one big map for mapscope's benchmarks, prints READY, and then either waits
// to be inspected (live) or crashes so the kernel writes a core (-crash, with
// GOTRACEBACK=crash and `ulimit -c unlimited`).
//
// Each kind has its own package-level variable, so the expression is fixed per kind:
//
//	-kind int64   main.m64  map[int64]int64
//	-kind string  main.mstr map[string]string
//	-kind ptr     main.mptr map[string]*T
//
// Keys are distinctive ("key/N" for strings) so the harness can count the entries a peer
// printed, and catch a peer that silently stopped at an element limit.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

// T is the pointee of map[string]*T: two words and a string, like a typical cache value.
type T struct {
	ID    int64
	Name  string
	Score float64
}

var (
	m64  map[int64]int64
	mstr map[string]string
	mptr map[string]*T
)

func main() {
	kind := flag.String("kind", "int64", "int64, string or ptr")
	n := flag.Int("n", 1_000_000, "entries")
	crash := flag.Bool("crash", false, "after READY, crash (SIGABRT via GOTRACEBACK=crash) to dump a core")
	flag.Parse()

	switch *kind {
	case "int64":
		// Grown from empty (no size hint), like most real maps: overflow buckets and
		// partially full tables appear as they would in production.
		m64 = make(map[int64]int64)
		for i := int64(0); i < int64(*n); i++ {
			m64[i*7919] = i
		}
	case "string":
		mstr = make(map[string]string)
		for i := 0; i < *n; i++ {
			mstr["key/"+strconv.Itoa(i)] = fmt.Sprintf("value-%08d", i)
		}
	case "ptr":
		mptr = make(map[string]*T)
		for i := 0; i < *n; i++ {
			mptr["key/"+strconv.Itoa(i)] = &T{ID: int64(i), Name: "t" + strconv.Itoa(i), Score: float64(i) / 2}
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown -kind %q\n", *kind)
		os.Exit(2)
	}
	fmt.Printf("READY %d\n", os.Getpid())
	if *crash {
		// A nil map write panics; GOTRACEBACK=crash turns the panic into SIGABRT and a core.
		var boom map[int]int
		boom[0] = 1
	}
	for {
		time.Sleep(time.Hour)
	}
}
