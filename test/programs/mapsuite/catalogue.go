package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"mapsuite/ids"
)

// ---------------------------------------------------------------- types

// Point is a small comparable struct with a value-receiver String method.
type Point struct{ X, Y int }

func (p Point) String() string { return fmt.Sprintf("(%d,%d)", p.X, p.Y) }

// Padded has padding after A, a blank field and a string.
type Padded struct {
	A int8
	B int64
	_ int32
	C string
}

// secret has only unexported fields (read through reflect + unsafe).
type secret struct {
	id   uint16
	name string
	ok   bool
}

// BigVal is 176 bytes on 64-bit (> 128: stored indirectly in maps).
type BigVal struct {
	ID   int64
	Data [19]int64
	Tag  string
}

// Celsius is a named float with a String method.
type Celsius float64

func (c Celsius) String() string { return strconv.FormatFloat(float64(c), 'f', 1, 64) + "C" }

// Config is reached as main.cfg.byName.
type Config struct {
	Name   string
	byName map[string]int
}

// Server is reached as (*main.srv).cache / main.srv.cache.
type Server struct {
	Addr  string
	cache map[string]*Point
}

// ---------------------------------------------------------------- maps

var (
	// basic
	strInt       map[string]int
	namedMap     Routes
	strIntBig    map[string]int
	int64Int64   map[int64]int64
	smallIntInt  map[int]int
	emptyMap     = make(map[string]int)
	emptied      map[string]int
	emptiedSmall map[string]int
	nilMap       map[string]int
	// midWrite is caught as if a goroutine were inside a write: its writing flag is set after
	// the entries are ranged (see markMidWrite) and never cleared.
	midWrite map[int]int

	// deletions and growth
	deleted         map[int]string
	deletedSmall    map[int]int
	growing         map[int64]string
	growingInts     map[int32]int32
	sameSizeGrowing map[int64]int64
	longChain       map[int64]int64
	swissDir        map[int64]int64

	// integer kinds
	int8Int8       map[int8]int8
	int16Uint16    map[int16]uint16
	int32Uint32    map[int32]uint32
	int64Uint64    map[int64]uint64
	uint8Uint8     map[uint8]uint8
	uint16Int16    map[uint16]int16
	uint32Int32    map[uint32]int32
	uint64Int64    map[uint64]int64
	intUint        map[int]uint
	uintptrUintptr map[uintptr]uintptr

	// floats, complex, bool
	float64Str  map[float64]string
	float32F32  map[float32]float32
	complexMap  map[complex64]complex128
	boolStr     map[bool]string
	float64Ints map[float64]int64

	// strings
	strStr map[string]string

	// pointers and friends
	strPtr    map[string]*Point
	ptrKey    map[*Point]string
	unsafePtr map[string]unsafe.Pointer
	chanMap   map[string]chan int
	chanKey   map[chan int]int
	funcMap   map[string]func() int

	// composite
	paddedKey map[Padded]int
	paddedVal map[string]Padded
	secretVal map[int]secret
	pointKey  map[Point]string
	arrKey    map[[3]int16]string
	sliceVal  map[string][]int
	nested    map[string]map[string]int

	// interfaces
	ifaceKey    map[interface{}]string
	anyVal      map[string]interface{}
	labelKey    map[ids.Label]int
	errVal      map[string]error
	stringerVal map[string]fmt.Stringer

	// big keys / elems
	bigKey  map[[20]int64]int
	bigVal  map[int]BigVal
	bigBoth map[[20]int64]BigVal
	key128  map[[16]int64][16]int64

	// zero-size
	zsKey  map[struct{}]int
	zsVal  map[int]struct{}
	zsBoth map[struct{}]struct{}

	// access paths
	cfg Config
	srv *Server
)

// Pointees referenced by map values (globals, so addresses are stable).
var (
	pt1, pt2   = Point{1, 2}, Point{-3, 4}
	unsafeWord uint64
	chUnbuf    = make(chan int)
	chBuf      = make(chan int, 4)
)

func topFunc() int { return 7 }

// Routes is a named map type: its DWARF typedef is not spelled map[K]V.
type Routes map[string]int

