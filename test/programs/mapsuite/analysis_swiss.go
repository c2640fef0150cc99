//go:build go1.24 && (go1.26 || goexperiment.swissmap)

package main

// analysis of a swiss-table map: the small-map group, or each distinct
// table of the directory with its group array. Read-only.

import (
	"fmt"
	"reflect"
	"sort"
	"unsafe"
)

const oversizedMinSlot = 64

// swissGroupArray is one group array: a table's (table != nil) or the
// small-map group (table == nil, one group).
type swissGroupArray struct {
	table  *table
	groups []unsafe.Pointer
}

// swissGroupArrays returns the small group or the distinct tables of the
// directory in directory order, each with its groups in index order.
func swissGroupArrays(mt *swissMapType, m *swissMap) ([]swissGroupArray, error) {
	if m.dirLen == 0 {
		if m.dirPtr == nil {
			return nil, nil
		}
		return []swissGroupArray{{groups: []unsafe.Pointer{m.dirPtr}}}, nil
	}
	if m.dirLen < 0 || m.dirLen > maxDirLen {
		return nil, fmt.Errorf("analysis: dirLen %d", m.dirLen)
	}
	var out []swissGroupArray
	dir := unsafe.Slice((**table)(m.dirPtr), m.dirLen)
	for i, tp := range dir {
		if i > 0 && dir[i-1] == tp {
			continue
		}
		n := tp.groups.lengthMask + 1
		if n > maxTableGroups {
			return nil, fmt.Errorf("analysis: table %p: %d groups", tp, n)
		}
		ga := swissGroupArray{table: tp}
		for g := uint64(0); g < n; g++ {
			ga.groups = append(ga.groups, unsafe.Add(tp.groups.data, uintptr(g)*mt.groupSize))
		}
		out = append(out, ga)
	}
	return out, nil
}

// checkGeometry checks that the 8 keys (keySlot bytes each) and 8 elems
// (elemSlot bytes each) lie after the control word, inside the group, and
// apart from each other. The group may end in padding: with zero-size
// slots or elems the compiler pads it by a byte, then to its alignment.
func checkGeometry(geo groupGeometry, groupSize, keySlot, elemSlot uintptr) error {
	type span struct{ off, n uintptr }
	var spans []span
	for i := uintptr(0); i < groupSlots; i++ {
		spans = append(spans, span{geo.keysOff + i*geo.keyStride, keySlot}, span{geo.elemsOff + i*geo.elemStride, elemSlot})
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a].off < spans[b].off })
	end := uintptr(ctrlGroupBytes)
	for _, sp := range spans {
		if sp.n == 0 {
			continue
		}
		if sp.off < end || sp.off+sp.n > groupSize {
			return fmt.Errorf("geometry %+v with key slots of %d and elem slots of %d bytes does not fit a group of %d bytes", geo, keySlot, elemSlot, groupSize)
		}
		end = sp.off + sp.n
	}
	return nil
}

// idealSlots is the next power of two >= ceil(used × 8 / 7), at least 8.
func idealSlots(used int64) int64 {
	need := (used*8 + 6) / 7 // ceil(used × 8 / 7)
	p := ceilPow2(need)
	if p < groupSlots {
		p = groupSlots
	}
	return p
}

