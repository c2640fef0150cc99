/**
 * The bridge's MI commands (gdb-scripts/mapscope.py) as typed functions, one per command.
 * MI has no numbers, only strings: they are parsed here, once.
 */
import type { DwarfType } from '../layout/dwarf.js';
import { type MISession, type MITuple, type MIValue, quoteMIArg } from '../mi/index.js';

export interface BridgeTarget {
  readonly gdbArch: string;
  readonly pointerSize: number;
  readonly littleEndian: boolean;
  readonly pid: number;
  /** Address of runtime.buildVersion, if the binary has one (every Go binary does). */
  readonly goVersionAddress: bigint | undefined;
  /** Whether the binary carries Go DWARF. */
  readonly dwarf: boolean;
  /** Whether the binary has a .go.buildinfo section (Go, even when stripped of symbols). */
  readonly goBuildInfo: boolean;
}

export interface BridgeMap {
  readonly header: bigint;
  readonly typeName: string;
  readonly root: number;
  readonly types: DwarfType[];
}

export interface BridgeTypes {
  readonly roots: (number | undefined)[];
  readonly types: DwarfType[];
}

export type BridgeBlock = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

function str(t: MITuple, key: string): string {
  const v = t[key];
  if (typeof v !== 'string') throw new Error(`bridge answer lacks ${key}`);
  return v;
}

function list(t: MITuple, key: string): MIValue[] {
  const v = t[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`bridge answer ${key} is not a list`);
  return v;
}

function tuple(v: MIValue): MITuple {
  if (typeof v === 'string' || Array.isArray(v)) throw new Error('bridge answer: expected a tuple');
  return v;
}

function optNumber(t: MITuple, key: string): number | undefined {
  const v = t[key];
  return typeof v === 'string' ? Number(v) : undefined;
}

export function parseDwarfTypes(values: MIValue[]): DwarfType[] {
  return values.map((v) => {
    const t = tuple(v);
    const fields = t.fields === undefined ? undefined : list(t, 'fields').map((f) => {
      const ft = tuple(f);
      return { name: str(ft, 'name'), offset: Number(str(ft, 'offset')), bitsize: Number(str(ft, 'bitsize')), type: Number(str(ft, 'type')) };
    });
    return {
      id: Number(str(t, 'id')),
      code: str(t, 'code'),
      name: str(t, 'name'),
      str: str(t, 'str'),
      size: Number(str(t, 'size')),
      target: optNumber(t, 'target'),
      length: optNumber(t, 'length'),
      signed: t.signed === undefined ? undefined : t.signed === '1',
      fields,
      truncated: t.truncated === '1' ? true : undefined,
    };
  });
}

export async function bridgeTarget(gdb: MISession): Promise<BridgeTarget> {
  const r = (await gdb.send('-mapscope-target')).results;
  const goVersionAddress = str(r, 'goVersionAddress');
  return {
    gdbArch: str(r, 'arch'),
    pointerSize: Number(str(r, 'pointerSize')),
    littleEndian: str(r, 'byteOrder') === 'little',
    pid: Number(str(r, 'pid')),
    goVersionAddress: goVersionAddress ? BigInt(goVersionAddress) : undefined,
    dwarf: str(r, 'dwarf') === '1',
    goBuildInfo: str(r, 'goBuildInfo') === '1',
  };
}

function mapAnswer(r: MITuple): BridgeMap {
  return { header: BigInt(str(r, 'header')), typeName: str(r, 'typeName'), root: Number(str(r, 'root')), types: parseDwarfTypes(list(r, 'types')) };
}

export async function bridgeEval(gdb: MISession, gdbExpr: string): Promise<BridgeMap> {
  return mapAnswer((await gdb.send(`-mapscope-eval ${quoteMIArg(gdbExpr)}`)).results);
}

export async function bridgeMapAt(gdb: MISession, address: bigint, typeName: string): Promise<BridgeMap> {
  return mapAnswer((await gdb.send(`-mapscope-map-at 0x${address.toString(16)} ${quoteMIArg(typeName)}`)).results);
}

export async function bridgeDescribe(gdb: MISession, names: readonly string[]): Promise<BridgeTypes> {
  if (names.length === 0) return { roots: [], types: [] };
  const r = (await gdb.send(`-mapscope-describe ${names.map(quoteMIArg).join(' ')}`)).results;
  return {
    roots: list(r, 'roots').map((v) => (v === '' ? undefined : Number(v as string))),
    types: parseDwarfTypes(list(r, 'types')),
  };
}

