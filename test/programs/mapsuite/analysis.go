package main

// The `analysis` object of each map (docs/analysis.md), computed by the
// program itself from its own internals: unsafe reads of the header,
// buckets/groups and type descriptors, and plain arithmetic. This file holds
// the JSON shape and the parts shared by both implementations (value walks,
// cache-line arithmetic, findings); analysis_gc.go derives and reads GC
// bitmaps; analysis_classic.go / analysis_swiss.go walk the map itself.
//
// Everything here runs in pass 2 of buildTruth, after all ranging, and only
// reads memory.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"unsafe"
)

const (
	cacheLineSize    = 64
	maxIdealExponent = 62 // bound for the idealBuckets / idealSlots searches
)

// ---------------------------------------------------------------- JSON shape

type analysisJSON struct {
	Occupancy  occupancyJSON  `json:"occupancy"`
	Memory     memoryJSON     `json:"memory"`
	GC         gcJSON         `json:"gc"`
	CacheLines cacheLinesJSON `json:"cacheLines"`
	Findings   []jsonObject   `json:"findings"`
}

type occupancyJSON struct {
	Slots         int64              `json:"slots"`
	LoadFactor    float64            `json:"loadFactor"`
	SlotStates    interface{}        `json:"slotStates"` // classicSlotStates | swissSlotStates
	OldSlotStates *classicSlotStates `json:"oldSlotStates"`
	Overflow      *overflowStatsJSON `json:"overflow"`
	Tables        []tableOccJSON     `json:"tables"` // nil (null) for classic, [] or more for swiss
	Tombstones    *int64             `json:"tombstones"`
	Grow          *growJSON          `json:"grow"`
}

type classicSlotStates struct {
	Live           int64 `json:"live"`
	EmptyRest      int64 `json:"emptyRest"`
	EmptyOne       int64 `json:"emptyOne"`
	EvacuatedX     int64 `json:"evacuatedX"`
	EvacuatedY     int64 `json:"evacuatedY"`
	EvacuatedEmpty int64 `json:"evacuatedEmpty"`
}

func (s classicSlotStates) sum() int64 {
	return s.Live + s.EmptyRest + s.EmptyOne + s.EvacuatedX + s.EvacuatedY + s.EvacuatedEmpty
}

type swissSlotStates struct {
	Full    int64 `json:"full"`
	Empty   int64 `json:"empty"`
	Deleted int64 `json:"deleted"`
}

// overflowStatsJSON is occupancy.overflow (classic).
type overflowStatsJSON struct {
	Buckets    int64            `json:"buckets"`
	OldBuckets int64            `json:"oldBuckets"`
	Histogram  map[string]int64 `json:"histogram"`
	MaxChain   int64            `json:"maxChain"`
}

type tableOccJSON struct {
	Address    string  `json:"address"`
	Used       int64   `json:"used"`
	Capacity   int64   `json:"capacity"`
	LoadFactor float64 `json:"loadFactor"`
	Tombstones int64   `json:"tombstones"`
	GrowthLeft int64   `json:"growthLeft"`
}

type growJSON struct {
	Nevacuate  int64 `json:"nevacuate"`
	OldBuckets int64 `json:"oldBuckets"`
	Evacuated  int64 `json:"evacuated"`
	SameSize   bool  `json:"sameSize"`
}

type memoryJSON struct {
	Header          int64    `json:"header"`
	Buckets         int64    `json:"buckets"`
	OverflowBuckets int64    `json:"overflowBuckets"`
	OldBuckets      int64    `json:"oldBuckets"`
	Directory       int64    `json:"directory"`
	Tables          int64    `json:"tables"`
	Groups          int64    `json:"groups"`
	IndirectKeys    int64    `json:"indirectKeys"`
	IndirectElems   int64    `json:"indirectElems"`
	StringData      int64    `json:"stringData"`
	Total           int64    `json:"total"`
	Payload         int64    `json:"payload"`
	OverheadRatio   *float64 `json:"overheadRatio"`
	ControlBytes    int64    `json:"controlBytes"`
}

// finish fills total, payload and overheadRatio.
func (m *memoryJSON) finish(count int64, keyType, elemType reflect.Type) {
	m.Total = m.Header + m.Buckets + m.OverflowBuckets + m.OldBuckets + m.Directory + m.Tables +
		m.Groups + m.IndirectKeys + m.IndirectElems + m.StringData
	m.Payload = count * int64(keyType.Size()+elemType.Size())
	if m.Payload != 0 {
		r := float64(m.Total) / float64(m.Payload)
		m.OverheadRatio = &r
	}
}

