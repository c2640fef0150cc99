// Big maps for mapscope's benchmarks: a million int64 entries and two hundred thousand
// string entries, then it waits to be inspected.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

var (
	ints    map[int64]int64
	strs    map[string]string
	n       = flag.Int("n", 1_000_000, "entries in main.ints")
	nstr    = flag.Int("s", 200_000, "entries in main.strs")
)

func main() {
	flag.Parse()
	ints = make(map[int64]int64)
	for i := int64(0); i < int64(*n); i++ {
		ints[i*7919] = i
	}
	strs = make(map[string]string)
	for i := 0; i < *nstr; i++ {
		k := "key/" + strconv.Itoa(i)
		strs[k] = fmt.Sprintf("value-%08d", i)
	}
	fmt.Printf("READY %d\n", os.Getpid())
	for {
		time.Sleep(time.Hour)
	}
}
