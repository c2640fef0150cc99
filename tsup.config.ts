import { defineConfig } from 'tsup';

const common = {
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  sourcemap: true,
  dts: false,
  splitting: false,
  noExternal: [/.*/],
} as const;

/**
 * dist/cli/main.js (the `mapscope` bin), dist/dap/main.js (the debug adapter) and dist/index.js
 * (the library), each one self-contained file with its dependencies (@vscode/debugadapter)
 * inlined: a command that started in Node's module loader resolving, reading and compiling some
 * sixty files spent ~100 ms there before it did anything; one file costs a fraction of that.
 * ESM, with a `require` for the CommonJS dependencies esbuild inlines.
 *
 * cli/main is the small entry that starts gdb; cli/run.cjs, the rest of the command, it runs
 * through V8's code cache (src/cli/compile-cache.ts), which takes a classic script: CommonJS,
 * with import.meta.url shimmed.
 */
export default defineConfig([
  {
    ...common,
    entry: { 'cli/main': 'src/cli/main.ts', 'dap/main': 'src/dap/main.ts', index: 'src/index.ts' },
    format: ['esm'],
    clean: false,
    banner: { js: "import { createRequire as __mapscopeCreateRequire } from 'node:module';\nconst require = __mapscopeCreateRequire(import.meta.url);" },
  },
  {
    ...common,
    entry: { 'cli/run': 'src/cli/run.ts' },
    format: ['cjs'],
    shims: true,
    clean: false,
    outExtension: () => ({ js: '.cjs' }),
  },
]);