// mapDef describes one catalogued map.
type mapDef struct {
	expr    string
	ref     interface{} // pointer to the map variable
	aliases []string    // other exprs naming the same map
	tags    []string    // static, content-related shape tags
	classic []string    // internal shapes promised on classic builds
	swiss   []string    // internal shapes promised on swiss builds
}

var catalogue []mapDef

func add(expr string, ref interface{}, tags ...string) *mapDef {
	catalogue = append(catalogue, mapDef{expr: expr, ref: ref, tags: tags})
	return &catalogue[len(catalogue)-1]
}

func (d *mapDef) promise(classic, swiss []string) {
	d.classic, d.swiss = classic, swiss
}

func fillAll() {
	fillBasic()
	fillDeletesAndGrowth()
	fillScalars()
	fillStrings()
	fillPointers()
	fillComposite()
	fillInterfaces()
	fillBig()
	fillZeroSize()
	fillAccessPaths()
	fillMidWrite()
}

func fillBasic() {
	strInt = map[string]int{"one": 1, "two": 2, "three": 3, "minus": -17, "zero": 0, "big": math.MaxInt32}
	add("main.strInt", &strInt)
	namedMap = Routes{"/": 1, "/api": 2, "/api/v1": 3}
	add("main.namedMap", &namedMap, "named")

	strIntBig = make(map[string]int)
	for i := 0; i < 5000; i++ {
		strIntBig["key-"+strconv.Itoa(i)] = i * 3
	}
	add("main.strIntBig", &strIntBig, "large").promise(nil, []string{"multiTable"})

	int64Int64 = make(map[int64]int64)
	for i := int64(0); i < 10000; i++ {
		int64Int64[i*7919-5000000] = i * i
	}
	add("main.int64Int64", &int64Int64, "large").promise([]string{"overflow"}, []string{"multiTable"})

	smallIntInt = map[int]int{1: 10, 2: 20, 3: 30, -4: -40, 5: 50}
	add("main.smallIntInt", &smallIntInt).promise(nil, []string{"small"})

	add("main.emptyMap", &emptyMap, "empty")

	emptied = make(map[string]int)
	for i := 0; i < 50; i++ {
		emptied["e"+strconv.Itoa(i)] = i
	}
	for i := 0; i < 50; i++ {
		delete(emptied, "e"+strconv.Itoa(i))
	}
	add("main.emptied", &emptied, "emptied", "deleted")

	emptiedSmall = map[string]int{"a": 1, "b": 2, "c": 3}
	for _, k := range []string{"a", "b", "c"} {
		delete(emptiedSmall, k)
	}
	add("main.emptiedSmall", &emptiedSmall, "emptied", "deleted").promise(nil, []string{"small"})

	add("main.nilMap", &nilMap, "nil")
}

func fillDeletesAndGrowth() {
	// Many inserts, then delete every third key.
	deleted = make(map[int]string)
	for i := 0; i < 3000; i++ {
		deleted[i] = "v" + strconv.Itoa(i)
	}
	for i := 0; i < 3000; i += 3 {
		delete(deleted, i)
	}
	add("main.deleted", &deleted, "deleted").promise([]string{"emptyOne"}, []string{"tombstones", "multiTable"})

	deletedSmall = map[int]int{}
	for i := 0; i < 8; i++ {
		deletedSmall[i] = i * 100
	}
	delete(deletedSmall, 2)
	delete(deletedSmall, 5)
	add("main.deletedSmall", &deletedSmall, "deleted").promise(nil, []string{"small"})

	// Doubling grow stopped part-way (classic).
	growing = make(map[int64]string)
	fillGrowing(func(k int64) { growing[k] = "g" + strconv.FormatInt(k, 10) }, func() bool { return growState(&growing) == growDoubling }, "main.growing")
	add("main.growing", &growing).promise([]string{"growing", "evacuated"}, nil)

	growingInts = make(map[int32]int32)
	fillGrowing(func(k int64) { growingInts[int32(k)] = int32(-k) }, func() bool { return growState(&growingInts) == growDoubling }, "main.growingInts")
	add("main.growingInts", &growingInts).promise([]string{"growing", "evacuated"}, nil)

	fillSameSize()
	add("main.sameSizeGrowing", &sameSizeGrowing, "deleted", "churn").promise([]string{"sameSizeGrow", "overflow", "emptyOne"}, nil)

	fillLongChain()
	add("main.longChain", &longChain).promise([]string{"overflow", "longChain"}, nil)

	fillSwissDir()
	add("main.swissDir", &swissDir, "large").promise(nil, []string{"multiTable", "sharedTable"})
}

