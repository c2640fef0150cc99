/**
 * The header of a map (hmap or Map) field by field — DWARF offset, size and the value read — and
 * the layout of its bucket or group: the fields' offsets and slot sizes, and a to-scale strip.
 */
import type { ClassicLayout, FieldRef, MapLayout, SwissLayout } from '../../layout/map-layout.js';
import { hashWriting, iterator, oldIterator, sameSizeGrow } from '../../maps/classic/tophash.js';
import type { ClassicSnapshot, MapSnapshot, SwissSnapshot } from '../../maps/snapshot.js';
import { hex } from '../../target/bytes.js';
import { html, type Markup, type Part } from './escape.js';
import { int } from './format.js';
import { layoutStrip } from './layout-strip.js';

type Row = readonly [name: string, ref: FieldRef | undefined, value: Part];

function fieldTable(caption: string, rows: readonly Row[]): Markup {
  const body = rows.map(
    ([name, ref, value]) => html`<tr><th>${name}</th><td class="num">${ref ? ref.offset : ''}</td><td class="num">${ref ? ref.size : ''}</td><td class="val">${value}</td></tr>`,
  );
  return html`<table class="fields"><caption>${caption}</caption><thead><tr><th>field</th><th>offset</th><th>size</th><th>value</th></tr></thead><tbody>${body}</tbody></table>`;
}

function flagNames(flags: number): string {
  const names: [number, string][] = [
    [iterator, 'iterator'],
    [oldIterator, 'oldIterator'],
    [hashWriting, 'hashWriting'],
    [sameSizeGrow, 'sameSizeGrow'],
  ];
  const set = names.filter(([bit]) => flags & bit).map(([, n]) => n);
  return set.length ? `${flags} (${set.join(' | ')})` : String(flags);
}

function classicHeader(l: ClassicLayout, s: ClassicSnapshot): Markup {
  const h = l.hmap;
  const rows: Row[] = [
    ['count', h.count, int(s.count)],
    ['flags', h.flags, flagNames(s.flags)],
    ['B', h.B, `${s.B} → ${int(2 ** s.B)} buckets`],
    ['noverflow', h.noverflow, int(s.noverflow)],
    ['hash0', h.hash0, `${s.hash0} (0x${s.hash0.toString(16)})`],
    ['buckets', h.buckets, s.array.read > 0 ? hex(s.array.address) : 'nil'],
    ['oldbuckets', h.oldbuckets, s.oldArray && s.oldArray.read > 0 ? hex(s.oldArray.address) : 'nil'],
    ['nevacuate', h.nevacuate, s.nevacuate.toString()],
  ];
  if (h.clearSeq) rows.push(['clearSeq', h.clearSeq, s.clearSeq?.toString() ?? '']);
  rows.push(['extra', h.extra, html`<span class="dim">not read</span>`]);
  return fieldTable(`${h.name} — ${h.size} bytes @${hex(s.address)}`, rows);
}

function swissHeader(l: SwissLayout, s: SwissSnapshot): Markup {
  const m = l.map;
  const rows: Row[] = [
    ['used', m.used, int(s.used)],
    ['seed', m.seed, s.seed.toString()],
    ['dirPtr', m.dirPtr, s.dirPtr === 0n ? 'nil' : hex(s.dirPtr)],
    ['dirLen', m.dirLen, s.dirLen === 0 ? '0 (small map: dirPtr is its one group)' : int(s.dirLen)],
    ['globalDepth', m.globalDepth, String(s.globalDepth)],
    ['globalShift', m.globalShift, String(s.globalShift)],
    ['writing', m.writing, String(s.writing)],
  ];
  if (m.tombstonePossible) rows.push(['tombstonePossible', m.tombstonePossible, String(s.tombstonePossible ?? '')]);
  rows.push(['clearSeq', m.clearSeq, s.clearSeq.toString()]);
  return fieldTable(`${m.name} — ${m.size} bytes @${hex(s.address)}`, rows);
}

function slotDesc(typeName: string, typeSize: number, slot: number, indirect: boolean): string {
  return indirect ? `${slot} bytes: *${typeName} (the ${int(typeSize)}-byte value is stored indirectly)` : `${slot} bytes: ${typeName}`;
}

function classicLayoutTable(l: ClassicLayout): Markup {
  const b = l.bucket;
  const rows: Row[] = [
    ['tophash', b.tophash, '[8]uint8'],
    ['keys', b.keys, `8 × ${slotDesc(l.key.name, l.key.size, b.keySlot, l.indirectKey)}`],
    ['values', b.values, `8 × ${slotDesc(l.elem.name, l.elem.size, b.elemSlot, l.indirectElem)}`],
    ['overflow', b.overflow, 'pointer to the next bucket of the chain'],
  ];
  return fieldTable(`bucket ${b.name} — ${b.size} bytes`, rows);
}

/** Interleaved: the slots array and where key and elem sit in a slot; split: the keys and elems arrays. */
function groupArrayRows(l: SwissLayout, keySlot: number, elemSlot: number): Row[] {
  const g = l.group;
  const key = slotDesc(l.key.name, l.key.size, keySlot, l.indirectKey);
  const elem = slotDesc(l.elem.name, l.elem.size, elemSlot, l.indirectElem);
  return g.arrays.flatMap((a): Row[] => {
    if (a.name === 'keys') return [['keys', a, `8 × ${key}`]];
    if (a.name === 'elems') return [['elems', a, `8 × ${elem}`]];
    return [
      ['slots', a, `8 × ${a.stride}-byte slots`],
      ['slot.key', { offset: g.keysOff - a.offset, size: keySlot }, key],
      ['slot.elem', { offset: g.elemsOff - a.offset, size: elemSlot }, elem],
    ];
  });
}

function swissLayoutTables(l: SwissLayout, pointerSize: number): Markup {
  const g = l.group;
  const keySlot = l.indirectKey ? pointerSize : l.key.size;
  const elemSlot = l.indirectElem ? pointerSize : l.elem.size;
  const group = fieldTable(`group ${g.name} — ${g.size} bytes`, [
    ['ctrl', g.ctrl, 'control word: byte i describes slot i'],
    ...groupArrayRows(l, keySlot, elemSlot),
  ]);
  const t = l.table;
  const table = fieldTable(`table ${t.name} — ${t.size} bytes (values: under Slots, table by table)`, [
    ['used', t.used, ''],
    ['capacity', t.capacity, ''],
    ['growthLeft', t.growthLeft, ''],
    ['localDepth', t.localDepth, ''],
    ['index', t.index, ''],
    ['groups.data', t.groupsData, ''],
    ['groups.lengthMask', t.groupsLengthMask, ''],
  ]);
  return html`${group}${table}`;
}

export function headerSection(l: MapLayout, s: MapSnapshot | null, pointerSize: number): Markup {
  const header = s === null ? html`<p class="note">nil map: there is no header to read.</p>` : l.kind === 'classic' && s.implementation === 'classic' ? classicHeader(l, s) : l.kind === 'swiss' && s.implementation === 'swiss' ? swissHeader(l, s) : '';
  const layout = l.kind === 'classic' ? classicLayoutTable(l) : swissLayoutTables(l, pointerSize);
  return html`<section class="structs"><h3>Header and layout</h3><div class="cols"><div>${header}</div><div>${layout}</div></div>${layoutStrip(l, pointerSize)}</section>`;
}
