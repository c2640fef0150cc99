//go:build !go1.24 || (go1.24 && !go1.26 && !goexperiment.swissmap)

package main

// Classic (bucket) maps: Go <= 1.23, and 1.24/1.25 with GOEXPERIMENT=noswissmap.

import (
	"fmt"
	"reflect"
	"unsafe"
)

const implName = "classic"

// classicMapType mirrors runtime.maptype (1.19/1.20), internal/abi.MapType
// (1.21-1.23) and internal/abi.OldMapType (1.24+ noswissmap).
type classicMapType struct {
	typ        rtype
	key        *rtype
	elem       *rtype
	bucket     *rtype
	hasher     func(unsafe.Pointer, uintptr) uintptr
	keysize    uint8
	elemsize   uint8
	bucketsize uint16
	flags      uint32
}

const (
	bucketCnt        = 8
	minTopHash       = 5
	flagSameSizeGrow = 8
	maxB             = 24
	maxChain         = 1 << 16
)

func classicType(t reflect.Type) *classicMapType { return (*classicMapType)(rtypeOf(t)) }

// checkImpl makes sure the mirrors match this runtime, on a descriptor and a scratch map.
func checkImpl() error {
	mt := classicType(reflect.TypeOf(map[int64]int64(nil)))
	want := uint16(bucketCnt + 8*bucketCnt + 8*bucketCnt + ptrSize)
	if mt.keysize != 8 || mt.elemsize != 8 || mt.bucketsize != want {
		return fmt.Errorf("map[int64]int64 descriptor: keysize %d elemsize %d bucketsize %d", mt.keysize, mt.elemsize, mt.bucketsize)
	}
	scratch := map[int64]int64{1: 2}
	_, hdr := mapHeader(&scratch)
	if h := (*hmap)(hdr); h.count != 1 || h.B != 0 || h.buckets == nil {
		return fmt.Errorf("scratch hmap: count %d B %d", h.count, h.B)
	}
	return nil
}

func walkMap(t reflect.Type, hdr unsafe.Pointer, w *walker) error {
	if hdr == nil {
		return nil
	}
	mt := classicType(t)
	h := (*hmap)(hdr)
	w.span("hmap", hdr, unsafe.Sizeof(hmap{}))
	// mapextra: overflow, oldoverflow, nextOverflow.
	w.span("mapextra", h.extra, 3*ptrSize)
	if h.B > maxB {
		return fmt.Errorf("implausible B %d", h.B)
	}
	nb := uintptr(1) << h.B
	if err := walkArray(mt, "buckets", h.buckets, nb, w); err != nil {
		return err
	}
	if h.oldbuckets != nil {
		if h.flags&flagSameSizeGrow == 0 {
			nb /= 2
		}
		return walkArray(mt, "oldbuckets", h.oldbuckets, nb, w)
	}
	return nil
}

func walkArray(mt *classicMapType, what string, base unsafe.Pointer, n uintptr, w *walker) error {
	if base == nil {
		return nil
	}
	size := uintptr(mt.bucketsize)
	w.span(what, base, n*size)
	for i := uintptr(0); i < n; i++ {
		b := unsafe.Add(base, i*size)
		for chain := 0; b != nil; chain++ {
			if chain > maxChain {
				return fmt.Errorf("%s[%d]: overflow chain longer than %d", what, i, maxChain)
			}
			if chain > 0 {
				w.span("overflow bucket", b, size)
			}
			walkBucket(mt, b, w)
			b = *(*unsafe.Pointer)(unsafe.Add(b, size-ptrSize))
		}
	}
	return nil
}

// walkBucket visits the live slots (tophash >= minTopHash; evacuated old
// buckets hold only 2..4).
func walkBucket(mt *classicMapType, b unsafe.Pointer, w *walker) {
	keys := unsafe.Add(b, bucketCnt)
	elems := unsafe.Add(keys, bucketCnt*uintptr(mt.keysize))
	for i := uintptr(0); i < bucketCnt; i++ {
		if *(*uint8)(unsafe.Add(b, i)) < minTopHash {
			continue
		}
		k := unsafe.Add(keys, i*uintptr(mt.keysize))
		e := unsafe.Add(elems, i*uintptr(mt.elemsize))
		if mt.flags&1 != 0 {
			k = *(*unsafe.Pointer)(k)
		}
		if mt.flags&2 != 0 {
			e = *(*unsafe.Pointer)(e)
		}
		w.slot(k, e)
	}
}
