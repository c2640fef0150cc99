/**
 * The folds of the slot pictures: a classic bucket array cut into ranges of buckets, a Swiss map
 * into its tables (or its small group). Each is one row of the page — its name, counts and an
 * occupancy meter — and folds open to a canvas the page's script draws from the row's data: the
 * tophash or ctrl bytes (base64), the overflow chains, and a data block with the entries of its
 * live slots, one line each, in slot order (./page-out.ts).
 *
 * A small map opens unfolded; a bigger one opens folded, each row drawn only when unfolded, so a
 * map of millions of slots opens as a list a browser shows at once.
 */
import type { JsonItems } from '../../values/json.js';
import { minTopHash } from '../../maps/classic/tophash.js';
import { hex } from '../../target/bytes.js';
import { type CellArray, type MapCells } from './cells.js';
import { html, type Markup, trusted } from './escape.js';
import { int, pct } from './format.js';
import type { PageOut } from './page-out.js';

/** Rows per classic array before each row takes more buckets. */
const MAX_ROWS = 256;
/** Buckets per classic row at least, and at most (a canvas some 4,000 px tall). */
const MIN_BUCKETS = 256;
const MAX_BUCKETS = 2048;
/** A map of at most this many slots opens unfolded; a bigger one opens folded, every row closed. */
export const OPEN_CELLS = 4096;

/** One row: buckets (or groups) [from, to) of an array. */
export interface Unit {
  readonly a: CellArray;
  readonly from: number;
  readonly to: number;
}

/** Buckets per row of a classic array of `count` buckets: a power of two, so rows start at round indices. */
export function bucketsPerUnit(count: number): number {
  let n = MIN_BUCKETS;
  while (count / n > MAX_ROWS && n < MAX_BUCKETS) n *= 2;
  return n;
}

export function unitsOf(a: CellArray): Unit[] {
  if (!a.boxFrom) return [{ a, from: 0, to: a.count }];
  const per = bucketsPerUnit(a.count);
  const out: Unit[] = [];
  for (let from = 0; from < a.count; from += per) out.push({ a, from, to: Math.min(a.count, from + per) });
  return out;
}

/** Cells [from, to) of the unit within its array. */
export function unitCells(u: Unit): { from: number; to: number } {
  const f = u.a.boxFrom;
  return f ? { from: f[u.from] * 8, to: f[u.to] * 8 } : { from: u.from * 8, to: u.to * 8 };
}

/** Slots by state byte class: live/full, free, tombstones, evacuated marks, invalid ctrl. */
interface Counts {
  slots: number;
  live: number;
  tombstones: number;
  evacuated: number;
  invalid: number;
}

function counts(u: Unit): Counts {
  const { from, to } = unitCells(u);
  const b = u.a.bytes;
  const c: Counts = { slots: to - from, live: 0, tombstones: 0, evacuated: 0, invalid: 0 };
  const classic = u.a.boxFrom !== undefined;
  for (let i = from; i < to; i++) {
    const x = b[i];
    if (classic) {
      if (x >= minTopHash) c.live++;
      else if (x === 1) c.tombstones++;
      else if (x >= 2) c.evacuated++;
    } else if (x < 0x80) c.live++;
    else if (x === 0xfe) c.tombstones++;
    else if (x !== 0x80) c.invalid++;
  }
  return c;
}

/** Run-length list of the entry indices of a unit's live slots: "start:length,…", start -1 for slots given no entry. */
function entryRuns(u: Unit, cells: MapCells): string {
  const { from, to } = unitCells(u);
  const b = u.a.bytes;
  const classic = u.a.boxFrom !== undefined;
  const entryOf = cells.entryOfCell.subarray(u.a.cellFrom);
  const runs: string[] = [];
  let start = -2;
  let len = 0;
  for (let i = from; i < to; i++) {
    if (classic ? b[i] < minTopHash : b[i] & 0x80) continue;
    const e = entryOf[i];
    if (len > 0 && (e < 0 ? start < 0 : start >= 0 && e === start + len)) len++;
    else {
      if (len > 0) runs.push(`${start}:${len}`);
      start = e < 0 ? -1 : e;
      len = 1;
    }
  }
  if (len > 0) runs.push(`${start}:${len}`);
  return runs.join(',');
}

