/** MAPSCOPE_TRACE=1 prints the MI traffic on stderr, for bug reports (never stdout: the CLI's output, or the DAP channel). */
export function traceLog(): ((line: string, dir: 'in' | 'out' | 'err') => void) | undefined {
  if (!process.env.MAPSCOPE_TRACE) return undefined;
  return (line, dir) => process.stderr.write(`[gdb ${dir}] ${line.length > 500 ? line.slice(0, 500) + '…' : line}\n`);
}
