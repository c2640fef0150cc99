/**
 * The guard outlives mapscope to leave a live target running should mapscope die without
 * closing its session (SIGKILL, an OOM kill, a crash in node).
 *
 * Nothing inside mapscope can run after a SIGKILL, and gdb alone is not enough: it detaches
 * when its stdin hits EOF only once the command it is running ends, which for a gdb that has
 * stopped answering is never, and the target stays stopped under it. So a tiny sh process is
 * started beside gdb, in a session of its own (a signal to mapscope's process group or terminal
 * does not reach it). It holds the read end of a socket whose other end only mapscope holds
 * (node opens it close-on-exec, so gdb does not inherit it); mapscope tells it the pids involved
 * and, on a normal close, `done`. EOF without `done` means mapscope is gone: the guard ends gdb
 * and resumes the target if it was left stopped (guard-script.ts).
 *
 * It costs one fork+exec of sh, started before gdb and never waited for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { GUARD_SCRIPT } from './guard-script.js';
import type { ProcRef } from './proc-state.js';

export class TracerGuard {
  private released = false;

  private constructor(private readonly child: ChildProcess) {}

  /** Starts the guard; undefined if it cannot be (then mapscope works on, unguarded). */
  static start(): TracerGuard | undefined {
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', ['-c', GUARD_SCRIPT, 'mapscope-guard'], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], cwd: '/' });
    } catch {
      return undefined;
    }
    // A guard that could not start or has died is reported nowhere: its absence only matters if mapscope dies too.
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    // Neither the guard nor its socket may keep a program that embeds mapscope (the debug adapter) alive.
    child.unref();
    if (child.stdin instanceof Socket) child.stdin.unref();
    return new TracerGuard(child);
  }

  gdb(ref: ProcRef): void {
    this.send(`gdb ${ref.pid} ${ref.start}`);
  }

  target(ref: ProcRef, stateBefore: string): void {
    this.send(`target ${ref.pid} ${ref.start} ${stateBefore}`);
  }

  tracer(ref: ProcRef): void {
    this.send(`tracer ${ref.pid} ${ref.start}`);
  }

  /** The session is closed: the guard exits without touching anything. */
  release(): void {
    this.send('done');
    this.released = true;
    this.child.stdin?.end();
  }

  private send(line: string): void {
    if (this.released) return;
    this.child.stdin?.write(`${line}\n`);
  }
}
