/**
 * Corruptions of a map image, as fast-check arbitraries: random bytes anywhere, flipped bits,
 * pointers redirected (into the image, at a structure such as an earlier bucket or the header,
 * at the pointer's own word, into unmapped space, past the top of the address space) and
 * absurd values in the fields that size things (B = 60, dirLen 2^40, globalDepth 64, a string
 * length of 2^62, a negative count). Indices are drawn as plain numbers and reduced modulo the
 * image's lists when applied, so one arbitrary serves every image and shrinks well.
 */
import fc from 'fast-check';
import type { Anatomy } from './anatomy.js';
import type { ImageBlockBytes } from './image-memory.js';

export type Value =
  | { readonly kind: 'const'; readonly v: bigint }
  /** A structure's address plus a small delta (an earlier bucket, the header, a key...). */
  | { readonly kind: 'structure'; readonly index: number; readonly delta: number }
  /** Some address inside the image. */
  | { readonly kind: 'image'; readonly block: number; readonly at: number }
  /** The address of the word being written: a pointer to itself, the shortest cycle. */
  | { readonly kind: 'self' };

export type Mutation =
  | { readonly kind: 'bytes'; readonly block: number; readonly at: number; readonly data: Uint8Array }
  | { readonly kind: 'bit'; readonly block: number; readonly at: number; readonly bit: number }
  | { readonly kind: 'field'; readonly field: number; readonly value: Value }
  | { readonly kind: 'word'; readonly block: number; readonly at: number; readonly value: Value };

/** Values that break size arithmetic: sign bits, 2^53 + 1, 2^62, all ones, B = 60, depth 64. */
const ABSURD = [
  0n, 1n, 7n, 8n, 31n, 40n, 41n, 60n, 63n, 64n, 65n, 255n, 0x7fn, 0x80n, 0xfen, 0xffn,
  2n ** 16n, 2n ** 20n, 2n ** 20n + 1n, 2n ** 24n, 2n ** 24n + 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n,
  2n ** 40n, 2n ** 53n + 1n, 2n ** 62n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n - 8n,
  0x1000n, 0xdead0000n, 0xc000000000n, 0x7fffffffffffn,
];

const value: fc.Arbitrary<Value> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ABSURD).map((v) => ({ kind: 'const', v }) as const) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => ({ kind: 'const', v }) as const) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('structure' as const), index: fc.nat(), delta: fc.constantFrom(0, 0, 0, 8, -8, 1, 64) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('image' as const), block: fc.nat(), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'self' } as const) },
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), block: fc.nat(), at: fc.nat(), data: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bit' as const), block: fc.nat(), at: fc.nat(), bit: fc.nat({ max: 7 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('field' as const), field: fc.nat(), value }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('word' as const), block: fc.nat(), at: fc.nat(), value }) },
);

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 6 });

/** Applies mutations in place; a write that falls outside the image is dropped. */
export function corrupt(blocks: readonly ImageBlockBytes[], a: Anatomy, ms: readonly Mutation[], ps: number, littleEndian: boolean): void {
  const blockAt = (address: bigint, size: number) =>
    blocks.find((b) => b.address <= address && address + BigInt(size) <= b.address + BigInt(b.bytes.length));
  const write = (address: bigint, size: number, v: bigint) => {
    const b = blockAt(address, size);
    if (!b) return;
    const off = Number(address - b.address);
    let x = BigInt.asUintN(size * 8, v);
    for (let i = 0; i < size; i++) {
      b.bytes[off + (littleEndian ? i : size - 1 - i)] = Number(x & 0xffn);
      x >>= 8n;
    }
  };
  const pick = (block: number, at: number, align = 1) => {
    const b = blocks[block % blocks.length];
    const off = at % b.bytes.length;
    return { b, off: off - (off % align) };
  };
  const resolve = (v: Value, self: bigint): bigint => {
    switch (v.kind) {
      case 'const':
        return v.v;
      case 'structure':
        return a.structures[v.index % a.structures.length] + BigInt(v.delta);
      case 'image': {
        const { b, off } = pick(v.block, v.at);
        return b.address + BigInt(off);
      }
      case 'self':
        return self;
    }
  };
  for (const m of ms) {
    switch (m.kind) {
      case 'bytes': {
        const { b, off } = pick(m.block, m.at);
        b.bytes.set(m.data.subarray(0, b.bytes.length - off), off);
        break;
      }
      case 'bit': {
        const { b, off } = pick(m.block, m.at);
        b.bytes[off] ^= 1 << m.bit;
        break;
      }
      case 'field': {
        if (a.fields.length === 0) break;
        const f = a.fields[m.field % a.fields.length];
        write(f.address, f.size, resolve(m.value, f.address));
        break;
      }
      case 'word': {
        const { b, off } = pick(m.block, m.at, ps);
        const address = b.address + BigInt(off);
        write(address, ps, resolve(m.value, address));
        break;
      }
    }
  }
}
