//go:build go1.27 && goexperiment.mapsplitgroup

package main

// Go 1.27 with GOEXPERIMENT=mapsplitgroup: the group is
// {ctrl uint64; keys [8]K; elems [8]V}.
const groupLayout = "split"

// int64GroupGeometry is the group of map[int64]int64: 8 keys from offset 8,
// 8 elems from 8 + 8×8.
var int64GroupGeometry = groupGeometry{keysOff: 8, keyStride: 8, elemsOff: 72, elemStride: 8}
