//go:build go1.24 && (go1.26 || goexperiment.swissmap)

package main

// Swiss-table maps (internal/runtime/maps): Go 1.24+.

import (
	"fmt"
	"reflect"
	"unsafe"
)

const implName = "swiss"

// swissMapType mirrors internal/abi.SwissMapType (1.24/1.25) and
// internal/abi.MapType (1.26).
type swissMapType struct {
	typ       rtype
	key       *rtype
	elem      *rtype
	group     *rtype
	hasher    func(unsafe.Pointer, uintptr) uintptr
	groupSize uintptr
	slotSize  uintptr
	elemOff   uintptr
	flags     uint32
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
	if mt.groupSize != ctrlWord+groupSlots*16 || mt.slotSize != 16 || mt.elemOff != 8 {
		return fmt.Errorf("map[int64]int64 descriptor: groupSize %d slotSize %d elemOff %d", mt.groupSize, mt.slotSize, mt.elemOff)
	}
	scratch := map[int64]int64{1: 2}
	_, hdr := mapHeader(&scratch)
	if m := (*swissMap)(hdr); m.used != 1 || m.dirLen != 0 || m.dirPtr == nil {
		return fmt.Errorf("scratch Map: used %d dirLen %d", m.used, m.dirLen)
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
			walkGroup(mt, m.dirPtr, w)
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
			walkGroup(mt, unsafe.Add(tp.groups.data, uintptr(g)*mt.groupSize), w)
		}
	}
	return nil
}

// walkGroup visits the full slots (control byte with the high bit clear).
func walkGroup(mt *swissMapType, g unsafe.Pointer, w *walker) {
	ctrl := *(*uint64)(g) // ctrl byte i = (ctrl >> 8i) & 0xff on either endianness
	for i := uintptr(0); i < groupSlots; i++ {
		if (ctrl>>(8*i))&0x80 != 0 {
			continue
		}
		slot := unsafe.Add(g, ctrlWord+i*mt.slotSize)
		k, e := slot, unsafe.Add(slot, mt.elemOff)
		if mt.flags&flagIndirectKey != 0 {
			k = *(*unsafe.Pointer)(k)
		}
		if mt.flags&flagIndirectElem != 0 {
			e = *(*unsafe.Pointer)(e)
		}
		w.slot(k, e)
	}
}
