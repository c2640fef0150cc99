/** Findings: what an engineer chasing memory or latency should know about this map, with numbers. */
import type { MapLayout } from '../layout/map-layout.js';
import { hashWriting } from '../maps/classic/tophash.js';
import type { MapHeader } from './header.js';
import type { Finding, Occupancy } from './types.js';

const LONG_CHAIN = 4;

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export function findings(s: MapHeader, layout: MapLayout, occ: Occupancy, nanKeys: number): Finding[] {
  const out: Finding[] = [];
  if (s.implementation === 'classic' && layout.kind === 'classic') {
    if (s.flags & hashWriting) {
      out.push({ kind: 'writeInProgress', message: `a goroutine was writing the map (hmap.flags ${s.flags} has hashWriting): the snapshot may be inconsistent`, flags: s.flags });
    }
    const nb = 2 ** s.B;
    if (s.B >= 3 && s.count < nb) {
      let ideal = 1;
      while (s.count > 6.5 * ideal) ideal *= 2;
      const reclaimableBytes = (nb - ideal) * layout.bucket.size;
      out.push({
        kind: 'oversized',
        message: `${s.count} entries in ${nb} buckets (${occ.slots} slots): Go never shrinks maps; a copy would need ${ideal} buckets and free ${reclaimableBytes} bytes`,
        count: s.count,
        slots: occ.slots,
        idealBuckets: ideal,
        reclaimableBytes,
      });
    }
  } else if (s.implementation === 'swiss' && layout.kind === 'swiss') {
    if (s.writing !== 0) {
      out.push({ kind: 'writeInProgress', message: `a goroutine was writing the map (Map.writing ${s.writing}): the snapshot may be inconsistent`, writing: s.writing });
    }
    if (occ.slots >= 64 && s.used * 8 < occ.slots) {
      const idealSlots = Math.max(8, nextPow2(Math.ceil((s.used * 8) / 7)));
      const reclaimableBytes = (occ.slots - idealSlots) * layout.group.slotBytes;
      out.push({
        kind: 'oversized',
        message: `${s.used} entries in ${occ.slots} slots: Go never shrinks maps; a copy would need ${idealSlots} slots and free ${reclaimableBytes} bytes of slots`,
        count: s.used,
        slots: occ.slots,
        idealSlots,
        reclaimableBytes,
      });
    }
  }
  if (nanKeys > 0) {
    out.push({ kind: 'nanKeys', message: `${nanKeys} keys hold a NaN: they never equal themselves, so no lookup can find or delete them`, count: nanKeys });
  }
  const ovf = occ.overflow;
  if (ovf) {
    const chains = Object.entries(ovf.histogram).reduce((n, [len, c]) => (Number(len) >= LONG_CHAIN ? n + c : n), 0);
    if (chains > 0) {
      out.push({ kind: 'longChains', message: `${chains} buckets have ${LONG_CHAIN} or more overflow buckets (longest ${ovf.maxChain}): lookups there walk a chain`, chains, maxChain: ovf.maxChain });
    }
  }
  if (occ.grow) {
    const g = occ.grow;
    out.push({
      kind: 'stalledGrow',
      message: `${g.sameSize ? 'same-size ' : ''}grow in progress: ${g.evacuated} of ${g.oldBuckets} old buckets evacuated (nevacuate ${g.nevacuate}); it advances only on writes, so both arrays stay allocated meanwhile`,
      nevacuate: g.nevacuate,
      oldBuckets: g.oldBuckets,
      evacuated: g.evacuated,
      sameSize: g.sameSize,
    });
  }
  return out;
}
