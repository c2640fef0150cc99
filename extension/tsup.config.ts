/**
 * The extension's three bundles, built from the repository root (`npm run build:extension`):
 * - dist/extension.cjs — the extension host side (CommonJS, as VS Code loads it; `vscode` external);
 * - dist/adapter.mjs  — mapscope's debug adapter (src/dap) with every dependency inlined, so the
 *   .vsix needs no node_modules; ESM, as src is, with a `require` for the CommonJS
 *   dependencies (@vscode/debugadapter) that esbuild inlines;
 * - media/inspector.js — the Map Inspector webview script (a browser IIFE).
 * Then gdb-scripts/*.py (mapscope.py and the mapscope_*.py it imports) is copied beside them: the
 * adapter looks for gdb-scripts/mapscope.py in the folders above its own file.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function copyBridge(): void {
  mkdirSync(join(here, 'gdb-scripts'), { recursive: true });
  for (const f of readdirSync(join(root, 'gdb-scripts')).filter((n) => n.endsWith('.py'))) {
    copyFileSync(join(root, 'gdb-scripts', f), join(here, 'gdb-scripts', f));
  }
}

export default defineConfig([
  {
    entry: { extension: join(here, 'src', 'extension.ts') },
    outDir: join(here, 'dist'),
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    noExternal: [/^(?!vscode$)/],
    sourcemap: true,
    clean: false,
    dts: false,
    splitting: false,
    tsconfig: join(here, 'tsconfig.json'),
  },
  {
    entry: { adapter: join(root, 'src', 'dap', 'main.ts') },
    outDir: join(here, 'dist'),
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    platform: 'node',
    target: 'node20',
    noExternal: [/.*/],
    banner: { js: "import { createRequire as __mapscopeCreateRequire } from 'node:module';\nconst require = __mapscopeCreateRequire(import.meta.url);" },
    sourcemap: true,
    clean: false,
    dts: false,
    splitting: false,
    tsconfig: join(root, 'tsconfig.json'),
    onSuccess: async () => copyBridge(),
  },
  {
    entry: { inspector: join(here, 'src', 'webview', 'main.ts') },
    outDir: join(here, 'media'),
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    platform: 'browser',
    target: 'es2022',
    sourcemap: false,
    clean: false,
    dts: false,
    splitting: false,
    tsconfig: join(here, 'tsconfig.webview.json'),
  },
]);
