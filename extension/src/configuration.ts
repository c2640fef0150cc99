/**
 * Debug configurations: the two starting points for a new launch.json, a default when F5 is
 * pressed without one (attach, with the process picker), and checks that give a clear message
 * before gdb is ever started.
 */
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './debug-type.js';
import { pickGoProcess } from './pick-process.js';

export const ATTACH: vscode.DebugConfiguration = {
  name: 'Attach to a Go process (mapscope)',
  type: DEBUG_TYPE,
  request: 'attach',
  processId: '${command:pickGoProcess}',
};

export const CORE: vscode.DebugConfiguration = {
  name: 'Open a Go core dump (mapscope)',
  type: DEBUG_TYPE,
  request: 'launch',
  coreFilePath: '${workspaceFolder}/core',
  program: '${workspaceFolder}/${workspaceFolderBasename}',
};

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

export class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.ProviderResult<vscode.DebugConfiguration[]> {
    return [ATTACH, CORE];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    // F5 with no launch.json: attach, choosing the process from a list.
    if (!config.type && !config.request && !config.name) return { ...ATTACH };
    return config;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (config.request === 'attach') {
      let pid: unknown = config.processId;
      if (pid === undefined || pid === 0 || pid === '0' || pid === '') pid = await pickGoProcess();
      // The picker was dismissed: no session, and no error either.
      if (pid === undefined) return undefined;
      const n = typeof pid === 'number' ? pid : typeof pid === 'string' && /^\s*\d+\s*$/.test(pid) ? Number(pid) : NaN;
      if (!Number.isInteger(n) || n <= 0) {
        void vscode.window.showErrorMessage(`mapscope: "processId" must be the pid of a running Go program, not ${JSON.stringify(pid)}.`);
        return undefined;
      }
      return { ...config, processId: n };
    }
    if (config.request === 'launch') {
      const missing = [nonEmpty(config.coreFilePath) || nonEmpty(config.coreDumpPath) ? '' : '"coreFilePath" (the core dump)', nonEmpty(config.program) ? '' : '"program" (the Go binary that produced it)'].filter(Boolean);
      if (missing.length > 0) {
        void vscode.window.showErrorMessage(
          `mapscope opens core dumps post-mortem and does not run programs: this configuration needs ${missing.join(' and ')}. To inspect a running program, use "request": "attach".`,
        );
        return undefined;
      }
      return config;
    }
    void vscode.window.showErrorMessage(`mapscope: "request" must be "attach" (a running process) or "launch" (a core dump), not ${JSON.stringify(config.request)}.`);
    return undefined;
  }
}
