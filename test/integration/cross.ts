/**
 * mapsuite built for other architectures: arm64 and s390x (big-endian) run under qemu-user,
 * whose guest core dumps are read on this amd64 machine; 386 runs natively (32-bit on amd64)
 * and is attached live. Classic maps come from Go 1.19, Swiss tables from Go 1.26, and split
 * Swiss groups (keys [8]K; elems [8]V) from Go 1.27 with GOEXPERIMENT=mapsplitgroup.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildProgram } from './build.js';
import { type CrashedProgram, tempDir, type Truth } from './harness.js';
import { MAPSUITE_SRC, programPath } from './paths.js';
import { presentToolchains, type Toolchain } from './toolchains.js';

export const CROSS_TOOLCHAINS = ['go1.19', 'go1.26', 'go1.27-mapsplitgroup'] as const;

/** GOARCH → the qemu-user binary that runs it. */
export const QEMU: Readonly<Record<'arm64' | 's390x', string>> = { arm64: 'qemu-aarch64', s390x: 'qemu-s390x' };

export interface CrossBuild {
  readonly tc: Toolchain;
  readonly goarch: 'arm64' | 's390x' | '386';
  readonly exe: string;
}

export function crossBuilds(): CrossBuild[] {
  return presentToolchains()
    .filter((tc) => (CROSS_TOOLCHAINS as readonly string[]).includes(tc.id))
    .flatMap((tc) => (['arm64', 's390x', '386'] as const).map((goarch) => ({ tc, goarch, exe: programPath(tc.id, `mapsuite-${goarch}`) })));
}

export async function buildCrossPrograms(): Promise<void> {
  for (const b of crossBuilds()) await buildProgram(MAPSUITE_SRC, b.tc, b.exe, { GOARCH: b.goarch });
}

/** Where qemu-user is missing, the tests say so and skip, as for an absent toolchain. */
export function qemuMissing(goarch: 'arm64' | 's390x'): string | undefined {
  const bin = QEMU[goarch];
  if (['/usr/bin', '/usr/local/bin'].some((d) => existsSync(join(d, bin)))) return undefined;
  return `${bin} is not installed (scripts/install-system.sh installs qemu-user)`;
}

/**
 * Runs a foreign binary under qemu-user until it aborts: qemu writes the guest's core dump
 * (qemu_NAME_DATE_PID.core) in the working directory. qemu then dies of the same signal, and
 * the kernel would dump qemu itself too: coredump_filter 0, inherited through exec, keeps that
 * host core to its headers.
 */
export async function qemuCore(exe: string, goarch: 'arm64' | 's390x'): Promise<CrashedProgram> {
  const dir = tempDir(`qemu-${goarch}`);
  const truthFile = join(dir, 'truth.json');
  const r = await execa('bash', ['-c', 'ulimit -c unlimited && echo 0 > /proc/self/coredump_filter && exec "$0" "$1" -truth "$2" -mode crash', QEMU[goarch], exe, truthFile], {
    cwd: dir,
    env: { GOTRACEBACK: 'crash' },
    reject: false,
    stdin: 'ignore',
    timeout: 300_000,
  });
  const core = readdirSync(dir).find((f) => f.startsWith('qemu_') && f.endsWith('.core'));
  if (!core) throw new Error(`${QEMU[goarch]} wrote no guest core in ${dir} (exit ${r.exitCode ?? r.signal}): ${String(r.stderr).slice(0, 2000)}`);
  return { truth: JSON.parse(readFileSync(truthFile, 'utf8')) as Truth, core: join(dir, core), dir };
}