type gcJSON struct {
	Type         string         `json:"type"`
	Size         int64          `json:"size"`
	Group        *groupGcJSON   `json:"group,omitempty"`
	PtrBytes     int64          `json:"ptrBytes"`
	PointerWords []int64        `json:"pointerWords"`
	Bitmap       string         `json:"bitmap"`
	Runtime      *gcRuntimeJSON `json:"runtime"`
	Matches      *bool          `json:"matches"`
	ScanBytes    int64          `json:"scanBytes"`
}

// groupGcJSON is where a Swiss group keeps key i and elem i: abi.MapType's
// KeysOff/KeyStride/ElemsOff/ElemStride (1.27), derived from SlotSize and
// ElemOff before.
type groupGcJSON struct {
	Arrangement string `json:"arrangement"`
	KeysOff     uint64 `json:"keysOff"`
	KeyStride   uint64 `json:"keyStride"`
	ElemsOff    uint64 `json:"elemsOff"`
	ElemStride  uint64 `json:"elemStride"`
}

type gcRuntimeJSON struct {
	PtrBytes   int64  `json:"ptrBytes"`
	Bitmap     string `json:"bitmap"`
	Descriptor string `json:"descriptor"`
}

type lineUseJSON struct {
	Address   string  `json:"address"`
	Lines     int64   `json:"lines"`
	LiveLines []int64 `json:"liveLines"`
}

type cacheLinesJSON struct {
	LineSize          int64          `json:"lineSize"`
	Buckets           *[]lineUseJSON `json:"buckets,omitempty"` // classic
	Groups            *[]lineUseJSON `json:"groups,omitempty"`  // swiss
	LiveLineFraction  float64        `json:"liveLineFraction"`
	LookupLines       float64        `json:"lookupLines"`
	LookupUtilization float64        `json:"lookupUtilization"`
}

// jsonObject is a JSON object with fields in a fixed order (findings).
type jsonObject []jsonField

type jsonField struct {
	key   string
	value interface{}
}

func (o jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(f.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func finding(kind, message string, numbers ...jsonField) jsonObject {
	return append(jsonObject{{"kind", kind}, {"message", message}}, numbers...)
}

// ---------------------------------------------------------------- live values

// rangeFacts are what pass 1 saw of the entries through range (reflect
// copies of keys and elems). Pass 2 computes the same figures from the slots
// in memory and both must agree.
type rangeFacts struct {
	stringData int64
	nanKeys    int64
}

func (f *rangeFacts) add(key, elem reflect.Value) {
	f.stringData += inlineStringBytes(key) + inlineStringBytes(elem)
	if hasInlineNaN(key) {
		f.nanKeys++
	}
}

// inlineStringBytes sums the len of every string stored inline in v:
// strings, and strings inside structs and arrays at any depth. Pointers,
// slices, maps and interfaces are not followed.
func inlineStringBytes(v reflect.Value) int64 {
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Array:
		var n int64
		for i := 0; i < v.Len(); i++ {
			n += inlineStringBytes(v.Index(i))
		}
		return n
	case reflect.Struct:
		var n int64
		for i := 0; i < v.NumField(); i++ {
			n += inlineStringBytes(v.Field(i))
		}
		return n
	}
	return 0
}

// hasInlineNaN reports whether a float NaN is stored inline in v: floats,
// complex parts, struct fields, array elements, and the dynamic value of an
// interface, walked the same way. Pointers are not followed.
func hasInlineNaN(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return math.IsNaN(v.Float())
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return math.IsNaN(real(c)) || math.IsNaN(imag(c))
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if hasInlineNaN(v.Index(i)) {
				return true
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if hasInlineNaN(v.Field(i)) {
				return true
			}
		}
	case reflect.Interface:
		if !v.IsNil() {
			return hasInlineNaN(v.Elem())
		}
	}
	return false
}

// slotValue returns the value of type t held by a slot at p: the slot
// itself, or for an indirect slot the value its pointer points to.
func slotValue(t reflect.Type, p unsafe.Pointer, indirect bool) reflect.Value {
	if indirect {
		p = *(*unsafe.Pointer)(p)
	}
	return reflect.NewAt(t, p).Elem()
}

// liveSlot is one live entry as memory sees it: the bytes of its control
// (tophash byte or ctrl word), key slot and elem slot.
type liveSlot struct {
	ctrl, ctrlLen uint64
	key, keyLen   uint64
	elem, elemLen uint64
}

// container is one bucket or group listed under cacheLines.
type container struct {
	addr, size uint64
	live       []liveSlot
}

