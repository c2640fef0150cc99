#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS GLIBC_TUNABLES=glibc.malloc.hugetlb=1:${GLIBC_TUNABLES} node
/**
 * The mapscope command's entry: it runs the rest of mapscope (run.ts, a CommonJS bundle of its
 * own) compiled from V8's code cache (compile-cache.ts). The bundle starts gdb before anything
 * else (prestart-now.ts), so that gdb's own start-up runs while Node sets up the rest.
 *
 * The shebang drops NODE_EXTRA_CA_CERTS: Node 20 reads and parses that certificate file before
 * running any script (0.1 s for a system bundle of 140 roots, twice Node's own start-up on our
 * machine), and mapscope makes no TLS connection.
 *
 * It also asks glibc's malloc for transparent huge pages (glibc 2.35 and later; older ones and
 * other C libraries ignore the tunable), ahead of any the user set, who can turn it off with
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=0. A big map's bucket or group arrays and string data are
 * a hundred megabytes or more of ArrayBuffers read once: in 2 MiB pages they cost a five
 * hundredth of the page faults, and the strings, read in the map's order and so all over the
 * heap, a fraction of the TLB misses (1M map[string]string on a core: 0.16–0.21 s less, on a
 * machine whose THP mode is the common `madvise`). The kernel decides: with THP off it changes
 * nothing. gdb inherits the setting, at no cost worth keeping it from gdb (its peak RSS on such a
 * core went from 39 to 42 MiB). `env -S` (with its ${VAR}) is GNU coreutils 8.30 and later, and
 * the BSDs.
 */
import { fileURLToPath } from 'node:url';
import { isCommand } from './commands.js';
import { runCached } from './compile-cache.js';
// A cache per command (and help), and one for everything else (--version, typos): no file per unknown word.
const command = process.argv[2] ?? '';
runCached(fileURLToPath(new URL('./run.cjs', import.meta.url)), isCommand(command) || command === 'help' ? command : 'other');
