/**
 * MAPSCOPE_TRACE=1 prints the MI traffic and mapscope's phases on stderr, for bug reports
 * (never stdout: the CLI's output, or the DAP channel); MAPSCOPE_TRACE=phases prints only the
 * phases. Each line carries milliseconds since mapscope started, so a slow step shows where the
 * time went (the benchmarks read the phases to time decoding apart from start-up).
 */
export function traceLog(): ((line: string, dir: 'in' | 'out' | 'err') => void) | undefined {
  const t = process.env.MAPSCOPE_TRACE;
  if (!t || t === 'phases') return undefined;
  return (line, dir) => process.stderr.write(`[${stamp()} gdb ${dir}] ${line.length > 500 ? line.slice(0, 500) + '…' : line}\n`);
}

/**
 * Marks the end of a phase of the work (`gdb ready`, `decoded main.m`, ...) in the trace.
 * MAPSCOPE_TRACE_CPU=1 adds mapscope's own CPU time so far and its heap: on a busy machine the wall clock says
 * little of where the time went.
 */
export function tracePhase(what: string): void {
  if (!process.env.MAPSCOPE_TRACE) return;
  const cpu = process.env.MAPSCOPE_TRACE_CPU ? process.cpuUsage() : undefined;
  const suffix = cpu ? ` (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB)` : '';
  process.stderr.write(`[${stamp()} phase] ${what}${suffix}\n`);
}

/** Milliseconds since the process started, as the trace prints them. */
export function stamp(): string {
  return performance.now().toFixed(0).padStart(6);
}
