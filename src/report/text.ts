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
import type { TargetInfo } from '../target/target.js';
import { stringifyJson } from '../values/json.js';

export interface TextOptions {
  /** Buckets or groups drawn per array before eliding the rest. */
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
    `  hmap: count ${s.count}  B ${s.B} (${2 ** s.B} buckets)  flags ${s.flags}${flags ? ` (${flags})` : ''}  noverflow ${s.noverflow}  hash0 ${s.hash0}  nevacuate ${s.nevacuate}${s.clearSeq !== undefined ? `  clearSeq ${s.clearSeq}` : ''}`,
    '  tophash: hh = live (top byte of the hash), __ emptyRest, .. emptyOne, eX evacuatedX, eY evacuatedY, e_ evacuatedEmpty',
  ];
  const drawArray = (label: string, chains: ClassicSnapshot['buckets']) => {
    out.push(`  ${label}:`);
    chains.slice(0, opts.maxRows).forEach((c, i) => {
      const chain = c.overflow.map((o) => ` → [${tophashCells(o)}]`).join('');
      out.push(`    ${String(i).padStart(5)} @${hex(c.address)} [${tophashCells(c)}]${chain}`);
    });
    if (chains.length > opts.maxRows) out.push(`    … ${chains.length - opts.maxRows} more buckets`);
  };
  drawArray('buckets', s.buckets);
  if (s.oldbuckets) drawArray(`oldbuckets (grow in progress${s.flags & 8 ? ', same size' : ''}; nevacuate ${s.nevacuate} of ${s.oldbuckets.length})`, s.oldbuckets);
  return out;
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
  out.push(`  directory: ${s.dirLen} entries → ${s.tables.length} distinct tables`);
  let rows = 0;
  for (const t of s.tables) {
    out.push(`    table @${hex(t.address)} index ${t.index} localDepth ${t.localDepth} capacity ${t.capacity} used ${t.used} growthLeft ${t.growthLeft}`);
    for (let j = 0; j < t.groups.length; j++) {
      if (rows++ >= opts.maxRows) {
        out.push(`      … ${t.groups.length - j} more groups in this table`);
        break;
      }
      out.push(`      ${String(j).padStart(5)} @${hex(t.groups[j].address)} [${ctrlCells(t.groups[j])}]`);
    }
  }
  return out;
}
