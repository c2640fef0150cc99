//go:build go1.24 && (go1.26 || goexperiment.swissmap) && !goexperiment.mapsplitgroup

package main

import "reflect"

// Every swiss build before Go 1.27, and 1.27 by default: the group is
// {ctrl uint64; slots [8]struct{key K; elem V}}.
const groupLayout = layoutInterleaved

// groupFields are the group struct's fields after ctrl, as the compiler names
// them (cmd/compile/internal/reflectdata.MapGroupType).
var groupFields = []string{"ctrl", "slots"}

// wantGroup lays out the group of key slot type k and elem slot type e the
// way the compiler does (MapGroupType, types.CalcStructSize): the elem at
// the key's size rounded up to its alignment, the slot padded by a byte when
// it ends in a zero-size elem, the group by a byte when its slots are empty.
func wantGroup(k, e reflect.Type) (groupGeometry, uintptr) {
	elemOff := alignUp(k.Size(), uintptr(e.Align()))
	slotAlign := maxAlign(k, e)
	slot := elemOff + e.Size()
	if slot > 0 && e.Size() == 0 {
		slot++
	}
	slot = alignUp(slot, slotAlign)
	keysOff := alignUp(ctrlGroupBytes, slotAlign)
	size := keysOff + groupSlots*slot
	if slot == 0 {
		size++
	}
	g := groupGeometry{keysOff: keysOff, keyStride: slot, elemsOff: keysOff + elemOff, elemStride: slot}
	return g, alignUp(size, maxAlign(reflect.TypeOf(uint64(0)), k, e))
}
