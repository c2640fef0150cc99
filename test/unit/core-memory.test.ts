/**
 * CoreMemory (src/target/core-memory.ts) on small synthetic cores of both classes and byte
 * orders: exactly the file's bytes where a segment's file part holds the whole range (across
 * contiguous segments too), undefined everywhere gdb must answer instead; checked against a
 * byte-by-byte model on random ranges. Then hostile headers: they drop segments or refuse the
 * file with a typed error, never crash, and never make a read allocate what was not asked for.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ElfFormatError, PT_LOAD, PT_NOTE } from '../../src/elf/elf.js';
import { CoreMemory, CoreMemoryError, CoreSegments } from '../../src/target/core-memory.js';
import { type CoreSpec, referenceRead, type SegmentSpec, type WrittenCore, writeCore } from './synthetic-core.js';

const scratch = mkdtempSync(join(tmpdir(), 'mapscope-core-memory-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let fileNo = 0;
const corePath = () => join(scratch, `core-${fileNo++}`);

/**
 * Headers deliberately out of address order: two segments contiguous in address with a third
 * after them whose file part ends before its memory does, one with no file bytes at all, a
 * gap, and a note that is not memory.
 */
const LAYOUT: readonly SegmentSpec[] = [
  { vaddr: 0x30000n, filesz: 0x400n },
  { vaddr: 0x10000n, filesz: 0x1000n },
  { type: PT_NOTE, vaddr: 0n, filesz: 0x40n },
  { vaddr: 0x11000n, filesz: 0x800n },
  { vaddr: 0x11800n, filesz: 0x100n, memsz: 0x2000n },
  { vaddr: 0x20000n, filesz: 0n, memsz: 0x1000n },
];

/** For 64-bit cores: a segment at the very top of the address space, and one far above 2^53. */
const HIGH: readonly SegmentSpec[] = [
  { vaddr: 0xffff_ffff_ffff_f000n, filesz: 0x1000n },
  { vaddr: 0x7f00_0000_0000_0000n, filesz: 0x200n },
];

const CORES: readonly (readonly [string, CoreSpec])[] = [
  ['64-bit little-endian', { class64: true, littleEndian: true, segments: [...LAYOUT, ...HIGH] }],
  ['64-bit big-endian', { class64: true, littleEndian: false, segments: [...LAYOUT, ...HIGH] }],
  ['32-bit little-endian', { class64: false, littleEndian: true, segments: LAYOUT }],
  ['32-bit big-endian', { class64: false, littleEndian: false, segments: LAYOUT }],
];

/** The file's bytes at the file part of segment `index`, from `from` for `length`. */
function fileBytes(c: WrittenCore, index: number, from: number, length: number): Uint8Array {
  const at = Number(c.offsets[index]) + from;
  return new Uint8Array(c.file.subarray(at, at + length));
}

