//go:build go1.24 && !go1.27 && (go1.26 || goexperiment.swissmap)

package main

import "unsafe"

// swissMapType mirrors internal/abi.SwissMapType (1.24/1.25) and
// internal/abi.MapType (1.26): one slot size and the elem's offset in a slot.
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

// geometry: slots [8]struct{key; elem} right after the control word.
func (mt *swissMapType) geometry() groupGeometry {
	return groupGeometry{keysOff: ctrlWord, keyStride: mt.slotSize, elemsOff: ctrlWord + mt.elemOff, elemStride: mt.slotSize}
}
