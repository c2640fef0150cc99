package main

// analysis.gc: the pointer words of a map's bucket/group type, derived from
// the key and elem types with reflect (docs/analysis.md), and the GC bitmap
// the runtime itself uses, read from the bucket/group type descriptor that
// the map type descriptor points to. Both must agree.

import (
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"unsafe"
)

const (
	// tflagGCMaskOnDemand (Go 1.24+; TFlagUnrolledBitmap on 1.22/1.23, unused
	// before): GCData is not a plain bitmap of the type.
	tflagGCMaskOnDemand = 1 << 4
	// kindGCProg (Go <= 1.23; unused later): GCData is a GC program.
	kindGCProg = 1 << 6
	// noalgPrefix: the runtime's descriptor names the bucket/group type
	// "map.bucket[K]V" / "map.group[K]V"; the compiler's symbol name — the
	// spelling of docs/analysis.md and of the DWARF of swiss groups — adds
	// "noalg.". (Classic DWARF synthesizes "bucket<K,V>" instead.)
	noalgPrefix = "noalg."
)

// wordSet marks which pointer-sized words of an object hold pointers.
type wordSet []bool

func newWordSet(size uintptr) wordSet { return make(wordSet, (size+ptrSize-1)/ptrSize) }

func (w wordSet) set(off uintptr) error {
	if off%ptrSize != 0 || off/ptrSize >= uintptr(len(w)) {
		return fmt.Errorf("pointer word at offset %d outside or misaligned in %d words", off, len(w))
	}
	w[off/ptrSize] = true
	return nil
}

// mark marks the pointer words of a value of type t stored at off, walking
// kinds: pointers, unsafe.Pointer, chans, funcs, maps, string data pointers,
// slice array pointers, the data word of interfaces; structs and arrays
// walked.
//
// Interfaces: docs/analysis.md says "both words", but the compiler
// (cmd/compile/internal/typebits) marks only the data word — the type/itab
// word points to read-only or persistently allocated memory — and the
// runtime bitmaps read below confirm it on every supported Go version.
func (w wordSet) mark(t reflect.Type, off uintptr) error {
	switch t.Kind() {
	case reflect.Ptr, reflect.UnsafePointer, reflect.Chan, reflect.Func, reflect.Map,
		reflect.String, reflect.Slice:
		return w.set(off)
	case reflect.Interface:
		return w.set(off + ptrSize)
	case reflect.Array:
		es := t.Elem().Size()
		for i := 0; i < t.Len(); i++ {
			if err := w.mark(t.Elem(), off+uintptr(i)*es); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if err := w.mark(t.Field(i).Type, off+t.Field(i).Offset); err != nil {
				return err
			}
		}
	}
	return nil
}

// markSlot marks a key or elem slot at off: one pointer word when the value
// is stored indirectly, else the value's own pointer words.
func (w wordSet) markSlot(t reflect.Type, indirect bool, off uintptr) error {
	if indirect {
		return w.set(off)
	}
	return w.mark(t, off)
}

func (w wordSet) any() bool {
	for _, p := range w {
		if p {
			return true
		}
	}
	return false
}

// figures returns ptrBytes, the pointer word indices and the runtime-style
// bitmap (bit i of byte i/8 = word i, ceil(ptrBytes/ptrSize/8) bytes).
func (w wordSet) figures() (int64, []int64, string) {
	words := []int64{}
	for i, p := range w {
		if p {
			words = append(words, int64(i))
		}
	}
	if len(words) == 0 {
		return 0, words, ""
	}
	n := words[len(words)-1] + 1
	bitmap := make([]byte, (n+7)/8)
	for _, i := range words {
		bitmap[i/8] |= 1 << uint(i%8)
	}
	return n * int64(ptrSize), words, hex.EncodeToString(bitmap)
}

// ptrBytesOf is ptrBytes(T): the pointer prefix of a value of type t, derived
// the same way (for the scan of indirectly stored keys/elems).
func ptrBytesOf(t reflect.Type) (int64, error) {
	w := newWordSet(t.Size())
	if err := w.mark(t, 0); err != nil {
		return 0, err
	}
	pb, _, _ := w.figures()
	return pb, nil
}

