// Package store is a package other than main: the runtime names its types by package name
// (`*store.Store`), DWARF by package path (`*hideout/store.Store`), and an interface holding one
// must still be followed.
package store

type Store struct {
	name  string
	items map[string]int
}

func New(name string, n int) *Store {
	s := &Store{name: name, items: make(map[string]int, n)}
	for i := 0; i < n; i++ {
		s.items[name+string(rune('a'+i))] = i
	}
	return s
}

// Items is for the ground truth: the map the walk must find inside the interface.
func (s *Store) Items() map[string]int { return s.items }
