/** Why continue, step and pause are refused, in words a user can act on. */
import type { Debuggee } from '../debuggee.js';
import { DapRequestError, ErrorCode } from '../errors.js';

export function refuseRunControl(d: Debuggee | undefined, command: string): DapRequestError {
  if (d?.kind === 'core') {
    return new DapRequestError(ErrorCode.noRunControl, `cannot ${command}: a core dump is post-mortem, its program cannot run or step`);
  }
  const what = d?.session.spec.kind === 'live' ? `process ${d.session.spec.pid}` : 'the process';
  return new DapRequestError(
    ErrorCode.noRunControl,
    `cannot ${command}: mapscope keeps ${what} stopped while it is inspected and has no run control; disconnect to detach and let it run on`,
  );
}