// liveTally accumulates what the walk over live slots saw.
type liveTally struct {
	count      int64
	stringData int64
	nanKeys    int64
}

func (lt *liveTally) add(kt, et reflect.Type, key, elem unsafe.Pointer, indK, indE bool) {
	k := slotValue(kt, key, indK)
	lt.count++
	lt.stringData += inlineStringBytes(k) + inlineStringBytes(slotValue(et, elem, indE))
	if hasInlineNaN(k) {
		lt.nanKeys++
	}
}

// check compares the slot walk with the map's count and with pass 1.
func (lt *liveTally) check(count int64, rf rangeFacts) error {
	switch {
	case lt.count != count:
		return fmt.Errorf("analysis: %d live slots, count %d", lt.count, count)
	case lt.stringData != rf.stringData:
		return fmt.Errorf("analysis: stringData %d from slots, %d from range", lt.stringData, rf.stringData)
	case lt.nanKeys != rf.nanKeys:
		return fmt.Errorf("analysis: %d NaN keys in slots, %d from range", lt.nanKeys, rf.nanKeys)
	}
	return nil
}

// ---------------------------------------------------------------- cache lines

func lineOf(addr uint64) uint64 { return addr / cacheLineSize }

// addLines adds the lines spanned by [addr, addr+n) to set (nothing for n == 0).
func addLines(set map[uint64]bool, addr, n uint64) {
	if n == 0 {
		return
	}
	for l := lineOf(addr); l <= lineOf(addr+n-1); l++ {
		set[l] = true
	}
}

// cacheLineFigures computes cacheLines from the listed containers (in
// contract order) and every live slot of the map (the listed ones and, for a
// classic map in a grow, those still in the old array).
func cacheLineFigures(listed []container, unlisted []liveSlot, keySlot, elemSlot uint64) (cacheLinesJSON, error) {
	cl := cacheLinesJSON{LineSize: cacheLineSize}
	uses := make([]lineUseJSON, 0, len(listed))
	var lines, liveLines int64
	var hits, hitLines int64
	var util float64
	hit := func(s liveSlot) {
		set := map[uint64]bool{}
		addLines(set, s.ctrl, s.ctrlLen)
		addLines(set, s.key, s.keyLen)
		addLines(set, s.elem, s.elemLen)
		n := int64(len(set))
		hits++
		hitLines += n
		util += float64(keySlot+elemSlot) / float64(cacheLineSize*n)
	}
	for _, c := range listed {
		first, last := lineOf(c.addr), lineOf(c.addr+c.size-1)
		u := lineUseJSON{Address: hexAddr(uintptr(c.addr)), Lines: int64(last - first + 1), LiveLines: []int64{}}
		set := map[uint64]bool{}
		for _, s := range c.live {
			addLines(set, s.key, s.keyLen)
			addLines(set, s.elem, s.elemLen)
			hit(s)
		}
		for l := range set {
			if l < first || l > last {
				return cl, fmt.Errorf("analysis: live slot line outside %s", u.Address)
			}
			u.LiveLines = append(u.LiveLines, int64(l-first))
		}
		sort.Slice(u.LiveLines, func(i, j int) bool { return u.LiveLines[i] < u.LiveLines[j] })
		lines += u.Lines
		liveLines += int64(len(u.LiveLines))
		uses = append(uses, u)
	}
	for _, s := range unlisted {
		hit(s)
	}
	if lines > 0 {
		cl.LiveLineFraction = float64(liveLines) / float64(lines)
	}
	if hits > 0 {
		cl.LookupLines = float64(hitLines) / float64(hits)
		cl.LookupUtilization = util / float64(hits)
	}
	if isClassic {
		cl.Buckets = &uses
	} else {
		cl.Groups = &uses
	}
	return cl, nil
}

// ---------------------------------------------------------------- findings

func findingWriteInProgress(field string, value int64) jsonObject {
	return finding("writeInProgress",
		fmt.Sprintf("a write to the map was in progress (%s = %d): its contents may be inconsistent", field, value),
		jsonField{field, value})
}

func findingNaNKeys(n int64) jsonObject {
	return finding("nanKeys",
		fmt.Sprintf("%d keys contain NaN: they are not equal to themselves, cannot be looked up or deleted, only cleared", n),
		jsonField{"count", n})
}

// ceilPow2 returns the smallest power of two >= n (1 for n <= 1).
func ceilPow2(n int64) int64 {
	p := int64(1)
	for i := 0; p < n && i < maxIdealExponent; i++ {
		p <<= 1
	}
	return p
}
