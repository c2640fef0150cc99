//go:build go1.24 && !go1.25 && goexperiment.swissmap

package main

import "unsafe"

// swissMap mirrors internal/runtime/maps.Map of Go 1.24.
type swissMap struct {
	used        uint64
	seed        uintptr
	dirPtr      unsafe.Pointer
	dirLen      int
	globalDepth uint8
	globalShift uint8
	writing     uint8
	clearSeq    uint64
}

func (m *swissMap) tombstonePossiblePtr() *bool { return nil }
