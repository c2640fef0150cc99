/**
 * Bounds on one rendered or walked value. Types come from DWARF, but which type a value has can
 * come from target memory: an interface's type word leads to a descriptor whose name is looked
 * up, and `[N]T` names are built on demand. A damaged word could so name a 100 GB array, or a
 * struct whose interface fields point back at the struct: reads and work stay bounded by these.
 */

/** Larger values are not read (the contract renders values, not bulk data; strings stop at 1 MiB). */
export const MAX_VALUE_BYTES = 1 << 24;

/**
 * Nodes (scalars, fields, elements, interface payloads) visited for one key or one elem. Beyond
 * this a value is bulk data; a DAG of interfaces sharing subvalues would otherwise render
 * exponentially many nodes (2^20 took about a second per value).
 */
export const MAX_VALUE_NODES = 1 << 16;
