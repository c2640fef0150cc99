module bigmaps

go 1.19
