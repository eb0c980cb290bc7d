import * as vscode from 'vscode';

export interface LanguageClientDeps {
  output: vscode.LogOutputChannel;
}

/** Starts the MLproject/MLmodel language server for the `mlproject` and `mlmodel` languages. */
export function registerLanguageClient(_context: vscode.ExtensionContext, _deps: LanguageClientDeps): vscode.Disposable {
  // Filled in by the language-server issue (#6).
  return new vscode.Disposable(() => undefined);
}
