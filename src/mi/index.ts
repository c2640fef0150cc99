export type {
  MIAsyncRecord,
  MICommandResult,
  MIPromptRecord,
  MIRecord,
  MIResultClass,
  MIResultRecord,
  MIStreamRecord,
  MITuple,
  MIUnknownRecord,
  MIValue,
} from './records.js';
export { decodeCString, quoteMIArg, type DecodedCString } from './cstring.js';
export { parseMILine } from './parser.js';
export { LineFramer } from './framer.js';
export {
  GdbExitedError,
  GdbSpawnError,
  MIClosedError,
  MICommandError,
  MIError,
  MIParseError,
  MITimeoutError,
} from './errors.js';
export { MISession, type CloseOptions, type GdbExit, type MISessionOptions, type SendOptions } from './session.js';
