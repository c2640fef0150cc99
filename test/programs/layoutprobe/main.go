// layoutprobe holds a few map types and structs whose layouts `mapscope layout` prints and the
// integration test compares with pahole: keys and elems of 0, 1, 8, 16 and 160 bytes, pointer
// elems, and structs with holes, zero-size fields, tail padding and cache-line crossings.
package main

import (
	"fmt"
	"os"
)

// Holey has holes after A and C, a zero-size field, and tail padding after E on every arch.
type Holey struct {
	A bool
	B int64
	C uint16
	D *Holey
	_ [0]func()
	E int8
}

// ZeroMid has a zero-size field after a hole; ZeroTail ends in one, which Go pads.
type ZeroMid struct {
	A int8
	Z [0]int64
	B int64
}

type ZeroTail struct {
	A int64
	B int8
	Z struct{}
}

// Wide spans three cache lines, with fields that cross and start on boundaries.
type Wide struct {
	A [60]byte
	B int64
	C [60]byte
	D int32
	E [3]string
	F bool
}

type T struct {
	Name string
	N    int
}

var (
	byName = map[string]int{"one": 1}
	small  = map[int8]int64{1: 2}
	bigKey = map[[20]int64]string{{1}: "x"}
	set    = map[struct{}]struct{}{{}: {}}
	ptrs   = map[string]*T{"t": {Name: "t", N: 1}}
	holeys = map[int]Holey{1: {A: true}}
	sink   Holey
	zm     ZeroMid
	zt     ZeroTail
	wide   Wide
)

func main() {
	sink.B = int64(len(os.Args))
	zm.B, zt.A, wide.B = sink.B, sink.B, sink.B
	fmt.Println(len(byName), len(small), len(bigKey), len(set), len(ptrs), len(holeys), sink.B, zm, zt, wide.F)
}
