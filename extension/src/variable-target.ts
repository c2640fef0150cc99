/**
 * What "Inspect Go Map" on a row of the VARIABLES view should inspect. VS Code passes the menu
 * command `{ sessionId, container, variable }` with the DAP Variable; mapscope's adapter gives a
 * map variable its Go type (`map[K]V`), an evaluateName when it has one (globals, fields, locals)
 * and the map header's address as memoryReference — which, with the type, is an expression of
 * its own (`0xADDR:map[K]V`) for maps nested where no name reaches.
 */

export interface VariableContext {
  readonly sessionId?: string;
  /** The scope (Locals, Globals) or the variable the row is a child of. */
  readonly container?: { readonly name?: string; readonly presentationHint?: unknown; readonly expensive?: unknown };
  readonly variable: {
    readonly name: string;
    readonly value?: string;
    readonly type?: string;
    readonly evaluateName?: string;
    readonly memoryReference?: string;
    readonly variablesReference?: number;
  };
}

export type VariableTarget =
  | { readonly kind: 'map'; readonly expression: string; readonly sessionId?: string }
  | { readonly kind: 'notMap'; readonly message: string };

export function isVariableContext(v: unknown): v is VariableContext {
  if (typeof v !== 'object' || v === null) return false;
  const variable = (v as { variable?: unknown }).variable;
  return typeof variable === 'object' && variable !== null && typeof (variable as { name?: unknown }).name === 'string';
}

export function isMapType(type: string | undefined): boolean {
  return type !== undefined && /^map\[/.test(type.trim());
}

export function variableTarget(ctx: VariableContext): VariableTarget {
  const v = ctx.variable;
  const sessionId = ctx.sessionId;
  if (!isMapType(v.type)) {
    const what = v.type ? `of type ${v.type}` : 'of unknown type';
    return { kind: 'notMap', message: `"${v.name}" is ${what}, not a Go map: Inspect Go Map shows map[K]V variables.` };
  }
  // A non-nil map always has children (its entries and [internals]); a nil one has none.
  if (v.variablesReference === 0 && /\bnil$/.test(v.value ?? '')) return { kind: 'notMap', message: `"${v.name}" is a nil map: there is nothing to inspect.` };
  const found = (expression: string): VariableTarget => ({ kind: 'map', expression, ...(sessionId ? { sessionId } : {}) });
  const name = v.evaluateName?.trim();
  if (name) return found(name);
  // A local or argument right under its scope: its name evaluates in the selected frame.
  if (isScope(ctx.container) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name)) return found(v.name);
  const mem = v.memoryReference?.trim();
  if (mem && /^0x[0-9a-f]+$/i.test(mem) && v.type && (v.variablesReference ?? 0) > 0) return found(`${mem}:${v.type.trim()}`);
  return found(v.name);
}

/** DAP Scopes carry `expensive`; Variables never do. */
function isScope(c: VariableContext['container']): boolean {
  return c !== undefined && typeof c.expensive === 'boolean';
}
