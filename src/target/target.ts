/**
 * What the decoders may ask of a target: bytes at addresses, the target's word size and byte
 * order, and Go types by name. A live process and a core dump look the same from here; so does
 * the synthetic memory unit tests build.
 */
import type { GoMapType, GoType } from '../layout/gotype.js';
import type { RuntimeGap } from './runtime-gaps.js';

export interface MemRange {
  readonly address: bigint;
  readonly length: number;
}

/** One range of a batched read: its bytes, or why they could not be read. */
export type ReadResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  /** `unread`: never asked of the target (its pause budget or the command's time was spent), not found unreadable. */
  | { readonly ok: false; readonly error: string; readonly unread?: true };

export interface TargetInfo {
  readonly kind: 'live' | 'core' | 'exe';
  readonly pid: number | null;
  readonly exe: string;
  readonly goVersion: string;
  /** GOARCH spelling: amd64, arm64, 386, s390x, ... */
  readonly arch: string;
  readonly pointerSize: 4 | 8;
  readonly littleEndian: boolean;
  /** How long a live process was kept stopped so far, in ms; absent for a core or a binary. */
  readonly stoppedMs?: number;
  /** Why some memory asked for was not read (the output is partial); absent while all was. */
  readonly partial?: string;
  /**
   * About the target as a whole, each once: a Go newer than mapscope is tested with, a runtime
   * struct without a field mapscope reads (runtime-gaps.ts). Absent or empty when there are none.
   */
  readonly warnings?: readonly string[];
}

export interface Memory {
  readonly pointerSize: 4 | 8;
  readonly littleEndian: boolean;
  /** Reads every range; one failing range does not fail the others. */
  readMany(ranges: readonly MemRange[]): Promise<ReadResult[]>;
  /**
   * Bytes that never change (the binary's read-only segments: type descriptors, their names),
   * read at once from the binary's file where it can; undefined otherwise (then readMany).
   */
  readStatic?(address: bigint, length: number): Uint8Array | undefined;
  /** Where readStatic may answer, as doubles [from, to): any other address is turned away unasked. */
  readonly staticSpan?: readonly [number, number];
  /**
   * Reads each range straight into its place in a caller's buffer (a process copy: no buffer per
   * range, no second copy); true where read whole. Undefined where this memory cannot (the caller
   * reads through readMany).
   */
  readInto?(ranges: readonly MemRange[], into: readonly BytePlace[]): Promise<boolean[]> | undefined;
}

/** Where a range's bytes go: a buffer, from this offset. */
export interface BytePlace {
  readonly bytes: Uint8Array;
  readonly offset: number;
}

export interface TypeSource {
  /**
   * Go types by their Go spelling; undefined where the binary has no such type. Throws
   * TypeLookupRefused when the names cannot be asked now (a live target's pause budget is spent).
   */
  typesByName(names: readonly string[]): Promise<(GoType | undefined)[]>;
}

/**
 * Type names were not looked up: asking would keep a live target stopped past its budget. Not an
 * answer that a type is missing: the names are asked again once the target runs.
 */
export class TypeLookupRefused extends Error {
  override readonly name = 'TypeLookupRefused';
}

/**
 * Looks up, in one request, every name `known` has no answer for, and records the answers (null:
 * the binary has no such type). False, with the names left unanswered, when the lookup was
 * refused: the caller stops where it would stop for memory it may not read.
 */
export async function lookUpTypes(source: TypeSource, known: Map<string, GoType | null>, names: Iterable<string>): Promise<boolean> {
  const wanted = [...new Set(names)].filter((n) => !known.has(n));
  if (wanted.length === 0) return true;
  try {
    const got = await source.typesByName(wanted);
    wanted.forEach((n, i) => known.set(n, got[i] ?? null));
    return true;
  } catch (e) {
    if (e instanceof TypeLookupRefused) return false;
    throw e;
  }
}

