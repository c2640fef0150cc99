//go:build go1.24 && (go1.26 || goexperiment.swissmap)

package main

// Swiss-table maps (internal/runtime/maps): Go 1.24+ by default. The Map
// header mirror is in internals_swiss_map*.go (Go 1.25 added
// tombstonePossible).

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unsafe"
)

const (
	implName  = "swiss"
	isClassic = false
)

// The mirror of the map type descriptor is in internals_swiss_maptype*.go
// (abi.SwissMapType of 1.24–1.26 with slotSize/elemOff; abi.MapType of 1.27
// with keysOff/keyStride/elemsOff/elemStride); the group layout it describes
// in internals_swiss_layout_*.go (interleaved slots, or split keys/elems
// arrays with GOEXPERIMENT=mapsplitgroup).

// groupGeometry is where a group holds key i and elem i: keysOff +
// i×keyStride and elemsOff + i×elemStride, the formula Go 1.27's
// abi.MapType states for either layout (interleaved: both strides are the
// slot size).
type groupGeometry struct {
	keysOff, keyStride, elemsOff, elemStride uintptr
}

func (g groupGeometry) key(group unsafe.Pointer, i uintptr) unsafe.Pointer {
	return unsafe.Add(group, g.keysOff+i*g.keyStride)
}

func (g groupGeometry) elem(group unsafe.Pointer, i uintptr) unsafe.Pointer {
	return unsafe.Add(group, g.elemsOff+i*g.elemStride)
}

// slotBytes is what one slot's key and elem take in a group: the slot
// struct's size when interleaved, keyStride + elemStride when split.
func (g groupGeometry) slotBytes() uintptr {
	if groupLayout == layoutSplit {
		return g.keyStride + g.elemStride
	}
	return g.keyStride
}

// table mirrors internal/runtime/maps.table.
type table struct {
	used       uint16
	capacity   uint16
	growthLeft uint16
	localDepth uint8
	index      int
	groups     groupsReference
}

// groupsReference mirrors internal/runtime/maps.groupsReference.
type groupsReference struct {
	data       unsafe.Pointer
	lengthMask uint64
}

const (
	groupSlots       = 8
	ctrlEmpty        = 0x80
	ctrlDeleted      = 0xFE
	flagIndirectKey  = 4
	flagIndirectElem = 8
	maxDirLen        = 1 << 20
	maxTableGroups   = 1 << 16
	maxInlineBytes   = 128 // abi.MapMaxKeyBytes, abi.MapMaxElemBytes
	ctrlGroupBytes   = 8   // the control word at the start of a group
)

// swissMaptypeJSON is the maptype of the truth. slotSize is written where
// the descriptor has it (1.24–1.26), elemOff where the group is interleaved
// (the elem's offset in a slot); keysOff, keyStride, elemsOff, elemStride
// are abi.MapType's on 1.27 and derived from slotSize/elemOff before, so
// one formula locates every key and elem.
type swissMaptypeJSON struct {
	GroupSize    uint64  `json:"groupSize"`
	SlotSize     *uint64 `json:"slotSize,omitempty"`
	ElemOff      *uint64 `json:"elemOff,omitempty"`
	KeysOff      uint64  `json:"keysOff"`
	KeyStride    uint64  `json:"keyStride"`
	ElemsOff     uint64  `json:"elemsOff"`
	ElemStride   uint64  `json:"elemStride"`
	GroupLayout  string  `json:"groupLayout"`
	Flags        uint32  `json:"flags"`
	IndirectKey  bool    `json:"indirectKey"`
	IndirectElem bool    `json:"indirectElem"`
}

type groupJSON struct {
	Address string `json:"address"`
	Ctrl    [8]int `json:"ctrl"`
}

type tableJSON struct {
	Address    string      `json:"address"`
	Index      int         `json:"index"`
	LocalDepth uint8       `json:"localDepth"`
	Capacity   uint16      `json:"capacity"`
	Used       uint16      `json:"used"`
	GrowthLeft uint16      `json:"growthLeft"`
	Groups     []groupJSON `json:"groups"`
}

type swissJSON struct {
	Used              uint64      `json:"used"`
	Seed              string      `json:"seed"`
	DirLen            int         `json:"dirLen"`
	GlobalDepth       uint8       `json:"globalDepth"`
	GlobalShift       uint8       `json:"globalShift"`
	Writing           uint8       `json:"writing"`
	TombstonePossible *bool       `json:"tombstonePossible,omitempty"`
	ClearSeq          uint64      `json:"clearSeq"`
	SmallGroup        *groupJSON  `json:"smallGroup"`
	Tables            []tableJSON `json:"tables"`
	SharedTable       bool        `json:"sharedTable"`
}

func swissType(t reflect.Type) *swissMapType {
	return (*swissMapType)(rtypeOf(t))
}

