import * as vscode from 'vscode';
import { COMPARE_RUNS_COMMAND, PLOT_METRICS_COMMAND } from '../../protocol/charts';
import { registerRunCommands } from '../commands/runCommands';
import { registerViewCommands } from '../commands/viewCommands';
import { signInAgain } from '../connection/connectFlow';
import { registerStoreStatusItem } from '../statusBar/storeStatusItem';
import { ARTIFACT_SCHEME } from './artifactFileSystem';
import { isDefaultSort } from './model/sorting';
import { MODELS_VIEW_ID } from './modelTreeProvider';
import { RunExplorerModel } from './runExplorerModel';
import { RUNS_VIEW_ID } from './runTreeProvider';

export interface RunExplorerDeps {
  output: vscode.LogOutputChannel;
}

/** What other features read from the explorer: the open stores and the Runs view's filter. */
export interface RunExplorerHandle extends vscode.Disposable {
  connections: RunExplorerModel['connections'];
  options: RunExplorerModel['options'];
}

/** The Runs and Models views, the status-bar item and their commands. */
export function registerRunExplorer(context: vscode.ExtensionContext, deps: RunExplorerDeps): RunExplorerHandle {
  const { output } = deps;
  const disposables: vscode.Disposable[] = [];
  const track = <T extends vscode.Disposable>(d: T): T => {
    disposables.push(d);
    return d;
  };

  const explorer = track(new RunExplorerModel(context, output));
  const { connections, options, runs, models, artifacts } = explorer;
  const runsView = track(vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: runs, canSelectMany: true, showCollapseAll: true }));
  track(vscode.window.createTreeView(MODELS_VIEW_ID, { treeDataProvider: models, showCollapseAll: true }));
  track(vscode.workspace.registerFileSystemProvider(ARTIFACT_SCHEME, artifacts, { isReadonly: true, isCaseSensitive: true }));

  const setContext = (key: string, value: unknown) => void vscode.commands.executeCommand('setContext', key, value);
  const updateViewState = () => {
    runsView.description = options.describe();
    runsView.message = connections.resolved ? undefined : 'Looking for MLflow stores…';
    setContext('mlflow.runsFiltered', options.filter !== '');
    setContext('mlflow.runsSorted', !isDefaultSort(options.sort));
    setContext('mlflow.showingDeletedRuns', options.showDeleted);
    setContext('mlflow.storesResolved', connections.resolved);
    setContext('mlflow.storeCount', connections.sessions.length);
    setContext('mlflow.hasLocalStore', connections.sessions.some((s) => s.kind !== 'rest'));
  };
  /** The charts issue registers the receiving commands; the menu items show only once they exist. */
  const updateChartsAvailability = async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    setContext('mlflow.chartsAvailable', commands.has(PLOT_METRICS_COMMAND));
    setContext('mlflow.compareAvailable', commands.has(COMPARE_RUNS_COMMAND));
  };
  const refreshAll = async () => {
    await Promise.all([explorer.refreshAll(), updateChartsAvailability()]);
  };

  connections.signInHandler = (session) => signInAgain(connections, session, () => void refreshAll());
  track(connections.onDidChangeSessions(updateViewState));
  track(options.onDidChange(updateViewState));

  // A store created after activation (the first training run) appears without a reload.
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const pattern = new vscode.RelativePattern(folder, '{mlruns,mlflow.db,*/mlruns,*/mlflow.db,*/*/mlruns,*/*/mlflow.db}');
    const watcher = track(vscode.workspace.createFileSystemWatcher(pattern, false, true, true));
    track(
      watcher.onDidCreate(() => {
        if (!connections.sessions.some((s) => s.origin === 'selected' || s.origin === 'setting')) void connections.resolve();
      }),
    );
  }

  track(registerViewCommands({ connections, runs, models, options, output, refreshAll }));
  track(registerRunCommands({ connections, runs, runsView, output }));
  track(registerStoreStatusItem(connections));
  track(runsView.onDidChangeVisibility((e) => e.visible && void updateChartsAvailability()));

  updateViewState();
  void connections.resolve().then(updateViewState, (error) => output.error(`Finding MLflow stores failed: ${String(error)}`));
  // Other features register their commands during this same activation; look once they are done.
  const chartsCheck = setTimeout(() => void updateChartsAvailability(), 2000);
  track(new vscode.Disposable(() => clearTimeout(chartsCheck)));

  const disposable = new vscode.Disposable(() => {
    for (const d of disposables.reverse()) d.dispose();
  });
  return Object.assign(disposable, { connections, options });
}
