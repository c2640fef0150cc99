/**
 * The Go toolchains the suite builds its test programs with: the machine's own Go (1.26, Swiss
 * only) and Debian's packages, which scripts/install-system.sh installs.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface Toolchain {
  /** Directory name and test label, e.g. go1.24-noswissmap. */
  readonly id: string;
  readonly go: string;
  readonly env: Readonly<Record<string, string>>;
  readonly impl: 'classic' | 'swiss';
}

function machineGo(): string {
  try {
    const root = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim();
    return `${root}/bin/go`;
  } catch {
    return '/usr/local/go/bin/go';
  }
}

export const TOOLCHAINS: readonly Toolchain[] = [
  { id: 'go1.26', go: machineGo(), env: {}, impl: 'swiss' },
  { id: 'go1.19', go: '/usr/lib/go-1.19/bin/go', env: {}, impl: 'classic' },
  { id: 'go1.21', go: '/usr/lib/go-1.21/bin/go', env: {}, impl: 'classic' },
  { id: 'go1.22', go: '/usr/lib/go-1.22/bin/go', env: {}, impl: 'classic' },
  { id: 'go1.23', go: '/usr/lib/go-1.23/bin/go', env: {}, impl: 'classic' },
  { id: 'go1.24', go: '/usr/lib/go-1.24/bin/go', env: {}, impl: 'swiss' },
  { id: 'go1.24-noswissmap', go: '/usr/lib/go-1.24/bin/go', env: { GOEXPERIMENT: 'noswissmap' }, impl: 'classic' },
];

export function available(tc: Toolchain): boolean {
  return existsSync(tc.go);
}

/** Toolchains present on this machine; an absent one is reported once, with the reason. */
export function presentToolchains(): Toolchain[] {
  return TOOLCHAINS.filter((tc) => {
    if (available(tc)) return true;
    console.warn(`[mapscope tests] skipping ${tc.id}: ${tc.go} is not installed (scripts/install-system.sh installs it)`);
    return false;
  });
}
