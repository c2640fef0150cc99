/**
 * `mapscope goroutines` output: the JSON (schema mapscope/goroutines@1) and a text form that
 * reads like Go's own traceback, with frame numbers for `inspect --goroutine G --frame F`.
 */
import { targetJson } from '../report/contract.js';
import { hex } from '../target/bytes.js';
import type { TargetInfo } from '../target/target.js';
import type { JsonValue } from '../values/json.js';
import type { Goroutine, GoroutineCreator, GoroutineFrame, GoroutineList } from './bridge.js';

export const GOROUTINES_SCHEMA = 'mapscope/goroutines@1';

function frameJson(f: GoroutineFrame): JsonValue {
  return {
    index: f.index,
    function: f.function,
    file: f.file,
    line: f.line,
    pc: hex(f.pc),
    sp: hex(f.sp),
    ...(f.inlined ? { inlined: true } : {}),
  };
}

function creatorJson(c: GoroutineCreator): JsonValue {
  return { function: c.function, file: c.file, line: c.line, pc: hex(c.pc), ...(c.goroutine !== undefined ? { goroutine: c.goroutine } : {}) };
}

function goroutineJson(g: Goroutine): JsonValue {
  return {
    id: g.id,
    status: g.status,
    ...(g.waitReason !== undefined ? { waitReason: g.waitReason } : {}),
    ...(g.thread !== undefined ? { thread: g.thread } : {}),
    address: hex(g.address),
    ...(g.startFunction !== undefined ? { startFunction: g.startFunction } : {}),
    frames: g.frames.map(frameJson),
    ...(g.createdBy ? { createdBy: creatorJson(g.createdBy) } : {}),
  };
}

export function goroutinesJson(info: TargetInfo, list: GoroutineList): JsonValue {
  return {
    schema: GOROUTINES_SCHEMA,
    target: targetJson(info),
    goroutines: list.goroutines.map(goroutineJson),
  };
}

/** Go's header: the wait reason of a waiting goroutine, else its status; the thread it runs on. */
export function goroutineHeader(g: Goroutine): string {
  const state = g.waitReason ?? g.status;
  const thread = g.thread !== undefined ? `, thread ${g.thread}` : '';
  return `goroutine ${g.id} [${state}${thread}]:`;
}

export function goroutinesText(list: GoroutineList): string {
  const lines: string[] = [];
  for (const g of list.goroutines) {
    lines.push(goroutineHeader(g));
    for (const f of g.frames) {
      const where = f.file ? ` at ${f.file}:${f.line}` : '';
      lines.push(`  #${f.index} ${f.function || `?? (pc ${hex(f.pc)})`}${f.inlined ? ' (inlined)' : ''}${where}`);
    }
    if (g.frames.length === 0) lines.push('  (no frames)');
    const c = g.createdBy;
    if (c) lines.push(`  created by ${c.function}${c.goroutine !== undefined ? ` in goroutine ${c.goroutine}` : ''} at ${c.file}:${c.line}`);
    lines.push('');
  }
  lines.push(`${list.goroutines.length} goroutine${list.goroutines.length === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}
