package main

// Rendering of Go values (map keys and elements) as JSON, from memory and reflect.Type only,
// exactly as the inspect contract renders them (as mapsuite does), and the names DWARF gives
// types, which mapscope reports.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"unsafe"
)

// maxRenderDepth bounds recursion through nested composite values.
const maxRenderDepth = 64

// renderValue renders the value of type t stored at p.
func renderValue(t reflect.Type, p unsafe.Pointer) json.RawMessage {
	var b bytes.Buffer
	render(&b, t, p, 0)
	return json.RawMessage(b.Bytes())
}

// renderReflect renders v by first copying it into addressable memory.
func renderReflect(v reflect.Value) json.RawMessage {
	c := reflect.New(v.Type())
	c.Elem().Set(v)
	return renderValue(v.Type(), c.UnsafePointer())
}

func hexAddr(p uintptr) string { return "0x" + strconv.FormatUint(uint64(p), 16) }

func writeAddr(b *bytes.Buffer, p uintptr) {
	if p == 0 {
		b.WriteString("null")
		return
	}
	b.WriteString(`"` + hexAddr(p) + `"`)
}

const maxSafeInt = 1 << 53

func writeInt(b *bytes.Buffer, v int64) {
	if v >= -maxSafeInt && v <= maxSafeInt {
		b.WriteString(strconv.FormatInt(v, 10))
	} else {
		b.WriteString(`"` + strconv.FormatInt(v, 10) + `"`)
	}
}

func writeUint(b *bytes.Buffer, v uint64) {
	if v <= maxSafeInt {
		b.WriteString(strconv.FormatUint(v, 10))
	} else {
		b.WriteString(`"` + strconv.FormatUint(v, 10) + `"`)
	}
}

// formatFloat renders f (holding a value of the given bit size) as a JSON
// number, shortest representation for that bit size, using encoding/json's
// choice between 'f' and 'e' notation; NaN and infinities become strings.
func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return `"NaN"`
	case math.IsInf(f, 1):
		return `"+Inf"`
	case math.IsInf(f, -1):
		return `"-Inf"`
	}
	fmtc := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
			bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			fmtc = 'e'
		}
	}
	s := strconv.FormatFloat(f, fmtc, -1, bits)
	if fmtc == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		if n := len(s); n >= 4 && s[n-4] == 'e' && s[n-3] == '-' && s[n-2] == '0' {
			s = s[:n-2] + s[n-1:]
		}
	}
	return s
}

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // invalid UTF-8 becomes U+FFFD, like mapscope
	b.Write(enc)
}

// sliceHeader mirrors the runtime's slice layout.
type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

func render(b *bytes.Buffer, t reflect.Type, p unsafe.Pointer, depth int) {
	if depth > maxRenderDepth {
		panic("services: value nesting too deep")
	}
	switch t.Kind() {
	case reflect.Bool:
		if *(*bool)(p) {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		writeInt(b, reflect.NewAt(t, p).Elem().Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		writeUint(b, reflect.NewAt(t, p).Elem().Uint())
	case reflect.Float32:
		b.WriteString(formatFloat(reflect.NewAt(t, p).Elem().Float(), 32))
	case reflect.Float64:
		b.WriteString(formatFloat(reflect.NewAt(t, p).Elem().Float(), 64))
	case reflect.Complex64, reflect.Complex128:
		bits := 64
		if t.Kind() == reflect.Complex64 {
			bits = 32
		}
		c := reflect.NewAt(t, p).Elem().Complex()
		b.WriteString(`{"real":` + formatFloat(real(c), bits) + `,"imag":` + formatFloat(imag(c), bits) + `}`)
	case reflect.String:
		writeString(b, reflect.NewAt(t, p).Elem().String())
	case reflect.Ptr, reflect.UnsafePointer, reflect.Chan, reflect.Func:
		// one pointer word; for func it is the *funcval, not the code pointer
		writeAddr(b, uintptr(*(*unsafe.Pointer)(p)))
	case reflect.Map:
		hdr := *(*unsafe.Pointer)(p)
		if hdr == nil {
			b.WriteString("null")
			return
		}
		fmt.Fprintf(b, `{"map":"%s","len":%d}`, hexAddr(uintptr(hdr)), reflect.NewAt(t, p).Elem().Len())
	case reflect.Slice:
		s := (*sliceHeader)(p)
		fmt.Fprintf(b, `{"len":%d,"cap":%d,"data":`, s.len, s.cap)
		writeAddr(b, uintptr(s.data))
		b.WriteString("}")
	case reflect.Array:
		b.WriteString("[")
		es := t.Elem().Size()
		for i := 0; i < t.Len(); i++ {
			if i > 0 {
				b.WriteString(",")
			}
			render(b, t.Elem(), unsafe.Add(p, uintptr(i)*es), depth+1)
		}
		b.WriteString("]")
	case reflect.Struct:
		b.WriteString("{")
		first := true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Name == "_" {
				continue
			}
			if !first {
				b.WriteString(",")
			}
			first = false
			writeString(b, f.Name)
			b.WriteString(":")
			render(b, f.Type, unsafe.Add(p, f.Offset), depth+1)
		}
		b.WriteString("}")
	case reflect.Interface:
		v := reflect.NewAt(t, p).Elem()
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		dyn := v.Elem() // not read-only: v comes from NewAt, not from a field
		c := reflect.New(dyn.Type())
		c.Elem().Set(dyn)
		b.WriteString(`{"type":`)
		writeString(b, dyn.Type().String())
		b.WriteString(`,"value":`)
		render(b, dyn.Type(), c.UnsafePointer(), depth+1)
		b.WriteString("}")
	default:
		panic("services: cannot render kind " + t.Kind().String())
	}
}

// dwarfName is the name Go's DWARF gives t, which mapscope reports as type, keyType and
// valueType: a named type by its full package path (github.com/google/uuid.UUID), where the
// runtime's own name (reflect's String) has only the package name (uuid.UUID). Type arguments
// of an instantiated generic type are spelled as the runtime spells them, in Name.
func dwarfName(t reflect.Type) string {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name() // predeclared: int, string, error
		}
		return t.PkgPath() + "." + t.Name()
	}
	switch t.Kind() {
	case reflect.Ptr:
		return "*" + dwarfName(t.Elem())
	case reflect.Slice:
		return "[]" + dwarfName(t.Elem())
	case reflect.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), dwarfName(t.Elem()))
	case reflect.Map:
		return "map[" + dwarfName(t.Key()) + "]" + dwarfName(t.Elem())
	case reflect.Chan:
		return "chan " + dwarfName(t.Elem())
	}
	return t.String() // struct {}, interface {}
}
