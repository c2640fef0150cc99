#!/usr/bin/env node
/**
 * The mapscope command's entry. A command that reads a process or a core needs gdb, whose own
 * start-up takes ~0.1 s: it is started first (prestart.ts), and runs while Node loads the rest
 * of mapscope (run.ts, a CommonJS bundle of its own, compiled from V8's code cache:
 * compile-cache.ts), which then takes it over.
 */
import { fileURLToPath } from 'node:url';
import { isCommand } from './commands.js';
import { runCached } from './compile-cache.js';
import { prestartFor } from './prestart.js';

prestartFor(process.argv.slice(2));
// A cache per command (and help), and one for everything else (--version, typos): no file per unknown word.
const command = process.argv[2] ?? '';
runCached(fileURLToPath(new URL('./run.cjs', import.meta.url)), isCommand(command) || command === 'help' ? command : 'other');