describe.each(CORES)('CoreMemory, %s core', (_name, spec) => {
  const path = corePath();
  const written = writeCore(path, spec);
  let mem: CoreMemory;

  it('opens', async () => {
    mem = await CoreMemory.open(path);
  });
  afterAll(() => mem?.close());

  it('reads exactly the file bytes inside one segment', () => {
    expect(mem.read(0x10000n, 0x1000)).toEqual(fileBytes(written, 1, 0, 0x1000));
    expect(mem.read(0x10123n, 7)).toEqual(fileBytes(written, 1, 0x123, 7));
    expect(mem.read(0x30000n, 0x400)).toEqual(fileBytes(written, 0, 0, 0x400));
    expect(mem.read(0x303ffn, 1)).toEqual(fileBytes(written, 0, 0x3ff, 1));
    expect(mem.read(0x11800n, 0x100)).toEqual(fileBytes(written, 4, 0, 0x100));
  });

  it('reads across segments contiguous in address, piece by piece into one buffer', () => {
    const want = new Uint8Array([...fileBytes(written, 1, 0xff0, 0x10), ...fileBytes(written, 3, 0, 0x800), ...fileBytes(written, 4, 0, 0x10)]);
    const got = mem.read(0x10ff0n, 0x10 + 0x800 + 0x10);
    expect(got).toEqual(want);
    expect(got?.constructor).toBe(Uint8Array);
    expect(mem.read(0x10000n, 0x1900)?.length).toBe(0x1900);
  });

  it('leaves to gdb what the file does not hold: past filesz, no file bytes, gaps, unmapped, partly covered', () => {
    expect(mem.read(0x11900n, 1)).toBeUndefined(); // past filesz, within memsz
    expect(mem.read(0x118f0n, 0x20)).toBeUndefined(); // straddles filesz
    expect(mem.read(0x20000n, 8)).toBeUndefined(); // filesz 0
    expect(mem.read(0x30400n, 1)).toBeUndefined(); // just past a segment
    expect(mem.read(0x303f0n, 0x20)).toBeUndefined(); // runs off its end into a gap
    expect(mem.read(0xfff0n, 0x20)).toBeUndefined(); // starts in the gap before one
    expect(mem.read(0x0n, 0x40)).toBeUndefined(); // the note's "vaddr": not memory
    expect(mem.read(0x25000n, 16)).toBeUndefined();
    expect(mem.read(0xffff_ffffn, 1)).toBeUndefined();
    expect(mem.read(-1n, 1)).toBeUndefined();
    expect(mem.read(1n << 64n, 1)).toBeUndefined();
  });

  it('reads the top of a 64-bit address space, and addresses above 2^53', () => {
    if (!spec.class64) return;
    expect(mem.read(0xffff_ffff_ffff_fff8n, 8)).toEqual(fileBytes(written, 6, 0xff8, 8));
    expect(mem.read(0xffff_ffff_ffff_fff8n, 9)).toBeUndefined();
    expect(mem.read(0x7f00_0000_0000_0101n, 0xff)).toEqual(fileBytes(written, 7, 0x101, 0xff));
    expect(mem.read(0x7f00_0000_0000_0101n, 0x100)).toBeUndefined();
  });

  it('answers an empty range with no bytes, and a length that is no length with undefined', () => {
    expect(mem.read(0x10000n, 0)).toEqual(new Uint8Array(0));
    expect(mem.read(0x25000n, 0)).toEqual(new Uint8Array(0));
    for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) expect(mem.read(0x10000n, bad)).toBeUndefined();
    // Never allocates for a range it cannot serve, however long.
    expect(mem.read(0x10000n, 2 ** 40)).toBeUndefined();
  });

  it('equals the byte-by-byte model on random ranges', () => {
    const near = [0x10000n, 0x11000n, 0x11800n, 0x11900n, 0x20000n, 0x30000n, 0x30400n, ...(spec.class64 ? [0xffff_ffff_ffff_f000n, 0x7f00_0000_0000_0000n] : [])];
    fc.assert(
      fc.property(fc.constantFrom(...near), fc.integer({ min: -0x200, max: 0x1a00 }), fc.integer({ min: 0, max: 0x1200 }), (base, delta, length) => {
        const address = base + BigInt(delta);
        expect(mem.read(address, length)).toEqual(referenceRead(spec, written, address, length));
      }),
      { numRuns: 400 },
    );
  });

  it('answers a batch as read() answers each range: unsorted, overlapping, repeated, across segments, or not held', () => {
    const near = [0x10000n, 0x10100n, 0x11000n, 0x11800n, 0x20000n, 0x30000n, ...(spec.class64 ? [0xffff_ffff_ffff_f000n, 0x7f00_0000_0000_0000n] : [])];
    const range = fc.record({ base: fc.constantFrom(...near), delta: fc.integer({ min: -0x100, max: 0x1000 }), length: fc.integer({ min: 0, max: 0x900 }) });
    fc.assert(
      fc.property(fc.array(range, { maxLength: 40 }), (rs) => {
        const ranges = rs.map((r) => ({ address: r.base + BigInt(r.delta), length: r.length }));
        expect(mem.readMany(ranges)).toEqual(ranges.map((r) => mem.read(r.address, r.length)));
      }),
      { numRuns: 400 },
    );
  });
});

