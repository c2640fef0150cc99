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

// geometry is the 1.27 formula's figures for the interleaved group of
// 1.24–1.26: slots [8]struct{key; elem} right after the control word.
func (mt *swissMapType) geometry() groupGeometry {
	return groupGeometry{
		keysOff: ctrlGroupBytes, keyStride: mt.slotSize,
		elemsOff: ctrlGroupBytes + mt.elemOff, elemStride: mt.slotSize,
	}
}

// describeOwnFields writes the descriptor's slotSize and elemOff, as the
// truth of 1.24–1.26 always has.
func (mt *swissMapType) describeOwnFields(j *swissMaptypeJSON) {
	s, e := uint64(mt.slotSize), uint64(mt.elemOff)
	j.SlotSize, j.ElemOff = &s, &e
}

// checkOwnFields: a descriptor of 1.24–1.26 holds nothing beyond what the
// geometry already checked.
func (mt *swissMapType) checkOwnFields() error { return nil }
