/**
 * Decoder for Go's classic bucketed hash map (runtime/map.go, Go ≤ 1.23; runtime/map_noswiss.go,
 * Go 1.24–1.25 with GOEXPERIMENT=noswissmap).
 *
 * An hmap points at an array of 2^B buckets. Each bucket holds 8 tophash bytes, 8 keys, 8 elems
 * and an overflow pointer to the next bucket of its chain. While the map grows, `oldbuckets`
 * keeps the previous array (2^(B-1) buckets, or 2^B for a same-size grow) and old buckets are
 * evacuated one by one; an old bucket not yet evacuated still holds the entries of both new
 * buckets it will split into. Reading follows the runtime's own iterator: for new bucket i, the
 * old bucket i & (oldN-1) is read instead while it is not evacuated, so each entry is seen once.
 *
 * Pure: reads come from the Memory it is given, in few large reads (whole bucket arrays, then
 * one batched read per level of overflow chains).
 */
import type { ClassicLayout } from '../../layout/map-layout.js';
import { readInt, readUint } from '../../target/bytes.js';
import { readExact, type Memory } from '../../target/target.js';
import { MAX_ARRAY_BYTES } from '../limits.js';
import { type ClassicBucket, type ClassicBucketChain, type ClassicSnapshot, CorruptMapError, type EntryRef } from '../snapshot.js';
import { bucketCnt, evacuated, hashWriting, minTopHash, sameSizeGrow } from './tophash.js';

/** B beyond this would mean more buckets than any address space holds. */
const MAX_B = 40;
/** Longest overflow chain followed before reporting corruption. */
const MAX_CHAIN = 1 << 20;

