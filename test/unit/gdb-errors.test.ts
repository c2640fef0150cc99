/** gdb's refusals of an expression, worded for someone who wrote Go, with the missing name kept. */
import { describe, expect, it } from 'vitest';
import { gdbExpressionError } from '../../src/gdb/errors.js';

describe('gdbExpressionError', () => {
  it('a variable that is not there: what to run to see the ones that are', () => {
    const e = gdbExpressionError('main.svcc', 'No symbol "main.svcc" in current context.');
    expect(e.message).toBe("no variable main.svcc ('mapscope list' lists the package-level map variables)");
    expect(e.missing).toEqual({ kind: 'variable', name: 'main.svcc' });
  });

  it('a field that is not there: where to see the struct fields', () => {
    const e = gdbExpressionError('cfg.itms', 'There is no member named itms.');
    expect(e.message).toBe("cfg.itms: no field itms in the struct it is taken from ('mapscope layout --exe BIN TYPE' lists a struct's fields)");
    expect(e.missing).toEqual({ kind: 'field', name: 'itms' });
  });

  it("anything else: gdb's words, without the final period", () => {
    const e = gdbExpressionError('1 +', 'A syntax error in expression, near `\'.');
    expect(e.message).toBe("A syntax error in expression, near `'");
    expect(e.missing).toBeUndefined();
  });
});
