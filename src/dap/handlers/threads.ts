/** threads and stackTrace: gdb's view of the process's OS threads and their stacks. */
import { basename } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MICommandError } from '../../mi/index.js';
import type { Debuggee } from '../debuggee.js';
import { type GdbFrame, stackDepth, stackFrames, threadInfo } from '../gdb-mi.js';

/** Frames in one answer, and the deepest stack counted for totalFrames. */
const MAX_FRAMES = 1000;
const MAX_DEPTH = 10_000;

export async function threads(d: Debuggee): Promise<DebugProtocol.ThreadsResponse['body']> {
  const { threads: list } = await threadInfo(d.mi);
  return { threads: list.map((t) => ({ id: t.id, name: [t.name, t.targetId && `(${t.targetId})`].filter(Boolean).join(' ') || `thread ${t.id}` })) };
}

export async function stackTrace(
  d: Debuggee,
  args: DebugProtocol.StackTraceArguments,
  lineToClient: (line: number) => number,
): Promise<DebugProtocol.StackTraceResponse['body']> {
  const start = Math.max(0, args.startFrame ?? 0);
  const levels = args.levels && args.levels > 0 ? Math.min(args.levels, MAX_FRAMES) : MAX_FRAMES;
  let frames: GdbFrame[];
  try {
    frames = await stackFrames(d.mi, args.threadId, start, start + levels - 1);
  } catch (e) {
    // Asking past the bottom of the stack is an empty page, not an error.
    if (e instanceof MICommandError && /not enough frames/i.test(e.msg)) return { stackFrames: [], totalFrames: start };
    throw e;
  }
  const totalFrames = frames.length < levels ? start + frames.length : await stackDepth(d.mi, args.threadId, MAX_DEPTH);
  return { stackFrames: frames.map((f) => stackFrame(d, args.threadId, f, lineToClient)), totalFrames };
}

/** Go's runtime and internal packages: shown, but subtly, so the user's own frames stand out. */
function isRuntimeFrame(f: GdbFrame): boolean {
  return /^(runtime\.|internal\/|syscall\.)/.test(f.func);
}

function stackFrame(d: Debuggee, thread: number, f: GdbFrame, lineToClient: (line: number) => number): DebugProtocol.StackFrame {
  const path = f.fullname ?? f.file;
  const frame: DebugProtocol.StackFrame = {
    id: d.frames.id(thread, f.level),
    name: f.func,
    line: f.line !== undefined ? lineToClient(f.line) : 0,
    column: f.line !== undefined ? 1 : 0,
    instructionPointerReference: f.addr || undefined,
  };
  if (path) frame.source = { name: basename(path), path };
  // The top frame is never subtle: on an attach stop VS Code selects the first frame that is
  // not, and an idle Go thread has only runtime frames, so Variables would stay empty.
  if (f.level > 0 && isRuntimeFrame(f)) frame.presentationHint = 'subtle';
  return frame;
}
