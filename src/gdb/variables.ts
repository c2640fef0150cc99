/**
 * The debug-info globals of the binary, through gdb's built-in `-symbol-info-variables` (gdb 10
 * and later): names and gdb's spelling of their types, no values. Addresses and full type
 * descriptions come afterwards from the bridge, for the few worth describing.
 */
import { type MISession, type MITuple, type MIValue, quoteMIArg } from '../mi/index.js';

export interface SymbolVariable {
  readonly name: string;
  /** gdb's spelling, C-flavoured for pointers: `main.Server *`, `map[string]int`, `[]*main.Shard`. */
  readonly typeName: string;
  /**
   * Go constants are in the DWARF too, as variables without a location; gdb describes them as
   * `static int bufio.MaxScanTokenSize;`. They have no address and hold no maps.
   */
  readonly constant: boolean;
}

/** A whole binary's symbol table is listed in well under a second; this is for a huge one. */
const SYMBOLS_TIMEOUT_MS = 120_000;

function tupleOf(v: MIValue | undefined): MITuple | undefined {
  return v !== undefined && typeof v !== 'string' && !Array.isArray(v) ? v : undefined;
}

function listOf(v: MIValue | undefined): MIValue[] {
  return Array.isArray(v) ? v : [];
}

/** Every global with debug info whose name matches `regex` (all of them when absent), each once. */
export async function symbolVariables(mi: MISession, regex?: string): Promise<SymbolVariable[]> {
  const command = regex === undefined ? '-symbol-info-variables' : `-symbol-info-variables --name ${quoteMIArg(regex)}`;
  const r = (await mi.send(command, { timeoutMs: SYMBOLS_TIMEOUT_MS })).results;
  const out = new Map<string, SymbolVariable>();
  for (const file of listOf(tupleOf(r.symbols)?.debug)) {
    for (const s of listOf(tupleOf(file)?.symbols)) {
      const t = tupleOf(s);
      const name = t?.name;
      const typeName = t?.type;
      const description = t?.description;
      if (typeof name !== 'string' || typeof typeName !== 'string' || out.has(name)) continue;
      out.set(name, { name, typeName, constant: typeof description === 'string' && description.startsWith('static ') });
    }
  }
  return [...out.values()];
}

/** Names of the debug-info types matching `regex` (gdb's regex syntax), each once. */
export async function symbolTypes(mi: MISession, regex: string): Promise<string[]> {
  const r = (await mi.send(`-symbol-info-types --name ${quoteMIArg(regex)}`, { timeoutMs: SYMBOLS_TIMEOUT_MS })).results;
  const out = new Set<string>();
  for (const file of listOf(tupleOf(r.symbols)?.debug)) {
    for (const s of listOf(tupleOf(file)?.symbols)) {
      const name = tupleOf(s)?.name;
      if (typeof name === 'string') out.add(name);
    }
  }
  return [...out];
}
