/**
 * The JSON Schemas in docs/schemas say what every output's parts are: the target object written
 * by report/contract.ts targetJson, for a live process and a core, has exactly their fields, of
 * their types.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { targetJson } from '../../src/report/contract.js';
import type { TargetInfo } from '../../src/target/target.js';

interface Schema {
  required: string[];
  properties: Record<string, { type?: string | string[]; enum?: unknown[] }>;
}

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'schemas', 'target.schema.json'), 'utf8')) as Schema;

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
}

function check(o: Record<string, unknown>): void {
  expect(Object.keys(o).sort()).toEqual([...schema.required].sort());
  for (const [k, p] of Object.entries(schema.properties)) {
    if (p.enum) expect(p.enum, k).toContain(o[k]);
    if (p.type) expect([p.type].flat(), k).toContain(typeOf(o[k]));
  }
}

describe('docs/schemas/target.schema.json', () => {
  const base: TargetInfo = { kind: 'live', pid: 42, exe: '/srv/app', goVersion: 'go1.26.8', arch: 'amd64', pointerSize: 8, littleEndian: true };
  it('a live process: stoppedMs a number, partial null or why', () => {
    check(targetJson({ ...base, stoppedMs: 12 }) as Record<string, unknown>);
    const cut = targetJson({ ...base, stoppedMs: 1000, partial: 'not read: the target was let go after 1 s stopped (--max-pause)' }) as Record<string, unknown>;
    check(cut);
    expect(cut.partial).toMatch(/--max-pause/);
  });
  it('a core: stoppedMs null', () => {
    const core = targetJson({ ...base, kind: 'core', pid: null }) as Record<string, unknown>;
    check(core);
    expect(core.stoppedMs).toBeNull();
  });
  it('warnings: an array of strings, empty when there are none', () => {
    expect(targetJson(base)).toMatchObject({ warnings: [] });
    const told = ["go1.28.0's runtime.moduledata has no field types: interface keys and values are shown without their dynamic types"];
    const t = targetJson({ ...base, goVersion: 'go1.28.0', warnings: told }) as Record<string, unknown>;
    check(t);
    expect(t.warnings).toEqual(told);
  });
});
