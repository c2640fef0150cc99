/**
 * The mapscope debug sessions that are running. A VARIABLES menu command names its session only
 * by id, and the stable API has no lookup by id, so sessions are remembered as they start.
 */
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './debug-type.js';

export class Sessions implements vscode.Disposable {
  private readonly byId = new Map<string, vscode.DebugSession>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === DEBUG_TYPE) this.byId.set(s.id, s);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => this.byId.delete(s.id)),
    ];
    const active = vscode.debug.activeDebugSession;
    if (active?.type === DEBUG_TYPE) this.byId.set(active.id, active);
  }

  /** The session with this id, else the active mapscope session, else any running one. */
  find(id?: string): vscode.DebugSession | undefined {
    if (id !== undefined) {
      const s = this.byId.get(id);
      if (s) return s;
    }
    const active = vscode.debug.activeDebugSession;
    if (active?.type === DEBUG_TYPE) return active;
    return [...this.byId.values()].pop();
  }

  isRunning(s: vscode.DebugSession): boolean {
    return this.byId.has(s.id);
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}

/** The stack frame selected in CALL STACK, when it belongs to `session`. */
export function selectedFrame(session: vscode.DebugSession): number | undefined {
  const item = vscode.debug.activeStackItem;
  return item instanceof vscode.DebugStackFrame && item.session.id === session.id ? item.frameId : undefined;
}
