/**
 * The Go version a binary's .go.buildinfo section holds (src/elf/buildinfo.ts), which decides
 * before gdb is up whether the DWARF's types are read beside its start-up (no typelinks: Go 1.27),
 * checked against what each mapsuite build says of itself (runtime.Version()).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildInfoGoVersion, versionFrom } from '../../src/elf/buildinfo.js';
import { hasTypelinks } from '../../src/target/go-releases.js';
import { programPath } from '../integration/paths.js';
import { TOOLCHAINS } from '../integration/toolchains.js';

describe('.go.buildinfo', () => {
  const built = TOOLCHAINS.map((tc) => [tc.id, programPath(tc.id)] as const).filter(
    ([, p]) => existsSync(p) || (console.warn(`[mapscope tests] buildinfo: ${p} is not built (the integration suite's global setup builds it)`), false),
  );

  it.each(built)('%s: the version the toolchain stamped, as `go version` reads it', async (id, path) => {
    const got = await buildInfoGoVersion(path);
    const tc = TOOLCHAINS.find((t) => t.id === id);
    // `go version FILE` prints "FILE: VERSION" from the same section.
    const want = tc ? execFileSync(tc.go, ['version', path], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim().slice(path.length + 2) : '';
    expect(got).toBe(want);
    expect(hasTypelinks(got)).toBe(!/^go1\.27/.test(got ?? ''));
  });

  it('no section, another file, or damage: undefined', async () => {
    expect(await buildInfoGoVersion('/bin/sh')).toBeUndefined();
    expect(await buildInfoGoVersion('/nonexistent/mapscope-binary')).toBeUndefined();
    const header = Buffer.concat([Buffer.from('\xff Go buildinf:', 'latin1'), Buffer.from([8, 2]), Buffer.alloc(16)]);
    expect(versionFrom(Buffer.concat([header, Buffer.from([8]), Buffer.from('go1.27.3')]))).toBe('go1.27.3');
    expect(versionFrom(Buffer.concat([header, Buffer.from([40]), Buffer.from('go1.27.3')]))).toBeUndefined();
    expect(versionFrom(Buffer.concat([header.subarray(0, 15), Buffer.from([0]), Buffer.alloc(16), Buffer.from([8]), Buffer.from('go1.27.3')]))).toBeUndefined();
    expect(hasTypelinks(undefined)).toBe(false);
    expect(hasTypelinks('go1.19.13')).toBe(true);
  });
});
