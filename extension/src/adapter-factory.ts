/**
 * Runs mapscope's debug adapter (src/dap, bundled with all its dependencies into
 * dist/adapter.mjs) as a child process speaking DAP over stdio.
 *
 * It runs on the Node.js that VS Code itself is built on — `process.execPath` with
 * ELECTRON_RUN_AS_NODE=1 — so that nothing but gdb has to be installed: no `node` on PATH, no
 * version to match. (On a remote or WSL extension host, process.execPath is already a plain
 * node, where the variable is harmless.)
 */
import { join } from 'node:path';
import * as vscode from 'vscode';

export class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionPath: string) {}

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const adapter = join(this.extensionPath, 'dist', 'adapter.mjs');
    return new vscode.DebugAdapterExecutable(process.execPath, [adapter], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
  }
}
