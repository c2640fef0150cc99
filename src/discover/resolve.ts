/**
 * Resolves a path expression (./path.ts) over target memory and DWARF types, the way Go would
 * evaluate it: fields through pointers, array and slice elements with bounds checks, interface
 * assertions against the dynamic type, map values by key. Each step says precisely why it
 * failed, naming the prefix that was reached.
 */
import { ExpressionError } from '../gdb/errors.js';
import type { GoMapType, GoType } from '../layout/gotype.js';
import { hex, readInt, readUint } from '../target/bytes.js';
import { readExact } from '../target/target.js';
import { type Dynamic, resolveDynamic } from './dynamic.js';
import { type DiscoverEnv, elemType } from './env.js';
import { keyLiterals, literalMatches } from './keys.js';
import { decodeMap, describedMap, mapLayoutOf } from './maps.js';
import { type GoPath, type IndexLiteral, type PathStep, formatIndex, formatStep } from './path.js';
import { closest, didYouMean } from './similar.js';

/** A value in memory: where it is and what type it has. */
export interface Located {
  readonly address: bigint;
  readonly type: GoType;
}

/** Pointers followed implicitly by one field step (`p.f` with p a **T is not Go, but harmless). */
const MAX_AUTO_DEREF = 4;

export async function resolvePath(env: DiscoverEnv, path: GoPath): Promise<Located> {
  const variables = env.target.variables;
  if (!variables) throw new ExpressionError(`cannot look up ${path.root}: the target has no symbol table`);
  const root = await variables.variable(path.root);
  if (!root) throw await noVariable(env, path.root);
  let at: Located = { address: root.address, type: root.type };
  let where = path.root;
  for (const step of path.steps) {
    at = await applyStep(env, at, step, where);
    where += formatStep(step);
  }
  return at;
}

/**
 * The package-level variable `name` is not in the program: said with the variables whose names
 * are close to it (every package's, not only maps: a typo may be of any).
 */
async function noVariable(env: DiscoverEnv, name: string): Promise<ExpressionError> {
  const names: string[] = [];
  // Names only: every variable is turned down, so none is described.
  await env.target.variables?.packageVariables((n) => (names.push(n), false)).catch(() => undefined);
  const hint = didYouMean(closest(name, names)) || "; 'mapscope list' lists the package-level map variables";
  return new ExpressionError(`no package-level variable ${name}${hint}`, { kind: 'variable', name });
}

/**
 * Resolves a path that ends at a map: the header pointer (0 for a nil map) and the map type. A
 * path that ends at an interface holding a map (`var box any = map[string]int{}`) reads that
 * map: its dynamic type from the runtime's type descriptor, its header from the data word.
 */
export async function resolveMapPath(env: DiscoverEnv, path: GoPath, expr: string): Promise<{ header: bigint; type: GoMapType }> {
  let at = await resolvePath(env, path);
  if (at.type.kind === 'eface' || at.type.kind === 'iface') at = await held(env, at, expr);
  if (at.type.kind !== 'map') throw new ExpressionError(`${expr} is not a Go map (its type is ${at.type.name})${mapFieldsHint(at.type, expr)}`);
  const header = await readWord(env, at.address);
  // The caller lays the map out from this type: hand over one described down to its header.
  const { type } = await describedMap(env, at.type).catch(() => ({ type: at.type as GoMapType }));
  return { header, type };
}

async function readWord(env: DiscoverEnv, address: bigint): Promise<bigint> {
  const [r] = await env.mem.readMany([{ address, length: env.mem.pointerSize }]);
  if (!r.ok) throw new ExpressionError(`cannot read memory at ${hex(address)}: ${r.error}`);
  return readUint(r.bytes, 0, env.mem.pointerSize, env.mem);
}

async function applyStep(env: DiscoverEnv, at: Located, step: PathStep, where: string): Promise<Located> {
  switch (step.kind) {
    case 'field':
      return field(await deref(env, at, where), step.name, where);
    case 'index':
      return index(env, at, step.key, where);
    case 'assert':
      return assert(env, at, step.type, where);
  }
}

/** Follows pointers, as Go's selector and index expressions do implicitly. */
async function deref(env: DiscoverEnv, at: Located, where: string): Promise<Located> {
  let cur = at;
  for (let i = 0; i < MAX_AUTO_DEREF && cur.type.kind === 'pointer'; i++) {
    const t = cur.type;
    const target = await readWord(env, cur.address);
    if (target === 0n) throw new ExpressionError(`${where} is a nil pointer`);
    const elem = await elemType(env, t);
    if (!elem) throw new ExpressionError(`${where}: no DWARF type for ${t.name.slice(1)}`);
    cur = { address: target, type: elem };
  }
  return cur;
}

