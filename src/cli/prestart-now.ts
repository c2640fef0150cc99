/**
 * Starts gdb for this command line as a side effect of being imported, so that run.ts can
 * import it first: the bundle evaluates its modules in import order, and gdb then starts before
 * the rest of mapscope's modules are set up rather than after.
 */
import { prestartFor } from './prestart.js';

prestartFor(process.argv.slice(2));