// fillGrowing inserts keys 0,1,2,... until an insert starts a doubling grow
// (from 300 keys on, so the old array has 64 buckets: count 417, or 385 on
// Go 1.21), then inserts 3 more keys while it is still in progress.
// Non-classic builds insert 420 keys.
func fillGrowing(put func(int64), isGrowing func() bool, name string) {
	const bound = 100000
	k := int64(0)
	if !isClassic {
		for ; k < 420; k++ {
			put(k)
		}
		return
	}
	started, wasGrowing := false, true
	for ; k < bound; k++ {
		put(k)
		g := isGrowing()
		if k >= 300 && g && !wasGrowing {
			started = true
			k++
			break
		}
		wasGrowing = g
	}
	if !started {
		fatalf("%s: no doubling grow within %d inserts", name, bound)
	}
	for end := k + 3; k < end; k++ {
		put(k)
		if !isGrowing() {
			fatalf("%s: grow finished after %d inserts", name, k+1)
		}
	}
}

// fillSameSize churns a map at a fixed count (delete oldest, insert new)
// until too many overflow buckets trigger a same-size grow (classic).
func fillSameSize() {
	const n = 100 // B=4 (B=5 on Go 1.21, whose load factor is 6): no doubling
	const bound = 2000000
	sameSizeGrowing = make(map[int64]int64)
	next, oldest := int64(0), int64(0)
	for ; next < n; next++ {
		sameSizeGrowing[next] = next
	}
	for i := 0; i < bound; i++ {
		delete(sameSizeGrowing, oldest)
		oldest++
		sameSizeGrowing[next] = -next
		next++
		if !isClassic {
			if i >= 1000 {
				return
			}
			continue
		}
		// A doubling grow begun while filling (Go 1.21: at count 97) may
		// still be finishing; the fixed count cannot start another one.
		if growState(&sameSizeGrowing) == growSameSize {
			return
		}
	}
	fatalf("main.sameSizeGrowing: no same-size grow within %d churn steps", bound)
}

// fillLongChain puts 100 keys that all hash to bucket 0 of a B=4 map (B=5
// on Go 1.21) (classic), giving a chain of ~12 overflow buckets, the first of them the
// overflow bucket pre-allocated behind the bucket array.
func fillLongChain() {
	const n = 100
	const bound = 10000000
	longChain = make(map[int64]int64, n)
	for k := int64(0); k < bound && len(longChain) < n; k++ {
		if !isClassic || bucketOf(&longChain, unsafe.Pointer(&k)) == 0 {
			longChain[k] = k * 2
		}
	}
	if len(longChain) < n {
		fatalf("main.longChain: only %d keys found for bucket 0", len(longChain))
	}
}

// fillSwissDir inserts until the directory has a table shared by several
// entries (swiss); non-swiss builds insert 3000 keys.
func fillSwissDir() {
	const bound = 300000
	swissDir = make(map[int64]int64)
	for k := int64(0); k < bound; k++ {
		swissDir[k] = k + 1
		if isClassic {
			if k >= 2999 {
				return
			}
			continue
		}
		if k >= 1000 {
			if tables, shared := swissTables(&swissDir); tables >= 3 && shared {
				return
			}
		}
	}
	fatalf("main.swissDir: no shared table within %d inserts", bound)
}

