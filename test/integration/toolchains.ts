/**
 * The Go toolchains the suite builds its test programs with: the machine's own Go (1.26, Swiss
 * only), Debian's packages, which scripts/install-system.sh installs, and Go 1.27.3, which only
 * the Go module proxy has (a toolchain module that `GOTOOLCHAIN=go1.27.3 go version` fetches
 * into the module cache; scripts/install-system.sh runs it).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

export interface Toolchain {
  /** Directory name and test label, e.g. go1.24-noswissmap. */
  readonly id: string;
  readonly go: string;
  readonly env: Readonly<Record<string, string>>;
  readonly impl: 'classic' | 'swiss';
  /** What installs the toolchain, for the reason printed when it is absent. */
  readonly install: string;
}

interface MachineGo {
  readonly goroot: string;
  readonly gomodcache: string;
  readonly goarch: string;
}

/**
 * The machine's Go, asked with GOTOOLCHAIN=local so that asking downloads nothing; without a
 * `go` on PATH, where this machine keeps it and the module cache a default GOPATH has.
 */
function machineGo(): MachineGo {
  try {
    const [goroot = '', gomodcache = '', goarch = ''] = execFileSync('go', ['env', 'GOROOT', 'GOMODCACHE', 'GOHOSTARCH'], {
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: 'local' },
    })
      .trim()
      .split('\n');
    return { goroot, gomodcache, goarch };
  } catch {
    const gopath = process.env['GOPATH']?.split(':')[0] || join(homedir(), 'go');
    return { goroot: '/usr/local/go', gomodcache: join(gopath, 'pkg', 'mod'), goarch: process.arch === 'arm64' ? 'arm64' : 'amd64' };
  }
}

const machine = machineGo();

/** The bin/go of a toolchain module the go command fetched with GOTOOLCHAIN=<version>; run directly, it fetches nothing. */
function toolchainModuleGo(version: string): string {
  return join(machine.gomodcache, 'golang.org', `toolchain@v0.0.1-${version}.linux-${machine.goarch}`, 'bin', 'go');
}

const DEBIAN = 'scripts/install-system.sh installs it';
const GO127 = toolchainModuleGo('go1.27.3');
const GO127_INSTALL = '`GOTOOLCHAIN=go1.27.3 go version` fetches it from the Go module proxy; scripts/install-system.sh runs that';

export const TOOLCHAINS: readonly Toolchain[] = [
  { id: 'go1.26', go: `${machine.goroot}/bin/go`, env: {}, impl: 'swiss', install: 'the machine comes with it' },
  { id: 'go1.19', go: '/usr/lib/go-1.19/bin/go', env: {}, impl: 'classic', install: DEBIAN },
  { id: 'go1.21', go: '/usr/lib/go-1.21/bin/go', env: {}, impl: 'classic', install: DEBIAN },
  { id: 'go1.22', go: '/usr/lib/go-1.22/bin/go', env: {}, impl: 'classic', install: DEBIAN },
  { id: 'go1.23', go: '/usr/lib/go-1.23/bin/go', env: {}, impl: 'classic', install: DEBIAN },
  { id: 'go1.24', go: '/usr/lib/go-1.24/bin/go', env: {}, impl: 'swiss', install: DEBIAN },
  { id: 'go1.24-noswissmap', go: '/usr/lib/go-1.24/bin/go', env: { GOEXPERIMENT: 'noswissmap' }, impl: 'classic', install: DEBIAN },
  // Go 1.27 by default lays groups out as 1.26 does; with mapsplitgroup as {ctrl; keys [8]K; elems [8]V}.
  { id: 'go1.27', go: GO127, env: {}, impl: 'swiss', install: GO127_INSTALL },
  { id: 'go1.27-mapsplitgroup', go: GO127, env: { GOEXPERIMENT: 'mapsplitgroup' }, impl: 'swiss', install: GO127_INSTALL },
];

export function available(tc: Toolchain): boolean {
  return existsSync(tc.go);
}

/** Toolchains present on this machine; an absent one is reported, with the reason. */
export function presentToolchains(): Toolchain[] {
  return TOOLCHAINS.filter((tc) => {
    if (available(tc)) return true;
    console.warn(`[mapscope tests] skipping ${tc.id}: ${tc.go} is not installed (${tc.install})`);
    return false;
  });
}
