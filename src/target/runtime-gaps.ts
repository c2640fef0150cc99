/**
 * A field of a Go runtime struct that mapscope reads by name and that this target's runtime does
 * not have: the struct moved on in a release mapscope does not know yet. Whatever needed the field
 * is left out, and the target's warnings say which release, which struct, which field, and what
 * is shown without it, once each: never a silent null.
 */
import type { GoStructType } from '../layout/gotype.js';

export interface RuntimeGap {
  /** As DWARF names it: `runtime.moduledata`, `internal/abi.Type`. */
  readonly struct: string;
  /** The field looked for, by its current name; absent when the struct itself is missing from the DWARF. */
  readonly field?: string;
  /** Names it had in older releases, also looked for. */
  readonly or?: readonly string[];
  /** What is shown without it, completing "…: " (`interface values are shown without their dynamic types`). */
  readonly without: string;
}

/** Where gaps are told: the target (GdbTarget keeps them as its warnings). */
export interface RuntimeGapSink {
  noteRuntimeGap?(gap: RuntimeGap): void;
  /** Something else shown without what the runtime would tell, in words (one warning of the target's). */
  noteWarning?(text: string): void;
}

/** `go1.28.0's runtime.moduledata has no field types: …`, or `go1.28.0 has no runtime.moduledata in its DWARF: …`. */
export function runtimeGapWarning(goVersion: string, gap: RuntimeGap): string {
  const release = goVersion.trim().split(/\s/)[0] || 'this Go release';
  if (gap.field === undefined) return `${release} has no ${gap.struct} in its DWARF: ${gap.without}`;
  const names = [gap.field, ...(gap.or ?? [])].join(' or ');
  return `${release}'s ${gap.struct} has no field ${names}: ${gap.without}`;
}

/** A field's offset and size; undefined (and the gap told to `sink`) when the struct has none of the names. */
export function runtimeField(
  sink: RuntimeGapSink,
  s: GoStructType,
  without: string,
  ...names: [string, ...string[]]
): { offset: number; size: number } | undefined {
  for (const n of names) {
    const f = s.fields.find((x) => x.name === n);
    if (f) return { offset: f.offset, size: f.type.size };
  }
  const [field, ...or] = names;
  sink.noteRuntimeGap?.({ struct: s.name, field, ...(or.length > 0 ? { or } : {}), without });
  return undefined;
}
