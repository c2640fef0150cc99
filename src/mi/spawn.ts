import { execa } from 'execa';

export interface SpawnGdbOptions {
  args?: readonly string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Starts gdb in MI3 mode with raw pipes; output is streamed to us, never buffered by execa. */
export function spawnGdb(gdbPath: string, opts: SpawnGdbOptions) {
  return execa(gdbPath, ['--interpreter=mi3', '-q', '-nx', ...(opts.args ?? [])], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    // Kill gdb if node exits first, so no orphaned debugger keeps a target stopped.
    cleanup: true,
    shell: false,
    env: opts.env,
    cwd: opts.cwd,
  });
}

export type GdbProcess = ReturnType<typeof spawnGdb>;
