package main

type verdictJSON struct {
	Unchanged bool       `json:"unchanged"`
	Regions   int        `json:"regions"`
	Bytes     int        `json:"bytes"`
	Diffs     []diffJSON `json:"diffs"`
	Contents  []string   `json:"contents"` // lookups that found a wrong entry
	Counters  []int64    `json:"counters"`
}

// verify re-reads every known map: its memory byte for byte against base,
// then its contents by lookups (which only read).
func verify(base snapshot, c *writerCounters) verdictJSON {
	v := verdictJSON{Diffs: []diffJSON{}, Contents: []string{}}
	v.Regions, v.Bytes = base.size()
	now, err := fingerprintAll()
	if err != nil {
		v.Diffs = append(v.Diffs, diffJSON{Region: "(walk)", What: err.Error()})
	} else {
		v.Diffs = append(v.Diffs, compare(base, now)...)
	}
	for _, k := range known {
		if err := k.check(); err != nil {
			v.Contents = append(v.Contents, "main."+k.name+": "+err.Error())
		}
	}
	v.Unchanged = len(v.Diffs) == 0 && len(v.Contents) == 0
	v.Counters = c.snapshot()
	return v
}
