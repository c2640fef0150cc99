//go:build go1.27

package main

import "unsafe"

// swissMapType mirrors internal/abi.MapType of Go 1.27: slotSize is gone;
// key i is at keysOff + i×keyStride and elem i at elemsOff + i×elemStride
// for either group layout.
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
	elemOff    uintptr // interleaved only
	flags      uint32
}

func (mt *swissMapType) geometry() groupGeometry {
	return groupGeometry{keysOff: mt.keysOff, keyStride: mt.keyStride, elemsOff: mt.elemsOff, elemStride: mt.elemStride}
}