describe('CoreSegments.pieces', () => {
  const load = (vaddr: bigint, offset: bigint, filesz: bigint) => ({ type: PT_LOAD, vaddr, offset, filesz, memsz: filesz, flags: 4 });
  const segments = CoreSegments.from([load(0x3000n, 0x500n, 0x100n), load(0x1000n, 0x100n, 0x100n), load(0x1100n, 0x900n, 0x80n), load(0x1200n, 0x300n, 0x100n)], 0x1000n, 64);

  it('finds one piece in one segment, one per segment across contiguous ones, none across a gap', () => {
    expect(segments.pieces(0x1010n, 0x20)).toEqual([{ offset: 0x110, length: 0x20 }]);
    expect(segments.pieces(0x10f0n, 0x90)).toEqual([
      { offset: 0x1f0, length: 0x10 },
      { offset: 0x900, length: 0x80 },
    ]);
    // 0x1100 + 0x80 ends at 0x1180; the next segment starts at 0x1200: a gap.
    expect(segments.pieces(0x1170n, 0x20)).toBeUndefined();
    expect(segments.pieces(0x1180n, 1)).toBeUndefined();
    expect(segments.pieces(0x1200n, 0x100)).toEqual([{ offset: 0x300, length: 0x100 }]);
    expect(segments.pieces(0x12f0n, 0x20)).toBeUndefined();
    expect(segments.pieces(0x3000n, 0)).toEqual([]);
  });

  it('keeps a 32-bit core below 2^32', () => {
    const s32 = CoreSegments.from([load(0xffff_f000n, 0x100n, 0x1000n), load(0xffff_ff00n, 0x100n, 0x200n)], 0x2000n, 32);
    expect(s32.count).toBe(1);
    expect(s32.pieces(0xffff_fff0n, 0x10)).toEqual([{ offset: 0x10f0, length: 0x10 }]);
  });
});

