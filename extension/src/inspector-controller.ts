/**
 * What the Map Inspector shows, and keeping it current: inspects an expression in a session
 * through the adapter's `mapscope/inspect` request, and inspects it again when another stack
 * frame is selected (a local named `m` is a different map in every frame) or on refresh. A
 * result is marked stale, not thrown away, when its session ends.
 */
import * as vscode from 'vscode';
import { isInspectJson } from './shared/contract.js';
import type { ViewState } from './shared/messages.js';
import { HAS_CONTENT_KEY, INSPECT_REQUEST } from './debug-type.js';
import { selectedFrame, type Sessions } from './sessions.js';

/** Frame changes come in bursts while the user clicks down the call stack. */
const FRAME_DEBOUNCE_MS = 200;

interface Subject {
  readonly session: vscode.DebugSession;
  readonly expression: string;
  frameId: number | undefined;
}

export class InspectorController implements vscode.Disposable {
  private state: ViewState = { status: 'idle', seq: 0 };
  private subject: Subject | undefined;
  /** Increments per request; an answer to an older one is dropped. */
  private generation = 0;
  private frameTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(s: ViewState) => void>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly sessions: Sessions) {
    this.subscriptions = [
      vscode.debug.onDidChangeActiveStackItem((item) => this.frameChanged(item)),
      vscode.debug.onDidTerminateDebugSession((s) => this.sessionEnded(s)),
    ];
  }

  get current(): ViewState {
    return this.state;
  }

  get lastExpression(): string | undefined {
    return this.subject?.expression;
  }

  onDidChange(listener: (s: ViewState) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  private set(next: ViewState): void {
    this.state = next;
    void vscode.commands.executeCommand('setContext', HAS_CONTENT_KEY, next.json !== undefined || next.status !== 'idle');
    this.listeners.forEach((l) => l(next));
  }

  /** Inspects `expression` in `session`, in the selected frame of that session if any. */
  inspect(session: vscode.DebugSession, expression: string): Promise<void> {
    this.subject = { session, expression, frameId: selectedFrame(session) };
    return this.request();
  }

  /** The same expression again, e.g. after the user asked for it or the frame changed. */
  refresh(): Promise<void> {
    const s = this.subject;
    if (!s) return Promise.resolve();
    if (!this.sessions.isRunning(s.session)) {
      const other = this.sessions.find();
      if (!other) {
        this.set({ ...this.state, stale: true, message: 'The debug session has ended: start one to read the map again.' });
        return Promise.resolve();
      }
      this.subject = { session: other, expression: s.expression, frameId: selectedFrame(other) };
    }
    return this.request();
  }

  private async request(): Promise<void> {
    const s = this.subject;
    if (!s) return;
    const generation = ++this.generation;
    const base = { expression: s.expression, session: s.session.name, frameId: s.frameId };
    this.set({ ...this.state, ...base, status: 'loading', message: undefined });
    const limit = vscode.workspace.getConfiguration('mapscope').get<number>('inspector.entryLimit', 5000);
    const args: { expression: string; limit: number; frameId?: number } = { expression: s.expression, limit };
    if (s.frameId !== undefined) args.frameId = s.frameId;
    try {
      const body: unknown = await s.session.customRequest(INSPECT_REQUEST, args);
      if (generation !== this.generation) return;
      if (!isInspectJson(body)) throw new Error(`the debug adapter answered ${INSPECT_REQUEST} with something other than mapscope/inspect@1 JSON`);
      this.set({ ...base, status: 'ready', seq: this.state.seq + 1, json: body, stale: false });
    } catch (e) {
      if (generation !== this.generation) return;
      const message = e instanceof Error ? e.message : String(e);
      // Keep the last picture, marked stale, under the error.
      this.set({ ...this.state, ...base, status: 'error', message, stale: this.state.json !== undefined });
    }
  }

  private frameChanged(item: vscode.DebugThread | vscode.DebugStackFrame | undefined): void {
    const s = this.subject;
    if (!s || !(item instanceof vscode.DebugStackFrame) || item.session.id !== s.session.id || item.frameId === s.frameId) return;
    s.frameId = item.frameId;
    clearTimeout(this.frameTimer);
    this.frameTimer = setTimeout(() => void this.request(), FRAME_DEBOUNCE_MS);
  }

  private sessionEnded(session: vscode.DebugSession): void {
    if (this.subject?.session.id !== session.id) return;
    this.generation++;
    this.set({ ...this.state, status: this.state.json ? 'ready' : 'idle', stale: this.state.json !== undefined, message: 'The debug session has ended: this is its last reading.' });
  }

  dispose(): void {
    clearTimeout(this.frameTimer);
    this.subscriptions.forEach((d) => d.dispose());
    this.listeners.clear();
  }
}