export async function bridgeRead(
  gdb: MISession,
  ranges: readonly { address: bigint; length: number }[],
  timeoutMs?: number,
): Promise<BridgeBlock[]> {
  if (ranges.length === 0) return [];
  const args = ranges.map((r) => `0x${r.address.toString(16)} ${r.length}`).join(' ');
  const r = (await gdb.send(`-mapscope-read ${args}`, timeoutMs ? { timeoutMs } : undefined)).results;
  return list(r, 'blocks').map((v) => {
    const b = tuple(v);
    if (typeof b.hex === 'string') return { ok: true, bytes: new Uint8Array(Buffer.from(b.hex, 'hex')) };
    return { ok: false, error: typeof b.error === 'string' ? b.error : 'cannot read memory' };
  });
}

export async function bridgeSymbols(gdb: MISession, names: readonly string[]): Promise<(bigint | undefined)[]> {
  const r = (await gdb.send(`-mapscope-symbol ${names.map(quoteMIArg).join(' ')}`)).results;
  return list(r, 'addresses').map((v) => (v === '' ? undefined : BigInt(v as string)));
}

/** One value as -mapscope-values / -mapscope-frame-vars describe it. */
export interface BridgeValue {
  /** A frame variable's name (absent for an evaluated expression). */
  readonly name?: string;
  readonly isArgument: boolean;
  /** gdb's spelling of the type, for display when there is no description. */
  readonly typeName: string;
  /** Where the value lives; absent for values not in memory (registers, computed results). */
  readonly address?: bigint;
  /** The type's root in `types`; absent when it could not be described. */
  readonly root?: number;
  /** gdb's own text of a value not in memory. */
  readonly text?: string;
  readonly error?: string;
}

export interface BridgeValues {
  readonly values: BridgeValue[];
  readonly types: DwarfType[];
}

/** Where a command runs: gdb selects the thread and frame before invoking it. */
export interface FrameSelector {
  readonly thread: number;
  readonly frame: number;
}

function frameOptions(at: FrameSelector | undefined): string {
  return at ? ` --thread ${at.thread} --frame ${at.frame}` : '';
}

function valueAnswer(v: MIValue): BridgeValue {
  const t = tuple(v);
  const opt = (key: string) => (typeof t[key] === 'string' ? (t[key] as string) : undefined);
  const address = opt('address');
  const root = opt('root');
  return {
    name: opt('name'),
    isArgument: opt('arg') === '1',
    typeName: opt('typeName') ?? '',
    address: address === undefined ? undefined : BigInt(address),
    root: root === undefined ? undefined : Number(root),
    text: opt('text'),
    error: opt('error'),
  };
}

/** Evaluates gdb expressions (already in gdb's syntax) to addresses and types, one answer each. */
export async function bridgeValues(gdb: MISession, gdbExprs: readonly string[], at?: FrameSelector, timeoutMs?: number): Promise<BridgeValues> {
  if (gdbExprs.length === 0) return { values: [], types: [] };
  const command = `-mapscope-values${frameOptions(at)} ${gdbExprs.map(quoteMIArg).join(' ')}`;
  const r = (await gdb.send(command, timeoutMs ? { timeoutMs } : undefined)).results;
  return { values: list(r, 'values').map(valueAnswer), types: parseDwarfTypes(list(r, 'types')) };
}

/** The arguments and locals of one frame. */
export async function bridgeFrameVars(gdb: MISession, at: FrameSelector, timeoutMs?: number): Promise<BridgeValues> {
  const r = (await gdb.send(`-mapscope-frame-vars${frameOptions(at)}`, timeoutMs ? { timeoutMs } : undefined)).results;
  return { values: list(r, 'vars').map(valueAnswer), types: parseDwarfTypes(list(r, 'types')) };
}

/** -mapscope-eval in a chosen frame, for maps that are locals or reached from them. */
export async function bridgeEvalAt(gdb: MISession, gdbExpr: string, at: FrameSelector): Promise<BridgeMap> {
  return mapAnswer((await gdb.send(`-mapscope-eval${frameOptions(at)} ${quoteMIArg(gdbExpr)}`)).results);
}
