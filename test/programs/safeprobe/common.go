package main

import (
	"reflect"
	"unsafe"
)

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

const ptrSize = unsafe.Sizeof(uintptr(0))

// rtypeOf returns the runtime type descriptor behind a reflect.Type: the data
// word of the interface.
func rtypeOf(t reflect.Type) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&t))[1]
}

// mapHeader returns the type and header pointer of the map variable that ref
// points to (nil for a nil map). Read-only.
func mapHeader(ref interface{}) (reflect.Type, unsafe.Pointer) {
	v := reflect.ValueOf(ref).Elem()
	return v.Type(), *(*unsafe.Pointer)(unsafe.Pointer(v.UnsafeAddr()))
}
