/** Hover text of one heatmap cell: where it is, what its byte says, and the entry it holds. */
import type { RenderedEntry } from '../../values/entries.js';
import { stringifyJson } from '../../values/json.js';
import { byteHex, clip } from './format.js';
import type { SlotEntries, SlotRef } from './slot-entries.js';
import type { SlotState } from './states.js';

const MAX_VALUE_CHARS = 160;

export interface HoverContext {
  readonly slots: SlotEntries;
  /** Rendered entries: all of them, or the first --limit. */
  readonly entries: readonly RenderedEntry[];
}

export function where(r: SlotRef): string {
  switch (r.array) {
    case 'buckets':
    case 'oldbuckets': {
      const b = `${r.array === 'oldbuckets' ? 'old bucket' : 'bucket'} ${r.bucket}`;
      return `${b}${r.chain ? ` · overflow ${r.chain}` : ''} · slot ${r.slot}`;
    }
    case 'groups':
      return `table ${r.table ?? 0} · group ${r.bucket} · slot ${r.slot}`;
    case 'small':
      return `small group · slot ${r.slot}`;
  }
}

export function cellHover(ctx: HoverContext, r: SlotRef, state: SlotState, byte: number, byteName: 'tophash' | 'ctrl'): string {
  const lines = [where(r), `${state} · ${byteName} ${byteHex(byte)} (${byte})`];
  const i = state === 'live' || state === 'full' ? ctx.slots.entryAt(r) : undefined;
  if (i !== undefined) {
    const e = ctx.entries[i];
    if (e) lines.push(`key: ${clip(stringifyJson(e.key), MAX_VALUE_CHARS)}`, `value: ${clip(stringifyJson(e.value), MAX_VALUE_CHARS)}`);
    else lines.push(`entry #${i} (not rendered: beyond --limit)`);
  }
  return lines.join('\n');
}
