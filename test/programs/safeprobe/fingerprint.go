package main

// A fingerprint is a copy of every byte a map reaches: its header, its bucket
// arrays and overflow buckets (classic) or directory, tables and group arrays
// (swiss), and the bytes of every string in a live key or value. The walks of
// the runtime structures are in walk_classic.go and walk_swiss.go.

import (
	"bytes"
	"fmt"
	"reflect"
	"unsafe"
)

type region struct {
	name string
	addr uintptr
	data []byte
}

type snapshot []region

// walker collects regions; the implementation-specific walk calls span for
// runtime structures and slot for every live key/value pair.
type walker struct {
	regions       snapshot
	keyStr, elStr []uintptr // offsets of strings inside a key / a value
	mapName       string
}

func (w *walker) span(what string, p unsafe.Pointer, n uintptr) {
	if p == nil || n == 0 {
		return
	}
	data := make([]byte, n)
	copy(data, unsafe.Slice((*byte)(p), n))
	w.regions = append(w.regions, region{name: w.mapName + " " + what, addr: uintptr(p), data: data})
}

func (w *walker) slot(key, elem unsafe.Pointer) {
	for _, off := range w.keyStr {
		w.stringData("key string", unsafe.Add(key, off))
	}
	for _, off := range w.elStr {
		w.stringData("value string", unsafe.Add(elem, off))
	}
}

// stringHeader mirrors a string's representation.
type stringHeader struct {
	data unsafe.Pointer
	len  int
}

func (w *walker) stringData(what string, p unsafe.Pointer) {
	s := (*stringHeader)(p)
	w.span(what, s.data, uintptr(s.len))
}

// stringOffsets lists where strings sit inside a value of type t.
func stringOffsets(t reflect.Type, base uintptr, out []uintptr) []uintptr {
	switch t.Kind() {
	case reflect.String:
		out = append(out, base)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			out = stringOffsets(f.Type, base+f.Offset, out)
		}
	case reflect.Array:
		for i := 0; i < t.Len(); i++ {
			out = stringOffsets(t.Elem(), base+uintptr(i)*t.Elem().Size(), out)
		}
	}
	return out
}

func fingerprint(k knownMap) (snapshot, error) {
	t, hdr := mapHeader(k.ref)
	w := &walker{mapName: "main." + k.name}
	w.keyStr = stringOffsets(t.Key(), 0, nil)
	w.elStr = stringOffsets(t.Elem(), 0, nil)
	if err := walkMap(t, hdr, w); err != nil {
		return nil, fmt.Errorf("main.%s: %v", k.name, err)
	}
	return w.regions, nil
}

func fingerprintAll() (snapshot, error) {
	var all snapshot
	for _, k := range known {
		s, err := fingerprint(k)
		if err != nil {
			return nil, err
		}
		all = append(all, s...)
	}
	return all, nil
}

func (s snapshot) size() (regions, total int) {
	for _, r := range s {
		total += len(r.data)
	}
	return len(s), total
}

type diffJSON struct {
	Region string `json:"region"`
	Addr   string `json:"addr"`
	What   string `json:"what"`
}

const maxDiffs = 20

// compare lists how now differs from base, region by region.
func compare(base, now snapshot) []diffJSON {
	var diffs []diffJSON
	add := func(r region, what string) {
		if len(diffs) < maxDiffs {
			diffs = append(diffs, diffJSON{Region: r.name, Addr: fmt.Sprintf("%#x", r.addr), What: what})
		}
	}
	if len(base) != len(now) {
		add(region{name: "(all maps)"}, fmt.Sprintf("%d regions, were %d", len(now), len(base)))
	}
	for i := 0; i < len(base) && i < len(now); i++ {
		b, n := base[i], now[i]
		switch {
		case b.name != n.name || b.addr != n.addr || len(b.data) != len(n.data):
			add(b, fmt.Sprintf("now %s at %#x, %d bytes (were %d)", n.name, n.addr, len(n.data), len(b.data)))
		case !bytes.Equal(b.data, n.data):
			first, count := -1, 0
			for j := range b.data {
				if b.data[j] != n.data[j] {
					count++
					if first < 0 {
						first = j
					}
				}
			}
			add(b, fmt.Sprintf("%d bytes differ, the first at offset %d (%#02x, was %#02x)", count, first, n.data[first], b.data[first]))
		}
	}
	return diffs
}
