module gorolocals

go 1.19
