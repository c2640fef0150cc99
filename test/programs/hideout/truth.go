package main

// Ground truth: every package-level map variable (for list), every distinct map a bounded walk
// must find with the paths it may be reported under (for top), and the map deep in the ring
// that no default walk reaches.

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"unsafe"

	"hideout/store"
)

type globalTruth struct {
	Expr    string  `json:"expr"`
	Type    string  `json:"type"`
	Address *string `json:"address"` // null for a nil map
	Count   int     `json:"count"`
}

type mapTruth struct {
	// Paths are the shortest paths (fewest pointer, slice, interface and map hops); a map with
	// two of the same length may be reported under either. Longer paths to it are in Others.
	Paths   []string `json:"paths"`
	Others  []string `json:"others,omitempty"`
	Type    string   `json:"type"`
	Address string   `json:"address"`
	Count   int      `json:"count"`
}

type truthFile struct {
	GoVersion string        `json:"goVersion"`
	Goarch    string        `json:"goarch"`
	PtrSize   int           `json:"ptrSize"`
	Impl      string        `json:"impl"`
	Pid       int           `json:"pid"`
	Globals   []globalTruth `json:"globals"`
	Maps      []mapTruth    `json:"maps"`
	Beyond    []mapTruth    `json:"beyond"`
	RingSize  int           `json:"ringSize"`
	Leaves    int           `json:"leaves"`
}

// header is the map header pointer of a map value (nil for a nil map).
func header(m interface{}) uintptr {
	return reflect.ValueOf(m).Pointer()
}

func hexAddr(p uintptr) string { return fmt.Sprintf("0x%x", p) }

func global(expr string, m interface{}) globalTruth {
	v := reflect.ValueOf(m)
	g := globalTruth{Expr: expr, Type: v.Type().String(), Count: v.Len()}
	if !v.IsNil() {
		a := hexAddr(header(m))
		g.Address = &a
	}
	return g
}

func found(paths []string, others []string, m interface{}) mapTruth {
	v := reflect.ValueOf(m)
	if v.IsNil() {
		fatalf("%v: nil map in the truth of found maps", paths)
	}
	return mapTruth{Paths: paths, Others: others, Type: v.Type().String(), Address: hexAddr(header(m)), Count: v.Len()}
}

func one(p string) []string { return []string{p} }

func buildTruth(deep map[string]string) *truthFile {
	tf := &truthFile{
		GoVersion: runtime.Version(),
		Goarch:    runtime.GOARCH,
		PtrSize:   int(unsafe.Sizeof(uintptr(0))),
		Impl:      implName,
		Pid:       os.Getpid(),
		RingSize:  ringSize,
		Leaves:    nLeaves,
	}
	tf.Globals = []globalTruth{
		global("main.routes", routes),
		global("main.routesAlias", routesAlias),
		global("main.named", named),
		global("main.emptyMade", emptyMade),
		global("main.nilMap", nilMap),
		global("main.big", big),
		global("main.matrix", matrix),
		global("main.byTenant", byTenant),
		global("main.byPoint", byPoint),
	}
	add := func(paths, others []string, m interface{}) { tf.Maps = append(tf.Maps, found(paths, others, m)) }
	add([]string{"main.routes", "main.routesAlias"}, nil, routes)
	add(one("main.named"), nil, named)
	add(one("main.emptyMade"), nil, emptyMade)
	add(one("main.big"), nil, big)
	add(one("main.matrix"), nil, matrix)
	add(one(`main.matrix["a"]`), nil, matrix["a"])
	add(one(`main.matrix["b"]`), nil, matrix["b"])
	add(one("main.byTenant"), nil, byTenant)
	add(one("main.byPoint"), nil, byPoint)
	pointMap := byPoint[Point{X: 1, Y: 2}].attrs
	add(one(fmt.Sprintf("0x%x:map[string]string", header(pointMap))), nil, pointMap)
	add(one(`main.byTenant["acme"].Sessions`), nil, byTenant["acme"].Sessions)
	for id, s := range byTenant["acme"].Sessions {
		add(one(fmt.Sprintf(`main.byTenant["acme"].Sessions[%d].Tags`, id)), nil, s.Tags)
	}
	// globex is also in anyBox, one hop closer.
	globex := byTenant["globex"]
	add(one("main.anyBox.(*main.Tenant).Sessions"), one(`main.byTenant["globex"].Sessions`), globex.Sessions)
	for id, s := range globex.Sessions {
		add(one(fmt.Sprintf("main.anyBox.(*main.Tenant).Sessions[%d].Tags", id)), one(fmt.Sprintf(`main.byTenant["globex"].Sessions[%d].Tags`, id)), s.Tags)
	}
	add(one("main.srv.cache.ByKey"), one("main.srv.shadow.ByKey"), srv.cache.ByKey)
	add(one("main.srv.handlers"), nil, srv.handlers)
	add(one("main.srv.stale"), nil, srv.stale)
	add(one(`main.srv.handlers["count"].(*main.counter).counts`), nil, srv.handlers["count"].(*counter).counts)
	add(one(`main.srv.handlers["value"].(main.valueHandler).m`), nil, srv.handlers["value"].(valueHandler).m)
	for i, s := range shards {
		var others []string
		if i == 4 {
			others = one("main.shards[3].next.byID")
		}
		add(one(fmt.Sprintf("main.shards[%d].byID", i)), others, s.byID)
	}
	add(one("main.grid[0]"), nil, grid[0])
	add(one("main.grid[2]"), nil, grid[2])
	add(one("main.nested.inner.deep.m"), nil, nested.inner.deep.m)
	add(one("main.anyMap.(map[string]int)"), nil, anyMap.(map[string]int))
	add(one("main.box.v.(map[string]int)"), nil, box.v.(map[string]int))
	add(one("main.anyVal.(main.Cache).ByKey"), nil, anyVal.(Cache).ByKey)
	add(one("main.handler.(main.valueHandler).m"), nil, handler.(valueHandler).m)
	add(one("main.plugin.(*store.Store).items"), nil, plugin.(*store.Store).Items())
	add(one("main.ring.next.next.payload.attrs"), nil, ring.next.next.payload.attrs)
	add(one(fmt.Sprintf("main.hub.leaves[%d].m", mapLeaf)), nil, hub.leaves[mapLeaf].m)
	// Its path is main.ring followed by ringDeep times .next, then .payload.attrs: spelled
	// here in short, since no default walk gets there.
	tf.Beyond = []mapTruth{found(one(fmt.Sprintf("main.ring(.next*%d).payload.attrs", ringDeep)), nil, deep)}
	return tf
}

func writeTruth(path string, tf *truthFile) error {
	data, err := json.MarshalIndent(tf, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
