// What the benchmark runs: the bigmaps program built by each toolchain, Delve, and gopls.
// All of it is built or installed into bench/.cache, and rebuilt only when missing or stale.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Each impl is a toolchain and the environment it builds with. classic: Go 1.19, the last
// hmap-only release; swiss: Go 1.26; split: Go 1.27 with GOEXPERIMENT=mapsplitgroup, whose Swiss
// groups are {ctrl; keys [8]K; elems [8]V} rather than interleaved slots (issue 17). (Go 1.24 with
// GOEXPERIMENT=noswissmap is also classic, if someone wants a newer classic build.)
// Go 1.27 is installed only as the module proxy's toolchain module, in the module cache; an impl
// with `fetch` is optional: without its go, its rows are skipped with that hint rather than failing the run.
const SPLIT_RELEASE = 'go1.27.3';
const goArch = { x64: 'amd64', arm64: 'arm64', ia32: '386' }[process.arch] ?? process.arch;
function moduleCache() {
  try {
    return execFileSync('/usr/local/go/bin/go', ['env', 'GOMODCACHE'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim();
  } catch {
    return join(process.env.GOPATH ?? join(homedir(), 'go'), 'pkg/mod');
  }
}
export const goTools = {
  classic: { go: process.env.BENCH_GO_CLASSIC ?? '/usr/lib/go-1.19/bin/go', env: {} },
  swiss: { go: process.env.BENCH_GO_SWISS ?? '/usr/local/go/bin/go', env: {} },
  split: {
    go: process.env.BENCH_GO_SPLIT ?? join(moduleCache(), `golang.org/toolchain@v0.0.1-${SPLIT_RELEASE}.linux-${goArch}/bin/go`),
    env: { GOEXPERIMENT: 'mapsplitgroup' },
    fetch: `\`GOTOOLCHAIN=${SPLIT_RELEASE} go version\` fetches it (or set BENCH_GO_SPLIT)`,
  },
};
// Delve and gopls are built with the newest toolchain; GOTOOLCHAIN=local so nothing is downloaded
// behind our back. gopls is pinned: gopls@latest (v0.24) already requires Go 1.27.
const GOPLS_VERSION = process.env.BENCH_GOPLS_VERSION ?? 'v0.23.0';

const goEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', env: goEnv, ...opts }).trim();

/**
 * The bigmaps binary of each impl in `impls` (default: every impl), Delve and gopls if asked. An
 * optional impl whose go is missing or fails to build is left out of tools.bigmaps, with the
 * reason in tools.skipped[impl].
 */
export async function ensureBinaries(cache, { delve, gopls, impls = Object.keys(goTools), mapscopeMain = join(here, '../dist/cli/main.js') }) {
  const bin = join(cache, 'bin');
  mkdirSync(bin, { recursive: true });
  const src = join(here, 'programs/bigmaps');
  const srcTime = Math.max(statSync(join(src, 'main.go')).mtimeMs, statSync(join(src, 'go.mod')).mtimeMs);
  const tools = { bigmaps: {}, goroot: {}, versions: {}, skipped: {} };
  for (const impl of impls) {
    const t = goTools[impl];
    if (t.fetch && !existsSync(t.go)) {
      tools.skipped[impl] = `${t.go} is absent; ${t.fetch}`;
      process.stderr.write(`skipping the ${impl} rows: ${tools.skipped[impl]}\n`);
      continue;
    }
    const env = { ...goEnv, ...t.env };
    const experiment = Object.entries(t.env).map(([k, v]) => `${k}=${v}`).join(' ');
    const out = join(bin, `bigmaps-${impl}`);
    try {
      if (!existsSync(out) || statSync(out).mtimeMs < srcTime) {
        process.stderr.write(`building ${out} with ${experiment ? `${experiment} ` : ''}${t.go}\n`);
        // bench/.cache is shared by every worktree: build beside the binary and rename over it,
        // so that a run elsewhere never starts a half-written one.
        const tmp = `${out}.${process.pid}`;
        sh(t.go, ['build', '-o', tmp, '.'], { cwd: src, env });
        renameSync(tmp, out);
      }
      tools.goroot[impl] = sh(t.go, ['env', 'GOROOT'], { env });
      // With an experiment, the binary's own stamp (go1.27.3-X:mapsplitgroup) shows it took effect.
      tools.versions[`go (${impl})`] = sh(t.go, ['version'], { env }) + (experiment ? `, ${experiment}; bigmaps-${impl} stamped ${sh(t.go, ['version', out], { env }).split(': ').pop()}` : '');
      tools.bigmaps[impl] = out;
    } catch (e) {
      if (!t.fetch) throw e;
      tools.skipped[impl] = `${t.go} failed: ${String(e.stderr || e.message).trim().split('\n')[0]}`;
      process.stderr.write(`skipping the ${impl} rows: ${tools.skipped[impl]}\n`);
    }
  }
  const install = (name, pkg) => {
    const path = join(bin, name);
    if (!existsSync(path)) {
      process.stderr.write(`installing ${pkg} into ${bin}\n`);
      sh(goTools.swiss.go, ['install', pkg], { env: { ...goEnv, GOBIN: bin }, stdio: ['ignore', 'pipe', 'inherit'] });
    }
    return path;
  };
  if (delve) {
    tools.dlv = install('dlv', 'github.com/go-delve/delve/cmd/dlv@latest');
    tools.versions.dlv = sh(tools.dlv, ['version']).split('\n').find((l) => l.startsWith('Version')) ?? '?';
  }
  if (gopls) {
    try {
      tools.gopls = install('gopls', `golang.org/x/tools/gopls@${GOPLS_VERSION}`);
      tools.versions.gopls = `${GOPLS_VERSION}, ${(statSync(tools.gopls).size / 2 ** 20).toFixed(0)} MiB binary`;
    } catch (e) {
      process.stderr.write(`gopls install failed, skipping its case: ${e.message}\n`);
    }
  }
  tools.versions.node = process.version;
  tools.versions.gdb = sh('gdb', ['--version']).split('\n')[0];
  // gdb -nx (as mapscope runs it) with its default index cache: a second run is faster only if it is on.
  tools.versions['gdb index-cache'] = /\bis (on|off)\b/.exec(sh('gdb', ['-nx', '-batch', '-ex', 'show index-cache enabled']))?.[1] ?? '?';
  tools.versions.mapscope = sh('node', [mapscopeMain, '--version']);
  return tools;
}

/**
 * test/programs/services (a module on go-cache, golang-lru/v2 and google/uuid, fetched from the
 * module proxy on the first build) by each toolchain, as the suite builds it (CGO_ENABLED=0), into
 * bench/.cache/bin/services-IMPL; rebuilt when a source is newer than the binary.
 */
export function ensureServices(cache, impls = ['classic', 'swiss']) {
  const bin = join(cache, 'bin');
  mkdirSync(bin, { recursive: true });
  const src = join(here, '../test/programs/services');
  const srcTime = Math.max(...readdirSync(src).filter((f) => /\.go$|^go\.(mod|sum)$/.test(f)).map((f) => statSync(join(src, f)).mtimeMs));
  const out = {};
  for (const impl of impls) {
    const { go, env } = goTools[impl];
    const exe = join(bin, `services-${impl}`);
    if (!existsSync(exe) || statSync(exe).mtimeMs < srcTime) {
      process.stderr.write(`building ${exe} with ${go}\n`);
      const tmp = `${exe}.${process.pid}`;
      sh(go, ['build', '-o', tmp, '.'], { cwd: src, env: { ...goEnv, ...env, CGO_ENABLED: '0' } });
      renameSync(tmp, exe);
    }
    out[impl] = exe;
  }
  return out;
}
