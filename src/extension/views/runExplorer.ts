import * as vscode from 'vscode';

export interface RunExplorerDeps {
  output: vscode.LogOutputChannel;
}

/** The Runs and Models views, the status-bar item and their commands. */
export function registerRunExplorer(_context: vscode.ExtensionContext, _deps: RunExplorerDeps): vscode.Disposable {
  // Filled in by the run-explorer issue (#4).
  return new vscode.Disposable(() => undefined);
}
