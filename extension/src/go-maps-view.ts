/**
 * The "Go Maps" tree in Run and Debug: the maps that matter in the active mapscope session,
 * without the user naming any. Three branches, each one adapter request, fetched when first
 * expanded: the biggest maps reachable from globals (`mapscope/top`), every map global
 * (`mapscope/list`), and the goroutines with their frames (`mapscope/goroutines`). Choosing a
 * map opens it in the Map Inspector.
 */
import * as vscode from 'vscode';
import { COMMANDS, DEBUG_TYPE, GOROUTINES_REQUEST, LIST_REQUEST, TOP_REQUEST } from './debug-type.js';
import type { Sessions } from './sessions.js';

interface TopMap {
  readonly path: string;
  readonly type: string;
  readonly count: number;
  readonly bytes: number;
  readonly loadFactor?: number | null;
  readonly findings?: readonly { readonly kind: string }[];
}
interface ListedMap {
  readonly expr: string;
  readonly type: string;
  readonly count: number | null;
  readonly bytes: number | null;
  readonly error?: string;
}
interface GoroutineJson {
  readonly id: number;
  readonly status: string;
  readonly waitReason?: string;
  readonly frames: readonly { readonly index: number; readonly function: string; readonly file?: string; readonly line?: number }[];
}

type Node =
  | { readonly kind: 'branch'; readonly branch: 'top' | 'list' | 'goroutines' }
  | { readonly kind: 'map'; readonly expression: string; readonly label: string; readonly description: string; readonly tooltip: string }
  | { readonly kind: 'goroutine'; readonly g: GoroutineJson }
  | { readonly kind: 'frame'; readonly text: string }
  | { readonly kind: 'message'; readonly text: string };

const BRANCHES: readonly Node[] = [
  { kind: 'branch', branch: 'top' },
  { kind: 'branch', branch: 'list' },
  { kind: 'branch', branch: 'goroutines' },
];

export class GoMapsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly sessions: Sessions) {
    this.subscriptions = [
      this.changed,
      vscode.debug.onDidStartDebugSession((s) => s.type === DEBUG_TYPE && this.refresh()),
      vscode.debug.onDidTerminateDebugSession((s) => s.type === DEBUG_TYPE && this.refresh()),
      vscode.debug.onDidChangeActiveDebugSession(() => this.refresh()),
    ];
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    switch (n.kind) {
      case 'branch': {
        const label = { top: 'Largest maps', list: 'Map globals', goroutines: 'Goroutines' }[n.branch];
        const item = new vscode.TreeItem(label, n.branch === 'top' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `branch:${n.branch}`;
        return item;
      }
      case 'map': {
        const item = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
        item.description = n.description;
        item.tooltip = n.tooltip;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.command = { command: COMMANDS.inspectExpression, title: 'Inspect Go Map', arguments: [n.expression] };
        return item;
      }
      case 'goroutine': {
        const item = new vscode.TreeItem(`goroutine ${n.g.id}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `[${n.g.waitReason ?? n.g.status}] ${n.g.frames[0]?.function ?? ''}`;
        return item;
      }
      case 'frame':
        return new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
      case 'message': {
        const item = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  async getChildren(n?: Node): Promise<Node[]> {
    const session = this.sessions.find();
    if (!n) return session ? [...BRANCHES] : [{ kind: 'message', text: 'Start a mapscope debug session to find its maps.' }];
    if (n.kind === 'goroutine') return n.g.frames.map((f) => ({ kind: 'frame', text: `${f.index} ${f.function}${f.file ? `  ${f.file}:${f.line ?? ''}` : ''}` }));
    if (n.kind !== 'branch' || !session) return [];
    try {
      if (n.branch === 'top') return topNodes(await session.customRequest(TOP_REQUEST, {}));
      if (n.branch === 'list') return listNodes(await session.customRequest(LIST_REQUEST, {}));
      return goroutineNodes(await session.customRequest(GOROUTINES_REQUEST, { depth: 8 }));
    } catch (e) {
      return [{ kind: 'message', text: `mapscope: ${e instanceof Error ? e.message : String(e)}` }];
    }
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}

function bytes(n: number | null): string {
  if (n === null) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1 << 20)).toFixed(1)} MiB`;
}

function topNodes(body: unknown): Node[] {
  const b = body as { maps?: TopMap[]; walk?: { stoppedBy?: string | null } };
  const maps = Array.isArray(b?.maps) ? b.maps : [];
  const out: Node[] = maps.map((m) => ({
    kind: 'map',
    expression: m.path,
    label: m.path,
    description: `${m.type} len=${m.count} ${bytes(m.bytes)}`,
    tooltip: `${m.path}\n${m.type}\n${m.count} entries, ${bytes(m.bytes)}${m.loadFactor != null ? `, load factor ${m.loadFactor.toFixed(3)}` : ''}${m.findings?.length ? `\nfindings: ${m.findings.map((f) => f.kind).join(', ')}` : ''}`,
  }));
  if (b?.walk?.stoppedBy) out.push({ kind: 'message', text: `the walk stopped early (${b.walk.stoppedBy} bound)` });
  return out.length > 0 ? out : [{ kind: 'message', text: 'no maps reachable from package-level variables' }];
}

function listNodes(body: unknown): Node[] {
  const maps = (body as { maps?: ListedMap[] })?.maps ?? [];
  if (maps.length === 0) return [{ kind: 'message', text: 'no package-level map variables' }];
  return maps.map((m) => ({
    kind: 'map',
    expression: m.expr,
    label: m.expr,
    description: m.error ? m.error : `${m.type} len=${m.count ?? 'nil'} ${bytes(m.bytes)}`,
    tooltip: `${m.expr}\n${m.type}`,
  }));
}

function goroutineNodes(body: unknown): Node[] {
  const gs = (body as { goroutines?: GoroutineJson[] })?.goroutines ?? [];
  return gs.map((g) => ({ kind: 'goroutine', g }));
}
