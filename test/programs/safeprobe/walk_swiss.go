//go:build go1.24 && (go1.26 || goexperiment.swissmap)

package main

// Swiss-table maps (internal/runtime/maps): Go 1.24+.

import (
	"fmt"
	"reflect"
	"unsafe"
)

const implName = "swiss"

// The map type descriptor's mirror is in maptype_swiss*.go (slotSize and
// elemOff up to 1.26, keysOff/keyStride/elemsOff/elemStride from 1.27), the
// group layout in layout_*.go (interleaved slots, or split keys and elems
// arrays with GOEXPERIMENT=mapsplitgroup).

// groupGeometry is where a group holds key i and elem i: keysOff +
// i×keyStride and elemsOff + i×elemStride, Go 1.27's formula for either
// layout.
type groupGeometry struct {
	keysOff, keyStride, elemsOff, elemStride uintptr
}

// table mirrors internal/runtime/maps.table.
type table struct {
	used       uint16
	capacity   uint16
	growthLeft uint16
	localDepth uint8
	index      int
	groups     struct {
		data       unsafe.Pointer
		lengthMask uint64
	}
}

const (
	groupSlots       = 8
	ctrlWord         = 8
	flagIndirectKey  = 4
	flagIndirectElem = 8
	maxDirLen        = 1 << 20
	maxTableGroups   = 1 << 16
)

func swissType(t reflect.Type) *swissMapType { return (*swissMapType)(rtypeOf(t)) }

// checkImpl makes sure the mirrors match this runtime, on a descriptor and a scratch map.
func checkImpl() error {
	mt := swissType(reflect.TypeOf(map[int64]int64(nil)))
	if g := mt.geometry(); mt.groupSize != ctrlWord+groupSlots*16 || g != int64GroupGeometry {
		return fmt.Errorf("map[int64]int64 descriptor: groupSize %d geometry %+v, want %d %+v for a %s group",
			mt.groupSize, g, ctrlWord+groupSlots*16, int64GroupGeometry, groupLayout)
	}
	scratch := map[int64]int64{1: 2}
	_, hdr := mapHeader(&scratch)
	m := (*swissMap)(hdr)
	if m.used != 1 || m.dirLen != 0 || m.dirPtr == nil {
		return fmt.Errorf("scratch Map: used %d dirLen %d", m.used, m.dirLen)
	}
	found := 0
	walkGroup(mt, m.dirPtr, func(k, e unsafe.Pointer) {
		if *(*int64)(k) == 1 && *(*int64)(e) == 2 {
			found++
		}
	})
	if found != 1 {
		return fmt.Errorf("scratch Map: 1: 2 not where the geometry %+v says", mt.geometry())
	}
	return nil
}

func walkMap(t reflect.Type, hdr unsafe.Pointer, w *walker) error {
	if hdr == nil {
		return nil
	}
	mt := swissType(t)
	m := (*swissMap)(hdr)
	w.span("Map", hdr, unsafe.Sizeof(swissMap{}))
	if m.dirLen == 0 {
		if m.dirPtr != nil {
			w.span("small group", m.dirPtr, mt.groupSize)
			walkGroup(mt, m.dirPtr, w.slot)
		}
		return nil
	}
	if m.dirLen < 0 || m.dirLen > maxDirLen {
		return fmt.Errorf("implausible dirLen %d", m.dirLen)
	}
	w.span("directory", m.dirPtr, uintptr(m.dirLen)*ptrSize)
	dir := unsafe.Slice((**table)(m.dirPtr), m.dirLen)
	for i, tp := range dir {
		if i > 0 && dir[i-1] == tp {
			continue // one table, several directory entries
		}
		w.span("table", unsafe.Pointer(tp), unsafe.Sizeof(table{}))
		n := tp.groups.lengthMask + 1
		if n > maxTableGroups {
			return fmt.Errorf("table %d: %d groups", i, n)
		}
		w.span("groups", tp.groups.data, uintptr(n)*mt.groupSize)
		for g := uint64(0); g < n; g++ {
			walkGroup(mt, unsafe.Add(tp.groups.data, uintptr(g)*mt.groupSize), w.slot)
		}
	}
	return nil
}

// walkGroup visits the full slots (control byte with the high bit clear)
// with the addresses of their keys and elems (the values, for indirect ones).
func walkGroup(mt *swissMapType, g unsafe.Pointer, slot func(k, e unsafe.Pointer)) {
	geo := mt.geometry()
	ctrl := *(*uint64)(g) // ctrl byte i = (ctrl >> 8i) & 0xff on either endianness
	for i := uintptr(0); i < groupSlots; i++ {
		if (ctrl>>(8*i))&0x80 != 0 {
			continue
		}
		k, e := unsafe.Add(g, geo.keysOff+i*geo.keyStride), unsafe.Add(g, geo.elemsOff+i*geo.elemStride)
		if mt.flags&flagIndirectKey != 0 {
			k = *(*unsafe.Pointer)(k)
		}
		if mt.flags&flagIndirectElem != 0 {
			e = *(*unsafe.Pointer)(e)
		}
		slot(k, e)
	}
}
