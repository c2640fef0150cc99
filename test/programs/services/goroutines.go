package main

// Which parked goroutine holds which map in which local, read by the program itself (as
// gorolocals does), and the wait until Go's own traceback shows each of them parked.

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

type localTruth struct {
	// The local or parameter, or a field path from one, that holds the map.
	Expr      string  `json:"expr"`
	Type      string  `json:"type"`
	KeyType   string  `json:"keyType"`
	ValueType string  `json:"valueType"`
	Address   string  `json:"address"`
	Count     int     `json:"count"`
	Entries   []entry `json:"entries"`
}

type goroutineTruth struct {
	Goid int64 `json:"goid"`
	// The holder function as runtime.FuncForPC names it (main.(*api).slow, main.hold[...]).
	Function string `json:"function"`
	// The state Go's own traceback header shows once settled ("chan receive").
	Status string       `json:"status"`
	Locals []localTruth `json:"locals"`
	want   string
}

// sink makes what escape is given escape to the heap: a map header on a goroutine stack would
// move when the garbage collector shrinks the stack, and the truth would be stale.
var sink interface{}

//go:noinline
func escape(x interface{}) {
	if len(os.Args) < 0 {
		sink = x
	}
}

// local describes the map a local variable holds, with its entries from range.
func local(expr string, m interface{}) localTruth {
	v := reflect.ValueOf(m)
	return localTruth{
		Expr:      expr,
		Type:      dwarfName(v.Type()),
		KeyType:   dwarfName(v.Type().Key()),
		ValueType: dwarfName(v.Type().Elem()),
		Address:   hexAddr(v.Pointer()),
		Count:     v.Len(),
		Entries:   rangeEntries(v),
	}
}

// here is the truth of the calling holder, to be reported once it is parked in want.
func here(want string, locals ...localTruth) goroutineTruth {
	pc, _, _, _ := runtime.Caller(1)
	return goroutineTruth{Goid: goid(), Function: runtime.FuncForPC(pc).Name(), Locals: locals, want: want}
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

// waitUntilSettled polls Go's own traceback until every holder shows the state it parks in.
func waitUntilSettled(gs []goroutineTruth) {
	deadline := time.Now().Add(20 * time.Second)
	buf := make([]byte, 8<<20)
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
			if got := headers[gs[i].Goid]; got == gs[i].want {
				gs[i].Status = got
			} else {
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

// rangeEntries is every entry of the map v, from range, rendered as the contract renders them.
func rangeEntries(v reflect.Value) []entry {
	out := make([]entry, 0, v.Len())
	iter := v.MapRange()
	for iter.Next() {
		out = append(out, entry{Key: renderReflect(iter.Key()), Value: renderReflect(iter.Value())})
	}
	return out
}

// accessible is v (an unexported field reached by reflect) made readable through unsafe.
func accessible(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}
