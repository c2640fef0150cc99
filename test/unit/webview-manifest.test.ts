/**
 * The extension's manifest (extension/package.json) against what the code registers and what VS
 * Code and vsce require; the variable → expression choice of "Inspect Go Map"; the webview page's
 * Content-Security-Policy; the messages between host and webview.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import manifest from '../../extension/package.json' with { type: 'json' };
import { COMMANDS, DEBUG_TYPE, GO_MAPS_VIEW_ID, GOROUTINES_REQUEST, HAS_CONTENT_KEY, INSPECT_REQUEST, LIST_REQUEST, TOP_REQUEST, VIEW_ID } from '../../extension/src/debug-type.js';
import { contentSecurityPolicy, inspectorHtml, newNonce } from '../../extension/src/inspector-html.js';
import { isInspectJson } from '../../extension/src/shared/contract.js';
import { isHostMessage, isWebviewMessage } from '../../extension/src/shared/messages.js';
import { isVariableContext, variableTarget } from '../../extension/src/variable-target.js';
import { INSPECT_REQUEST as ADAPTER_INSPECT_REQUEST } from '../../src/dap/handlers/inspect.js';
import { GOROUTINES_REQUEST as ADAPTER_GOROUTINES, LIST_REQUEST as ADAPTER_LIST, TOP_REQUEST as ADAPTER_TOP } from '../../src/dap/handlers/discover.js';
import { ROOT } from '../integration/paths.js';

const EXT = join(ROOT, 'extension');

type Json = Record<string, unknown>;
const contributes = manifest.contributes as unknown as Json;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('extension manifest', () => {
  it('identity, engine, entry point; no proposed API', () => {
    expect(manifest).toMatchObject({ name: 'mapscope-vscode', displayName: 'mapscope: Go maps in gdb', publisher: 'mapscope', license: 'MIT', main: './dist/extension.cjs' });
    expect(manifest.engines.vscode).toBe('^1.90.0');
    expect(manifest).not.toHaveProperty('enabledApiProposals');
    // The API the code compiles against is the engine's stable one: @types/vscode of that version.
    const types = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')) as { version: string };
    expect(types.version).toMatch(/^1\.90\./);
    for (const file of sources(join(EXT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/enabledApiProposals|vscode\.proposed|registerDebugVisualization/);
      expect(text, `${file}: no innerHTML / outerHTML / insertAdjacentHTML / document.write`).not.toMatch(/\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write/);
    }
    expect(manifest.activationEvents).toEqual(
      expect.arrayContaining([`onDebugResolve:${DEBUG_TYPE}`, `onView:${VIEW_ID}`, `onCommand:${COMMANDS.inspectGoMap}`, `onCommand:${COMMANDS.pickGoProcess}`]),
    );
  });

  it('the debugger: type, attach and launch attributes, configurations, snippets, the process picker', () => {
    const [dbg] = manifest.contributes.debuggers;
    expect(manifest.contributes.debuggers).toHaveLength(1);
    expect(dbg).toMatchObject({ type: DEBUG_TYPE, label: 'Go (mapscope, gdb)', languages: ['go'] });
    expect(dbg.variables).toEqual({ pickProcess: COMMANDS.pickGoProcess, pickGoProcess: COMMANDS.pickGoProcess });
    expect(dbg.configurationAttributes.attach.required).toEqual(['processId']);
    expect(Object.keys(dbg.configurationAttributes.attach.properties).sort()).toEqual(['gdbPath', 'processId']);
    expect(dbg.configurationAttributes.attach.properties.processId.default).toBe('${command:pickGoProcess}');
    expect(dbg.configurationAttributes.launch.required).toEqual(['coreFilePath', 'program']);
    expect(Object.keys(dbg.configurationAttributes.launch.properties).sort()).toEqual(['coreFilePath', 'gdbPath', 'program']);
    const requests = (list: readonly { request: string }[]) => list.map((c) => c.request).sort();
    expect(requests(dbg.initialConfigurations)).toEqual(['attach', 'launch']);
    expect(requests(dbg.configurationSnippets.map((s) => s.body))).toEqual(['attach', 'launch']);
    for (const s of dbg.configurationSnippets) expect(s.body.type).toBe(DEBUG_TYPE);
    // Snippet bodies are snippet syntax: `${command:…}` must be escaped to stay literal.
    const attach = dbg.configurationSnippets.find((s) => s.body.request === 'attach');
    expect(attach?.body).toMatchObject({ processId: '^"\\${command:pickGoProcess}"' });
  });

  it('the Map Inspector: a webview view in the Run and Debug container', () => {
    const views = contributes.views as Record<string, Json[]>;
    expect(Object.keys(views)).toEqual(['debug']);
    expect(views.debug).toEqual([
      { type: 'webview', id: VIEW_ID, name: 'Map Inspector', when: `debugType == '${DEBUG_TYPE}' || ${HAS_CONTENT_KEY}` },
      { id: GO_MAPS_VIEW_ID, name: 'Go Maps', when: `debugType == '${DEBUG_TYPE}'` },
    ]);
  });

  it('commands and menus: "Inspect Go Map" on map variables of mapscope sessions', () => {
    const commands = manifest.contributes.commands.map((c) => c.command).sort();
    expect(commands).toEqual(Object.values(COMMANDS).sort());
    expect(manifest.contributes.commands.find((c) => c.command === COMMANDS.inspectGoMap)?.title).toBe('Inspect Go Map');
    const menus = manifest.contributes.menus as unknown as Record<string, { command: string; when: string }[]>;
    expect(menus['debug/variables/context']).toEqual([expect.objectContaining({ command: COMMANDS.inspectGoMap, when: `debugType == '${DEBUG_TYPE}' && variableType =~ /^map\\[/` })]);
    // Every command in a menu is contributed, and the extension registers every contributed one.
    const inMenus = Object.values(menus).flat().map((m) => m.command);
    for (const c of inMenus) expect(commands).toContain(c);
    const extension = readFileSync(join(EXT, 'src', 'extension.ts'), 'utf8');
    for (const key of Object.keys(COMMANDS)) expect(extension).toContain(`COMMANDS.${key}`);
    expect(INSPECT_REQUEST).toBe(ADAPTER_INSPECT_REQUEST);
    expect([TOP_REQUEST, LIST_REQUEST, GOROUTINES_REQUEST]).toEqual([ADAPTER_TOP, ADAPTER_LIST, ADAPTER_GOROUTINES]);
  });

  it('the packaged file list: bundles, media, bridge; sources left out', () => {
    const ignore = readFileSync(join(EXT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(ignore).toEqual(expect.arrayContaining(['src/**', '**/*.map', '**/*.ts']));
    for (const kept of ['dist', 'media', 'gdb-scripts', 'LICENSE', 'README.md', 'package.json']) expect(ignore.some((l) => l.startsWith(kept))).toBe(false);
  });
});

describe('"Inspect Go Map" on a variable', () => {
  const scope = { name: 'Globals', variablesReference: 2, expensive: false };
  const locals = { name: 'Locals', presentationHint: 'locals', variablesReference: 1, expensive: false };
  const map = { name: 'main.routes', value: 'map[string]int len=3 (memory order)', type: 'map[string]int', variablesReference: 7, memoryReference: '0xc000012340' };

  it('a global: its evaluateName', () => {
    expect(variableTarget({ sessionId: 's', container: scope, variable: { ...map, evaluateName: 'main.routes' } })).toEqual({ kind: 'map', expression: 'main.routes', sessionId: 's' });
  });

  it('a local right under Locals: its name, evaluated in the selected frame', () => {
    expect(variableTarget({ container: locals, variable: { ...map, name: 'seen' } })).toEqual({ kind: 'map', expression: 'seen' });
  });

  it('a map nested where no name reaches: its header address with its type', () => {
    const nested = { ...map, name: '"k"', type: 'map[int]*main.Route' };
    expect(variableTarget({ container: { name: 'value' }, variable: nested })).toEqual({ kind: 'map', expression: '0xc000012340:map[int]*main.Route' });
  });

  it('refuses what is not a map, and nil maps, with a reason', () => {
    expect(variableTarget({ variable: { name: 'n', type: 'int', value: '3' } })).toEqual({ kind: 'notMap', message: '"n" is of type int, not a Go map: Inspect Go Map shows map[K]V variables.' });
    expect(variableTarget({ variable: { name: 'p', type: '*map[string]int' } }).kind).toBe('notMap');
    expect(variableTarget({ variable: { name: 'x' } }).kind).toBe('notMap');
    const nil = variableTarget({ variable: { name: 'main.nilMap', type: 'map[string]int', value: 'map[string]int nil', variablesReference: 0, evaluateName: 'main.nilMap' } });
    expect(nil).toEqual({ kind: 'notMap', message: '"main.nilMap" is a nil map: there is nothing to inspect.' });
  });

  it('recognises VS Code\'s menu argument, and nothing else', () => {
    expect(isVariableContext({ sessionId: 's', container: scope, variable: map })).toBe(true);
    expect(isVariableContext(undefined)).toBe(false);
    expect(isVariableContext({ variable: 'main.x' })).toBe(false);
    expect(isVariableContext(vscodeUriLike())).toBe(false);
  });
});

function vscodeUriLike(): unknown {
  return { scheme: 'file', path: '/x' };
}

describe('webview page and messages', () => {
  it('a strict CSP: only the extension\'s files, only the nonce\'d script, nothing fetched', () => {
    const nonce = newNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9]{20,}$/);
    expect(newNonce()).not.toBe(nonce);
    const csp = contentSecurityPolicy({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce });
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      "style-src https://file+.vscode-resource.vscode-cdn.net 'unsafe-inline'",
      `script-src 'nonce-${nonce}'`,
      'img-src https://file+.vscode-resource.vscode-cdn.net data:',
      'font-src https://file+.vscode-resource.vscode-cdn.net',
      "connect-src 'none'",
      "form-action 'none'",
      "base-uri 'none'",
    ]);
    const page = inspectorHtml({ cspSource: 'vscode-resource:', nonce, scriptUri: 'vscode-resource:/ext/media/inspector.js', styleUri: 'vscode-resource:/ext/media/inspector.css' });
    const scripts = [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0][0]).toBe(`<script nonce="${nonce}" src="vscode-resource:/ext/media/inspector.js"></script>`);
    expect(scripts[0][1]).toBe('');
    expect(page).toContain('<link rel="stylesheet" href="vscode-resource:/ext/media/inspector.css">');
    expect(page).not.toMatch(/\son[a-z]+=/i);
  });

  it('messages are checked before they are trusted', () => {
    expect(isWebviewMessage({ type: 'ready' })).toBe(true);
    expect(isWebviewMessage({ type: 'inspect', expression: 'main.m' })).toBe(true);
    expect(isWebviewMessage({ type: 'inspect' })).toBe(false);
    expect(isWebviewMessage({ type: 'eval', code: '1' })).toBe(false);
    expect(isHostMessage({ type: 'state', state: { status: 'idle', seq: 0 } })).toBe(true);
    expect(isHostMessage({ type: 'state', state: { status: 'idle' } })).toBe(false);
    expect(isHostMessage('<script>')).toBe(false);
    expect(isInspectJson({ schema: 'mapscope/inspect@1', target: {}, maps: [] })).toBe(true);
    expect(isInspectJson({ schema: 'mapscope/inspect@2', target: {}, maps: [] })).toBe(false);
  });
});
