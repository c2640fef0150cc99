//go:build !go1.24 || (go1.24 && !go1.26 && !goexperiment.swissmap)

package main

// Classic (bucket) hash maps: Go <= 1.23, and Go 1.24/1.25 built with
// GOEXPERIMENT=noswissmap. The hmap mirror itself is in
// internals_classic_hmap*.go (Go 1.24 added clearSeq).

import (
	"fmt"
	"reflect"
	"unsafe"
)

const (
	implName  = "classic"
	isClassic = true
)

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
	emptyOne         = 1
	evacuatedX       = 2
	evacuatedEmpty   = 4
	minTopHash       = 5
	flagSameSizeGrow = 8
	flagHashWriting  = 4
	maxChain         = 1 << 16
)

type classicMaptypeJSON struct {
	Keysize      uint8  `json:"keysize"`
	Elemsize     uint8  `json:"elemsize"`
	Bucketsize   uint16 `json:"bucketsize"`
	Flags        uint32 `json:"flags"`
	IndirectKey  bool   `json:"indirectKey"`
	IndirectElem bool   `json:"indirectElem"`
}

type overflowJSON struct {
	Address string `json:"address"`
	Tophash [8]int `json:"tophash"`
}

type bucketJSON struct {
	Address  string         `json:"address"`
	Tophash  [8]int         `json:"tophash"`
	Overflow []overflowJSON `json:"overflow"`
}

type classicJSON struct {
	B          uint8        `json:"B"`
	Flags      uint8        `json:"flags"`
	Noverflow  uint16       `json:"noverflow"`
	Hash0      uint32       `json:"hash0"`
	Nevacuate  uint64       `json:"nevacuate"`
	ClearSeq   *uint64      `json:"clearSeq,omitempty"`
	Buckets    []bucketJSON `json:"buckets"`
	Oldbuckets []bucketJSON `json:"oldbuckets"`
}

func classicType(t reflect.Type) *classicMapType {
	return (*classicMapType)(rtypeOf(t))
}

func describeMaptype(t reflect.Type) interface{} {
	mt := classicType(t)
	return classicMaptypeJSON{
		Keysize: mt.keysize, Elemsize: mt.elemsize, Bucketsize: mt.bucketsize, Flags: mt.flags,
		IndirectKey: mt.flags&1 != 0, IndirectElem: mt.flags&2 != 0,
	}
}

func setFileFields(tf *truthFile) {
	v := hasClearSeq
	tf.ClearSeqField = &v
}

// checkImpl verifies that the runtime really uses classic maps with the
// layout assumed here, using type descriptors and a scratch map.
func checkImpl() error {
	mt := classicType(reflect.TypeOf(map[int64]int64(nil)))
	want := uint16(bucketCnt + 8*bucketCnt + 8*bucketCnt + ptrSize)
	if mt.keysize != 8 || mt.elemsize != 8 || mt.bucketsize != want || mt.bucket.size != uintptr(want) || mt.flags&3 != 0 {
		return fmt.Errorf("map[int64]int64 descriptor: keysize %d elemsize %d bucketsize %d (want 8/8/%d)", mt.keysize, mt.elemsize, mt.bucketsize, want)
	}
	big := classicType(reflect.TypeOf(map[[20]int64]int(nil)))
	if big.flags&1 == 0 || uintptr(big.keysize) != ptrSize {
		return fmt.Errorf("map[[20]int64]int descriptor: flags %d keysize %d", big.flags, big.keysize)
	}
	scratch := make(map[int64]int64)
	scratch[1] = 2
	_, hdr := mapHeader(&scratch)
	h := (*hmap)(hdr)
	if h.count != 1 || h.B != 0 || h.buckets == nil || h.oldbuckets != nil || bytes8(h.buckets)[0] < minTopHash {
		return fmt.Errorf("scratch hmap: count %d B %d", h.count, h.B)
	}
	return nil
}

func header(ref interface{}) (*classicMapType, *hmap) {
	t, hdr := mapHeader(ref)
	return classicType(t), (*hmap)(hdr)
}

// growState reports whether the map is part-way through a grow.
func growState(ref interface{}) growKind {
	_, h := header(ref)
	switch {
	case h == nil || h.oldbuckets == nil:
		return growNone
	case h.flags&flagSameSizeGrow != 0:
		return growSameSize
	default:
		return growDoubling
	}
}

// bucketOf returns the bucket index key would go to (read-only: it only
// calls the map type's hasher with the map's seed).
func bucketOf(ref interface{}, key unsafe.Pointer) uintptr {
	mt, h := header(ref)
	return mt.hasher(key, uintptr(h.hash0)) & (uintptr(1)<<h.B - 1)
}

