package main

// The maps the holders keep: distinct sizes, so that a count names its holder.

import "fmt"

func fillIntString(n int, tag string) map[int]string {
	m := make(map[int]string)
	for i := 0; i < n; i++ {
		m[i*7+1] = fmt.Sprintf("%s-%d", tag, i)
	}
	return m
}

func fillStringInt(n int, tag string) map[string]int {
	m := make(map[string]int)
	for i := 0; i < n; i++ {
		m[fmt.Sprintf("%s-%d", tag, i)] = i * 3
	}
	return m
}