func fillScalars() {
	int8Int8 = map[int8]int8{math.MinInt8: math.MaxInt8, -1: 1, 0: 0, math.MaxInt8: math.MinInt8}
	add("main.int8Int8", &int8Int8, "ints")
	int16Uint16 = map[int16]uint16{math.MinInt16: math.MaxUint16, 0: 0, math.MaxInt16: 1}
	add("main.int16Uint16", &int16Uint16, "ints")
	int32Uint32 = map[int32]uint32{math.MinInt32: math.MaxUint32, -2: 2, math.MaxInt32: 0}
	add("main.int32Uint32", &int32Uint32, "ints")
	int64Uint64 = map[int64]uint64{
		math.MinInt64: math.MaxUint64, math.MaxInt64: 0,
		1 << 53: 1 << 53, 1<<53 + 1: 1<<53 + 1, -(1 << 53): 3, -(1 << 53) - 1: 4, -1: 1<<63 + 5,
	}
	add("main.int64Uint64", &int64Uint64, "ints", "beyond2^53")
	uint8Uint8 = map[uint8]uint8{0: math.MaxUint8, math.MaxUint8: 0, 128: 127}
	add("main.uint8Uint8", &uint8Uint8, "ints")
	uint16Int16 = map[uint16]int16{math.MaxUint16: math.MinInt16, 1: -1}
	add("main.uint16Int16", &uint16Int16, "ints")
	uint32Int32 = map[uint32]int32{math.MaxUint32: math.MinInt32, 7: 7}
	add("main.uint32Int32", &uint32Int32, "ints")
	uint64Int64 = map[uint64]int64{math.MaxUint64: math.MinInt64, 0: math.MaxInt64, 1 << 53: -(1 << 53), 1<<53 + 1: 9}
	add("main.uint64Int64", &uint64Int64, "ints", "beyond2^53")
	intUint = map[int]uint{math.MinInt: ^uint(0), math.MaxInt: 0, 0: 42, -5: 5}
	add("main.intUint", &intUint, "ints")
	uintptrUintptr = map[uintptr]uintptr{0: ^uintptr(0), 1: 2, ^uintptr(0): 0xdead}
	add("main.uintptrUintptr", &uintptrUintptr, "ints")

	negZero := math.Copysign(0, -1)
	nan := math.NaN()
	float64Str = map[float64]string{}
	for i := 0; i < 3; i++ {
		float64Str[nan] = "nan" + strconv.Itoa(i) // each NaN insert is a new entry
	}
	float64Str[math.Inf(1)] = "+inf"
	float64Str[math.Inf(-1)] = "-inf"
	float64Str[negZero] = "-0"
	float64Str[0.1] = "0.1"
	float64Str[1.5] = "1.5"
	float64Str[1e21] = "1e21"
	float64Str[1e-7] = "1e-7"
	float64Str[5e-324] = "min subnormal"
	float64Str[math.MaxFloat64] = "max"
	float64Str[-123456.789] = "neg"
	add("main.float64Str", &float64Str, "floats", "nan", "inf", "negzero")

	nan32 := float32(math.NaN())
	float32F32 = map[float32]float32{}
	float32F32[nan32] = 1
	float32F32[nan32] = nan32
	float32F32[float32(math.Inf(1))] = float32(math.Inf(-1))
	float32F32[float32(math.Inf(-1))] = float32(negZero)
	float32F32[0.1] = 0.1
	float32F32[16777216] = 16777217 // rounds to 16777216
	float32F32[math.MaxFloat32] = math.SmallestNonzeroFloat32
	float32F32[0] = 1.0 / 3
	float32F32[1e-7] = 1e21
	add("main.float32F32", &float32F32, "floats", "nan", "inf", "negzero")

	float64Ints = map[float64]int64{}
	float64Ints[0] = 1
	float64Ints[negZero] = 2 // same key as +0: the key is updated to -0
	float64Ints[2.5] = 3
	add("main.float64Ints", &float64Ints, "floats", "negzero", "keyUpdate")

	complexMap = map[complex64]complex128{
		1 + 2i:  3 - 4i,
		0:       complex(math.Inf(1), negZero),
		-1.5i:   complex(math.NaN(), 1),
		0.1 + 0: complex(0.1, 1e300),
	}
	complexMap[complex(float32(math.NaN()), 0)] = 5
	complexMap[complex(float32(math.NaN()), 0)] = 6
	complexMap[complex(float32(math.Inf(-1)), float32(negZero))] = complex(0, math.Inf(-1))
	add("main.complexMap", &complexMap, "complex", "nan", "inf")

	boolStr = map[bool]string{true: "yes", false: "no"}
	add("main.boolStr", &boolStr, "bool")
}

