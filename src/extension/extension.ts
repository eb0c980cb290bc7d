import * as vscode from 'vscode';
import { registerArtifacts } from './artifacts/registerArtifacts';
import { registerCharts } from './charts/registerCharts';
import { registerCompare } from './compare/comparePanel';
import { registerConnection } from './connection/registerConnection';
import { RunExplorerModel } from './explorer/runExplorerModel';
import { registerLanguageClient, type LanguageClientRegistration } from './languageClient/languageClient';
import { registerModels } from './models/registerModels';
import { registerRuns } from './runs/registerRuns';
import { registerRunProject } from './run/runProject';
import { registerServeModel } from './serve/serveModel';
import { registerSourceCommands } from './source/sourceCommands';
import { registerSweep } from './sweep/sweepPanel';

let languageClient: LanguageClientRegistration | undefined;

/**
 * The one composition root: every feature is built here, in order, each feature folder
 * registering its own views and commands once, and every disposable it returns is owned
 * by `context.subscriptions`.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('MLflow', { log: true });
  context.subscriptions.push(output);

  // What the Runs, Models and artifact features share: the stores, view options and tree providers.
  const explorer = new RunExplorerModel(context, output);
  context.subscriptions.push(explorer);
  context.subscriptions.push(registerRuns(context, { explorer, output }));
  context.subscriptions.push(registerModels(context, { explorer }));
  context.subscriptions.push(registerArtifacts(context, { explorer }));
  context.subscriptions.push(registerConnection(context, { explorer, output }));

  context.subscriptions.push(registerRunProject(context, { connections: explorer.connections, output }));
  context.subscriptions.push(registerServeModel(context, { connections: explorer.connections, output }));
  context.subscriptions.push(registerCharts(context, { output }));
  context.subscriptions.push(registerCompare(context, { output, connections: explorer.connections }));
  context.subscriptions.push(registerSourceCommands({ connections: explorer.connections, output }));
  context.subscriptions.push(registerSweep(context, { output, connections: explorer.connections, options: explorer.options }));

  languageClient = registerLanguageClient(context, { output });
  context.subscriptions.push(languageClient);
}

/** VS Code waits for the promise: the language server is told to shut down and exit, not killed. */
export function deactivate(): Promise<void> | undefined {
  const stopping = languageClient?.stop();
  languageClient = undefined;
  return stopping;
}
