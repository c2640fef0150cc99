module safeprobe

go 1.19
