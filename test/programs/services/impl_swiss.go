//go:build go1.24 && (go1.26 || goexperiment.swissmap)

package main

// Which map implementation this build uses, by the same build tags as mapsuite and hideout.
const implName = "swiss"
