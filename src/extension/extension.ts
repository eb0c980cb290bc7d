import * as vscode from 'vscode';
import { registerLanguageClient } from './client/languageClient';
import { registerRunExplorer } from './views/runExplorer';
import { registerCompare } from './compare/comparePanel';
import { registerSourceCommands } from './source/sourceCommands';
import { registerSweep } from './sweep/sweepPanel';

/**
 * The one composition root: every feature is built here, in order, and every
 * disposable it returns is owned by `context.subscriptions`.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('MLflow', { log: true });
  context.subscriptions.push(output);

  const explorer = registerRunExplorer(context, { output });
  context.subscriptions.push(explorer);
  context.subscriptions.push(registerCompare(context, { output, connections: explorer.connections }));
  context.subscriptions.push(registerSourceCommands({ connections: explorer.connections }));
  context.subscriptions.push(registerSweep(context, { output, connections: explorer.connections, options: explorer.options }));
  context.subscriptions.push(registerLanguageClient(context, { output }));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
