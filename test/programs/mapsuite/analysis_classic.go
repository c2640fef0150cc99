//go:build !go1.24 || (go1.24 && !go1.26 && !goexperiment.swissmap)

package main

// analysis of a classic (bucket) map: the current array (2^B buckets and
// their overflow chains) and, during a grow, the old array. Read-only.

import (
	"fmt"
	"reflect"
	"strconv"
	"unsafe"
)

const (
	emptyRest     = 0
	evacuatedY    = 3
	hashWriting   = 4 // hmap.flags
	dataOffset    = bucketCnt
	longChainMin  = 4 // overflow buckets behind one bucket for `longChains`
	oversizedMinB = 3
)

// bucketChains returns, for each of the n buckets of the array at base, the
// bucket followed by its overflow buckets.
func bucketChains(mt *classicMapType, base unsafe.Pointer, n uintptr) ([][]unsafe.Pointer, error) {
	ovfOff := uintptr(mt.bucketsize) - ptrSize
	out := make([][]unsafe.Pointer, 0, n)
	for i := uintptr(0); i < n; i++ {
		chain := []unsafe.Pointer{unsafe.Add(base, i*uintptr(mt.bucketsize))}
		for o := *(*unsafe.Pointer)(unsafe.Add(chain[0], ovfOff)); o != nil; o = *(*unsafe.Pointer)(unsafe.Add(o, ovfOff)) {
			if len(chain) > maxChain {
				return out, fmt.Errorf("overflow chain longer than %d", maxChain)
			}
			chain = append(chain, o)
		}
		out = append(out, chain)
	}
	return out, nil
}

func (s *classicSlotStates) count(th uint8) {
	switch th {
	case emptyRest:
		s.EmptyRest++
	case emptyOne:
		s.EmptyOne++
	case evacuatedX:
		s.EvacuatedX++
	case evacuatedY:
		s.EvacuatedY++
	case evacuatedEmpty:
		s.EvacuatedEmpty++
	default: // >= minTopHash
		s.Live++
	}
}

// slotSizeOf is the bytes a key/elem of type t occupies in its slot.
func slotSizeOf(t reflect.Type, indirect bool) uintptr {
	if indirect {
		return ptrSize
	}
	return t.Size()
}

// idealBuckets is the smallest 2^b with count <= 6.5 × 2^b.
func idealBuckets(count int64) int64 {
	p := int64(1)
	for i := 0; 2*count > 13*p && i < maxIdealExponent; i++ {
		p <<= 1
	}
	return p
}

