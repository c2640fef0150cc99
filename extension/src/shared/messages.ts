/**
 * What the extension host and the Map Inspector webview say to each other over postMessage.
 * The host owns the debug session and the requests; the webview only draws and asks.
 */
import type { InspectJson } from './contract.js';

export type ViewStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Everything the webview shows, sent whole on every change (it is small next to `json`). */
export interface ViewState {
  readonly status: ViewStatus;
  /** What is being inspected, as the user or the variable gave it. */
  readonly expression?: string;
  /** The debug session's name, and the frame the expression was evaluated in. */
  readonly session?: string;
  readonly frameId?: number;
  /** Why nothing (new) can be shown: the adapter's message, or that the session ended. */
  readonly message?: string;
  /** Increments whenever `json` is a new result; the webview redraws the grid only then. */
  readonly seq: number;
  readonly json?: InspectJson;
  /** The last result is from a session that has ended or a frame no longer selected. */
  readonly stale?: boolean;
}

export type HostMessage = { readonly type: 'state'; readonly state: ViewState };

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'inspect'; readonly expression: string };

export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; expression?: unknown };
  if (m.type === 'ready' || m.type === 'refresh') return true;
  return m.type === 'inspect' && typeof m.expression === 'string';
}

export function isHostMessage(v: unknown): v is HostMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; state?: unknown };
  if (m.type !== 'state' || typeof m.state !== 'object' || m.state === null) return false;
  const s = m.state as { status?: unknown; seq?: unknown };
  return typeof s.status === 'string' && typeof s.seq === 'number';
}
