/**
 * The package-level variables of a binary, read straight from its DWARF: each one's name, the
 * name of its type and its link-time address. Only the top level of each compilation unit is
 * looked at, and only names are taken from the type entries it points to.
 *
 * This is what gdb's `-symbol-info-variables` answers, without its cost: to list the globals
 * gdb expands the full symbol table of every compilation unit (every function, block and
 * location list) and then sorts the lot, some fifteen seconds for a binary of gopls's size,
 * where this reads about ten megabytes of DWARF in a fraction of a second. gdb still evaluates
 * and describes every variable that mapscope goes on to read; this only says which there are.
 *
 * The same pass gathers the top-level type entries (dwarf-types.ts): their names, and where their
 * runtime descriptors are. dwarf-index.ts runs it once per binary.
 *
 * Binaries can come from anywhere: every read is bounds-checked, sizes are capped, and anything
 * unexpected throws DwarfFormatError, on which the caller asks gdb instead.
 */
import { DwarfFormatError, type DwarfSections, Reader, SLICE_MS, type Unit, readBlock, readName, readRef, skipForm, unitsOf } from './dwarf-reader.js';
import { DW_AT_name, DwarfTypes, TYPE_TAGS, unitName } from './dwarf-types.js';

export interface DwarfGlobal {
  /** As DWARF names it: `main.routes`, `net/http.DefaultServeMux`. */
  readonly name: string;
  /** The DWARF name of its type (Go's spelling: `map[string]int`, `*main.Server`); '' if it has none. */
  readonly typeName: string;
  /** A constant (DW_TAG_constant, or a variable without a location): no storage to read. */
  readonly constant: boolean;
  /** The link-time address, for a location that is a plain DW_OP_addr or DW_OP_addrx. */
  readonly address: bigint | undefined;
  /**
   * Whether its type, under its names (typedefs), is a pointer, as every Go map is; undefined
   * when the DWARF does not say.
   */
  readonly pointerShaped: boolean | undefined;
}

const DW_TAG_variable = 0x34;
const DW_TAG_constant = 0x27;
const DW_TAG_typedef = 0x16;
const DW_TAG_pointer_type = 0x0f;
/** Typedefs followed to find what a type is underneath; Go names a type at most twice. */
const MAX_TYPEDEF_HOPS = 16;
const DW_AT_location = 0x02;
const DW_AT_type = 0x49;
const DW_AT_const_value = 0x1c;
const DW_AT_addr_base = 0x73;
const DW_AT_GNU_addr_base = 0x2133;
const DW_OP_addr = 0x03;
const DW_OP_addrx = 0xa1;
const DW_OP_GNU_addr_index = 0xfb;


/** A location that is one address and nothing else; undefined for anything computed. */
function locationAddress(expr: Uint8Array, u: Unit, addrBase: number | undefined, s: DwarfSections, le: boolean): bigint | undefined {
  const r = new Reader(expr, le);
  const op = r.u8();
  if (op === DW_OP_addr) {
    const a = r.uint(u.addrSize);
    return r.pos === expr.length ? a : undefined;
  }
  if (op === DW_OP_addrx || op === DW_OP_GNU_addr_index) {
    const index = r.uleb();
    if (r.pos !== expr.length || !s.addr || addrBase === undefined) return undefined;
    const t = new Reader(s.addr, le);
    t.pos = addrBase + index * u.addrSize;
    return t.uint(u.addrSize);
  }
  return undefined;
}

/**
 * The globals that DWARF sections describe, each name once; the top-level types go to `types` when
 * given. `inUnit`, when given, says which compilation units to read, by name (Go names each
 * after its package: `main`, `github.com/google/uuid`, `runtime`).
 */
