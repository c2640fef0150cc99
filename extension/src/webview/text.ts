/** Text of values and places, shared by the grid's hover and the entries table. */
import { stringifyJson } from '../../../src/values/json.js';
import { byteHex, clip } from '../../../src/report/html/format.js';
import type { GoJson } from '../shared/contract.js';
import type { SlotRef } from './slots.js';

/** Hover lines stay short: a 1 MiB string key must not make a 1 MiB tooltip. */
export const MAX_HOVER_CHARS = 300;

/** A Go value as the contract's JSON text (-0 kept), clipped. */
export function valueText(v: GoJson | undefined, max = MAX_HOVER_CHARS): string {
  return clip(stringifyJson(v ?? null), max);
}

export function where(r: SlotRef): string {
  switch (r.array) {
    case 'buckets':
    case 'oldbuckets':
      return `${r.array === 'oldbuckets' ? 'old bucket' : 'bucket'} ${r.bucket}${r.chain ? ` · overflow ${r.chain}` : ''} · slot ${r.slot}`;
    case 'groups':
      return `table ${r.table ?? 0} · group ${r.bucket} · slot ${r.slot}`;
    case 'small':
      return `small group · slot ${r.slot}`;
  }
}

export function byteText(byte: number, name: 'tophash' | 'ctrl'): string {
  return `${name} ${byteHex(byte)} (${byte})`;
}
