//go:build go1.24 && (go1.26 || goexperiment.swissmap) && !goexperiment.mapsplitgroup

package main

// Every swiss build before Go 1.27, and 1.27 by default: the group is
// {ctrl uint64; slots [8]struct{key K; elem V}}.
const groupLayout = "interleaved"

// int64GroupGeometry is the group of map[int64]int64: 16-byte slots.
var int64GroupGeometry = groupGeometry{keysOff: 8, keyStride: 16, elemsOff: 16, elemStride: 16}
