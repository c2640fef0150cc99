#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
/**
 * The mapscope command's entry: it runs the rest of mapscope (run.ts, a CommonJS bundle of its
 * own) compiled from V8's code cache (compile-cache.ts). The bundle starts gdb before anything
 * else (prestart-now.ts), so that gdb's own start-up runs while Node sets up the rest.
 *
 * The shebang drops NODE_EXTRA_CA_CERTS: Node 20 reads and parses that certificate file before
 * running any script (0.1 s for a system bundle of 140 roots, twice Node's own start-up on our
 * machine), and mapscope makes no TLS connection. `env -S` is GNU coreutils 8.30 and later, and the BSDs.
 */
import { fileURLToPath } from 'node:url';
import { isCommand } from './commands.js';
import { runCached } from './compile-cache.js';
// A cache per command (and help), and one for everything else (--version, typos): no file per unknown word.
const command = process.argv[2] ?? '';
runCached(fileURLToPath(new URL('./run.cjs', import.meta.url)), isCommand(command) || command === 'help' ? command : 'other');