func describeMaptype(t reflect.Type) interface{} {
	mt := swissType(t)
	g := mt.geometry()
	j := swissMaptypeJSON{
		GroupSize: uint64(mt.groupSize),
		KeysOff:   uint64(g.keysOff), KeyStride: uint64(g.keyStride), ElemsOff: uint64(g.elemsOff), ElemStride: uint64(g.elemStride),
		GroupLayout: groupLayout, Flags: mt.flags,
		IndirectKey: mt.flags&flagIndirectKey != 0, IndirectElem: mt.flags&flagIndirectElem != 0,
	}
	mt.describeOwnFields(&j)
	return j
}

func setFileFields(tf *truthFile) {
	v := hasTombstonePossible
	tf.TombstonePossibleField = &v
}

// checkImpl verifies that the runtime really uses swiss maps with the
// layout assumed here, using type descriptors and a scratch map.
func checkImpl() error {
	mt := swissType(reflect.TypeOf(map[int64]int64(nil)))
	if mt.group.size != mt.groupSize || mt.flags&(flagIndirectKey|flagIndirectElem) != 0 {
		return fmt.Errorf("map[int64]int64 descriptor: groupSize %d, group type size %d, flags %d", mt.groupSize, mt.group.size, mt.flags)
	}
	big := swissType(reflect.TypeOf(map[[20]int64]int(nil)))
	if big.flags&flagIndirectKey == 0 || big.geometry().keyStride < ptrSize {
		return fmt.Errorf("map[[20]int64]int descriptor: flags %d geometry %+v", big.flags, big.geometry())
	}
	if err := checkGroupLayouts(); err != nil {
		return err
	}
	scratch := make(map[int64]int64)
	scratch[1] = 2
	_, hdr := mapHeader(&scratch)
	m := (*swissMap)(hdr)
	if m.used != 1 || m.dirLen != 0 || m.dirPtr == nil || fullSlots(*(*uint64)(m.dirPtr)) != 1 {
		return fmt.Errorf("scratch Map: used %d dirLen %d", m.used, m.dirLen)
	}
	k, e := groupFull(mt, m.dirPtr)
	if len(k) != 1 || *(*int64)(k[0]) != 1 || *(*int64)(e[0]) != 2 {
		return fmt.Errorf("scratch Map: the full slot does not hold 1: 2 where the geometry %+v says", mt.geometry())
	}
	return nil
}

// groupFull returns the key and elem addresses of the full slots of group g.
func groupFull(mt *swissMapType, g unsafe.Pointer) (keys, elems []unsafe.Pointer) {
	geo := mt.geometry()
	ctrl := ctrlBytes(*(*uint64)(g))
	for i, c := range ctrl {
		if c&0x80 == 0 {
			keys = append(keys, geo.key(g, uintptr(i)))
			elems = append(elems, geo.elem(g, uintptr(i)))
		}
	}
	return keys, elems
}

const (
	layoutInterleaved = "interleaved"
	layoutSplit       = "split"
)

// layoutProbes are the map types whose groups checkGroupLayouts checks:
// gaps between keys and elems for alignment, zero-size keys and elems,
// interfaces, indirect keys and elems.
var layoutProbes = []reflect.Type{
	reflect.TypeOf(map[int64]int64(nil)),
	reflect.TypeOf(map[uint8]uint64(nil)),
	reflect.TypeOf(map[uint64]uint8(nil)),
	reflect.TypeOf(map[[3]byte]uint16(nil)),
	reflect.TypeOf(map[int32]struct{}(nil)),
	reflect.TypeOf(map[struct{}]int16(nil)),
	reflect.TypeOf(map[struct{}]struct{}(nil)),
	reflect.TypeOf(map[string]interface{}(nil)),
	reflect.TypeOf(map[[20]int64][200]byte(nil)),
}

// checkGroupLayouts checks, for each probe, that the descriptor's geometry,
// the group type the descriptor points to, and the compiler's layout rules
// (wantGroup) agree on where keys and elems are.
func checkGroupLayouts() error {
	for _, t := range layoutProbes {
		mt := swissType(t)
		k, e, err := slotTypes(t, mt.flags)
		if err != nil {
			return err
		}
		got := mt.geometry()
		want, wantSize := wantGroup(k, e)
		if got != want || mt.groupSize != wantSize {
			return fmt.Errorf("%s: %s group: descriptor geometry %+v groupSize %d, compiler rules give %+v groupSize %d",
				t, groupLayout, got, mt.groupSize, want, wantSize)
		}
		gt, err := groupTypeGeometry(mt.group)
		if err != nil {
			return fmt.Errorf("%s: %v", t, err)
		}
		if gt != got || mt.group.size != mt.groupSize {
			return fmt.Errorf("%s: group type %s gives %+v size %d, descriptor %+v groupSize %d",
				t, typeOfRtype(mt.group), gt, mt.group.size, got, mt.groupSize)
		}
		if err := mt.checkOwnFields(); err != nil {
			return fmt.Errorf("%s: %v", t, err)
		}
	}
	return nil
}

