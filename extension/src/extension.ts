/**
 * mapscope for VS Code: the `mapscope-go` debug type (gdb behind mapscope's debug adapter, on
 * live processes and core dumps), the Map Inspector view, and the Go Maps tree (top, list,
 * goroutines). Only stable VS Code APIs.
 */
import * as vscode from 'vscode';
import { AdapterFactory } from './adapter-factory.js';
import { ConfigurationProvider } from './configuration.js';
import { COMMANDS, DEBUG_TYPE, GO_MAPS_VIEW_ID, VIEW_ID } from './debug-type.js';
import { GoMapsTree } from './go-maps-view.js';
import { InspectCommand } from './inspect-command.js';
import { InspectorController } from './inspector-controller.js';
import { InspectorViewProvider } from './inspector-view.js';
import { pickGoProcess } from './pick-process.js';
import { Sessions } from './sessions.js';

export function activate(context: vscode.ExtensionContext): void {
  const sessions = new Sessions();
  const controller = new InspectorController(sessions);
  const command = new InspectCommand(sessions, controller);
  const provider = new InspectorViewProvider(context.extensionUri, controller, (e) => void command.inspect(e));
  const goMaps = new GoMapsTree(sessions);
  context.subscriptions.push(
    goMaps,
    vscode.window.registerTreeDataProvider(GO_MAPS_VIEW_ID, goMaps),
    vscode.commands.registerCommand(COMMANDS.inspectExpression, (expression: unknown) => typeof expression === 'string' && command.inspect(expression)),
    vscode.commands.registerCommand(COMMANDS.refreshGoMaps, () => goMaps.refresh()),
    sessions,
    controller,
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new AdapterFactory(context.extensionPath)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ConfigurationProvider()),
    vscode.window.registerWebviewViewProvider(VIEW_ID, provider),
    vscode.commands.registerCommand(COMMANDS.inspectGoMap, (arg?: unknown) => command.run(arg)),
    vscode.commands.registerCommand(COMMANDS.refresh, () => controller.refresh()),
    vscode.commands.registerCommand(COMMANDS.pickGoProcess, () => pickGoProcess()),
  );
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the adapter process ends with its session.
}
