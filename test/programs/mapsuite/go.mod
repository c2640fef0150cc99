module mapsuite

go 1.19
