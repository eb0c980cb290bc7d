import * as vscode from 'vscode';
import { registerLanguageClient } from './client/languageClient';
import { registerRunProject } from './run/runProject';
import { registerServeModel } from './serve/serveModel';
import { registerRunExplorer } from './views/runExplorer';

/**
 * The one composition root: every feature is built here, in order, and every
 * disposable it returns is owned by `context.subscriptions`.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('MLflow', { log: true });
  context.subscriptions.push(output);

  const explorer = registerRunExplorer(context, { output });
  context.subscriptions.push(explorer);
  context.subscriptions.push(registerRunProject(context, { connections: explorer.connections, output }));
  context.subscriptions.push(registerServeModel(context, { connections: explorer.connections, output }));
  context.subscriptions.push(registerLanguageClient(context, { output }));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
