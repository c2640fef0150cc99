/** Where a slot is, in the words the page's hovers use (its script spells them the same way). */
import type { SlotRef } from './slot-entries.js';

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