// longString is > 128 bytes of mixed content.
var longString = strings.Repeat("0123456789abcdef", 10) + "<tail>"

func fillStrings() {
	strStr = map[string]string{
		"":                   "empty key",
		"\x00":               "nul",
		"\xff\xfe":           "invalid utf-8 key",
		"日本語":                "multi-byte",
		"emoji 🙂🎉":           "\U0001F600",
		longString:           "long key",
		"long value":         longString + "\xc3",
		"quotes \"'\\ /":     "escapes\t\n\r\x01\x1f\x7f",
		"html <>&":           "<b>&amp;</b>",
		"mixed \xe6\x97\xa5": "truncated \xe6\x97",
		"line\u2028sep":      "\u2029",
		"nul value":          "a\x00b",
	}
	add("main.strStr", &strStr, "strings", "invalidUTF8", "longString", "emptyString")
}

func fillPointers() {
	strPtr = map[string]*Point{"a": &pt1, "b": &pt2, "nil": nil, "heap": {X: 100, Y: 200}}
	add("main.strPtr", &strPtr, "pointers", "nilValue")

	ptrKey = map[*Point]string{&pt1: "pt1", &pt2: "pt2", nil: "nil key"}
	add("main.ptrKey", &ptrKey, "pointers", "nilKey")

	unsafePtr = map[string]unsafe.Pointer{"word": unsafe.Pointer(&unsafeWord), "pt": unsafe.Pointer(&pt1), "nil": nil}
	add("main.unsafePtr", &unsafePtr, "unsafePointer", "nilValue")

	chanMap = map[string]chan int{"unbuf": chUnbuf, "buf": chBuf, "nil": nil}
	add("main.chanMap", &chanMap, "chan", "nilValue")

	chanKey = map[chan int]int{chUnbuf: 1, chBuf: 2, nil: 0}
	add("main.chanKey", &chanKey, "chan", "nilKey")

	local := 41 // captured: the closure gets a heap-allocated funcval
	funcMap = map[string]func() int{
		"top":     topFunc,
		"closure": func() int { local++; return local },
		"nil":     nil,
	}
	add("main.funcMap", &funcMap, "func", "nilValue")
}

func fillComposite() {
	paddedKey = map[Padded]int{
		{A: -1, B: 1 << 60, C: "x"}: 1,
		{A: 127, B: -1, C: ""}:      2,
		{}:                          3,
	}
	add("main.paddedKey", &paddedKey, "struct", "padding", "blankField")

	paddedVal = map[string]Padded{
		"p1":   {A: 5, B: math.MinInt64, C: "日本"},
		"zero": {},
	}
	add("main.paddedVal", &paddedVal, "struct", "padding", "blankField")

	secretVal = map[int]secret{1: {id: 7, name: "seven", ok: true}, 2: {}}
	add("main.secretVal", &secretVal, "struct", "unexportedFields")

	pointKey = map[Point]string{{1, 2}: "a", {-1, -2}: "b", {0, 0}: "origin"}
	add("main.pointKey", &pointKey, "struct")

	arrKey = map[[3]int16]string{{1, 2, 3}: "abc", {-1, 0, math.MaxInt16}: "mixed", {}: "zero"}
	add("main.arrKey", &arrKey, "array")

	sliceVal = map[string][]int{"nil": nil, "empty": {}, "three": {1, 2, 3}, "cap": make([]int, 2, 10)}
	add("main.sliceVal", &sliceVal, "slice", "nilValue")

	nested = map[string]map[string]int{
		"a":     {"x": 1, "y": 2},
		"nil":   nil,
		"empty": {},
	}
	add("main.nested", &nested, "nestedMap", "nilValue")
}

