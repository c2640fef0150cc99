package main

// Writer goroutines churn maps of their own (inserts, deletes, growth,
// allocation and so GC) while mapscope reads the known maps: a read must not
// disturb those, and their counters show that the process runs.

import (
	"strconv"
	"sync/atomic"
	"time"
)

type writerCounters struct{ n []int64 }

func (c *writerCounters) snapshot() []int64 {
	out := make([]int64, len(c.n))
	for i := range c.n {
		out[i] = atomic.LoadInt64(&c.n[i])
	}
	return out
}

// Kept reachable from package level so that mapscope could read them too.
var churn []map[int]string

func startWriters(n int) *writerCounters {
	c := &writerCounters{n: make([]int64, n)}
	churn = make([]map[int]string, n)
	for i := 0; i < n; i++ {
		churn[i] = make(map[int]string)
		go write(churn[i], &c.n[i])
	}
	return c
}

func write(m map[int]string, counter *int64) {
	for round := 0; ; round++ {
		// A batch of writes, then a short rest: busy enough to be writing
		// whenever the process is stopped, without taking the test machine's CPUs.
		for j := 0; j < batch; j++ {
			k := (round*batch + j) % 50000
			if j%3 == 0 {
				delete(m, k)
			} else {
				m[k] = strconv.Itoa(k)
			}
		}
		atomic.AddInt64(counter, 1)
		time.Sleep(2 * time.Millisecond)
	}
}

const batch = 500
