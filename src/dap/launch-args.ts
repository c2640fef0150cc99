/**
 * attach and launch arguments → what to open. The names are the ones VS Code's Go and C/C++
 * extensions use, so existing habits (and `${command:pickProcess}`) carry over.
 */
import type { TargetSpec } from '../gdb/session.js';
import { DapRequestError, ErrorCode } from './errors.js';

/** `"request": "attach"`: a live process. */
export interface AttachArguments {
  /** A number, or the numeric string `${command:pickProcess}` substitutes. */
  readonly processId?: unknown;
  readonly gdbPath?: unknown;
}

/** `"request": "launch"`: post-mortem only, a core dump and the binary that produced it. */
export interface LaunchArguments {
  readonly coreFilePath?: unknown;
  /** cpptools' spelling of the same thing. */
  readonly coreDumpPath?: unknown;
  readonly program?: unknown;
  readonly gdbPath?: unknown;
}

export interface OpenRequest {
  readonly spec: TargetSpec;
  readonly gdbPath: string | undefined;
}

function optionalString(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new DapRequestError(ErrorCode.badArguments, `"${name}" must be a string`);
  return v;
}

export function attachRequestSpec(args: AttachArguments): OpenRequest {
  const raw = args.processId;
  let pid: number | undefined;
  if (typeof raw === 'number' && Number.isInteger(raw)) pid = raw;
  else if (typeof raw === 'string' && /^\s*\d+\s*$/.test(raw)) pid = Number(raw);
  if (pid === undefined || pid <= 0) {
    const shown = raw === undefined ? 'missing' : JSON.stringify(raw);
    throw new DapRequestError(ErrorCode.badArguments, `attach needs "processId": the pid of a running Go program (got ${shown})`);
  }
  return { spec: { kind: 'live', pid }, gdbPath: optionalString(args.gdbPath, 'gdbPath') };
}

export function launchRequestSpec(args: LaunchArguments): OpenRequest {
  const core = optionalString(args.coreFilePath, 'coreFilePath') ?? optionalString(args.coreDumpPath, 'coreDumpPath');
  if (core === undefined) {
    throw new DapRequestError(
      ErrorCode.badArguments,
      'mapscope launches only post-mortem sessions: give "coreFilePath" and "program"; to inspect a running process use "request": "attach" with "processId"',
    );
  }
  const program = optionalString(args.program, 'program');
  if (program === undefined) throw new DapRequestError(ErrorCode.badArguments, `"program" is needed with "coreFilePath": the binary that produced ${core}`);
  return { spec: { kind: 'core', core, exe: program }, gdbPath: optionalString(args.gdbPath, 'gdbPath') };
}
