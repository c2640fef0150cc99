/**
 * The named types at the top level of a binary's DWARF, as the one pass over it meets them
 * (dwarf-globals.ts runs the pass): each type's name and, where the linker kept the type's runtime
 * descriptor, where that descriptor is.
 *
 * Go's linker gives every type entry whose descriptor is reachable a `DW_AT_go_runtime_type`
 * (0x2904), in form DW_FORM_addr, holding the descriptor's offset from the start of the section
 * the descriptors are in, which is where `moduledata.types` points (cmd/link/internal/ld/dwarf.go
 * `newtype` and `defptrto`; the value is an R_ADDROFF relocation, cmd/internal/dwarf `putattr`
 * with DW_CLS_GO_TYPEREF; checked in Go 1.19, 1.21–1.24 and 1.27.3). A type the program never
 * makes a descriptor for has 0 there, or no attribute. Delve finds descriptors the same way
 * (`md.types + off`). It is the only way to a map type's descriptor once the runtime dropped
 * `moduledata.typelinks` (Go 1.27).
 *
 * The pass reads every top-level type entry anyway, for its name; the offset is one more
 * attribute value of the same entry, kept in a map beside the names.
 *
 * A command that wants the types alone (inspect: the descriptors of the maps it reads) walks only
 * the compilation units named `runtime`: Go's linker makes every type entry itself and puts them
 * all at the top level of one of the runtime's units (cmd/link `movetomodule`, into
 * ctxt.runtimeCU, Go 1.19 to 1.27), a quarter of gopls's DWARF; the compiler's own units hold
 * functions and variables only.
 */
import { type Abbrev, DwarfFormatError, type DwarfSections, Reader, SLICE_MS, type Unit, readName, readUnsigned, skipForm, unitsOf } from './dwarf-reader.js';

export const DW_AT_name = 0x03;
export const DW_AT_go_runtime_type = 0x2904;

/** The entries of types Go names (DW_TAG_base_type, structure, typedef, pointer, array, subroutine, ...). */
export const TYPE_TAGS: ReadonlySet<number> = new Set([0x01, 0x0f, 0x13, 0x15, 0x16, 0x17, 0x24, 0x3b]);

/** What the pass gathers of the top-level type entries. */
export class DwarfTypes {
  /** Every name (`github.com/google/uuid.UUID`, `map[string]*main.T`). */
  readonly names = new Set<string>();
  /** By name: the runtime descriptor's offset from `moduledata.types`, for the types that have one. */
  readonly runtimeTypes = new Map<string, number>();

  /** Reads one top-level type entry, the reader at its first attribute; leaves it past the last. */
  visit(r: Reader, ab: Abbrev, u: Unit, s: DwarfSections): void {
    const { attrs, forms } = ab;
    let name: string | undefined;
    let offset: number | undefined;
    for (let i = 0; i < attrs.length; i++) {
      const at = attrs[i];
      if (at === DW_AT_name) name = readName(r, forms[i], u, s);
      else if (at === DW_AT_go_runtime_type) offset = readUnsigned(r, forms[i], u);
      else skipForm(r, forms[i], u);
    }
    if (name === undefined) return;
    this.names.add(name);
    // 0 (and NaN, an offset past 2^53): no descriptor. A type named twice keeps its first.
    if (offset && !this.runtimeTypes.has(name)) this.runtimeTypes.set(name, offset);
  }
}

/** The package a compilation unit is of: the name of its unit entry. */
export function unitName(r: Reader, u: Unit, s: DwarfSections): string | undefined {
  r.pos = u.dies;
  const ab = u.abbrevs.get(r.uleb());
  if (!ab) throw new DwarfFormatError('a unit entry has no abbreviation');
  let name: string | undefined;
  for (let i = 0; i < ab.attrs.length; i++) {
    if (ab.attrs[i] === DW_AT_name) name = readName(r, ab.forms[i], u, s);
    else skipForm(r, ab.forms[i], u);
  }
  return name;
}

/**
 * The top-level types of the runtime's compilation units; undefined if they hold none (a
 * linker that put them elsewhere: then every unit must be read, as dwarf-globals.ts does).
 */
export async function typesFromDwarf(s: DwarfSections, le: boolean): Promise<DwarfTypes | undefined> {
  const types = new DwarfTypes();
  const r = new Reader(s.info, le);
  let slice = performance.now();
  for (const u of unitsOf(s, le)) {
    if (unitName(r, u, s) !== 'runtime') continue;
    r.pos = u.dies;
    let depth = 0;
    let entries = 0;
    while (r.pos < u.end) {
      // The unit of the types is a few megabytes: gdb's answers are let in within it too.
      if ((++entries & 1023) === 0 && performance.now() - slice > SLICE_MS) {
        const at = r.pos;
        await new Promise((resolve) => setImmediate(resolve));
        r.pos = at;
        slice = performance.now();
      }
      const code = r.uleb();
      if (code === 0) {
        if (--depth <= 0) break;
        continue;
      }
      const ab = u.abbrevs.get(code);
      if (!ab) throw new DwarfFormatError(`abbreviation ${code} is not defined`);
      if (depth === 1 && TYPE_TAGS.has(ab.tag)) types.visit(r, ab, u, s);
      else for (let i = 0; i < ab.forms.length; i++) skipForm(r, ab.forms[i], u);
      if (ab.children) depth++;
      else if (depth === 0) break;
    }
  }
  return types.names.size > 0 ? types : undefined;
}