function field(at: Located, name: string, where: string): Located {
  if (at.type.kind !== 'struct') throw new ExpressionError(`${where} is a ${at.type.name}, not a struct: it has no field ${name}`);
  const f = at.type.fields.find((x) => x.name === name);
  if (!f) {
    const names = at.type.fields.map((x) => x.name);
    const shown = names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, … (${names.length} in all)`;
    const hint = didYouMean(closest(name, names)) || (names.length > 0 ? `; its fields are ${shown}` : '; it has no fields');
    throw new ExpressionError(`${where} (${at.type.name}) has no field ${name}${hint}`, { kind: 'field', name });
  }
  return { address: at.address + BigInt(f.offset), type: f.type };
}

async function index(env: DiscoverEnv, at: Located, key: IndexLiteral, where: string): Promise<Located> {
  const cur = await deref(env, at, where);
  const t = cur.type;
  if (t.kind === 'map') return mapValue(env, cur.address, t, key, where);
  if (typeof key !== 'bigint') throw new ExpressionError(`${where} is a ${t.name}: index it with an integer, not ${formatIndex(key)}`);
  const ps = env.mem.pointerSize;
  if (t.kind === 'array') {
    if (key < 0n || key >= BigInt(t.length)) throw new ExpressionError(`${where}[${key}]: index out of range (length ${t.length})`);
    return { address: cur.address + key * BigInt(t.elem.size), type: t.elem };
  }
  if (t.kind === 'slice') {
    const header = await readExact(env.mem, cur.address, 3 * ps).catch((e: unknown) => {
      throw new ExpressionError(`${where}: ${e instanceof Error ? e.message : String(e)}`);
    });
    const data = readUint(header, 0, ps, env.mem);
    const len = readInt(header, ps, ps, env.mem);
    if (key < 0n || key >= len) throw new ExpressionError(`${where}[${key}]: index out of range (length ${len})`);
    const elem = await elemType(env, t);
    if (!elem) throw new ExpressionError(`${where}: no DWARF type for the elements of ${t.name}`);
    return { address: data + key * BigInt(elem.size), type: elem };
  }
  throw new ExpressionError(`${where} is a ${t.name}: it cannot be indexed`);
}

/** The value stored under `key`: the map is decoded and its keys compared, as rendered. */
async function mapValue(env: DiscoverEnv, address: bigint, t: GoMapType, key: IndexLiteral, where: string): Promise<Located> {
  const header = await readWord(env, address);
  if (header === 0n) throw new ExpressionError(`${where} is a nil map: it has no key ${formatIndex(key)}`);
  const layout = await mapLayoutOf(env, t);
  const snapshot = await decodeMap(env, layout, header);
  const literals = await keyLiterals(
    env,
    snapshot.entries.map((e) => ({ type: layout.key, address: e.key })),
  );
  const i = literals.findIndex((l) => literalMatches(key, l));
  if (i < 0) throw new ExpressionError(`${where} (${t.name}) has no key ${formatIndex(key)}`);
  return { address: snapshot.entries[i].value, type: layout.elem };
}

/** "; its maps: main.cfg.byName, ..." for a struct with map fields, the paths to inspect instead. */
function mapFieldsHint(type: GoType, expr: string): string {
  // Through one pointer, as Go's selectors go.
  const t = type.kind === 'pointer' && type.elem ? type.elem : type;
  if (t.kind !== 'struct') return '';
  const maps = t.fields.filter((f) => f.type.kind === 'map').map((f) => `${expr}.${f.name}`);
  return maps.length === 0 ? '' : `; its map ${maps.length === 1 ? 'field is' : 'fields are'} ${maps.join(', ')}`;
}

/** What the interface at `at` holds, when that is a map; otherwise why it is not one. */
async function held(env: DiscoverEnv, at: Located, expr: string): Promise<Located> {
  const d = await dynamicOf(env, at, expr);
  if (!d.ok && at.type.kind === 'eface' && d.error === 'nil interface') throw new ExpressionError(`${expr} is a nil interface (${at.type.name}): it holds no map`);
  if (!d.ok) throw new ExpressionError(`${expr} is an interface (${at.type.name}) whose value cannot be read: ${d.error}`);
  if (d.type.kind !== 'map') throw new ExpressionError(`${expr} is not a Go map: it is an interface (${at.type.name}) holding a ${d.name}${mapFieldsHint(d.type, `${expr}.(${d.name})`)}`);
  // A map is pointer-shaped: the interface's data word is the map itself, which resolveDynamic places.
  return { address: d.address, type: d.type };
}

/** The dynamic type and value of the interface at `at` (its two words read here). */
async function dynamicOf(env: DiscoverEnv, at: Located, where: string): Promise<Dynamic> {
  const t = at.type;
  const ps = env.mem.pointerSize;
  const words = await readExact(env.mem, at.address, 2 * ps).catch((e: unknown) => {
    throw new ExpressionError(`${where}: ${e instanceof Error ? e.message : String(e)}`);
  });
  const [d] = await resolveDynamic(env, [{ kind: t.kind === 'iface' ? 'iface' : 'eface', address: at.address, word0: readUint(words, 0, ps, env.mem), data: readUint(words, ps, ps, env.mem) }]);
  return d;
}

async function assert(env: DiscoverEnv, at: Located, typeName: string, where: string): Promise<Located> {
  const t = at.type;
  if (t.kind !== 'eface' && t.kind !== 'iface') throw new ExpressionError(`${where} is a ${t.name}, not an interface: it cannot be asserted to ${typeName}`);
  const d = await dynamicOf(env, at, where);
  if (!d.ok) {
    if (d.name !== undefined && sameType(d.name, typeName)) throw new ExpressionError(`${where}.(${typeName}): ${d.error}`);
    throw new ExpressionError(d.name === undefined ? `${where}: ${d.error}` : `${where} holds ${d.name}, not ${typeName}`);
  }
  if (!sameType(d.name, typeName)) throw new ExpressionError(`${where} holds ${d.name}, not ${typeName}`);
  return { address: d.address, type: d.type };
}

/** Type names as the runtime spells them, ignoring spaces (`interface {}` / `interface{}`). */
function sameType(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}
