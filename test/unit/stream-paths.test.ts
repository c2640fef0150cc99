/**
 * The fast paths against the general ones, on memory images of real maps (test/fixtures/
 * map-images, captured from mapsuite core dumps): entries written by compiled emitters equal the
 * renderer's, byte for byte and in order; entries streamed chunk by chunk (down to one bucket or
 * table a chunk) equal the snapshot's; statistics counted chunk by chunk equal the full analysis.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Inspector } from '../../src/inspect/inspect.js';
import { streamMap } from '../../src/inspect/stream.js';
import { jsonOutText } from '../../src/values/json-out.js';
import type { JsonItems } from '../../src/values/json.js';
import { stringifyJson } from '../../src/values/json.js';
import { imageBlocks, loadImageFile, ReplayTarget } from './fuzz/replay-target.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'map-images');
const images = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => {
    const file = loadImageFile(join(DIR, f));
    return file.maps.map((map) => ({ label: `${file.toolchain} ${map.expr}`, file, map }));
  });

function lines(items: JsonItems | undefined): string[] {
  if (!items) return [];
  return Array.from({ length: items.length }, (_, i) => jsonOutText((out) => items.writeItem(i, out)));
}

describe.each(images.map((img) => [img.label, img] as const))('%s', (_label, img) => {
  const target = () => new ReplayTarget(img.file, img.map, imageBlocks(img.map));

  it('emitted entries equal rendered entries, in order', async () => {
    const rendered = await new Inspector(target()).inspect(img.map.expr, { analyze: false });
    const emitted = await new Inspector(target()).inspect(img.map.expr, { analyze: false, texts: true });
    expect(rendered.error).toBeUndefined();
    expect(lines(emitted.entryJson)).toEqual((rendered.entries ?? []).map((e) => stringifyJson({ key: e.key, value: e.value })));
  });

  for (const chunkBytes of [1, 4096, Infinity]) {
    it(`streamed in chunks of ${chunkBytes} bytes: the same entries, and the same analysis less per-block lists`, async () => {
      const full = await new Inspector(target()).inspect(img.map.expr, { analyze: true, texts: true });
      const streamed: string[] = [];
      const m = await streamMap(new Inspector(target()), img.map.expr, { stats: true, chunkBytes }, { entries: (items) => streamed.push(...lines(items)) });
      expect(m.error).toBeUndefined();
      expect(streamed).toEqual(lines(full.entryJson));
      expect(m.streamed).toBe(streamed.length);
      const want = JSON.parse(JSON.stringify(full.analysis)) as { cacheLines?: { buckets?: unknown; groups?: unknown } } | null;
      if (want?.cacheLines) {
        delete want.cacheLines.buckets;
        delete want.cacheLines.groups;
      }
      expect(JSON.parse(JSON.stringify(m.analysis))).toEqual(want);
      expect(m.warnings).toEqual(full.snapshot?.warnings ?? []);
    });
  }

  it('a limit stops the stream there', async () => {
    const streamed: string[] = [];
    const m = await streamMap(new Inspector(target()), img.map.expr, { stats: false, limit: 3, chunkBytes: 1 }, { entries: (items) => streamed.push(...lines(items)) });
    expect(m.error).toBeUndefined();
    expect(streamed.length).toBe(Math.min(3, m.header ? (m.header.implementation === 'classic' ? m.header.count : m.header.used) : 0));
    expect(m.streamed).toBe(streamed.length);
  });
});
