/**
 * The readable report of `mapscope inspect`: the header, a compact picture of buckets or groups
 * with their tophash or control bytes named, and the first entries.
 */
import type { MapInspection } from '../inspect/inspect.js';
import { analysisText } from './analysis-text.js';
import { tophashName } from '../maps/classic/tophash.js';
import type { ClassicBucket, ClassicSnapshot, SwissGroup, SwissSnapshot } from '../maps/snapshot.js';
import { ctrlDeleted, ctrlEmpty } from '../maps/swiss/ctrl.js';
import { hex } from '../target/bytes.js';
import { plural } from './plural.js';
import type { TargetInfo } from '../target/target.js';
import { stringifyJson } from '../values/json.js';

export interface TextOptions {
  /**
   * Rows drawn per map: a bucket with its overflow chain, a table, a group. The rest are counted
   * in one line, so that the report of a map of any size stays this long.
   */
  readonly maxRows: number;
  /** Entries printed per map. */
  readonly maxEntries: number;
}

export function textReport(info: TargetInfo, maps: readonly MapInspection[], opts: TextOptions): string {
  const lines: string[] = [];
  const where = info.kind === 'live' ? `live process ${info.pid}` : 'core dump';
  lines.push(`${where} of ${info.exe} — ${info.goVersion || 'unknown Go version'} ${info.arch}, ${info.pointerSize * 8}-bit ${info.littleEndian ? 'little' : 'big'}-endian`);
  for (const m of maps) {
    lines.push('');
    lines.push(...mapText(m, opts));
  }
  return lines.join('\n') + '\n';
}

function mapText(m: MapInspection, opts: TextOptions): string[] {
  const title = `${m.expr}${m.type ? `  ${m.type.name}` : ''}${m.layout ? `  (${m.layout.kind})` : ''}`;
  if (m.error !== undefined) return [title, `  error: ${m.error}`];
  const s = m.snapshot;
  if (!s) return [title, '  nil map'];
  const out = [`${title}  header @ ${hex(s.address)}`];
  if (s.implementation === 'classic') out.push(...classicText(s, opts));
  else out.push(...swissText(s, opts));
  for (const w of s.warnings) out.push(`  warning: ${w}`);
  if (m.analysis) out.push(...analysisText(m.analysis));
  const entries = m.entries ?? [];
  const count = s.implementation === 'classic' ? s.count : s.used;
  const shown = Math.min(entries.length, opts.maxEntries);
  out.push(`  entries (${shown === count ? `all ${count}` : `first ${shown} of ${count}`}, in memory order):`);
  for (let i = 0; i < shown; i++) out.push(`    ${stringifyJson(entries[i].key)}: ${stringifyJson(entries[i].value)}`);
  return out;
}

// ---- classic ----

const TOPHASH_CODE: Record<string, string> = {
  emptyRest: '__',
  emptyOne: '..',
  evacuatedX: 'eX',
  evacuatedY: 'eY',
  evacuatedEmpty: 'e_',
};

function tophashCells(b: ClassicBucket): string {
  return b.tophash.map((t) => TOPHASH_CODE[tophashName(t)] ?? t.toString(16).padStart(2, '0')).join(' ');
}