describe('CoreMemory and what it is given', () => {
  const simple = (segments: readonly SegmentSpec[], extra: Partial<CoreSpec> = {}): { path: string; written: WrittenCore } => {
    const path = corePath();
    return { path, written: writeCore(path, { class64: true, littleEndian: true, segments, ...extra }) };
  };

  it('refuses what is not an ELF core with a typed error', async () => {
    const notElf = corePath();
    writeFileSync(notElf, 'just text, long enough to hold an ELF header if it were one: ........');
    await expect(CoreMemory.open(notElf)).rejects.toBeInstanceOf(ElfFormatError);
    await expect(CoreMemory.open(simple([{ vaddr: 0x1000n, filesz: 0x10n }], { type: 2 }).path)).rejects.toBeInstanceOf(CoreMemoryError);
    await expect(CoreMemory.open(simple([{ vaddr: 0x1000n, filesz: 0n, memsz: 0x1000n }]).path)).rejects.toBeInstanceOf(CoreMemoryError);
    await expect(CoreMemory.open(scratch)).rejects.toBeInstanceOf(CoreMemoryError);
    await expect(CoreMemory.open(join(scratch, 'no-such-core'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a header claiming more program headers than the file holds', async () => {
    const { path } = simple([{ vaddr: 0x1000n, filesz: 0x10n }], { phnum: 0xffff });
    await expect(CoreMemory.open(path)).rejects.toBeInstanceOf(ElfFormatError);
  });

  it('drops segments whose bytes lie past the file or whose addresses wrap, and serves the others', async () => {
    const top = 1n << 64n;
    const { path, written } = simple([
      { vaddr: 0x1000n, filesz: 0x100n },
      { vaddr: 0x2000n, filesz: 0x100n, offset: 1n << 40n }, // past the end of the file
      { vaddr: 0x3000n, filesz: 0x100n, offset: top - 0x10n }, // offset + filesz overflows 64 bits
      { vaddr: 0x4000n, filesz: top - 0x10n, offset: 0n }, // bigger than the file
      { vaddr: top - 0x10n, filesz: 0x20n, offset: 0n }, // runs past the top of the address space
      { vaddr: 0x5000n, filesz: 0x80n, offset: 0n }, // the header's own bytes: a lie, but inside the file
    ]);
    const mem = await CoreMemory.open(path);
    try {
      expect(mem.read(0x1000n, 0x100)).toEqual(new Uint8Array(written.file.subarray(Number(written.offsets[0]), Number(written.offsets[0]) + 0x100)));
      for (const a of [0x2000n, 0x3000n, 0x4000n, top - 0x10n]) expect(mem.read(a, 1)).toBeUndefined();
      expect(mem.read(0x5000n, 0x80)).toEqual(new Uint8Array(written.file.subarray(0, 0x80)));
    } finally {
      mem.close();
    }
  });

  it('drops every segment of a group that overlaps in address, and keeps their neighbours', async () => {
    const { path } = simple([
      { vaddr: 0x1000n, filesz: 0x1000n },
      { vaddr: 0x1800n, filesz: 0x100n },
      { vaddr: 0x1f00n, filesz: 0x400n },
      { vaddr: 0x3000n, filesz: 0x100n },
      { vaddr: 0x3100n, filesz: 0x100n },
    ]);
    const mem = await CoreMemory.open(path);
    try {
      for (const a of [0x1000n, 0x1800n, 0x1f00n, 0x2200n]) expect(mem.read(a, 1)).toBeUndefined();
      expect(mem.read(0x3000n, 0x200)?.length).toBe(0x200);
    } finally {
      mem.close();
    }
  });

  it('answers undefined after the file shrank underneath, and after close', async () => {
    const { path } = simple([
      { vaddr: 0x1000n, filesz: 0x1000n },
      { vaddr: 0x2000n, filesz: 0x1000n },
    ]);
    const mem = await CoreMemory.open(path);
    expect(mem.read(0x2000n, 0x1000)?.length).toBe(0x1000);
    truncateSync(path, 0x1800);
    expect(mem.read(0x2000n, 0x1000)).toBeUndefined();
    expect(mem.read(0x1000n, 0x10)?.length).toBe(0x10);
    expect(mem.readMany([{ address: 0x2000n, length: 0x1000 }, { address: 0x1000n, length: 0x10 }]).map((b) => b?.length)).toEqual([undefined, 0x10]);
    mem.close();
    mem.close();
    expect(mem.read(0x1000n, 0x10)).toBeUndefined();
    expect(mem.readMany([{ address: 0x1000n, length: 0x10 }])).toEqual([undefined]);
  });

  it('never crashes on random program headers: a typed refusal, or reads within the file', async () => {
    const segment = fc.record({
      vaddr: fc.oneof(fc.bigInt({ min: 0n, max: 0x10000n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      filesz: fc.oneof(fc.bigInt({ min: 0n, max: 0x2000n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      offset: fc.option(fc.oneof(fc.bigInt({ min: 0n, max: 0x4000n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })), { nil: undefined }),
      type: fc.constantFrom(1, 1, 1, 4, 0),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 8 }), fc.boolean(), fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 0x12000n }), fc.integer({ min: 0, max: 0x3000 })), { maxLength: 20 }), async (segments, class64, reads) => {
        const real = segments.map((s) => ({ ...s, offset: s.offset, filesz: s.offset === undefined && s.filesz > 0x2000n ? 0x2000n : s.filesz }));
        const fit = class64 ? real : real.map((s) => ({ ...s, vaddr: s.vaddr & 0xffff_ffffn, filesz: s.filesz & 0xffff_ffffn, offset: s.offset === undefined ? undefined : s.offset & 0xffff_ffffn }));
        const path = corePath();
        const written = writeCore(path, { class64, littleEndian: true, segments: fit });
        let mem: CoreMemory;
        try {
          mem = await CoreMemory.open(path);
        } catch (e) {
          expect(e instanceof CoreMemoryError || e instanceof ElfFormatError).toBe(true);
          return;
        } finally {
          rmSync(path, { force: true });
        }
        try {
          for (const [address, length] of reads) {
            const got = mem.read(address, length);
            if (got === undefined) continue;
            expect(got.length).toBe(length);
            // Whatever it answers, it found in the file: every byte the file's own.
            if (length > 0) expect(written.file.includes(Buffer.from(got))).toBe(true);
          }
        } finally {
          mem.close();
        }
      }),
      { numRuns: 300 },
    );
  });
});
