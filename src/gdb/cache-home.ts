/**
 * mapscope's cache directory: ~/.cache/mapscope ($XDG_CACHE_HOME/mapscope when that is set).
 * It holds what makes later starts faster and nothing a result depends on: V8's code cache for
 * the command (cli/compile-cache.ts), the bridge's Python bytecode and gdb's light data directory
 * (startup.ts, data-dir.ts). MAPSCOPE_CACHE=DIR puts it elsewhere, MAPSCOPE_CACHE=off turns it off.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache directory, or undefined when turned off. */
export function cacheHome(): string | undefined {
  const setting = process.env.MAPSCOPE_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting) return setting;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mapscope');
}