interface Bucket {
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

export async function decodeClassic(mem: Memory, layout: ClassicLayout, address: bigint): Promise<ClassicSnapshot> {
  const h = layout.hmap;
  const header = await readExact(mem, address, h.size);
  const u = (f: { offset: number; size: number }) => readUint(header, f.offset, f.size, mem);
  const count = Number(readInt(header, h.count.offset, h.count.size, mem));
  const flags = Number(u(h.flags));
  const B = Number(u(h.B));
  const buckets = u(h.buckets);
  const oldbuckets = u(h.oldbuckets);
  const warnings: string[] = [];
  // A write holds hashWriting for its duration: caught mid-write, any bucket may be half updated.
  if (flags & hashWriting) warnings.push(`caught mid-write (hmap.flags ${flags} has hashWriting): a goroutine was writing the map, so what was read may be inconsistent`);
  if (B > MAX_B) throw new CorruptMapError(`hmap.B is ${B}, over the bound of ${MAX_B}, in the hmap at 0x${address.toString(16)}`);
  if (count < 0) throw new CorruptMapError(`hmap.count is negative (${count}), in the hmap at 0x${address.toString(16)}`);

  const nb = 2 ** B;
  const cur = buckets === 0n ? [] : await readChains(mem, layout, buckets, nb, 'buckets');
  const oldN = (flags & sameSizeGrow) !== 0 ? nb : nb / 2;
  let old: Bucket[][] | null = null;
  if (oldbuckets !== 0n) {
    if (oldN < 1) throw new CorruptMapError(`oldbuckets set while B is 0, in the hmap at 0x${address.toString(16)}`);
    old = await readChains(mem, layout, oldbuckets, oldN, 'oldbuckets');
  }
  if (buckets === 0n && count > 0) throw new CorruptMapError(`hmap.count is ${count} but buckets is nil, in the hmap at 0x${address.toString(16)}`);

  const entries: EntryRef[] = [];
  for (let i = 0; i < cur.length; i++) {
    if (old) {
      const oi = i & (oldN - 1);
      const oldChain = old[oi];
      if (!evacuated(tophashOf(layout, oldChain[0]))) {
        // Not yet evacuated: the old bucket holds this bucket's entries (and, when the map is
        // doubling, those of its sibling i + oldN); read it once, from its lower index.
        if (oi === i) collect(mem, layout, oldChain, entries);
        continue;
      }
    }
    collect(mem, layout, cur[i], entries);
  }
  if (entries.length !== count) {
    warnings.push(`found ${entries.length} live entries but hmap.count is ${count}`);
  }

  return {
    implementation: 'classic',
    address,
    count,
    flags,
    B,
    noverflow: Number(u(h.noverflow)),
    hash0: Number(u(h.hash0)),
    nevacuate: u(h.nevacuate),
    clearSeq: h.clearSeq ? u(h.clearSeq) : undefined,
    buckets: cur.map((c) => chainOf(layout, c)),
    oldbuckets: old ? old.map((c) => chainOf(layout, c)) : null,
    entries,
    warnings,
  };
}

/** Reads an array of n buckets and every overflow chain hanging off it, one level at a time. */
async function readChains(mem: Memory, layout: ClassicLayout, base: bigint, n: number, what: string): Promise<Bucket[][]> {
  const size = layout.bucket.size;
  if (n * size > MAX_ARRAY_BYTES) throw new CorruptMapError(`${what} at 0x${base.toString(16)}: ${n} buckets of ${size} bytes is beyond belief`);
  const array = await readExact(mem, base, n * size);
  const chains: Bucket[][] = [];
  for (let i = 0; i < n; i++) {
    chains.push([{ address: base + BigInt(i * size), bytes: array.subarray(i * size, (i + 1) * size) }]);
  }
  const seen = new Set<bigint>();
  const arrayEnd = base + BigInt(n * size);
  let frontier = chains.map((_, i) => i);
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth >= MAX_CHAIN) throw new CorruptMapError(`${what}: an overflow chain is longer than ${MAX_CHAIN}`);
    const next: number[] = [];
    const ptrs: bigint[] = [];
    for (const i of frontier) {
      const chain = chains[i];
      const ovf = overflowOf(mem, layout, chain[chain.length - 1]);
      if (ovf === 0n) continue;
      // Overflow buckets come from beyond the 2^B array (or are allocated singly), never from it:
      // pointing into it would read a bucket twice, or loop through it unseen by `seen`.
      if (ovf >= base && ovf < arrayEnd) {
        const from = chain[chain.length - 1].address;
        throw new CorruptMapError(`${what}: the overflow pointer of bucket 0x${from.toString(16)} points back into the bucket array, at 0x${ovf.toString(16)}`);
      }
      if (seen.has(ovf)) throw new CorruptMapError(`${what}: overflow chain of bucket ${i} loops back to 0x${ovf.toString(16)}`);
      seen.add(ovf);
      next.push(i);
      ptrs.push(ovf);
    }
    if (next.length === 0) break;
    const got = await mem.readMany(ptrs.map((address) => ({ address, length: size })));
    got.forEach((r, j) => {
      if (!r.ok) throw new CorruptMapError(`${what}: overflow bucket 0x${ptrs[j].toString(16)} of bucket ${next[j]} is unreadable: ${r.error}`);
      chains[next[j]].push({ address: ptrs[j], bytes: r.bytes });
    });
    frontier = next;
  }
  return chains;
}

function overflowOf(mem: Memory, layout: ClassicLayout, b: Bucket): bigint {
  const f = layout.bucket.overflow;
  return readUint(b.bytes, f.offset, f.size, mem);
}

function tophashOf(layout: ClassicLayout, b: Bucket): number[] {
  const off = layout.bucket.tophash.offset;
  return Array.from(b.bytes.subarray(off, off + bucketCnt));
}

function chainOf(layout: ClassicLayout, chain: Bucket[]): ClassicBucketChain {
  const plain = (b: Bucket): ClassicBucket => ({ address: b.address, tophash: tophashOf(layout, b) });
  return { ...plain(chain[0]), overflow: chain.slice(1).map(plain) };
}

/** Appends the live cells of a chain; cells marked empty or evacuated hold no entry (stale bytes at most). */
function collect(mem: Memory, layout: ClassicLayout, chain: Bucket[], out: EntryRef[]): void {
  const bl = layout.bucket;
  const ps = mem.pointerSize;
  for (const b of chain) {
    for (let s = 0; s < bucketCnt; s++) {
      if (b.bytes[bl.tophash.offset + s] < minTopHash) continue;
      const keyOff = bl.keys.offset + s * bl.keySlot;
      const elemOff = bl.values.offset + s * bl.elemSlot;
      const key = layout.indirectKey ? readUint(b.bytes, keyOff, ps, mem) : b.address + BigInt(keyOff);
      const value = layout.indirectElem ? readUint(b.bytes, elemOff, ps, mem) : b.address + BigInt(elemOff);
      out.push({ key, value });
    }
  }
}