func swissTables(ref interface{}) (int, bool) { return 0, false }

// chainStats accumulates what a walk over bucket chains saw.
type chainStats struct {
	live, emptyOne, maxOverflow int
	evacuated                   bool
}

func readChain(mt *classicMapType, b unsafe.Pointer, st *chainStats) (bucketJSON, error) {
	bj := bucketJSON{Address: hexAddr(uintptr(b)), Tophash: bytes8(b), Overflow: []overflowJSON{}}
	if th := bj.Tophash[0]; th > emptyOne && th < minTopHash {
		st.evacuated = true
	}
	count := func(th [8]int) {
		for _, x := range th {
			if x >= minTopHash {
				st.live++
			} else if x == emptyOne {
				st.emptyOne++
			}
		}
	}
	count(bj.Tophash)
	ovfOff := uintptr(mt.bucketsize) - ptrSize
	for o := *(*unsafe.Pointer)(unsafe.Add(b, ovfOff)); o != nil; o = *(*unsafe.Pointer)(unsafe.Add(o, ovfOff)) {
		if len(bj.Overflow) >= maxChain {
			return bj, fmt.Errorf("overflow chain longer than %d", maxChain)
		}
		oj := overflowJSON{Address: hexAddr(uintptr(o)), Tophash: bytes8(o)}
		count(oj.Tophash)
		bj.Overflow = append(bj.Overflow, oj)
	}
	if len(bj.Overflow) > st.maxOverflow {
		st.maxOverflow = len(bj.Overflow)
	}
	return bj, nil
}

func readArray(mt *classicMapType, base unsafe.Pointer, n uintptr, st *chainStats) ([]bucketJSON, error) {
	out := make([]bucketJSON, 0, n)
	for i := uintptr(0); i < n; i++ {
		bj, err := readChain(mt, unsafe.Add(base, i*uintptr(mt.bucketsize)), st)
		if err != nil {
			return out, err
		}
		out = append(out, bj)
	}
	return out, nil
}

// readInternals captures the hmap and all bucket chains. Read-only.
func readInternals(t reflect.Type, hdr unsafe.Pointer) (interface{}, int, []string, error) {
	mt := classicType(t)
	h := (*hmap)(hdr)
	cj := classicJSON{
		B: h.B, Flags: h.flags, Noverflow: h.noverflow, Hash0: h.hash0,
		Nevacuate: uint64(h.nevacuate), ClearSeq: h.clearSeqPtr(), Buckets: []bucketJSON{},
	}
	var shapes []string
	if h.B > 24 {
		return cj, h.count, nil, fmt.Errorf("implausible B %d", h.B)
	}
	nb := uintptr(1) << h.B
	var cur, old chainStats
	var err error
	if h.buckets == nil {
		shapes = append(shapes, "unallocated")
	} else if cj.Buckets, err = readArray(mt, h.buckets, nb, &cur); err != nil {
		return cj, h.count, nil, err
	}
	if h.oldbuckets != nil {
		n := nb
		if h.flags&flagSameSizeGrow != 0 {
			shapes = append(shapes, "sameSizeGrow")
		} else {
			n = nb / 2
			shapes = append(shapes, "growing")
		}
		if cj.Oldbuckets, err = readArray(mt, h.oldbuckets, n, &old); err != nil {
			return cj, h.count, nil, err
		}
		if old.evacuated {
			shapes = append(shapes, "evacuated")
		}
	}
	if cur.maxOverflow > 0 || old.maxOverflow > 0 {
		shapes = append(shapes, "overflow")
	}
	if cur.maxOverflow >= 8 {
		shapes = append(shapes, "longChain")
	}
	if cur.emptyOne+old.emptyOne > 0 {
		shapes = append(shapes, "emptyOne")
	}
	if mt.flags&1 != 0 {
		shapes = append(shapes, "indirectKey")
	}
	if mt.flags&2 != 0 {
		shapes = append(shapes, "indirectElem")
	}
	// Every live slot (tophash >= minTopHash) is in the current array or in
	// a not-yet-evacuated old bucket (evacuated ones only hold 2..4).
	if live := cur.live + old.live; live != h.count {
		return cj, h.count, shapes, fmt.Errorf("%d live tophash slots, count %d", live, h.count)
	}
	return cj, h.count, shapes, nil
}

// setWriting does what mapassign does on entry: h.flags ^= hashWriting.
func setWriting(hdr unsafe.Pointer) {
	(*hmap)(hdr).flags ^= flagHashWriting
}