/** A package-level variable: where it lives and its Go type. */
export interface PackageVariable {
  /** Package path and identifier: `main.cfg`, `net/http.DefaultServeMux`. */
  readonly name: string;
  readonly address: bigint;
  readonly type: GoType;
}

/** A variable that is there but could not be described (a type mapscope does not model). */
export interface VariableProblem {
  readonly name: string;
  readonly error: string;
}

/** The binary's package-level variables, for finding maps without being told where they are. */
export interface Variables {
  /**
   * Every package-level variable (constants left out) whose name and gdb type spelling pass
   * `wanted`; `pointerShaped` tells, where the binary's DWARF was read, whether the type is a
   * pointer under its names (a Go map always is).
   */
  packageVariables(
    wanted: (name: string, typeName: string, pointerShaped?: boolean) => boolean,
  ): Promise<{ variables: PackageVariable[]; problems: VariableProblem[] }>;
  /** One package-level variable by its full name, or undefined if there is none in memory. */
  variable(name: string): Promise<PackageVariable | undefined>;
  /**
   * The DWARF name of a type the runtime names by package name only (`store.Item` →
   * `example.com/app/store.Item`); undefined if the binary has none, or several.
   */
  qualifiedTypeName(shortName: string): Promise<string | undefined>;
  /**
   * The address of a package-level symbol (`runtime.firstmoduledata`) read from the binary's
   * own symbol table, where that can be done without the debugger; undefined otherwise (then
   * ask Target.symbolAddress).
   */
  symbolAddress?(name: string): Promise<bigint | undefined>;
}

export interface Target extends Memory, TypeSource {
  readonly info: TargetInfo;
  /** Package-level variables by name; absent where there is no symbol table (synthetic memory in unit tests). */
  readonly variables?: Variables;
  /** Address of a package-level symbol (e.g. `runtime.firstmoduledata`), if it exists. */
  symbolAddress(name: string): Promise<bigint | undefined>;
  /** Evaluates a Go expression naming a map (or `0xADDR:map[K]V`) to its header pointer and type. */
  evalMap(expr: string): Promise<{ header: bigint; type: GoMapType }>;
  /**
   * The map type an expression has, from the binary alone (before a live target is stopped),
   * found the quickest way there is; evalMap's type otherwise.
   */
  mapType?(expr: string): Promise<GoMapType>;
  /**
   * Why some memory asked for was not read (a live target's pause budget or the command's time
   * ran out, and it was let go), or undefined while all was: what is shown is then partial.
   */
  readonly partial?: string;
  /** How long a live target has been kept stopped so far, in ms; undefined for a core. */
  readonly stoppedMs?: number;
  /**
   * Why reading must end now (the pause budget or the command's time is spent), or undefined:
   * walks ask it between rounds, to stop before their reads are refused.
   */
  stopReason?(): string | undefined;
  /** Records that the runtime lacks a field mapscope reads: one warning of the target's (info.warnings). */
  noteRuntimeGap?(gap: RuntimeGap): void;
  /** Records something else shown without what the runtime would tell: one warning of the target's. */
  noteWarning?(text: string): void;
  /**
   * The offset of the runtime descriptor of the type DWARF names so (`map[string]*main.T`) from
   * `moduledata.types`, from the binary's DWARF (`DW_AT_go_runtime_type`); undefined where the
   * type has none or the DWARF cannot be read here.
   */
  runtimeTypeOffset?(dwarfName: string): Promise<number | undefined>;
}

export class MemoryReadError extends Error {
  override readonly name = 'MemoryReadError';
  constructor(
    readonly address: bigint,
    readonly length: number,
    reason: string,
  ) {
    super(`cannot read ${length} bytes at 0x${address.toString(16)}: ${reason}`);
  }
}

/** Reads one range or throws MemoryReadError. */
export async function readExact(mem: Memory, address: bigint, length: number): Promise<Uint8Array> {
  const [r] = await mem.readMany([{ address, length }]);
  if (!r.ok) throw new MemoryReadError(address, length, r.error);
  return r.bytes;
}
