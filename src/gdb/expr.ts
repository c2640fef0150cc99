/**
 * Go expressions as users write them → expressions gdb's Go parser accepts.
 *
 * gdb cannot parse a package-qualified global (`main.routes`, `net/http.DefaultServeMux`)
 * unquoted: it reads `main` as a variable. The package path ends at the first `.` after the
 * last `/`; the identifier after that dot is the variable, anything further is field access,
 * which gdb's Go mode applies through pointers too. So `main.cfg.byName` becomes
 * `'main.cfg'.byName` and `(*main.srv).cache` becomes `(*'main.srv').cache`.
 */

/** `0xc000012345:map[string]int`: a raw map header address with its Go type. */
export interface RawMapExpr {
  readonly address: bigint;
  readonly typeName: string;
}

export function parseRawMapExpr(expr: string): RawMapExpr | undefined {
  const m = /^\s*(0x[0-9a-fA-F]+)\s*:\s*(map\[.*)$/.exec(expr);
  return m ? { address: BigInt(m[1]), typeName: m[2].trim() } : undefined;
}

const PATH_CHAR = /[A-Za-z0-9_./-]/;

export function toGdbExpression(expr: string): string {
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = expr.indexOf(c, i + 1);
      const stop = end < 0 ? expr.length : end + 1;
      out += expr.slice(i, stop);
      i = stop;
      continue;
    }
    const prev = out[out.length - 1];
    if (/[A-Za-z_]/.test(c) && !(prev && /[A-Za-z0-9_.)\]]/.test(prev))) {
      let j = i;
      while (j < expr.length && PATH_CHAR.test(expr[j])) j++;
      out += qualify(expr.slice(i, j));
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function qualify(token: string): string {
  const slash = token.lastIndexOf('/');
  const tail = token.slice(slash + 1);
  const parts = tail.split('.');
  if (parts.length < 2 || parts.some((p) => p === '')) return token;
  const pkg = token.slice(0, slash + 1) + parts[0];
  return `'${pkg}.${parts[1]}'` + parts.slice(2).map((f) => '.' + f).join('');
}
