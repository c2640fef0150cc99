/** The header of a map (hmap or Map) as the JSON gives it, with the flag bits named. */
import { int } from '../../../src/report/html/format.js';
import type { ClassicJson, MapJson, SwissJson } from '../shared/contract.js';
import { type Child, h, kvTable } from './dom.js';

const FLAG_NAMES: readonly [number, string][] = [
  [1, 'iterator'],
  [2, 'oldIterator'],
  [4, 'hashWriting'],
  [8, 'sameSizeGrow'],
];

function flags(f: number): string {
  const names = FLAG_NAMES.filter(([bit]) => (f & bit) !== 0).map(([, n]) => n);
  return names.length ? `${f} (${names.join(' | ')})` : String(f);
}

function classicRows(c: ClassicJson): [string, Child][] {
  const rows: [string, Child][] = [
    ['B', `${c.B} (${int(2 ** c.B)} buckets)`],
    ['flags', flags(c.flags)],
    ['noverflow', int(c.noverflow)],
    ['hash0', String(c.hash0)],
    ['nevacuate', String(c.nevacuate)],
  ];
  if (c.clearSeq !== undefined) rows.push(['clearSeq', String(c.clearSeq)]);
  rows.push(['buckets', c.buckets.length ? h('code', {}, c.buckets[0].address) : 'nil']);
  rows.push(['oldbuckets', c.oldbuckets && c.oldbuckets.length ? h('code', {}, c.oldbuckets[0].address) : 'nil']);
  return rows;
}

function swissRows(sw: SwissJson): [string, Child][] {
  const rows: [string, Child][] = [
    ['used', int(sw.used)],
    ['seed', sw.seed],
    ['dirLen', int(sw.dirLen)],
    ['globalDepth', String(sw.globalDepth)],
  ];
  if (sw.globalShift !== undefined) rows.push(['globalShift', String(sw.globalShift)]);
  if (sw.writing !== undefined) rows.push(['writing', String(sw.writing)]);
  if (sw.clearSeq !== undefined) rows.push(['clearSeq', String(sw.clearSeq)]);
  if (sw.tombstonePossible !== undefined) rows.push(['tombstonePossible', String(sw.tombstonePossible)]);
  rows.push(sw.dirLen === 0 ? ['small group', sw.smallGroup?.address ? h('code', {}, sw.smallGroup.address) : 'nil'] : ['tables', int(sw.tables.length)]);
  return rows;
}

export function headerTable(m: MapJson): HTMLElement | null {
  if (m.classic) return kvTable('Header (hmap)', classicRows(m.classic));
  if (m.swiss) return kvTable('Header (Map)', swissRows(m.swiss));
  return null;
}
