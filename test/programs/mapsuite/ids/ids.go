// Package ids holds types of a package other than main, as services import them from modules
// (uuid.UUID): a type descriptor names them by package name (`ids.ID`), DWARF by package path
// (`mapsuite/ids.ID`), and a reader of interfaces must go from one to the other.
package ids

// ID is shaped like uuid.UUID.
type ID [16]byte

// Label is a named string type: Go's DWARF describes it as a struct of its own name with a
// string's fields, not as a string.
type Label string
