//go:build go1.24 && (go1.26 || goexperiment.swissmap)

package main

// Swiss-table maps (internal/runtime/maps): Go 1.24+ by default. The Map
// header mirror is in internals_swiss_map*.go (Go 1.25 added
// tombstonePossible).

import (
	"fmt"
	"reflect"
	"strconv"
	"unsafe"
)

const (
	implName  = "swiss"
	isClassic = false
)

// swissMapType mirrors internal/abi.SwissMapType (1.24/1.25) and
// internal/abi.MapType (1.26).
type swissMapType struct {
	typ       rtype
	key       *rtype
	elem      *rtype
	group     *rtype
	hasher    func(unsafe.Pointer, uintptr) uintptr
	groupSize uintptr
	slotSize  uintptr
	elemOff   uintptr
	flags     uint32
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
)

type swissMaptypeJSON struct {
	GroupSize    uint64 `json:"groupSize"`
	SlotSize     uint64 `json:"slotSize"`
	ElemOff      uint64 `json:"elemOff"`
	Flags        uint32 `json:"flags"`
	IndirectKey  bool   `json:"indirectKey"`
	IndirectElem bool   `json:"indirectElem"`
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
	return swissMaptypeJSON{
		GroupSize: uint64(mt.groupSize), SlotSize: uint64(mt.slotSize), ElemOff: uint64(mt.elemOff), Flags: mt.flags,
		IndirectKey: mt.flags&flagIndirectKey != 0, IndirectElem: mt.flags&flagIndirectElem != 0,
	}
}

func setFileFields(tf *truthFile) {
	v := hasTombstonePossible
	tf.TombstonePossibleField = &v
}

// checkImpl verifies that the runtime really uses swiss maps with the
// layout assumed here, using type descriptors and a scratch map.
func checkImpl() error {
	mt := swissType(reflect.TypeOf(map[int64]int64(nil)))
	if mt.groupSize != 8+groupSlots*16 || mt.slotSize != 16 || mt.elemOff != 8 || mt.group.size != mt.groupSize || mt.flags&(flagIndirectKey|flagIndirectElem) != 0 {
		return fmt.Errorf("map[int64]int64 descriptor: groupSize %d slotSize %d elemOff %d", mt.groupSize, mt.slotSize, mt.elemOff)
	}
	big := swissType(reflect.TypeOf(map[[20]int64]int(nil)))
	if big.flags&flagIndirectKey == 0 || big.slotSize != 2*ptrSize {
		return fmt.Errorf("map[[20]int64]int descriptor: flags %d slotSize %d", big.flags, big.slotSize)
	}
	scratch := make(map[int64]int64)
	scratch[1] = 2
	_, hdr := mapHeader(&scratch)
	m := (*swissMap)(hdr)
	if m.used != 1 || m.dirLen != 0 || m.dirPtr == nil || fullSlots(*(*uint64)(m.dirPtr)) != 1 {
		return fmt.Errorf("scratch Map: used %d dirLen %d", m.used, m.dirLen)
	}
	return nil
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
