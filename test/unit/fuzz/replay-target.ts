/**
 * A Target replayed from a captured map image: memory from the image's blocks (a fresh copy
 * per replay, so corrupting it leaves the fixture alone), types rebuilt from the stored bridge
 * answers with GoTypeBuilder as src/target/gdb-target.ts does, symbols from the stored answers.
 */
import { readFileSync } from 'node:fs';
import { GoTypeBuilder } from '../../../src/layout/dwarf.js';
import { type GoMapType, type GoType, predeclaredType } from '../../../src/layout/gotype.js';
import type { MemRange, ReadResult, Target, TargetInfo } from '../../../src/target/target.js';
import { IMAGE_FORMAT, type ImageFile, type ImageMap } from './image-format.js';
import { type ImageBlockBytes, ImageMemory } from './image-memory.js';

export function loadImageFile(path: string): ImageFile {
  const f = JSON.parse(readFileSync(path, 'utf8')) as ImageFile;
  if (f.format !== IMAGE_FORMAT) throw new Error(`${path}: not a ${IMAGE_FORMAT} file`);
  return f;
}

/** The image's blocks as fresh, writable bytes. */
export function imageBlocks(m: ImageMap): ImageBlockBytes[] {
  return m.blocks.map((b) => ({ address: BigInt(b.address), bytes: new Uint8Array(Buffer.from(b.base64, 'base64')) }));
}

export class ReplayTarget implements Target {
  readonly info: TargetInfo;
  readonly mem: ImageMemory;
  private readonly described: GoTypeBuilder;
  private readonly rootByName = new Map<string, number>();
  private readonly cache = new Map<string, GoType | undefined>();

  constructor(
    private readonly file: ImageFile,
    private readonly map: ImageMap,
    blocks: readonly ImageBlockBytes[],
  ) {
    this.info = {
      kind: 'core',
      pid: null,
      exe: 'mapsuite',
      goVersion: file.goVersion,
      arch: file.arch,
      pointerSize: file.pointerSize,
      littleEndian: file.littleEndian,
    };
    this.mem = new ImageMemory(blocks, file.pointerSize, file.littleEndian);
    this.described = new GoTypeBuilder(file.describe.types, file.pointerSize);
    file.describe.names.forEach((n, i) => {
      const root = file.describe.roots[i];
      if (root !== null) this.rootByName.set(n, root);
    });
  }

  get pointerSize(): 4 | 8 {
    return this.file.pointerSize;
  }
  get littleEndian(): boolean {
    return this.file.littleEndian;
  }

  readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    return this.mem.readMany(ranges);
  }

  async typesByName(names: readonly string[]): Promise<(GoType | undefined)[]> {
    return names.map((n) => this.typeByName(n));
  }

  /** Predeclared, described, or `[N]T` / `*T` built from T: the lookup order of GdbTarget. */
  private typeByName(name: string): GoType | undefined {
    const ps = this.file.pointerSize;
    const pre = predeclaredType(name, ps);
    if (pre) return pre;
    if (this.cache.has(name)) return this.cache.get(name);
    this.cache.set(name, undefined); // a name naming itself ends here, not in a stack overflow
    const root = this.rootByName.get(name);
    let t: GoType | undefined = root === undefined ? undefined : this.described.type(root);
    if (!t) {
      const array = /^\[(\d+)\](.+)$/.exec(name);
      const elem = array ? this.typeByName(array[2]) : name.startsWith('*') ? this.typeByName(name.slice(1)) : undefined;
      if (array && elem) t = { kind: 'array', name, size: Number(array[1]) * elem.size, align: elem.align, elem, length: Number(array[1]) };
      else if (name.startsWith('*')) t = { kind: 'pointer', name, size: ps, align: ps, elem };
    }
    this.cache.set(name, t);
    return t;
  }

  async symbolAddress(name: string): Promise<bigint | undefined> {
    const a = this.file.symbols[name];
    return a ? BigInt(a) : undefined;
  }

  async evalMap(expr: string): Promise<{ header: bigint; type: GoMapType }> {
    if (expr !== this.map.expr) throw new Error(`image of ${this.map.expr} cannot evaluate ${expr}`);
    const type = new GoTypeBuilder(this.map.types, this.file.pointerSize).type(this.map.root);
    if (type.kind !== 'map') throw new Error(`${expr} is not a map in its image`);
    return { header: BigInt(this.map.header), type };
  }
}