function classicText(s: ClassicSnapshot, opts: TextOptions): string[] {
  const flags = flagNames(s.flags);
  const out = [
    `  hmap: count ${s.count}  B ${s.B} (${plural(2 ** s.B, 'bucket')})  flags ${s.flags}${flags ? ` (${flags})` : ''}  noverflow ${s.noverflow}  hash0 ${s.hash0}  nevacuate ${s.nevacuate}${s.clearSeq !== undefined ? `  clearSeq ${s.clearSeq}` : ''}`,
    '  tophash: hh = live (top byte of the hash), __ emptyRest, .. emptyOne, eX evacuatedX, eY evacuatedY, e_ evacuatedEmpty',
  ];
  // One budget for both arrays: an old array of a grow is drawn only with the rows left.
  let left = opts.maxRows;
  // Bucket objects are made on first use: only for the rows drawn.
  const drawArray = (label: string, count: number, chains: () => ClassicSnapshot['buckets']) => {
    out.push(`  ${label}:`);
    const drawn = Math.min(count, left);
    left -= drawn;
    if (drawn > 0) {
      chains()
        .slice(0, drawn)
        .forEach((c, i) => {
          const chain = c.overflow.map((o) => ` → [${tophashCells(o)}]`).join('');
          out.push(`    ${String(i).padStart(5)} @${hex(c.address)} [${tophashCells(c)}]${chain}`);
        });
    }
    if (count > drawn) out.push(`    … ${notDrawn(count - drawn, drawn > 0, 'bucket')}`);
  };
  drawArray('buckets', s.array.length, () => s.buckets);
  const old = s.oldArray;
  if (old) drawArray(`oldbuckets (grow in progress${s.flags & 8 ? ', same size' : ''}; nevacuate ${s.nevacuate} of ${old.length})`, old.length, () => s.oldbuckets ?? []);
  return out;
}

/** "3 more buckets", or "64 buckets not drawn" when none was: what --rows left out. */
function notDrawn(n: number, someDrawn: boolean, noun: string, detail = ''): string {
  return `${someDrawn ? plural(n, `more ${noun}`) : `${plural(n, noun)} not drawn`}${detail} (--rows N draws more)`;
}

function flagNames(flags: number): string {
  const names = [
    [1, 'iterator'],
    [2, 'oldIterator'],
    [4, 'hashWriting'],
    [8, 'sameSizeGrow'],
  ] as const;
  return names
    .filter(([bit]) => flags & bit)
    .map(([, n]) => n)
    .join('|');
}

// ---- swiss ----

function ctrlCells(g: SwissGroup): string {
  return g.ctrl.map((c) => (c === ctrlEmpty ? '--' : c === ctrlDeleted ? 'xx' : c.toString(16).padStart(2, '0'))).join(' ');
}

function swissText(s: SwissSnapshot, opts: TextOptions): string[] {
  const out = [
    `  Map: used ${s.used}  dirLen ${s.dirLen}  globalDepth ${s.globalDepth}  globalShift ${s.globalShift}  seed ${s.seed}  writing ${s.writing}  clearSeq ${s.clearSeq}`,
    '  ctrl: hh = full (H2, the low 7 bits of the hash), -- empty (0x80), xx deleted (0xfe, a tombstone)',
  ];
  if (s.dirLen === 0) {
    out.push(s.smallGroup ? `  small map, one group @${hex(s.smallGroup.address)} [${ctrlCells(s.smallGroup)}]` : '  small map, no group allocated yet');
    return out;
  }
  out.push(`  directory: ${plural(s.dirLen, 'entry', 'entries')} → ${plural(s.tables.length, 'distinct table')}`);
  // A table's line is a row like its groups': a map of thousands of tables stays within --rows.
  let left = opts.maxRows;
  let drawn = 0;
  for (; drawn < s.tables.length && left > 0; drawn++) {
    const t = s.tables[drawn];
    left--;
    out.push(`    table @${hex(t.address)} index ${t.index} localDepth ${t.localDepth} capacity ${t.capacity} used ${t.used} growthLeft ${t.growthLeft}`);
    // Group objects are made on first use: only for the rows drawn.
    const count = t.groupArray.count;
    const groups = Math.min(count, left);
    left -= groups;
    for (let j = 0; j < groups; j++) out.push(`      ${String(j).padStart(5)} @${hex(t.groups[j].address)} [${ctrlCells(t.groups[j])}]`);
    if (count > groups) out.push(`      … ${plural(count - groups, 'more group')} in this table`);
  }
  if (drawn < s.tables.length) {
    const rest = s.tables.slice(drawn);
    const groups = rest.reduce((n, t) => n + t.groupArray.count, 0);
    out.push(`    … ${notDrawn(rest.length, drawn > 0, 'table', `, with ${plural(groups, 'group')}`)}`);
  }
  return out;
}