// typeOfRtype returns the reflect.Type of a runtime type descriptor (the
// data word of a reflect.Type interface is the *abi.Type).
func typeOfRtype(p *rtype) reflect.Type {
	t := reflect.TypeOf(0)
	(*[2]unsafe.Pointer)(unsafe.Pointer(&t))[1] = unsafe.Pointer(p)
	return t
}

// readRuntimeGC reads ptrdata and the GC bitmap of the bucket/group type
// descriptor bt. Read-only.
func readRuntimeGC(bt *rtype) (gcRuntimeJSON, error) {
	rj := gcRuntimeJSON{PtrBytes: int64(bt.ptrdata), Descriptor: hexAddr(uintptr(unsafe.Pointer(bt)))}
	if bt.tflag&tflagGCMaskOnDemand != 0 {
		return rj, fmt.Errorf("bucket/group type %s has TFlagGCMaskOnDemand set (tflag %#x): no static bitmap", rj.Descriptor, bt.tflag)
	}
	if bt.kind&kindGCProg != 0 {
		return rj, fmt.Errorf("bucket/group type %s has a GC program (kind %#x)", rj.Descriptor, bt.kind)
	}
	if bt.ptrdata%ptrSize != 0 || bt.ptrdata > bt.size {
		return rj, fmt.Errorf("bucket/group type %s: ptrdata %d, size %d", rj.Descriptor, bt.ptrdata, bt.size)
	}
	n := (bt.ptrdata/ptrSize + 7) / 8
	if n > 0 {
		if bt.gcdata == nil {
			return rj, fmt.Errorf("bucket/group type %s: ptrdata %d without gcdata", rj.Descriptor, bt.ptrdata)
		}
		rj.Bitmap = hex.EncodeToString(unsafe.Slice(bt.gcdata, n))
	}
	return rj, nil
}

// gcFigures fills analysis.gc except scanBytes from the bucket/group type
// descriptor bt (of size bucketSize) and the words derived from the key and
// elem types. A derived bitmap that differs from the runtime's is an error.
func gcFigures(bt *rtype, bucketSize uintptr, derived wordSet) (gcJSON, error) {
	gj := gcJSON{Size: int64(bucketSize)}
	if bt == nil {
		return gj, fmt.Errorf("map type descriptor has no bucket/group type")
	}
	if bt.size != bucketSize {
		return gj, fmt.Errorf("bucket/group type size %d, map type says %d", bt.size, bucketSize)
	}
	name := typeOfRtype(bt).String()
	if !strings.HasPrefix(name, noalgPrefix) {
		name = noalgPrefix + name
	}
	gj.Type = name
	gj.PtrBytes, gj.PointerWords, gj.Bitmap = derived.figures()
	rj, err := readRuntimeGC(bt)
	if err != nil {
		return gj, err
	}
	gj.Runtime = &rj
	matches := rj.PtrBytes == gj.PtrBytes && rj.Bitmap == gj.Bitmap
	gj.Matches = &matches
	if !matches {
		return gj, fmt.Errorf("GC bitmap of %s: derived ptrBytes %d bitmap %q, runtime ptrBytes %d bitmap %q",
			name, gj.PtrBytes, gj.Bitmap, rj.PtrBytes, rj.Bitmap)
	}
	return gj, nil
}

// arrayScan is the scan of an array of n objects of the given size with
// pointer prefix ptrBytes: (n − 1) × size + ptrBytes, 0 without pointers.
func arrayScan(n, size, ptrBytes int64) int64 {
	if n == 0 || ptrBytes == 0 {
		return 0
	}
	return (n-1)*size + ptrBytes
}

// indirectScan is the scan of the separately allocated keys or elems.
func indirectScan(count int64, t reflect.Type, indirect bool) (int64, error) {
	if !indirect {
		return 0, nil
	}
	pb, err := ptrBytesOf(t)
	return count * pb, err
}
