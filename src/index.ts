/** mapscope as a library: the pieces the CLI and the debug adapter are built from. */
export { GdbSession, type TargetSpec } from './gdb/session.js';
export { TargetOpenError, ExpressionError } from './gdb/errors.js';
export { GdbTarget } from './target/gdb-target.js';
export { Inspector, type MapInspection } from './inspect/inspect.js';
export { contractJson, SCHEMA } from './report/contract.js';
export { textReport } from './report/text.js';
export type { MapSnapshot, ClassicSnapshot, SwissSnapshot } from './maps/snapshot.js';
