/**
 * The readable report of `mapscope layout`: structs as pahole prints them (so the eye trained on
 * pahole finds holes and cache-line crossings where it expects them), and a side-by-side table
 * of one program's builds for different architectures.
 *
 * Field types are spelled as Go spells them (`[8]uint8 tophash`, not pahole's C-style
 * `uint8 tophash[8]`); everything else follows pahole 1.24's layout character for character.
 */
import { basename } from 'node:path';
import { type StructLayout, cacheLineCount, sumHoles, sumMembers } from '../layout/struct-layout.js';
import type { TargetInfo } from '../target/target.js';

/** pahole's columns: the type padded to 26, the name; the comment at column 49 after the tab. */
const TYPE_WIDTH = 26;
const COMMENT_COLUMN = 49;

export function binaryTitle(info: TargetInfo): string {
  return `${info.exe}: ${info.goVersion || 'unknown Go version'} ${info.arch}, ${info.pointerSize}-byte pointers`;
}

export function layoutText(info: TargetInfo, layouts: readonly StructLayout[]): string {
  const parts = [`/* ${binaryTitle(info)} */`];
  for (const l of layouts) parts.push(structText(l));
  return parts.join('\n\n') + '\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function structText(l: StructLayout): string {
  const out = [`struct ${l.name} {`];
  const marks = new Map(l.cacheLines.map((m) => [m.field, m]));
  const holeAfter = new Map(l.holes.map((h) => [h.offset, h]));
  let end = 0;
  l.fields.forEach((f, i) => {
    const mark = marks.get(i);
    if (mark) {
      const ago = mark.ago === 0 ? '' : ` was ${plural(mark.ago, 'byte')} ago`;
      out.push(`\t/* --- cacheline ${mark.line} boundary (${mark.boundary} bytes)${ago} --- */`);
    }
    const decl = `${f.type.padEnd(TYPE_WIDTH)} ${f.name};`;
    const comment = `/* ${String(f.offset).padStart(5)} ${String(f.size).padStart(5)} */`;
    out.push(`\t${decl.length < COMMENT_COLUMN ? decl.padEnd(COMMENT_COLUMN) : decl + ' '}${comment}`);
    end = Math.max(end, f.offset + f.size);
    // pahole prints a hole after the field that precedes it, set off by blank lines.
    const hole = i + 1 < l.fields.length ? holeAfter.get(end) : undefined;
    if (hole && l.fields[i + 1].offset > end) out.push('', `\t/* XXX ${plural(hole.size, 'byte')} hole, try to pack */`, '');
  });
  out.push('', `\t/* size: ${l.size}, cachelines: ${cacheLineCount(l)}, members: ${l.fields.length} */`);
  if (l.holes.length > 0) out.push(`\t/* sum members: ${sumMembers(l)}, holes: ${l.holes.length}, sum holes: ${sumHoles(l)} */`);
  if (l.tailPadding > 0) out.push(`\t/* padding: ${l.tailPadding} */`);
  const last = l.size % l.cacheLineSize;
  if (last > 0) out.push(`\t/* last cacheline: ${plural(last, 'byte')} */`);
  out.push('};');
  return out.join('\n');
}

/** One struct across binaries: its layout in each, or undefined where a binary lacks it. */
export interface ComparedStruct {
  readonly name: string;
  readonly per: readonly (StructLayout | undefined)[];
}

/**
 * Field rows × binary columns of `offset+size`, then size, holes and padding. Fields are matched
 * by name; a field one build lacks (Go 1.24's `clearSeq`) shows as `-`.
 */
export function compareText(infos: readonly TargetInfo[], structs: readonly ComparedStruct[]): string {
  // A row is cells in columns, or a struct's title on a line of its own (names run long).
  const rows: (string[] | string)[] = [['', ...infos.map((i) => i.arch)], ['', ...infos.map((i) => i.goVersion || basename(i.exe))]];
  // File names only when arch and Go version do not already tell the binaries apart.
  if (new Set(infos.map((i) => `${i.arch} ${i.goVersion}`)).size < infos.length) rows.push(['', ...infos.map((i) => basename(i.exe))]);
  for (const s of structs) {
    rows.push('', `struct ${s.name}`);
    const names: string[] = [];
    for (const l of s.per) for (const f of l?.fields ?? []) if (!names.includes(f.name)) names.push(f.name);
    for (const name of names) {
      rows.push([
        `  ${name}`,
        ...s.per.map((l) => {
          const f = l?.fields.find((x) => x.name === name);
          return f ? `${f.offset}+${f.size}` : l ? '-' : '';
        }),
      ]);
    }
    rows.push(['  size', ...s.per.map((l) => (l ? String(l.size) : '(absent)'))]);
    rows.push(['  holes', ...s.per.map((l) => (l ? holesCell(l) : ''))]);
    rows.push(['  padding', ...s.per.map((l) => (l ? String(l.tailPadding) : ''))]);
  }
  const widths = Array.from({ length: infos.length + 1 }, (_, c) => Math.max(0, ...rows.map((r) => (typeof r === 'string' ? 0 : (r[c] ?? '').length))));
  const line = (r: string[] | string) => (typeof r === 'string' ? r : r.map((cell, c) => cell.padEnd(widths[c] + 2)).join('').trimEnd());
  return rows.map(line).join('\n') + '\n';
}

/** `4@35` for a 4-byte hole at offset 35; `-` for none. */
function holesCell(l: StructLayout): string {
  return l.holes.length === 0 ? '-' : l.holes.map((h) => `${h.size}@${h.offset}`).join(' ');
}