// analyzeMap computes the analysis of the swiss map of type t at hdr.
func analyzeMap(t reflect.Type, hdr unsafe.Pointer, rf rangeFacts) (*analysisJSON, error) {
	mt := swissType(t)
	m := (*swissMap)(hdr)
	kt, et := t.Key(), t.Elem()
	indK, indE := mt.flags&flagIndirectKey != 0, mt.flags&flagIndirectElem != 0
	keySlot, elemSlot := kt.Size(), et.Size()
	if indK {
		keySlot = ptrSize
	}
	if indE {
		elemSlot = ptrSize
	}
	geo := mt.geometry()
	if err := checkGeometry(geo, mt.groupSize, keySlot, elemSlot); err != nil {
		return nil, fmt.Errorf("analysis: %s: %v", t, err)
	}
	used := int64(m.used)
	arrays, err := swissGroupArrays(mt, m)
	if err != nil {
		return nil, err
	}

	// One pass over every group: control bytes, live slots.
	var tally liveTally
	var states swissSlotStates
	var listed []container
	a := &analysisJSON{Findings: []jsonObject{}}
	occ := &a.Occupancy
	occ.Tables = []tableOccJSON{}
	var nGroups, nTables, scanArrays int64
	words := newWordSet(mt.groupSize)
	for _, ga := range arrays {
		var tableStates swissSlotStates
		for _, g := range ga.groups {
			ctrl := ctrlBytes(*(*uint64)(g))
			c := container{addr: uint64(uintptr(g)), size: uint64(mt.groupSize)}
			for i, b := range ctrl {
				switch {
				case b&0x80 == 0:
					tableStates.Full++
				case b == ctrlEmpty:
					tableStates.Empty++
					continue
				case b == ctrlDeleted:
					tableStates.Deleted++
					continue
				default:
					return nil, fmt.Errorf("analysis: group %s: control byte %#x", hexAddr(uintptr(g)), b)
				}
				k, e := geo.key(g, uintptr(i)), geo.elem(g, uintptr(i))
				tally.add(kt, et, k, e, indK, indE)
				c.live = append(c.live, liveSlot{
					ctrl: uint64(uintptr(g)), ctrlLen: ctrlGroupBytes,
					key: uint64(uintptr(k)), keyLen: uint64(keySlot),
					elem: uint64(uintptr(e)), elemLen: uint64(elemSlot),
				})
			}
			listed = append(listed, c)
		}
		nGroups += int64(len(ga.groups))
		states.Full += tableStates.Full
		states.Empty += tableStates.Empty
		states.Deleted += tableStates.Deleted
		if tp := ga.table; tp != nil {
			nTables++
			to := tableOccJSON{
				Address: hexAddr(uintptr(unsafe.Pointer(tp))), Used: int64(tp.used), Capacity: int64(tp.capacity),
				Tombstones: tableStates.Deleted, GrowthLeft: int64(tp.growthLeft),
			}
			if to.Capacity > 0 {
				to.LoadFactor = float64(to.Used) / float64(to.Capacity)
			}
			if to.Capacity != groupSlots*int64(len(ga.groups)) || tableStates.Full != to.Used {
				return nil, fmt.Errorf("analysis: table %s: capacity %d, %d groups, %d full, used %d",
					to.Address, to.Capacity, len(ga.groups), tableStates.Full, to.Used)
			}
			occ.Slots += to.Capacity
			occ.Tables = append(occ.Tables, to)
		} else {
			occ.Slots += groupSlots
		}
	}

	// occupancy
	if occ.Slots > 0 {
		occ.LoadFactor = float64(used) / float64(occ.Slots)
	}
	occ.SlotStates = states
	tomb := states.Deleted
	occ.Tombstones = &tomb
	switch {
	case states.Full+states.Empty+states.Deleted != occ.Slots || occ.Slots != groupSlots*nGroups:
		return nil, fmt.Errorf("analysis: slot states %+v, %d slots, %d groups", states, occ.Slots, nGroups)
	case states.Full != used:
		return nil, fmt.Errorf("analysis: %d full slots, used %d", states.Full, used)
	}
	if err := tally.check(used, rf); err != nil {
		return nil, err
	}

	// memory
	mem := &a.Memory
	var mz swissMap
	var tz table
	mem.Header = int64(unsafe.Sizeof(mz))
	mem.Directory = int64(m.dirLen) * int64(ptrSize)
	mem.Tables = nTables * int64(unsafe.Sizeof(tz))
	mem.Groups = nGroups * int64(mt.groupSize)
	if indK {
		mem.IndirectKeys = used * int64(kt.Size())
	}
	if indE {
		mem.IndirectElems = used * int64(et.Size())
	}
	mem.StringData = tally.stringData
	mem.ControlBytes = ctrlGroupBytes * nGroups
	mem.finish(used, kt, et)

	// gc: ctrl, then slots [8]struct{key; elem} (interleaved) or keys [8]K,
	// elems [8]V (split): key i and elem i where the geometry puts them.
	for i := uintptr(0); i < groupSlots; i++ {
		if err := words.markSlot(kt, indK, geo.keysOff+i*geo.keyStride); err != nil {
			return nil, err
		}
		if err := words.markSlot(et, indE, geo.elemsOff+i*geo.elemStride); err != nil {
			return nil, err
		}
	}
	if a.GC, err = gcFigures(mt.group, mt.groupSize, words); err != nil {
		return nil, err
	}
	geoGC := mt.geometry()
	a.GC.Group = &groupGcJSON{Arrangement: groupLayout, KeysOff: uint64(geoGC.keysOff), KeyStride: uint64(geoGC.keyStride), ElemsOff: uint64(geoGC.elemsOff), ElemStride: uint64(geoGC.elemStride)}
	pb := a.GC.PtrBytes
	for _, ga := range arrays {
		if ga.table != nil {
			scanArrays += arrayScan(int64(len(ga.groups)), int64(mt.groupSize), pb)
		} else {
			scanArrays += pb // the small-map group
		}
	}
	scanK, err := indirectScan(used, kt, indK)
	if err != nil {
		return nil, err
	}
	scanE, err := indirectScan(used, et, indE)
	if err != nil {
		return nil, err
	}
	tableScan := int64(unsafe.Offsetof(tz.groups) + unsafe.Offsetof(tz.groups.data) + ptrSize)
	a.GC.ScanBytes = int64(unsafe.Offsetof(mz.dirPtr)+ptrSize) + mem.Directory + nTables*tableScan +
		scanArrays + scanK + scanE

	// cacheLines
	if a.CacheLines, err = cacheLineFigures(listed, nil, uint64(keySlot), uint64(elemSlot)); err != nil {
		return nil, err
	}

	// findings
	if m.writing != 0 {
		a.Findings = append(a.Findings, findingWriteInProgress("writing", int64(m.writing)))
	}
	if occ.Slots >= oversizedMinSlot && used*8 < occ.Slots {
		ideal := idealSlots(used)
		reclaim := (occ.Slots - ideal) * int64(geo.slotBytes())
		a.Findings = append(a.Findings, finding("oversized",
			fmt.Sprintf("%d entries in %d slots: %d slots would hold them, %d bytes reclaimable by copying into a new map",
				used, occ.Slots, ideal, reclaim),
			jsonField{"count", used}, jsonField{"slots", occ.Slots},
			jsonField{"idealSlots", ideal}, jsonField{"reclaimableBytes", reclaim}))
	}
	if tally.nanKeys > 0 {
		a.Findings = append(a.Findings, findingNaNKeys(tally.nanKeys))
	}
	return a, nil
}
