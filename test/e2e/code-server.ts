/**
 * code-server for the end-to-end test: a throwaway user-data and extensions directory with
 * mapscope's .vsix installed, serving one workspace folder on a free loopback port. It runs in a
 * process group of its own (extension host, debug adapter and gdb included), which stop() ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { CODE_SERVER, NODE24_BIN } from './paths.js';

export interface CodeServer {
  readonly url: string;
  readonly pid: number;
  readonly userDataDir: string;
  readonly logFile: string;
  /** The last `chars` characters code-server has written. */
  log(chars?: number): string;
  /** Ends code-server and every process it started; idempotent. */
  stop(): Promise<void>;
}

/** Settings for a quiet, predictable workbench: no welcome page, no chat, no console popping up. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'debug.internalConsoleOptions': 'neverOpen',
};

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH ?? ''}` };
  // Nothing from a VS Code the test may itself run in.
  for (const k of Object.keys(e)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete e[k];
  // No extension gallery (code-server's default is open-vsx.org): only loopback traffic.
  e.EXTENSIONS_GALLERY = '{}';
  return e;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Installs the .vsix into `dir`/ext with `dir`/ud as user data, then starts code-server on `workspace`. */
export async function startCodeServer(opts: { dir: string; vsix: string; workspace: string; timeoutMs?: number }): Promise<CodeServer> {
  const ud = join(opts.dir, 'ud');
  const ext = join(opts.dir, 'ext');
  const config = join(opts.dir, 'config.yaml');
  mkdirSync(join(ud, 'User'), { recursive: true });
  mkdirSync(ext, { recursive: true });
  writeFileSync(join(ud, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  // Its own config file, so that ~/.config/code-server is neither read nor created.
  writeFileSync(config, 'auth: none\n');
  const common = ['--config', config, '--user-data-dir', ud, '--extensions-dir', ext];

  const install = await execa(CODE_SERVER, [...common, '--install-extension', opts.vsix], { env: env(), extendEnv: false, reject: false, timeout: 60_000, stdin: 'ignore' });
  const installed = `${install.stdout}\n${install.stderr}`;
  if (install.exitCode !== 0 || !/successfully installed/i.test(installed)) {
    throw new Error(`code-server --install-extension ${opts.vsix} failed (exit ${install.exitCode}):\n${installed}`);
  }

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const logFile = join(opts.dir, `code-server-${attempt}.log`);
    const fd = openSync(logFile, 'w');
    const child: ChildProcess = spawn(
      CODE_SERVER,
      [
        ...common,
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        opts.workspace,
      ],
      { env: env(), detached: true, stdio: ['ignore', fd, fd] },
    );
    closeSync(fd);
    const pid = child.pid;
    if (pid === undefined) throw new Error(`cannot start ${CODE_SERVER}`);
    let exited: number | string | null | undefined;
    child.on('exit', (code, signal) => (exited = code ?? signal));
    child.unref();
    const log = (chars = 4000) => {
      try {
        return readFileSync(logFile, 'utf8').slice(-chars);
      } catch {
        return '';
      }
    };
    let stopped = false;
    const server: CodeServer = {
      url: `http://127.0.0.1:${port}`,
      pid,
      userDataDir: ud,
      logFile,
      log,
      async stop() {
        if (stopped) return;
        stopped = true;
        // TERM first (gdb detaches from its target on TERM), then KILL whatever is left.
        try {
          process.kill(-pid, 'SIGTERM');
        } catch {
          return;
        }
        for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100);
        if (groupAlive(pid)) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // already gone
          }
          for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100);
        }
      },
    };
    // Ready when it answers its health check.
    for (;;) {
      if (exited !== undefined) break;
      try {
        const r = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (r.ok) return server;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`code-server did not answer on ${server.url} in time; its log:\n${log()}`);
      }
      await sleep(200);
    }
    await server.stop();
    // A port taken between freePort() and the bind: try another one.
    if (/EADDRINUSE/.test(log()) && attempt < 3 && Date.now() < deadline) continue;
    throw new Error(`code-server exited (${String(exited)}) before listening; its log:\n${log()}`);
  }
}
