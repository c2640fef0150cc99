/**
 * --max-pause and --max-time, which every command that reads a target takes: how long a live
 * process may be kept stopped, and how long the whole command may take (src/target/stop-window.ts).
 */
import { DEFAULT_MAX_PAUSE_MS, type StopBudget } from '../target/stop-window.js';
import { UsageError } from './exit.js';

export const BUDGET_OPTIONS = {
  'max-pause': { type: 'string' },
  'max-time': { type: 'string' },
} as const;

export interface BudgetValues {
  readonly 'max-pause'?: string;
  readonly 'max-time'?: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `1.5s`, `500ms`, `2m`, or a number of seconds; positive. */
export function parseDuration(option: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m)?$/.exec(v.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2] ?? 's'] : NaN;
  if (!(ms > 0)) throw new UsageError(`--${option} needs a duration such as 1s, 500ms or 2m (a plain number is seconds), not ${JSON.stringify(v)}`);
  return ms;
}

/**
 * The command's budget, its deadline counted from the process's start (performance.now() is 0
 * there); `defaultMaxTimeMs` for commands that are bounded unless told otherwise (top).
 */
export function stopBudget(v: BudgetValues, defaultMaxTimeMs = Infinity): StopBudget {
  const maxPauseMs = parseDuration('max-pause', v['max-pause']) ?? DEFAULT_MAX_PAUSE_MS;
  const maxTimeMs = parseDuration('max-time', v['max-time']) ?? defaultMaxTimeMs;
  return { maxPauseMs, deadline: maxTimeMs };
}

export const BUDGET_HELP = `Pause and time (a duration: 1.5s, 500ms, 2m, or seconds):
  --max-pause D      longest a live process is kept stopped (default ${DEFAULT_MAX_PAUSE_MS / 1000} s): it is stopped
                     only while bytes are copied, and let go at this budget with what was read,
                     marked partial, with the reason
  --max-time D       longest the whole command may take (reading stops early enough to write)`;
