#!/usr/bin/env node
// Time from command start to first output, phase by phase, as medians over several runs.
//
//   node bench/startup.mjs [--runs N] [--dist DIR] [--label TEXT] -- inspect main.mstr --core CORE --exe BIN --json
//   node bench/startup.mjs --runs 5 -- list --pid PID --json
//
// Each run is `DIR/cli/main.js ARGS` (the bin, through its shebang) with MAPSCOPE_TRACE=phases (DIR defaults to this
// checkout's dist/). The phase stamps are milliseconds since that node process started; "first
// output" is the parent's clock from spawn to the first byte on stdout, "exit" to the end. The
// machine is shared: read medians, and compare builds in alternation (--dist A, --dist B, ...).
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
if (sep < 0) {
  process.stderr.write('usage: node bench/startup.mjs [--runs N] [--dist DIR[,DIR...]] -- MAPSCOPE-ARGS...\n');
  process.exit(2);
}
const opts = argv.slice(0, sep);
const args = argv.slice(sep + 1);
const opt = (name, fallback) => {
  const i = opts.indexOf(name);
  return i >= 0 ? opts[i + 1] : fallback;
};
const runs = Number(opt('--runs', '5'));
const here = dirname(fileURLToPath(import.meta.url));
const dists = opt('--dist', join(here, '..', 'dist'))
  .split(',')
  .map((d) => resolve(d));
const env = { ...process.env, MAPSCOPE_TRACE: 'phases' };

function once(dist) {
  return new Promise((done, fail) => {
    const start = performance.now();
    let first;
    let stderr = '';
    const child = spawn(join(dist, 'cli', 'main.js'), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', () => (first ??= performance.now() - start));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const phases = new Map();
      for (const m of stderr.matchAll(/^\[\s*(\d+) phase\] (.*)$/gm)) if (!phases.has(m[2])) phases.set(m[2], Number(m[1]));
      done({ code, phases, first: first ?? NaN, exit: performance.now() - start, stderr });
    });
  });
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = new Map(dists.map((d) => [d, []]));
for (let i = 0; i < runs; i++) {
  // Alternate builds run by run, so that load from elsewhere falls on each alike.
  for (const d of dists) {
    const r = await once(d);
    if (r.code !== 0 && r.code !== 1) {
      process.stderr.write(`run ${i} of ${d} exited ${r.code}:\n${r.stderr.split('\n').slice(-4).join('\n')}\n`);
      process.exit(1);
    }
    results.get(d).push(r);
  }
}

for (const [dist, rs] of results) {
  const names = [];
  for (const r of rs) for (const k of r.phases.keys()) if (!names.includes(k)) names.push(k);
  process.stdout.write(`${dist}  (${rs.length} runs, medians in ms; min..max)\n`);
  const row = (label, xs) => {
    const f = xs.filter(Number.isFinite);
    process.stdout.write(`  ${label.padEnd(28)} ${median(xs).toFixed(0).padStart(7)}   ${f.length ? `${Math.min(...f).toFixed(0)}..${Math.max(...f).toFixed(0)}` : ''}\n`);
  };
  for (const n of names.slice(0, 12)) row(n, rs.map((r) => r.phases.get(n) ?? NaN));
  row('first output (spawn clock)', rs.map((r) => r.first));
  row('exit (spawn clock)', rs.map((r) => r.exit));
}
