// Command safeprobe is the target of mapscope's safety tests.
//
// It builds maps with known contents (package-level, so mapscope finds them
// as main.NAME), records every byte of memory they reach, prints one line
// "READY {json}" and then keeps other goroutines writing other maps while it
// answers requests, one per line on stdin:
//
//	check     re-read every known map's memory and contents and compare
//	counters  how many batches of writes each writer goroutine has done so far
//	poke      write to main.structMap (so that a test can see "check" notice a write)
//
// Each answer is one JSON line on stdout. A debugger that only reads leaves
// "check" saying unchanged; writer counters that keep advancing after it
// detached show that the process runs on. See README.md.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
)

type readyJSON struct {
	Pid       int       `json:"pid"`
	GoVersion string    `json:"goVersion"`
	Impl      string    `json:"impl"`
	Maps      []mapInfo `json:"maps"`
	Regions   int       `json:"regions"`
	Bytes     int       `json:"bytes"`
	Writers   int       `json:"writers"`
}

type mapInfo struct {
	Expr  string `json:"expr"`
	Count int    `json:"count"`
}

func main() {
	bigN := flag.Int("big", 1_000_000, "entries in main.bigMap (large, so a read takes a while)")
	writers := flag.Int("writers", 3, "goroutines that keep writing other maps")
	flag.Parse()

	if err := checkImpl(); err != nil {
		fmt.Fprintf(os.Stderr, "safeprobe: runtime map implementation does not match the build tags (%s): %v\n", implName, err)
		os.Exit(3)
	}
	fill(*bigN)
	base, err := fingerprintAll()
	if err != nil {
		fmt.Fprintf(os.Stderr, "safeprobe: fingerprint: %v\n", err)
		os.Exit(3)
	}
	counters := startWriters(*writers)

	ready := readyJSON{Pid: os.Getpid(), GoVersion: runtime.Version(), Impl: implName, Writers: *writers}
	for _, k := range known {
		ready.Maps = append(ready.Maps, mapInfo{Expr: "main." + k.name, Count: k.count()})
	}
	ready.Regions, ready.Bytes = base.size()
	out := bufio.NewWriter(os.Stdout)
	emit(out, "READY ", ready)

	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		switch in.Text() {
		case "check":
			emit(out, "", verify(base, counters))
		case "poke":
			structMap[0] = Record{Name: "poked"}
			emit(out, "", struct {
				Poked string `json:"poked"`
			}{"main.structMap"})
		case "counters":
			emit(out, "", struct {
				Counters []int64 `json:"counters"`
			}{counters.snapshot()})
		default:
			emit(out, "", struct {
				Error string `json:"error"`
			}{"unknown request " + in.Text()})
		}
	}
	// stdin closed: the harness is gone; so are we.
}

func emit(w *bufio.Writer, prefix string, v interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(fmt.Sprintf(`{"error":%q}`, err.Error()))
	}
	w.WriteString(prefix)
	w.Write(b)
	w.WriteByte('\n')
	w.Flush()
}
