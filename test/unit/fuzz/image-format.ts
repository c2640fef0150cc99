/**
 * The on-disk shape of a map image (test/fixtures/map-images/*.json): every byte range the
 * inspect pipeline (decode, render, analyze) read from a real core dump, plus the DWARF type
 * tables the gdb bridge answered with, so that the pipeline can be replayed with no gdb at all.
 * test/fixtures/capture-images.ts writes it; ./replay-target.ts reads it.
 */
import type { DwarfType } from '../../../src/layout/dwarf.js';

export const IMAGE_FORMAT = 'mapscope-map-images@1';

/** One contiguous range of target memory, base64 encoded. */
export interface ImageBlock {
  readonly address: string;
  readonly base64: string;
}

export interface ImageMap {
  readonly expr: string;
  /** Map header address (hex). */
  readonly header: string;
  /** The -mapscope-eval answer: the map type's DWARF table and its root id. */
  readonly root: number;
  readonly types: DwarfType[];
  /** What the live pipeline found, for checking that the replay is faithful. */
  readonly count: number;
  readonly entries: number;
  /** sha256 of JSON.stringify of the rendered entries. */
  readonly entriesSha256: string;
  readonly blocks: ImageBlock[];
}

export interface ImageFile {
  readonly format: typeof IMAGE_FORMAT;
  readonly toolchain: string;
  readonly goVersion: string;
  readonly arch: string;
  readonly pointerSize: 4 | 8;
  readonly littleEndian: boolean;
  /** One -mapscope-describe answer for every type name the pipeline asked for. */
  readonly describe: { readonly names: string[]; readonly roots: (number | null)[]; readonly types: DwarfType[] };
  /** Symbol addresses (hex) the pipeline asked for; null where the binary has none. */
  readonly symbols: Record<string, string | null>;
  readonly maps: ImageMap[];
}

/** Sorts ranges and joins those that overlap or touch, keeping the latest bytes. */
export function mergeBlocks(blocks: readonly { address: bigint; bytes: Uint8Array }[]): { address: bigint; bytes: Uint8Array }[] {
  const sorted = [...blocks].filter((b) => b.bytes.length > 0).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const out: { address: bigint; bytes: Uint8Array }[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    const lastEnd = last ? last.address + BigInt(last.bytes.length) : -1n;
    if (!last || b.address > lastEnd) {
      out.push({ address: b.address, bytes: Uint8Array.from(b.bytes) });
      continue;
    }
    const end = b.address + BigInt(b.bytes.length);
    const joined = new Uint8Array(Number((end > lastEnd ? end : lastEnd) - last.address));
    joined.set(last.bytes);
    joined.set(b.bytes, Number(b.address - last.address));
    out[out.length - 1] = { address: last.address, bytes: joined };
  }
  return out;
}
