import * as vscode from 'vscode';
import { registerLanguageClient, type LanguageClientRegistration } from './languageClient/languageClient';
import { registerRunExplorer } from './runs/registerRuns';

let languageClient: LanguageClientRegistration | undefined;

/**
 * The one composition root: every feature is built here, in order, and every
 * disposable it returns is owned by `context.subscriptions`.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('MLflow', { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(registerRunExplorer(context, { output }));
  languageClient = registerLanguageClient(context, { output });
  context.subscriptions.push(languageClient);
}

/** VS Code waits for the promise: the language server is told to shut down and exit, not killed. */
export function deactivate(): Promise<void> | undefined {
  const stopping = languageClient?.stop();
  languageClient = undefined;
  return stopping;
}