// slotTypes returns what a slot holds for the key and the elem of map type
// t: the value, or a pointer to it when it is over 128 bytes (the flags
// must say so).
func slotTypes(t reflect.Type, flags uint32) (k, e reflect.Type, err error) {
	k, e = t.Key(), t.Elem()
	indK, indE := flags&flagIndirectKey != 0, flags&flagIndirectElem != 0
	if indK != (k.Size() > maxInlineBytes) || indE != (e.Size() > maxInlineBytes) {
		return nil, nil, fmt.Errorf("%s: flags %d, key size %d, elem size %d", t, flags, k.Size(), e.Size())
	}
	if indK {
		k = reflect.PointerTo(k)
	}
	if indE {
		e = reflect.PointerTo(e)
	}
	return k, e, nil
}

// groupTypeGeometry reads the geometry off the group struct type as
// cmd/compile/internal/reflectdata.writeMapType does: field 1 is the slots
// array (interleaved) or the keys array, field 2 the elems array (split).
func groupTypeGeometry(group *rtype) (groupGeometry, error) {
	gt := typeOfRtype(group)
	if gt.Kind() != reflect.Struct || gt.NumField() != len(groupFields) {
		return groupGeometry{}, fmt.Errorf("group type %s is not a struct of %v", gt, groupFields)
	}
	for i, name := range groupFields {
		f := gt.Field(i)
		// reflect.MapOf spells them Ctrl, Slots, Keys, Elems.
		if !strings.EqualFold(f.Name, name) || (i > 0 && f.Type.Kind() != reflect.Array) || (i > 0 && f.Type.Len() != groupSlots) {
			return groupGeometry{}, fmt.Errorf("group type %s: field %d is %s %s, want %s", gt, i, f.Name, f.Type, name)
		}
	}
	if f := gt.Field(0); f.Offset != 0 || f.Type.Kind() != reflect.Uint64 {
		return groupGeometry{}, fmt.Errorf("group type %s: ctrl is %s at %d", gt, f.Type, f.Offset)
	}
	first := gt.Field(1)
	if groupLayout == layoutInterleaved {
		slot := first.Type.Elem()
		if slot.Kind() != reflect.Struct || slot.NumField() != 2 {
			return groupGeometry{}, fmt.Errorf("group type %s: slot %s is not struct{key; elem}", gt, slot)
		}
		return groupGeometry{
			keysOff: first.Offset + slot.Field(0).Offset, keyStride: slot.Size(),
			elemsOff: first.Offset + slot.Field(1).Offset, elemStride: slot.Size(),
		}, nil
	}
	second := gt.Field(2)
	return groupGeometry{
		keysOff: first.Offset, keyStride: first.Type.Elem().Size(),
		elemsOff: second.Offset, elemStride: second.Type.Elem().Size(),
	}, nil
}

func alignUp(n, a uintptr) uintptr { return (n + a - 1) &^ (a - 1) }

// maxAlign is the largest alignment of the given types (a struct's).
func maxAlign(types ...reflect.Type) uintptr {
	a := uintptr(1)
	for _, t := range types {
		if uintptr(t.Align()) > a {
			a = uintptr(t.Align())
		}
	}
	return a
}

func growState(ref interface{}) growKind                   { return growNone }
func bucketOf(ref interface{}, key unsafe.Pointer) uintptr { return 0 }

// swissTables returns the number of distinct tables in the directory and
// whether one of them is referenced by several directory entries.
func swissTables(ref interface{}) (int, bool) {
	_, hdr := mapHeader(ref)
	m := (*swissMap)(hdr)
	if m == nil || m.dirLen == 0 || m.dirLen > maxDirLen {
		return 0, false
	}
	dir := unsafe.Slice((**table)(m.dirPtr), m.dirLen)
	n, shared := 0, false
	for i := range dir {
		if i == 0 || dir[i] != dir[i-1] {
			n++
		} else {
			shared = true
		}
	}
	return n, shared
}

func ctrlBytes(w uint64) [8]int {
	var out [8]int
	for i := range out {
		out[i] = int(w >> (8 * uint(i)) & 0xff)
	}
	return out
}

func fullSlots(w uint64) int {
	n := 0
	for _, c := range ctrlBytes(w) {
		if c&0x80 == 0 {
			n++
		}
	}
	return n
}

func hasDeleted(w uint64) bool {
	for _, c := range ctrlBytes(w) {
		if c == ctrlDeleted {
			return true
		}
	}
	return false
}