// analyzeMap computes the analysis of the classic map of type t at hdr.
func analyzeMap(t reflect.Type, hdr unsafe.Pointer, rf rangeFacts) (*analysisJSON, error) {
	mt := classicType(t)
	h := (*hmap)(hdr)
	kt, et := t.Key(), t.Elem()
	indK, indE := mt.flags&1 != 0, mt.flags&2 != 0
	keySlot, elemSlot := uintptr(mt.keysize), uintptr(mt.elemsize)
	bsize := uintptr(mt.bucketsize)
	if keySlot != slotSizeOf(kt, indK) || elemSlot != slotSizeOf(et, indE) ||
		bsize != dataOffset+bucketCnt*(keySlot+elemSlot)+ptrSize {
		return nil, fmt.Errorf("analysis: maptype keysize %d elemsize %d bucketsize %d do not fit %s", keySlot, elemSlot, bsize, t)
	}
	count := int64(h.count)
	nb := uintptr(1) << h.B

	var cur, old [][]unsafe.Pointer
	var oldN uintptr
	var err error
	if h.buckets != nil {
		if cur, err = bucketChains(mt, h.buckets, nb); err != nil {
			return nil, err
		}
	}
	sameSize := h.flags&flagSameSizeGrow != 0
	if h.oldbuckets != nil {
		oldN = nb / 2
		if sameSize {
			oldN = nb
		}
		if old, err = bucketChains(mt, h.oldbuckets, oldN); err != nil {
			return nil, err
		}
	}

	// One pass over every bucket: tophash classes, live slots.
	var tally liveTally
	visit := func(b unsafe.Pointer, states *classicSlotStates) []liveSlot {
		var live []liveSlot
		for i := uintptr(0); i < bucketCnt; i++ {
			th := *(*uint8)(unsafe.Add(b, i))
			states.count(th)
			if th < minTopHash {
				continue
			}
			k := unsafe.Add(b, dataOffset+i*keySlot)
			e := unsafe.Add(b, dataOffset+bucketCnt*keySlot+i*elemSlot)
			tally.add(kt, et, k, e, indK, indE)
			live = append(live, liveSlot{
				ctrl: uint64(uintptr(b) + i), ctrlLen: 1,
				key: uint64(uintptr(k)), keyLen: uint64(keySlot),
				elem: uint64(uintptr(e)), elemLen: uint64(elemSlot),
			})
		}
		return live
	}
	var states, oldStates classicSlotStates
	var listed []container
	var unlisted []liveSlot
	hist := map[string]int64{}
	var ovf, maxCh, longChains, histSum int64
	for _, chain := range cur {
		n := int64(len(chain) - 1)
		hist[strconv.FormatInt(n, 10)]++
		ovf += n
		if n > maxCh {
			maxCh = n
		}
		if n >= longChainMin {
			longChains++
		}
		for _, b := range chain {
			listed = append(listed, container{addr: uint64(uintptr(b)), size: uint64(bsize), live: visit(b, &states)})
		}
	}
	var oldOvf, evacuated int64
	for _, chain := range old {
		oldOvf += int64(len(chain) - 1)
		if th := *(*uint8)(chain[0]); th > emptyOne && th < minTopHash {
			evacuated++
		}
		for _, b := range chain {
			unlisted = append(unlisted, visit(b, &oldStates)...)
		}
	}

	a := &analysisJSON{Findings: []jsonObject{}}

	// occupancy
	occ := &a.Occupancy
	occ.Slots = bucketCnt * (int64(len(cur)) + ovf)
	occ.LoadFactor = float64(count) / float64(bucketCnt*uint64(nb))
	occ.SlotStates = states
	occ.Overflow = &overflowStatsJSON{Buckets: ovf, OldBuckets: oldOvf, Histogram: hist, MaxChain: maxCh}
	if old != nil {
		occ.OldSlotStates = &oldStates
		occ.Grow = &growJSON{Nevacuate: int64(h.nevacuate), OldBuckets: int64(oldN), Evacuated: evacuated, SameSize: sameSize}
	}
	for _, n := range hist {
		histSum += n
	}
	switch {
	case states.sum() != occ.Slots:
		return nil, fmt.Errorf("analysis: slot states sum to %d, %d slots", states.sum(), occ.Slots)
	case oldStates.sum() != bucketCnt*(int64(oldN)+oldOvf):
		return nil, fmt.Errorf("analysis: old slot states sum to %d, %d old buckets", oldStates.sum(), int64(oldN)+oldOvf)
	case histSum != int64(len(cur)) || (cur != nil && histSum != int64(nb)):
		return nil, fmt.Errorf("analysis: chain histogram sums to %d, 2^B = %d", histSum, nb)
	case old != nil && (uintptr(h.nevacuate) > oldN || int64(h.nevacuate) > evacuated):
		return nil, fmt.Errorf("analysis: nevacuate %d, %d of %d old buckets evacuated", h.nevacuate, evacuated, oldN)
	case states.Live+oldStates.Live != count:
		return nil, fmt.Errorf("analysis: %d + %d live slots, count %d", states.Live, oldStates.Live, count)
	}
	if err := tally.check(count, rf); err != nil {
		return nil, err
	}

	// memory
	mem := &a.Memory
	var hz hmap
	mem.Header = int64(unsafe.Sizeof(hz))
	mem.Buckets = int64(len(cur)) * int64(bsize)
	mem.OverflowBuckets = ovf * int64(bsize)
	mem.OldBuckets = (int64(oldN) + oldOvf) * int64(bsize)
	if indK {
		mem.IndirectKeys = count * int64(kt.Size())
	}
	if indE {
		mem.IndirectElems = count * int64(et.Size())
	}
	mem.StringData = tally.stringData
	mem.ControlBytes = bucketCnt * (int64(len(cur)) + ovf + int64(oldN) + oldOvf)
	mem.finish(count, kt, et)

	// gc: topbits, keys[8], elems[8], overflow (a pointer only when a key
	// or elem slot holds one, as the compiler types it).
	words := newWordSet(bsize)
	for i := uintptr(0); i < bucketCnt; i++ {
		if err := words.markSlot(kt, indK, dataOffset+i*keySlot); err != nil {
			return nil, err
		}
		if err := words.markSlot(et, indE, dataOffset+bucketCnt*keySlot+i*elemSlot); err != nil {
			return nil, err
		}
	}
	if words.any() {
		if err := words.set(bsize - ptrSize); err != nil {
			return nil, err
		}
	}
	if a.GC, err = gcFigures(mt.bucket, bsize, words); err != nil {
		return nil, err
	}
	pb := a.GC.PtrBytes
	scanK, err := indirectScan(count, kt, indK)
	if err != nil {
		return nil, err
	}
	scanE, err := indirectScan(count, et, indE)
	if err != nil {
		return nil, err
	}
	a.GC.ScanBytes = int64(unsafe.Offsetof(hz.extra)+ptrSize) +
		arrayScan(int64(len(cur)), int64(bsize), pb) + ovf*pb +
		arrayScan(int64(len(old)), int64(bsize), pb) + oldOvf*pb +
		scanK + scanE

	// cacheLines: listed = current array in contract order; old-array live
	// slots count for the lookup averages only.
	if a.CacheLines, err = cacheLineFigures(listed, unlisted, uint64(keySlot), uint64(elemSlot)); err != nil {
		return nil, err
	}
	if n := int64(len(*a.CacheLines.Buckets)); n != int64(len(cur))+ovf {
		return nil, fmt.Errorf("analysis: %d buckets listed, %d expected", n, int64(len(cur))+ovf)
	}

	// findings
	if h.flags&hashWriting != 0 {
		a.Findings = append(a.Findings, findingWriteInProgress("flags", int64(h.flags)))
	}
	if h.B >= oversizedMinB && count < int64(nb) {
		ideal := idealBuckets(count)
		reclaim := (int64(nb) - ideal) * int64(bsize)
		a.Findings = append(a.Findings, finding("oversized",
			fmt.Sprintf("%d entries in %d slots (2^B = %d buckets): %d buckets would hold them, %d bytes reclaimable by copying into a new map",
				count, occ.Slots, nb, ideal, reclaim),
			jsonField{"count", count}, jsonField{"slots", occ.Slots},
			jsonField{"idealBuckets", ideal}, jsonField{"reclaimableBytes", reclaim}))
	}
	if tally.nanKeys > 0 {
		a.Findings = append(a.Findings, findingNaNKeys(tally.nanKeys))
	}
	if longChains > 0 {
		a.Findings = append(a.Findings, finding("longChains",
			fmt.Sprintf("%d buckets have %d or more overflow buckets (longest chain %d): lookups there scan many buckets",
				longChains, longChainMin, maxCh),
			jsonField{"chains", longChains}, jsonField{"maxChain", maxCh}))
	}
	if old != nil {
		kind := "doubling"
		if sameSize {
			kind = "same-size"
		}
		a.Findings = append(a.Findings, finding("stalledGrow",
			fmt.Sprintf("a %s grow is in progress (%d of %d old buckets evacuated, nevacuate %d); it advances only when the map is written, so both arrays stay allocated",
				kind, evacuated, oldN, h.nevacuate),
			jsonField{"nevacuate", int64(h.nevacuate)}, jsonField{"oldBuckets", int64(oldN)},
			jsonField{"evacuated", evacuated}, jsonField{"sameSize", sameSize}))
	}
	return a, nil
}
