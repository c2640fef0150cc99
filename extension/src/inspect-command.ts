/**
 * "Inspect Go Map": from a map's row in VARIABLES (the row's variable says what to inspect), or
 * from the command palette and the view's title bar (an expression is asked for).
 */
import * as vscode from 'vscode';
import { VIEW_ID } from './debug-type.js';
import type { InspectorController } from './inspector-controller.js';
import type { Sessions } from './sessions.js';
import { isVariableContext, variableTarget } from './variable-target.js';

export class InspectCommand {
  constructor(
    private readonly sessions: Sessions,
    private readonly controller: InspectorController,
  ) {}

  async run(arg?: unknown): Promise<void> {
    let expression: string | undefined;
    let sessionId: string | undefined;
    if (isVariableContext(arg)) {
      const t = variableTarget(arg);
      if (t.kind === 'notMap') {
        void vscode.window.showWarningMessage(t.message);
        return;
      }
      expression = t.expression;
      sessionId = t.sessionId;
    } else {
      expression = await vscode.window.showInputBox({
        title: 'Inspect Go Map',
        prompt: 'A Go map expression: a global, a local, a field path, or ADDRESS:map[K]V',
        placeHolder: 'main.routes, (*main.srv).cache, 0xc000012345:map[string]int',
        value: this.controller.lastExpression,
        ignoreFocusOut: true,
      });
      if (!expression?.trim()) return;
    }
    await this.inspect(expression.trim(), sessionId);
  }

  /** Shows the view and inspects `expression` in the given (or the active) mapscope session. */
  async inspect(expression: string, sessionId?: string): Promise<void> {
    const session = this.sessions.find(sessionId);
    if (!session) {
      void vscode.window.showErrorMessage('Inspect Go Map needs a running mapscope debug session: attach to a Go process or open a core dump first (Run and Debug, "Go (mapscope, gdb)").');
      return;
    }
    // Every view gets a "<id>.focus" command: it opens the Run and Debug container at the view.
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    await this.controller.inspect(session, expression);
  }
}
