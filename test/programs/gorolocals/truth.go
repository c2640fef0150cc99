package main

// Ground truth: which goroutine holds which map in which local, read by the program itself.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

type entry struct {
	Key   interface{} `json:"key"`
	Value interface{} `json:"value"`
}

type localTruth struct {
	Expr    string  `json:"expr"`
	Type    string  `json:"type"`
	Address string  `json:"address"`
	Count   int     `json:"count"`
	Entries []entry `json:"entries"`
}

type goroutineTruth struct {
	Goid int64 `json:"goid"`
	// The holder function (as runtime.FuncForPC names it) whose frame holds the locals.
	Function string `json:"function"`
	// The state Go's own traceback header shows once settled ("chan receive", "running", ...).
	Status string       `json:"status"`
	Locals []localTruth `json:"locals"`
	// Shapes: the holder is generic and keeps no dictionary, so only the shape types of its
	// maps are known (Type is still the instantiated one).
	Shapes bool `json:"shapes,omitempty"`
	want   string
}

type truthFile struct {
	GoVersion  string           `json:"goVersion"`
	Goarch     string           `json:"goarch"`
	PtrSize    int              `json:"ptrSize"`
	Pid        int              `json:"pid"`
	Goroutines []goroutineTruth `json:"goroutines"`
}

var reports = make(chan goroutineTruth, 16)

// sink makes what escape is given escape to the heap: a map header on a goroutine stack would
// move when the garbage collector shrinks the stack, and the truth would be stale.
var sink interface{}

//go:noinline
func escape(x interface{}) {
	if len(os.Args) < 0 {
		sink = x
	}
}

// local describes the map a local variable holds. The map comes by value (a map is a pointer
// to its header), so the variable itself stays in its function's frame.
func local(expr string, mp interface{}) localTruth {
	escape(mp)
	v := reflect.ValueOf(mp)
	lt := localTruth{
		Expr:    expr,
		Type:    v.Type().String(),
		Address: fmt.Sprintf("%#x", v.Pointer()),
		Count:   v.Len(),
		Entries: []entry{},
	}
	iter := v.MapRange()
	for iter.Next() {
		lt.Entries = append(lt.Entries, entry{iter.Key().Interface(), iter.Value().Interface()})
	}
	return lt
}

// report sends the calling holder's truth; want is the state main waits for.
func report(want string, locals ...localTruth) {
	sendReport(want, false, locals)
}

// reportShapes is report for a generic holder whose dictionary is kept nowhere.
func reportShapes(want string, locals ...localTruth) {
	sendReport(want, true, locals)
}

func sendReport(want string, shapes bool, locals []localTruth) {
	pc, _, _, _ := runtime.Caller(2)
	reports <- goroutineTruth{Goid: goid(), Function: runtime.FuncForPC(pc).Name(), Locals: locals, Shapes: shapes, want: want}
}

func goid() int64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	id, err := strconv.ParseInt(strings.Fields(string(buf))[1], 10, 64)
	if err != nil {
		fatalf("cannot parse goroutine id from %q", buf)
	}
	return id
}

func collectReports(crash bool) []goroutineTruth {
	n := 11
	if crash {
		n++
	}
	out := make([]goroutineTruth, 0, n)
	for len(out) < n {
		out = append(out, <-reports)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Goid < out[j].Goid })
	return out
}

// waitUntilSettled polls Go's own traceback until every holder shows its blocking state, and
// records that state as the truth. A holder that spins (or waits to crash) only has to exist.
func waitUntilSettled(gs []goroutineTruth) {
	deadline := time.Now().Add(20 * time.Second)
	buf := make([]byte, 1<<20)
	for {
		headers := map[int64]string{}
		for _, line := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n") {
			var id int64
			var rest string
			if n, _ := fmt.Sscanf(line, "goroutine %d %s", &id, &rest); n == 2 && strings.HasPrefix(rest, "[") {
				state := line[strings.Index(line, "[")+1 : strings.LastIndex(line, "]")]
				headers[id] = strings.SplitN(state, ",", 2)[0]
			}
		}
		settled := true
		for i := range gs {
			g := &gs[i]
			got, ok := headers[g.Goid]
			switch {
			case !ok:
				settled = false
			case g.want == "running":
				g.Status = "running"
			case g.want == "mutex" && (got == "semacquire" || strings.HasPrefix(got, "sync.Mutex")):
				g.Status = got
			case got == g.want:
				g.Status = got
			default:
				settled = false
			}
		}
		if settled {
			return
		}
		if time.Now().After(deadline) {
			fatalf("goroutines did not settle: %v", headers)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func writeTruth(path string, gs []goroutineTruth) error {
	tf := truthFile{
		GoVersion:  runtime.Version(),
		Goarch:     runtime.GOARCH,
		PtrSize:    int(unsafe.Sizeof(uintptr(0))),
		Pid:        os.Getpid(),
		Goroutines: gs,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(tf); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
