/**
 * The end-to-end test: mapscope's .vsix in a real VS Code (code-server) driven by Chromium.
 * Only test/e2e/*.e2e.ts, which the main config (test/**\/*.test.ts) never picks up, nor this
 * one its files. Run by `npm run test:e2e`, which packages the extension first.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // The whole scenario is one test, bounded by its own deadlines well inside these.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
