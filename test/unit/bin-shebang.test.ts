/**
 * The environment the `mapscope` bin's shebang (src/cli/main.ts) gives Node: without
 * NODE_EXTRA_CA_CERTS, and with glibc's malloc asked for huge pages ahead of the user's own
 * tunables, which come after it and so win.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const shebang = readFileSync(new URL('../../src/cli/main.ts', import.meta.url), 'utf8').split('\n')[0];

/** What Node started by the shebang sees in its environment, given `env`. */
function nodeEnv(env: Record<string, string>): { tunables?: string; certs?: string } {
  const m = /^#!(\S+) -S (.*) node$/.exec(shebang);
  if (!m) throw new Error(`unexpected shebang: ${shebang}`);
  const script = 'process.stdout.write(JSON.stringify({ tunables: process.env.GLIBC_TUNABLES, certs: process.env.NODE_EXTRA_CA_CERTS }))';
  const out = execFileSync(m[1], ['-S', `${m[2]} ${process.execPath} -e '${script}'`], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return JSON.parse(out) as { tunables?: string; certs?: string };
}

describe('the bin shebang', () => {
  it('drops NODE_EXTRA_CA_CERTS', () => {
    expect(nodeEnv({ NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' }).certs).toBeUndefined();
  });

  it('asks for huge pages first, the user tunables after (theirs win)', () => {
    expect(nodeEnv({}).tunables).toBe('glibc.malloc.hugetlb=1:');
    expect(nodeEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }).tunables).toBe('glibc.malloc.hugetlb=1:glibc.malloc.hugetlb=0');
  });
});