export async function globalsFromDwarf(s: DwarfSections, le: boolean, types?: DwarfTypes, inUnit?: (name: string | undefined) => boolean): Promise<DwarfGlobal[]> {
  const units = unitsOf(s, le);
  const r = new Reader(s.info, le);
  const found: { name: string; type: number | undefined; constant: boolean; address: bigint | undefined }[] = [];
  let slice = performance.now();
  for (const u of units) {
    if (performance.now() - slice > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    if (inUnit && !inUnit(unitName(r, u, s))) continue;
    r.pos = u.dies;
    let depth = 0;
    let addrBase: number | undefined;
    while (r.pos < u.end) {
      const code = r.uleb();
      if (code === 0) {
        if (--depth <= 0) break;
        continue;
      }
      const ab = u.abbrevs.get(code);
      if (!ab) throw new DwarfFormatError(`abbreviation ${code} is not defined`);
      const { attrs, forms } = ab;
      if (depth === 0) {
        for (let i = 0; i < attrs.length; i++) {
          if ((attrs[i] === DW_AT_addr_base || attrs[i] === DW_AT_GNU_addr_base) && forms[i] === 0x17) addrBase = r.small(u.offsetSize);
          else skipForm(r, forms[i], u);
        }
      } else if (depth === 1 && (ab.tag === DW_TAG_variable || ab.tag === DW_TAG_constant)) {
        let name: string | undefined;
        let type: number | undefined;
        let expr: Uint8Array | undefined;
        let hasLocation = false;
        let hasConst = false;
        for (let i = 0; i < attrs.length; i++) {
          const at = attrs[i];
          if (at === DW_AT_name) name = readName(r, forms[i], u, s);
          else if (at === DW_AT_type) type = readRef(r, forms[i], u);
          else if (at === DW_AT_location) {
            hasLocation = true;
            expr = readBlock(r, forms[i], u);
          } else {
            if (at === DW_AT_const_value) hasConst = true;
            skipForm(r, forms[i], u);
          }
        }
        if (name !== undefined) {
          const constant = ab.tag === DW_TAG_constant || hasConst || !hasLocation;
          found.push({ name, type, constant, address: constant || !expr ? undefined : locationAddress(expr, u, addrBase, s, le) });
        }
      } else if (depth === 1 && types && TYPE_TAGS.has(ab.tag)) {
        types.visit(r, ab, u, s);
      } else {
        for (let i = 0; i < forms.length; i++) skipForm(r, forms[i], u);
      }
      if (ab.children) depth++;
      else if (depth === 0) break;
    }
  }
  const names = new TypeNames(s, units, le);
  const seen = new Set<string>();
  const out: DwarfGlobal[] = [];
  for (const f of found) {
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    const type = f.type === undefined ? undefined : names.at(f.type);
    out.push({ name: f.name, typeName: type?.name ?? '', constant: f.constant, address: f.address, pointerShaped: type?.pointerShaped });
  }
  return out;
}

interface TypeEntry {
  readonly name: string;
  readonly pointerShaped: boolean | undefined;
}

/** The name of the type entry at a .debug_info offset, and what it is under its typedefs; read on demand and remembered. */
class TypeNames {
  private readonly known = new Map<number, TypeEntry>();
  private readonly r: Reader;

  constructor(
    private readonly s: DwarfSections,
    private readonly units: readonly Unit[],
    le: boolean,
  ) {
    this.r = new Reader(s.info, le);
  }

  at(offset: number): TypeEntry {
    let entry = this.known.get(offset);
    if (entry === undefined) {
      const first = this.read(offset);
      let pointerShaped: boolean | undefined;
      let e = first;
      for (let hop = 0; hop < MAX_TYPEDEF_HOPS && e; hop++) {
        if (e.tag !== DW_TAG_typedef) {
          pointerShaped = e.tag === DW_TAG_pointer_type;
          break;
        }
        e = e.type === undefined ? undefined : this.read(e.type);
      }
      entry = { name: first?.name ?? '', pointerShaped };
      this.known.set(offset, entry);
    }
    return entry;
  }

  private read(offset: number): { tag: number; name: string; type: number | undefined } | undefined {
    const u = this.unitAt(offset);
    if (!u || offset < u.dies) return undefined;
    const r = this.r;
    r.pos = offset;
    const ab = u.abbrevs.get(r.uleb());
    if (!ab) throw new DwarfFormatError(`a type reference to 0x${offset.toString(16)} finds no entry`);
    let name = '';
    let type: number | undefined;
    for (let i = 0; i < ab.attrs.length; i++) {
      if (ab.attrs[i] === DW_AT_name) name = readName(r, ab.forms[i], u, this.s);
      else if (ab.attrs[i] === DW_AT_type) type = readRef(r, ab.forms[i], u);
      else skipForm(r, ab.forms[i], u);
    }
    return { tag: ab.tag, name, type };
  }

  private unitAt(offset: number): Unit | undefined {
    let lo = 0;
    let hi = this.units.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.units[mid];
      if (offset < u.offset) hi = mid - 1;
      else if (offset >= u.end) lo = mid + 1;
      else return u;
    }
    return undefined;
  }
}
