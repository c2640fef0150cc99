module hideout

go 1.19
