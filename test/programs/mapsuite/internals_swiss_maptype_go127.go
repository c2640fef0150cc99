//go:build go1.27

package main

import (
	"fmt"
	"unsafe"
)

// swissMapType mirrors internal/abi.MapType of Go 1.27: slotSize is gone;
// key i of a group is at keysOff + i×keyStride and elem i at elemsOff +
// i×elemStride, for the interleaved and the split (mapsplitgroup) layout
// alike. elemOff is the elem's offset in a slot, set only when interleaved.
type swissMapType struct {
	typ        rtype
	key        *rtype
	elem       *rtype
	group      *rtype
	hasher     func(unsafe.Pointer, uintptr) uintptr
	groupSize  uintptr
	keysOff    uintptr
	keyStride  uintptr
	elemsOff   uintptr
	elemStride uintptr
	elemOff    uintptr
	flags      uint32
}

func (mt *swissMapType) geometry() groupGeometry {
	return groupGeometry{keysOff: mt.keysOff, keyStride: mt.keyStride, elemsOff: mt.elemsOff, elemStride: mt.elemStride}
}

// describeOwnFields writes elemOff where the descriptor means it (the
// interleaved layout); a split group has no slot to hold an offset in.
func (mt *swissMapType) describeOwnFields(j *swissMaptypeJSON) {
	if groupLayout == layoutInterleaved {
		e := uint64(mt.elemOff)
		j.ElemOff = &e
	}
}

// checkOwnFields checks elemOff as cmd/compile/internal/reflectdata's
// writeMapType sets it: the elem's offset in a slot, 0 when split.
func (mt *swissMapType) checkOwnFields() error {
	want := uintptr(0)
	if groupLayout == layoutInterleaved {
		want = mt.elemsOff - mt.keysOff
	}
	if mt.elemOff != want {
		return fmt.Errorf("elemOff %d, want %d for a %s group", mt.elemOff, want, groupLayout)
	}
	return nil
}
