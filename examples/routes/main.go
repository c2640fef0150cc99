// The bundled example: a small service-like program whose maps mapscope inspects after
// set-up. It fills a few maps, prints its pid, and waits.
package main

import (
	"fmt"
	"os"
	"time"
)

type Route struct {
	Method  string
	Path    string
	Handler string
	Hits    int64
}

type Config struct {
	byName map[string]int
}

var (
	routes  = map[string]*Route{}
	hits    = map[int64]int64{}
	cfg     = Config{byName: map[string]int{"timeout": 30, "retries": 3}}
	deleted = map[string]int{}
)

func main() {
	for i := 0; i < 40; i++ {
		p := fmt.Sprintf("/api/v1/item/%d", i)
		routes[p] = &Route{Method: "GET", Path: p, Handler: "item", Hits: int64(i * 7)}
	}
	for i := int64(0); i < 5000; i++ {
		hits[i] = i * i
	}
	for i := 0; i < 100; i++ {
		deleted[fmt.Sprint(i)] = i
	}
	for i := 0; i < 100; i += 3 {
		delete(deleted, fmt.Sprint(i))
	}
	fmt.Printf("READY %d\n", os.Getpid())
	for {
		time.Sleep(time.Hour)
	}
}
