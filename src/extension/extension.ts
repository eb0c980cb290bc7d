import * as vscode from 'vscode';
import { registerCharts } from './charts/registerCharts';
import { registerLanguageClient } from './client/languageClient';
import { registerRunExplorer } from './views/runExplorer';

/**
 * The one composition root: every feature is built here, in order, and every
 * disposable it returns is owned by `context.subscriptions`.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('MLflow', { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(registerRunExplorer(context, { output }));
  context.subscriptions.push(registerLanguageClient(context, { output }));
  context.subscriptions.push(registerCharts(context, { output }));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
