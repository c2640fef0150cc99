#!/usr/bin/env node
/**
 * The mapscope command's entry. A command that reads a process or a core needs gdb, whose own
 * start-up takes ~0.1 s: it is started first (prestart.ts), and runs while Node loads the rest
 * of mapscope (run.ts, a bundle of its own), which then takes it over.
 */
import { prestartFor } from './prestart.js';

prestartFor(process.argv.slice(2));
// A specifier the bundler leaves alone: run.js is its own file, loaded only now.
const run = './run.js';
await import(run);
