package main

// The known maps: package-level variables (mapscope reads them as main.NAME)
// whose contents follow from their keys, so a lookup of every key checks them
// without ranging (a range over a classic map sets iterator flags in its
// header, which is a write).

import (
	"fmt"
	"strconv"
	"strings"
)

// Record is a struct value with strings (their bytes are fingerprinted too).
type Record struct {
	ID    int64
	Name  string
	Tags  [2]string
	Score float64
}

var (
	intMap    map[int64]int64
	strMap    map[string]string
	structMap map[int32]Record
	smallMap  map[string]int
	bigMap    map[int64]int64
)

const (
	intN    = 3000
	strN    = 2000
	structN = 1500
)

var bigN int

type knownMap struct {
	name  string
	ref   interface{} // pointer to the variable, for mapHeader
	count func() int
	check func() error
}

var known = []knownMap{
	{"intMap", &intMap, func() int { return len(intMap) }, checkInt},
	{"strMap", &strMap, func() int { return len(strMap) }, checkStr},
	{"structMap", &structMap, func() int { return len(structMap) }, checkStruct},
	{"smallMap", &smallMap, func() int { return len(smallMap) }, checkSmall},
	{"bigMap", &bigMap, func() int { return len(bigMap) }, checkBig},
}

func strKey(i int) string   { return "key-" + strconv.Itoa(i) }
func strValue(i int) string { return "value-" + strconv.Itoa(i) + "-" + strings.Repeat("x", i%40) }

func record(i int32) Record {
	return Record{
		ID:    int64(i) * 1_000_003,
		Name:  "record-" + strconv.Itoa(int(i)),
		Tags:  [2]string{"tag-a-" + strconv.Itoa(int(i)%17), "tag-b-" + strconv.Itoa(int(i)%31)},
		Score: float64(i) / 8,
	}
}

func fill(big int) {
	bigN = big
	intMap = make(map[int64]int64)
	for i := int64(0); i < intN; i++ {
		intMap[i*7919] = i*7 + 1
	}
	strMap = make(map[string]string)
	for i := 0; i < strN; i++ {
		strMap[strKey(i)] = strValue(i)
	}
	// Deletions leave tombstones (swiss) or emptyOne slots (classic): the
	// read must leave those bytes alone as well.
	for i := 0; i < strN; i += 10 {
		delete(strMap, strKey(i))
	}
	structMap = make(map[int32]Record)
	for i := int32(0); i < structN; i++ {
		structMap[i] = record(i)
	}
	smallMap = map[string]int{"a": 1, "bb": 2, "ccc": 3, "dddd": 4, "eeeee": 5}
	bigMap = make(map[int64]int64, big)
	for i := int64(0); i < int64(big); i++ {
		bigMap[i] = ^i
	}
}

func checkInt() error {
	if len(intMap) != intN {
		return fmt.Errorf("len %d, want %d", len(intMap), intN)
	}
	for i := int64(0); i < intN; i++ {
		if v, ok := intMap[i*7919]; !ok || v != i*7+1 {
			return fmt.Errorf("key %d: %d %v", i*7919, v, ok)
		}
	}
	return nil
}

func checkStr() error {
	if want := strN - strN/10; len(strMap) != want {
		return fmt.Errorf("len %d, want %d", len(strMap), want)
	}
	for i := 0; i < strN; i++ {
		v, ok := strMap[strKey(i)]
		if deleted := i%10 == 0; ok == deleted || (ok && v != strValue(i)) {
			return fmt.Errorf("key %q: %q %v", strKey(i), v, ok)
		}
	}
	return nil
}

func checkStruct() error {
	if len(structMap) != structN {
		return fmt.Errorf("len %d, want %d", len(structMap), structN)
	}
	for i := int32(0); i < structN; i++ {
		if v, ok := structMap[i]; !ok || v != record(i) {
			return fmt.Errorf("key %d: %+v %v", i, v, ok)
		}
	}
	return nil
}

func checkSmall() error {
	want := map[string]int{"a": 1, "bb": 2, "ccc": 3, "dddd": 4, "eeeee": 5}
	if len(smallMap) != len(want) {
		return fmt.Errorf("len %d, want %d", len(smallMap), len(want))
	}
	for k, w := range want {
		if v, ok := smallMap[k]; !ok || v != w {
			return fmt.Errorf("key %q: %d %v", k, v, ok)
		}
	}
	return nil
}

func checkBig() error {
	if len(bigMap) != bigN {
		return fmt.Errorf("len %d, want %d", len(bigMap), bigN)
	}
	for i := int64(0); i < int64(bigN); i++ {
		if v, ok := bigMap[i]; !ok || v != ^i {
			return fmt.Errorf("key %d: %d %v", i, v, ok)
		}
	}
	return nil
}