func fillInterfaces() {
	ifaceKey = map[interface{}]string{
		42:                   "int",
		"str":                "string",
		3.5:                  "float64",
		Point{1, 2}:          "main.Point",
		&pt1:                 "*main.Point",
		[2]int{1, 2}:         "[2]int",
		true:                 "bool",
		nil:                  "nil interface",
		int8(-3):             "int8",
		uint64(1<<64 - 1):    "uint64 max",
		Padded{A: 1, C: "p"}: "main.Padded",
		Celsius(-40):         "main.Celsius",
	}
	add("main.ifaceKey", &ifaceKey, "eface", "nilKey")

	anyVal = map[string]interface{}{
		"nil":    nil,
		"int":    -7,
		"str":    "hello",
		"slice":  []string{"a"},
		"map":    map[int]bool{1: true},
		"ptr":    &pt2,
		"nilPtr": (*Point)(nil),
		"struct": secret{id: 3, name: "s"},
		"func":   topFunc,
		"nan":    math.NaN(),
		"big":    BigVal{ID: 1, Tag: "boxed"},
		"id":     ids.ID{0x6b, 0x6f, 0xed, 0, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x66},
		"label":  ids.Label("hot"),
	}
	add("main.anyVal", &anyVal, "eface", "nilValue", "typedNil")

	labelKey = map[ids.Label]int{"hot": 1, "cold": 2, "": 3}
	add("main.labelKey", &labelKey, "namedString")

	base := errors.New("boom")
	errVal = map[string]error{
		"plain":   base,
		"wrapped": fmt.Errorf("ctx: %w", base),
		"nil":     nil,
	}
	add("main.errVal", &errVal, "iface", "nilValue")

	stringerVal = map[string]fmt.Stringer{
		"point":    Point{3, 4},
		"ptr":      &pt1,
		"temp":     Celsius(21.5),
		"dur":      1500 * time.Millisecond,
		"nil":      nil,
		"typedNil": (*Point)(nil),
	}
	add("main.stringerVal", &stringerVal, "iface", "nilValue", "typedNil")
}

func bigArray(seed int64) (a [20]int64) {
	for i := range a {
		a[i] = seed*100 + int64(i)
	}
	return a
}

func fillBig() {
	bigKey = map[[20]int64]int{bigArray(1): 1, bigArray(2): 2, bigArray(-3): 3}
	add("main.bigKey", &bigKey, "bigKey")

	bigVal = map[int]BigVal{}
	for i := 0; i < 12; i++ {
		v := BigVal{ID: int64(i), Tag: "t" + strconv.Itoa(i)}
		v.Data[i] = int64(i * i)
		bigVal[i] = v
	}
	add("main.bigVal", &bigVal, "bigElem")

	bigBoth = map[[20]int64]BigVal{bigArray(5): {ID: 5, Tag: "five"}, bigArray(6): {ID: 6}}
	add("main.bigBoth", &bigBoth, "bigKey", "bigElem")

	key128 = map[[16]int64][16]int64{{1}: {2}, {3, 4}: {5, 6, 7}}
	add("main.key128", &key128, "inline128")
}

func fillZeroSize() {
	zsKey = map[struct{}]int{{}: 5}
	add("main.zsKey", &zsKey, "zeroSize")
	zsVal = map[int]struct{}{1: {}, 2: {}, 3: {}}
	add("main.zsVal", &zsVal, "zeroSize")
	zsBoth = map[struct{}]struct{}{{}: {}}
	add("main.zsBoth", &zsBoth, "zeroSize")
}

func fillAccessPaths() {
	cfg = Config{Name: "cfg", byName: map[string]int{"alice": 1, "bob": 2, "carol": 3}}
	add("main.cfg.byName", &cfg.byName, "structField")

	srv = &Server{Addr: ":8080", cache: map[string]*Point{"p1": &pt1, "none": nil}}
	add("(*main.srv).cache", &srv.cache, "pointerField").aliases = []string{"main.srv.cache"}
}

func fillMidWrite() {
	midWrite = map[int]int{}
	for i := 0; i < 20; i++ {
		midWrite[i] = i * i
	}
	add("main.midWrite", &midWrite, "midWrite")
}

// markMidWrite sets the flag a map write holds for its duration (hashWriting, or Map.writing),
// as a core dumped during a write would show it. Nothing touches midWrite afterwards: the runtime
// would throw "concurrent map writes".
func markMidWrite() {
	_, hdr := mapHeader(&midWrite)
	setWriting(hdr)
}
