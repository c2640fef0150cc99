package main

import "unsafe"

// rtype mirrors runtime._type (Go 1.19-1.20) / internal/abi.Type (1.21+);
// the layout is the same in every supported version.
type rtype struct {
	size       uintptr
	ptrdata    uintptr
	hash       uint32
	tflag      uint8
	align      uint8
	fieldAlign uint8
	kind       uint8
	equal      func(unsafe.Pointer, unsafe.Pointer) bool
	gcdata     *byte
	str        int32
	ptrToThis  int32
}

// growKind is the grow state of a classic map.
type growKind int

const (
	growNone growKind = iota
	growDoubling
	growSameSize
)

// ptrSize is the size of a pointer word.
const ptrSize = unsafe.Sizeof(uintptr(0))

// bytes8 returns the 8 bytes at p (a tophash array) as ints.
func bytes8(p unsafe.Pointer) [8]int {
	var out [8]int
	b := (*[8]uint8)(p)
	for i := range out {
		out[i] = int(b[i])
	}
	return out
}