func readGroup(g unsafe.Pointer) (groupJSON, uint64) {
	w := *(*uint64)(g) // ctrl byte i = (w >> 8i) & 0xff on either endianness
	return groupJSON{Address: hexAddr(uintptr(g)), Ctrl: ctrlBytes(w)}, w
}

// readInternals captures the Map header, small group or directory tables.
// Read-only.
func readInternals(t reflect.Type, hdr unsafe.Pointer) (interface{}, int, []string, error) {
	mt := swissType(t)
	m := (*swissMap)(hdr)
	sj := swissJSON{
		Used: m.used, Seed: strconv.FormatUint(uint64(m.seed), 10), DirLen: m.dirLen,
		GlobalDepth: m.globalDepth, GlobalShift: m.globalShift, Writing: m.writing,
		TombstonePossible: m.tombstonePossiblePtr(), ClearSeq: m.clearSeq, Tables: []tableJSON{},
	}
	count := int(m.used)
	var shapes []string
	if mt.flags&flagIndirectKey != 0 {
		shapes = append(shapes, "indirectKey")
	}
	if mt.flags&flagIndirectElem != 0 {
		shapes = append(shapes, "indirectElem")
	}
	tombstones := false
	switch {
	case m.dirLen == 0 && m.dirPtr == nil:
		shapes = append(shapes, "unallocated")
		if m.used != 0 {
			return sj, count, shapes, fmt.Errorf("used %d without a group", m.used)
		}
	case m.dirLen == 0:
		shapes = append(shapes, "small")
		g, w := readGroup(m.dirPtr)
		sj.SmallGroup = &g
		tombstones = hasDeleted(w)
		if full := fullSlots(w); uint64(full) != m.used {
			return sj, count, shapes, fmt.Errorf("small group has %d full slots, used %d", full, m.used)
		}
	default:
		if m.dirLen < 0 || m.dirLen > maxDirLen || m.dirLen != 1<<m.globalDepth {
			return sj, count, shapes, fmt.Errorf("dirLen %d, globalDepth %d", m.dirLen, m.globalDepth)
		}
		dir := unsafe.Slice((**table)(m.dirPtr), m.dirLen)
		seen := map[*table]bool{}
		var sum uint64
		for i, tp := range dir {
			if seen[tp] {
				if dir[i-1] != tp {
					return sj, count, shapes, fmt.Errorf("table %p not contiguous in directory", tp)
				}
				sj.SharedTable = true
				continue
			}
			seen[tp] = true
			tj, tomb, err := readTable(mt, tp, m.globalDepth, i)
			if err != nil {
				return sj, count, shapes, err
			}
			tombstones = tombstones || tomb
			sum += uint64(tj.Used)
			sj.Tables = append(sj.Tables, tj)
		}
		if sum != m.used {
			return sj, count, shapes, fmt.Errorf("tables hold %d, used %d", sum, m.used)
		}
		if len(sj.Tables) > 1 {
			shapes = append(shapes, "multiTable")
		}
		if sj.SharedTable {
			shapes = append(shapes, "sharedTable")
		}
	}
	if tombstones {
		shapes = append(shapes, "tombstones")
	}
	return sj, count, shapes, nil
}

func readTable(mt *swissMapType, tp *table, globalDepth uint8, dirIndex int) (tableJSON, bool, error) {
	tj := tableJSON{
		Address: hexAddr(uintptr(unsafe.Pointer(tp))), Index: tp.index, LocalDepth: tp.localDepth,
		Capacity: tp.capacity, Used: tp.used, GrowthLeft: tp.growthLeft, Groups: []groupJSON{},
	}
	n := tp.groups.lengthMask + 1
	if n > maxTableGroups {
		return tj, false, fmt.Errorf("table %s: %d groups", tj.Address, n)
	}
	if tp.index != dirIndex || tp.localDepth > globalDepth {
		return tj, false, fmt.Errorf("table %s: index %d at directory entry %d, localDepth %d", tj.Address, tp.index, dirIndex, tp.localDepth)
	}
	full, tomb := 0, false
	for i := uint64(0); i < n; i++ {
		g, w := readGroup(unsafe.Add(tp.groups.data, uintptr(i)*mt.groupSize))
		full += fullSlots(w)
		tomb = tomb || hasDeleted(w)
		tj.Groups = append(tj.Groups, g)
	}
	if uint64(tp.capacity) != n*groupSlots {
		return tj, tomb, fmt.Errorf("table %s: capacity %d, %d groups", tj.Address, tp.capacity, n)
	}
	if full != int(tp.used) {
		return tj, tomb, fmt.Errorf("table %s: %d full slots, used %d", tj.Address, full, tp.used)
	}
	return tj, tomb, nil
}

// setWriting does what Map.PutSlot does on entry: m.writing ^= 1.
func setWriting(hdr unsafe.Pointer) {
	(*swissMap)(hdr).writing ^= 1
}
