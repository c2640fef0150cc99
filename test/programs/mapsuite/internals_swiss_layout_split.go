//go:build go1.27 && goexperiment.mapsplitgroup

package main

import "reflect"

// Go 1.27 with GOEXPERIMENT=mapsplitgroup: the group is
// {ctrl uint64; keys [8]K; elems [8]V}.
const groupLayout = layoutSplit

// groupFields are the group struct's fields after ctrl, as the compiler names
// them (cmd/compile/internal/reflectdata.MapGroupType).
var groupFields = []string{"ctrl", "keys", "elems"}

// wantGroup lays out the group of key slot type k and elem slot type e the
// way the compiler does (MapGroupType, types.CalcStructSize): the keys right
// after the control word, the elems at 8 + 8×keysize rounded up to the
// elem's alignment, the group padded by a byte when it ends in zero-size
// elems.
func wantGroup(k, e reflect.Type) (groupGeometry, uintptr) {
	keysOff := alignUp(ctrlGroupBytes, uintptr(k.Align()))
	elemsOff := alignUp(keysOff+groupSlots*k.Size(), uintptr(e.Align()))
	size := elemsOff + groupSlots*e.Size()
	if e.Size() == 0 {
		size++
	}
	g := groupGeometry{keysOff: keysOff, keyStride: k.Size(), elemsOff: elemsOff, elemStride: e.Size()}
	return g, alignUp(size, maxAlign(reflect.TypeOf(uint64(0)), k, e))
}
