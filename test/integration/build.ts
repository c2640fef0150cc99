/**
 * Builds the Go test programs once per toolchain, cached by a hash of their sources and the
 * toolchain's identity, so a second test run builds nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { BUILD_DIR } from './paths.js';
import type { Toolchain } from './toolchains.js';

function sourceHash(dir: string, tc: Toolchain, extraEnv: Record<string, string>): string {
  const h = createHash('sha256');
  // Sub-packages too (hideout/store): a change there must rebuild the program; go.sum too,
  // for the programs built on modules from the proxy (services).
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    if (f.endsWith('.go') || f.endsWith('go.mod') || f.endsWith('go.sum')) h.update(f).update(readFileSync(join(dir, f)));
  }
  h.update(tc.go).update(JSON.stringify(tc.env)).update(JSON.stringify(extraEnv));
  try {
    h.update(readFileSync(tc.go));
  } catch {
    // hashed by path only
  }
  return h.digest('hex');
}

export async function buildProgram(src: string, tc: Toolchain, out: string, extraEnv: Record<string, string> = {}, flags: string[] = []): Promise<void> {
  const stamp = out + '.stamp';
  const hash = sourceHash(src, tc, { ...extraEnv, flags: flags.join(' ') });
  if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  mkdirSync(join(out, '..'), { recursive: true });
  const gocache = join(BUILD_DIR, 'gocache', tc.id);
  await execa(tc.go, ['build', ...flags, '-o', out, '.'], {
    cwd: src,
    // The caller's Go settings stay out (undefined drops a variable): GOROOT would point one Go
    // at another's library, GOEXPERIMENT/GOOS/GOARCH would change what is built under an
    // unchanged hash, GOTOOLCHAIN would run or fetch another Go, GOFLAGS add flags.
    env: {
      GOROOT: undefined,
      GOEXPERIMENT: undefined,
      GOOS: undefined,
      GOARCH: undefined,
      ...tc.env,
      ...extraEnv,
      GOTOOLCHAIN: 'local',
      GOFLAGS: '-mod=mod',
      GOCACHE: gocache,
      GOPATH: join(BUILD_DIR, 'gopath'),
      CGO_ENABLED: '0',
    },
    extendEnv: true,
  });
  writeFileSync(stamp, hash);
}
