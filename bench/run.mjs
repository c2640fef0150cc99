#!/usr/bin/env node
// mapscope's benchmarks: time and peak memory of `mapscope inspect --json` on big maps, live.
// Usage: npm run bench [-- --go /usr/lib/go-1.23/bin/go]   (default: the machine's go)
// Targets (2-core machine): 1M-entry map[int64]int64 under 15 s and 1.5 GiB peak RSS;
// 200k-entry map[string]string under 10 s.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const goIndex = process.argv.indexOf('--go');
const go = goIndex > 0 ? process.argv[goIndex + 1] : 'go';
const dir = mkdtempSync(join(tmpdir(), 'mapscope-bench-'));
const bin = join(dir, 'bigmaps');
execFileSync(go, ['build', '-o', bin, '.'], { cwd: join(root, 'bench/programs/bigmaps'), env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' } });
const version = execFileSync(go, ['version'], { encoding: 'utf8' }).trim();

const prog = spawn(bin, [], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => prog.stdout.on('data', (d) => String(d).includes('READY') && resolve()));

const targets = { 'main.ints': { seconds: 15, rssMiB: 1536 }, 'main.strs': { seconds: 10, rssMiB: 1024 } };
const results = [];
for (const expr of Object.keys(targets)) {
  const t0 = process.hrtime.bigint();
  const out = execFileSync('/usr/bin/time', ['-f', '%M', 'node', join(root, 'dist/cli/main.js'), 'inspect', expr, '--pid', String(prog.pid), '--json'], {
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const json = JSON.parse(out.toString());
  results.push({ expr, entries: json.maps[0].entries.length, seconds, target: targets[expr] });
}
// Peak RSS comes from /usr/bin/time on stderr; rerun captured separately to keep stdout clean.
for (const r of results) {
  const t = spawn('/usr/bin/time', ['-f', '%M', 'node', join(root, 'dist/cli/main.js'), 'inspect', r.expr, '--pid', String(prog.pid), '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  t.stderr.on('data', (d) => (err += d));
  await new Promise((resolve) => t.on('close', resolve));
  r.rssMiB = Number(err.trim().split('\n').pop()) / 1024;
}
prog.kill('SIGKILL');
rmSync(dir, { recursive: true, force: true });

console.log(`mapscope inspect --json, live, ${version}`);
let failed = false;
for (const r of results) {
  const ok = r.seconds <= r.target.seconds && r.rssMiB <= r.target.rssMiB;
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'SLOW'} ${r.expr.padEnd(10)} ${String(r.entries).padStart(8)} entries  ${r.seconds.toFixed(2).padStart(6)} s (target ${r.target.seconds})  ${r.rssMiB.toFixed(0).padStart(5)} MiB peak (target ${r.target.rssMiB})`);
}
process.exit(failed ? 1 : 0);
