/**
 * `${command:pickGoProcess}` (and `${command:pickProcess}` in mapscope configurations): a list of
 * the running Go programs; the chosen pid is returned as a string, as VS Code substitutes it.
 */
import * as vscode from 'vscode';
import { type GoProcess, listGoProcesses } from './process-list.js';

interface ProcessItem extends vscode.QuickPickItem {
  readonly pid: number;
}

function item(p: GoProcess): ProcessItem {
  return { label: p.name, description: `pid ${p.pid}`, detail: p.cmdline || p.exe, pid: p.pid };
}

export async function pickGoProcess(): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<ProcessItem>();
  qp.title = 'Attach mapscope to a Go program';
  qp.placeholder = 'Looking for running Go programs…';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  qp.show();
  const listed = listGoProcesses().then(
    (ps) => {
      qp.items = ps.map(item);
      qp.busy = false;
      qp.placeholder = ps.length
        ? 'Choose the Go program to attach to (read-only: it runs on when the session ends)'
        : 'No running Go programs this user can read (is the program running as another user?)';
    },
    (e: unknown) => {
      qp.busy = false;
      qp.placeholder = `Cannot list processes: ${e instanceof Error ? e.message : String(e)}`;
    },
  );
  try {
    return await new Promise<string | undefined>((resolve) => {
      qp.onDidAccept(() => {
        const chosen = qp.selectedItems[0];
        if (chosen) resolve(String(chosen.pid));
      });
      qp.onDidHide(() => resolve(undefined));
    });
  } finally {
    await listed;
    qp.dispose();
  }
}
