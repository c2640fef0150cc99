/**
 * What list and top share with inspect on the command line: the target (--pid, or --core with
 * --exe), --gdb, and which packages' variables to start from (--all, --package).
 */
import type { TargetSpec } from '../gdb/session.js';
import type { RootFilter } from '../discover/roots.js';
import { UsageError } from './exit.js';
import { BUDGET_OPTIONS } from './budget-args.js';

export const TARGET_OPTIONS = {
  pid: { type: 'string' },
  core: { type: 'string' },
  exe: { type: 'string' },
  gdb: { type: 'string' },
  json: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  package: { type: 'string', multiple: true },
  ...BUDGET_OPTIONS,
} as const;

export interface TargetValues {
  readonly pid?: string;
  readonly core?: string;
  readonly exe?: string;
  readonly all?: boolean;
  readonly package?: string[];
}

export function nonNegativeInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} needs a non-negative integer, not ${JSON.stringify(v)}`);
  return Number(v);
}

export function targetSpec(v: TargetValues): TargetSpec {
  if (v.pid !== undefined) {
    if (v.core !== undefined || v.exe !== undefined) throw new UsageError('--pid cannot be combined with --core/--exe');
    const pid = nonNegativeInt('pid', v.pid);
    if (!pid) throw new UsageError('--pid needs a process id');
    return { kind: 'live', pid };
  }
  if (v.core !== undefined) {
    if (v.exe === undefined) throw new UsageError('--core needs --exe, the binary that produced the core');
    return { kind: 'core', core: v.core, exe: v.exe };
  }
  if (v.exe !== undefined) throw new UsageError('--exe goes with --core');
  throw new UsageError('give a target: --pid PID, or --core CORE --exe EXE');
}

export function rootFilter(v: TargetValues): RootFilter {
  const packages = v.package ?? [];
  if (packages.some((p) => p.trim() === '')) throw new UsageError('--package needs a package path, e.g. main or net/http');
  return { all: v.all ?? false, packages };
}

