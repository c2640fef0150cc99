/**
 * Bounds shared by the decoders: sizes read from a map header or table are trusted only this far.
 *
 * One bucket array, or all group arrays of one map together, is read into memory at once; past
 * 2 GiB that is a corrupt header, not a map mapscope could hold anyway (Node caps one typed array
 * at 4 GiB, and gdb sends memory as hex, twice the bytes). A damaged B or lengthMask asked for
 * 4.8 GB in the fuzz tests before this was lowered from 16 GiB.
 */
export const MAX_ARRAY_BYTES = 2 ** 31;
