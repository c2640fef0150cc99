import { defineConfig } from 'tsup';

/**
 * dist/cli/main.js (the `mapscope` bin), dist/dap/main.js (the debug adapter) and dist/index.js
 * (the library), each one self-contained file with its dependencies (@vscode/debugadapter)
 * inlined: a command that started in Node's module loader resolving, reading and compiling some
 * sixty files spent ~100 ms there before it did anything; one file costs a fraction of that.
 * ESM, with a `require` for the CommonJS dependencies esbuild inlines.
 */
export default defineConfig({
  // cli/main is the small entry that starts gdb; cli/run, the rest of the command, it imports.
  entry: { 'cli/main': 'src/cli/main.ts', 'cli/run': 'src/cli/run.ts', 'dap/main': 'src/dap/main.ts', index: 'src/index.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  sourcemap: true,
  clean: true,
  dts: false,
  splitting: false,
  noExternal: [/.*/],
  banner: { js: "import { createRequire as __mapscopeCreateRequire } from 'node:module';\nconst require = __mapscopeCreateRequire(import.meta.url);" },
});
