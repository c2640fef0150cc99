/**
 * The stop the client is told about once configuration is done. A live process has been stopped
 * by the attach (gdb reports no reason for that); a core is where its program died.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { StoppedEvent } from '@vscode/debugadapter';
import type { Debuggee } from '../debuggee.js';
import { coreSignal, threadInfo } from '../gdb-mi.js';

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  15: 'SIGTERM',
  19: 'SIGSTOP',
};

export async function stoppedEvent(d: Debuggee): Promise<DebugProtocol.StoppedEvent> {
  const { threads, current } = await threadInfo(d.mi);
  const threadId = current ?? threads[0]?.id ?? 1;
  let event: DebugProtocol.StoppedEvent;
  if (d.session.spec.kind === 'live') {
    event = new StoppedEvent('pause', threadId);
    event.body.description = `Attached to process ${d.session.spec.pid}: it stays stopped while mapscope inspects it, and runs on after disconnect`;
  } else {
    const signo = await coreSignal(d.mi);
    const text = signo === undefined ? 'core dump' : `core dump: ${SIGNALS[signo] ?? `signal ${signo}`}`;
    event = new StoppedEvent('exception', threadId, text);
    event.body.description = 'Post-mortem: the program of this core dump cannot run';
  }
  event.body.allThreadsStopped = true;
  return event;
}
