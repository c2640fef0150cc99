/**
 * The Map Inspector webview view in the Run and Debug container: the page (inspector-html.ts)
 * with the script built from src/webview, fed the controller's state, and its requests passed on.
 */
import * as vscode from 'vscode';
import { inspectorHtml, newNonce } from './inspector-html.js';
import type { InspectorController } from './inspector-controller.js';
import { isWebviewMessage, type HostMessage, type ViewState } from './shared/messages.js';

export class InspectorViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: InspectorController,
    /** "Inspect" typed into the view: the host decides the session and runs it. */
    private readonly inspectExpression: (expression: string) => void,
  ) {
    controller.onDidChange((s) => this.post(s));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const webview = view.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    webview.html = inspectorHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'inspector.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'inspector.css')).toString(),
    });
    webview.onDidReceiveMessage((m: unknown) => {
      if (!isWebviewMessage(m)) return;
      if (m.type === 'ready') this.post(this.controller.current);
      else if (m.type === 'refresh') void this.controller.refresh();
      else this.inspectExpression(m.expression);
    });
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }

  private post(state: ViewState): void {
    const message: HostMessage = { type: 'state', state };
    void this.view?.webview.postMessage(message);
  }
}
