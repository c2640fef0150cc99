package main

// Ground-truth construction and output. The implementation-specific parts
// (maptype description, header/bucket/group reading) live in
// internals_classic*.go and internals_swiss*.go.

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"unsafe"
)

type truthFile struct {
	GoVersion string `json:"goVersion"`
	Goarch    string `json:"goarch"`
	PtrSize   int    `json:"ptrSize"`
	BigEndian bool   `json:"bigEndian"`
	Impl      string `json:"impl"`
	// classic only: whether hmap has the clearSeq field (Go 1.24 noswissmap)
	ClearSeqField *bool `json:"clearSeqField,omitempty"`
	// swiss only: whether Map has the tombstonePossible field (Go 1.25+)
	TombstonePossibleField *bool      `json:"tombstonePossibleField,omitempty"`
	Pid                    int        `json:"pid"`
	Maps                   []mapTruth `json:"maps"`
}

type entry struct {
	Key   json.RawMessage `json:"key"`
	Value json.RawMessage `json:"value"`
}

type mapTruth struct {
	Expr      string          `json:"expr"`
	Aliases   []string        `json:"aliases,omitempty"`
	Type      string          `json:"type"`
	KeyType   string          `json:"keyType"`
	ValueType string          `json:"valueType"`
	Nil       bool            `json:"nil"`
	Address   *string         `json:"address"`
	Count     int             `json:"count"`
	Entries   []entry         `json:"entries"`
	Maptype   interface{}     `json:"maptype"`
	Classic   json.RawMessage `json:"classic,omitempty"`
	Swiss     json.RawMessage `json:"swiss,omitempty"`
	Shape     []string        `json:"shape"`
	Analysis  json.RawMessage `json:"analysis"` // null for a nil map

	facts rangeFacts // what pass 1 saw through range, checked in pass 2
}

// rtypeOf returns the *abi.Type (runtime _type) behind a reflect.Type
// obtained from reflect.TypeOf: the data word of the interface.
func rtypeOf(t reflect.Type) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&t))[1]
}

// mapHeader returns the type and header pointer of the map variable that
// ref points to (nil header for a nil map). Read-only.
func mapHeader(ref interface{}) (reflect.Type, unsafe.Pointer) {
	v := reflect.ValueOf(ref).Elem()
	return v.Type(), *(*unsafe.Pointer)(unsafe.Pointer(v.UnsafeAddr()))
}

func isBigEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 0
}

func buildTruth() *truthFile {
	tf := &truthFile{
		GoVersion: runtime.Version(),
		Goarch:    runtime.GOARCH,
		PtrSize:   int(unsafe.Sizeof(uintptr(0))),
		BigEndian: isBigEndian(),
		Impl:      implName,
		Pid:       os.Getpid(),
	}
	setFileFields(tf)

	// Pass 1: entries. Ranging sets the iterator flags of classic maps, so
	// this must happen before any internals are captured.
	tf.Maps = make([]mapTruth, len(catalogue))
	for i, d := range catalogue {
		v := reflect.ValueOf(d.ref).Elem()
		t := v.Type()
		mt := &tf.Maps[i]
		mt.Expr, mt.Aliases, mt.Type = d.expr, d.aliases, t.String()
		mt.KeyType, mt.ValueType = t.Key().String(), t.Elem().String()
		mt.Entries = []entry{}
		mt.Nil = v.IsNil()
		if mt.Nil {
			continue
		}
		it := v.MapRange()
		for n := 0; it.Next(); n++ {
			if n > 1<<24 {
				fatalf("%s: runaway iteration", d.expr)
			}
			mt.Entries = append(mt.Entries, entry{Key: renderReflect(it.Key()), Value: renderReflect(it.Value())})
			mt.facts.add(it.Key(), it.Value())
		}
	}

	markMidWrite()

	// Pass 2: internals, read-only.
	var problems []string
	for i, d := range catalogue {
		mt := &tf.Maps[i]
		t, hdr := mapHeader(d.ref)
		mt.Maptype = describeMaptype(t)
		var detected []string
		var info interface{}
		if hdr != nil {
			a := hexAddr(uintptr(hdr))
			mt.Address = &a
			var err error
			info, mt.Count, detected, err = readInternals(t, hdr)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: inconsistent internals: %v", d.expr, err))
			} else if a, err := analyzeMap(t, hdr, mt.facts); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", d.expr, err))
			} else if mt.Analysis, err = json.Marshal(a); err != nil {
				fatalf("%s: %v", d.expr, err)
			}
			if mt.Count == 0 {
				detected = append(detected, "empty")
			}
		} else {
			detected = append(detected, "nil")
		}
		raw, err := json.Marshal(info)
		if err != nil {
			fatalf("%s: %v", d.expr, err)
		}
		if isClassic {
			mt.Classic = raw
		} else {
			mt.Swiss = raw
		}
		mt.Shape = mergeShapes(d.tags, detected)

		if len(mt.Entries) != mt.Count {
			problems = append(problems, fmt.Sprintf("%s: %d entries but count %d", d.expr, len(mt.Entries), mt.Count))
		}
		promised := d.swiss
		if isClassic {
			promised = d.classic
		}
		for _, p := range promised {
			if !contains(detected, p) {
				problems = append(problems, fmt.Sprintf("%s: promised shape %q not produced (detected %v)", d.expr, p, detected))
			}
		}
	}

	// Suite-wide promises.
	want := "tombstones"
	if isClassic {
		want = "emptyOne"
	}
	found := false
	for _, mt := range tf.Maps {
		found = found || contains(mt.Shape, want)
	}
	if !found {
		problems = append(problems, fmt.Sprintf("no map shows shape %q", want))
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "mapsuite:", p)
		}
		os.Exit(exitShape)
	}
	return tf
}

// mergeShapes returns the static tags followed by the sorted detected ones,
// without duplicates.
func mergeShapes(static, detected []string) []string {
	out := []string{}
	for _, s := range static {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	d := append([]string(nil), detected...)
	sort.Strings(d)
	for _, s := range d {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeTruth writes the truth atomically (FILE.tmp, then rename).
func writeTruth(path string, tf *truthFile) error {
	data, err := json.Marshal(tf)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
