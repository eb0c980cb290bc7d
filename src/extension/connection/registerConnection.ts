import * as vscode from 'vscode';
import type { RunExplorerModel } from '../explorer/runExplorerModel';
import { signInAgain } from './connectFlow';
import { registerStoreCommands } from './storeCommands';
import { registerStoreStatusItem } from './storeStatusItem';

export interface ConnectionDeps {
  explorer: RunExplorerModel;
  output: vscode.LogOutputChannel;
}

/**
 * Where runs come from: finds the stores (and again when one is created), the status-bar
 * item, the commands that connect, sign in and switch stores.
 */
export function registerConnection(_context: vscode.ExtensionContext, deps: ConnectionDeps): vscode.Disposable {
  const { explorer, output } = deps;
  const { connections } = explorer;
  const disposables: vscode.Disposable[] = [];
  const refreshAll = () => explorer.refreshAll();
  connections.signInHandler = (session) => signInAgain(connections, session, () => void refreshAll());

  // A store created after activation (the first training run) appears without a reload.
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const pattern = new vscode.RelativePattern(folder, '{mlruns,mlflow.db,*/mlruns,*/mlflow.db,*/*/mlruns,*/*/mlflow.db}');
    const watcher = vscode.workspace.createFileSystemWatcher(pattern, false, true, true);
    disposables.push(
      watcher,
      watcher.onDidCreate(() => {
        if (!connections.sessions.some((s) => s.origin === 'selected' || s.origin === 'setting')) void connections.resolve();
      }),
    );
  }
  disposables.push(registerStoreCommands(connections, refreshAll), registerStoreStatusItem(connections));
  void connections.resolve().catch((error) => output.error(`Finding MLflow stores failed: ${String(error)}`));

  return new vscode.Disposable(() => {
    for (const d of disposables.reverse()) d.dispose();
  });
}