/** Relative bucket j with n overflow buckets, "j:n,…", and the overflow buckets' addresses in order. */
function chains(u: Unit): { chains: string; overflow: string } {
  const f = u.a.boxFrom;
  const ovf = u.a.overflow;
  if (!f || !ovf) return { chains: '', overflow: '' };
  const list: string[] = [];
  for (let i = u.from; i < u.to; i++) {
    const n = f[i + 1] - f[i] - 1;
    if (n > 0) list.push(`${i - u.from}:${n}`);
  }
  const addrs = ovf.slice(f[u.from] - u.from, f[u.to] - u.to).map((x) => x.toString(16));
  return { chains: list.join(','), overflow: addrs.join(',') };
}

function meter(share: number): Markup {
  return html`<span class="meter"><span style="width:${(100 * share).toFixed(1)}%"></span></span>`;
}

function summary(u: Unit, c: Counts, label: Markup, detail: string | undefined): Markup {
  const share = c.slots > 0 ? c.live / c.slots : 0;
  const a = u.a;
  const classic = a.boxFrom !== undefined;
  const ovf = classic ? (a.boxFrom as Uint32Array)[u.to] - (a.boxFrom as Uint32Array)[u.from] - (u.to - u.from) : 0;
  const parts: string[] = [`${int(c.slots)} slots`, `${classic ? 'live' : 'full'} ${int(c.live)} (${pct(share)})`];
  if (classic) parts.push(`${int(ovf)} overflow`);
  if (c.tombstones) parts.push(`${int(c.tombstones)} ${classic ? 'emptyOne' : 'deleted'}`);
  if (c.evacuated) parts.push(`${int(c.evacuated)} evacuated`);
  if (c.invalid) parts.push(`${int(c.invalid)} invalid`);
  return html`<summary>${meter(share)}<span class="ulabel">${label}</span> <span class="ucounts">${parts.join(' · ')}</span>${detail ? html` <span class="dim" title="${detail}">${detail}</span>` : ''}</summary>`;
}

export interface UnitRow {
  readonly unit: Unit;
  /** What the row is called, e.g. "buckets 0–255" or "table 3". */
  readonly label: Markup;
  /** Said after its counts (and in full on hover when cut), e.g. a table's address and header fields. */
  readonly detail?: string;
}

/** One row and its data block. */
export function writeUnit(out: PageOut, row: UnitRow, cells: MapCells, items: JsonItems, open: boolean): void {
  const u = row.unit;
  const a = u.a;
  const { from, to } = unitCells(u);
  const c = counts(u);
  const { chains: ch, overflow } = chains(u);
  const b64 = Buffer.from(a.bytes.buffer, a.bytes.byteOffset + from, to - from).toString('base64');
  out.markup(
    html`<details class="unit" data-array="${a.array}"${a.table !== undefined ? html` data-table="${a.table}"` : ''} data-from="${u.from}" data-to="${u.to}" data-base="${hex(a.base)}" data-stride="${a.stride}" data-cells="${trusted(b64)}"${
      ch ? html` data-chains="${trusted(ch)}" data-ovf="${trusted(overflow)}"` : ''
    } data-runs="${trusted(entryRuns(u, cells))}"${open ? html` open` : ''}>${summary(u, c, row.label, row.detail)}<div class="cv"></div><script type="application/x-mapscope-entries">`,
  );
  const classic = a.boxFrom !== undefined;
  const bytes = a.bytes;
  const entryOf = cells.entryOfCell.subarray(a.cellFrom);
  const n = items.length;
  out.entryLines((lines) => {
    for (let i = from; i < to; i++) {
      if (classic ? bytes[i] < minTopHash : bytes[i] & 0x80) continue;
      const e = entryOf[i];
      if (e >= 0 && e < n) lines.entry(items, e);
      else lines.empty();
    }
  });
  out.markup(html`</script></details>`);
}
