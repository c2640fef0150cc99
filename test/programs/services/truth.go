package main

// Ground truth, read by the program itself: every map an inspect is checked on, with its
// entries from range rendered as the contract renders them (maps inside the modules reached
// through reflect and unsafe); every package-level map variable (for list); every map a walk
// from the globals must find (for top); and the parked goroutines' local maps.

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"runtime"
	"unsafe"
)

type entry struct {
	Key   json.RawMessage `json:"key"`
	Value json.RawMessage `json:"value"`
}

type mapTruth struct {
	Expr      string  `json:"expr"`
	Type      string  `json:"type"`
	KeyType   string  `json:"keyType"`
	ValueType string  `json:"valueType"`
	Address   *string `json:"address"` // null for a nil map
	Count     int     `json:"count"`
	Entries   []entry `json:"entries"`
}

type globalTruth struct {
	Expr    string  `json:"expr"`
	Type    string  `json:"type"`
	Address *string `json:"address"`
	Count   int     `json:"count"`
}

// foundTruth is a map that a walk from the package-level variables must find.
type foundTruth struct {
	// What leads to it, for messages (top may report any of its shortest paths).
	Via     string `json:"via"`
	Type    string `json:"type"`
	Address string `json:"address"`
	Count   int    `json:"count"`
}

type truthFile struct {
	GoVersion  string           `json:"goVersion"`
	Goarch     string           `json:"goarch"`
	PtrSize    int              `json:"ptrSize"`
	Impl       string           `json:"impl"`
	Pid        int              `json:"pid"`
	Sizes      sizes            `json:"sizes"`
	Maps       []mapTruth       `json:"maps"`
	Globals    []globalTruth    `json:"globals"`
	Found      []foundTruth     `json:"found"`
	Goroutines []goroutineTruth `json:"goroutines"`
}

// mapValue is m as a reflect.Value whose entries can be read.
func mapValue(m interface{}) reflect.Value {
	if v, ok := m.(reflect.Value); ok {
		return v
	}
	return reflect.ValueOf(m)
}

func addressOf(v reflect.Value) *string {
	if v.IsNil() {
		return nil
	}
	a := hexAddr(v.Pointer())
	return &a
}

func inspected(expr string, m interface{}) mapTruth {
	v := mapValue(m)
	t := v.Type()
	return mapTruth{
		Expr:      expr,
		Type:      dwarfName(t),
		KeyType:   dwarfName(t.Key()),
		ValueType: dwarfName(t.Elem()),
		Address:   addressOf(v),
		Count:     v.Len(),
		Entries:   rangeEntries(v),
	}
}

func global(expr string, m interface{}) globalTruth {
	v := mapValue(m)
	return globalTruth{Expr: expr, Type: dwarfName(v.Type()), Address: addressOf(v), Count: v.Len()}
}

// lruItems is the map inside the LRU: Cache.lru (*simplelru.LRU) .items.
func lruItems() reflect.Value {
	inner := accessible(reflect.ValueOf(sessionLRU).Elem().FieldByName("lru"))
	return accessible(inner.Elem().FieldByName("items"))
}

// cacheItems is the map inside go-cache: Cache embeds *cache, whose items it is.
func cacheItems() reflect.Value {
	inner := accessible(reflect.ValueOf(objects).Elem().FieldByName("cache"))
	return accessible(inner.Elem().FieldByName("items"))
}

func buildTruth(sz sizes, parked []goroutineTruth) *truthFile {
	tf := &truthFile{
		GoVersion:  runtime.Version(),
		Goarch:     runtime.GOARCH,
		PtrSize:    int(unsafe.Sizeof(uintptr(0))),
		Impl:       implName,
		Pid:        os.Getpid(),
		Sizes:      sz,
		Goroutines: parked,
	}
	svc.mu.Lock()
	defer svc.mu.Unlock()
	firstClient := svc.clients["client-000"]
	if firstClient == nil {
		fatalf("client-000 has no state")
	}
	tf.Maps = []mapTruth{
		inspected("main.objects.cache.items", cacheItems()),
		inspected("main.sessionLRU.lru.items", lruItems()),
		inspected("main.sessions", sessions),
		inspected("main.admin.Attrs", admin.Attrs),
		inspected("main.svc.clients", svc.clients),
		inspected(`main.svc.clients["client-000"].Paths`, firstClient.Paths),
		inspected("main.routes", routes),
		inspected("main.drained", drained),
		inspected("main.tags.m", tags.m),
		inspected("main.ports.m", ports.m),
		inspected("main.seenIDs.m", seenIDs.m),
		inspected("main.byEmail.m", byEmail.m),
		inspected("main.hitsByID.m", hitsByID.m),
		inspected("main.requests", requests),
		inspected("main.lastReq.Headers", lastReq.Headers),
		inspected("main.catalog", catalog),
	}
	tf.Globals = []globalTruth{
		global("main.sessions", sessions),
		global("main.requests", requests),
		global("main.catalog", catalog),
		global("main.routes", routes),
		global("main.drained", drained),
	}
	seen := map[uintptr]bool{}
	add := func(via string, m interface{}) {
		v := mapValue(m)
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		tf.Found = append(tf.Found, foundTruth{Via: via, Type: dwarfName(v.Type()), Address: hexAddr(v.Pointer()), Count: v.Len()})
	}
	add("main.objects.cache.items", cacheItems())
	add("main.sessionLRU.lru.items", lruItems())
	add("main.sessions", sessions)
	for _, s := range sessions {
		add("main.sessions[…].Attrs", s.Attrs)
	}
	add("main.svc.clients", svc.clients)
	for _, st := range svc.clients {
		add("main.svc.clients[…].Paths", st.Paths)
	}
	add("main.routes", routes)
	add("main.tags.m", tags.m)
	add("main.ports.m", ports.m)
	add("main.seenIDs.m", seenIDs.m)
	add("main.byEmail.m", byEmail.m)
	add("main.hitsByID.m", hitsByID.m)
	add("main.requests", requests)
	for _, r := range requests {
		add("main.requests[…].Headers", r.Headers)
	}
	add("main.catalog", catalog)
	return tf
}

func writeTruth(path string, tf *truthFile) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := json.NewEncoder(w).Encode(tf); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
