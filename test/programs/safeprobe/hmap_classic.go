//go:build !go1.24

package main

import "unsafe"

// hmap mirrors runtime.hmap of Go 1.19-1.23.
type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      unsafe.Pointer // *mapextra
}
