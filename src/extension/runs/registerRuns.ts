import * as vscode from 'vscode';
import { COMPARE_RUNS_COMMAND, PLOT_METRICS_COMMAND } from '../../protocol/charts';
import { isDefaultSort } from '../explorer/model/sorting';
import type { RunExplorerModel } from '../explorer/runExplorerModel';
import { registerRunCommands } from './runCommands';
import { RUNS_VIEW_ID } from './runTreeProvider';
import { registerViewCommands } from './runViewCommands';

export interface RunsDeps {
  explorer: RunExplorerModel;
  output: vscode.LogOutputChannel;
}

/** The Runs view, the context keys its menus read, and the commands on runs and in its title. */
export function registerRuns(_context: vscode.ExtensionContext, deps: RunsDeps): vscode.Disposable {
  const { explorer, output } = deps;
  const { connections, options, runs } = explorer;
  const disposables: vscode.Disposable[] = [];
  const track = <T extends vscode.Disposable>(d: T): T => {
    disposables.push(d);
    return d;
  };
  const runsView = track(vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: runs, canSelectMany: true, showCollapseAll: true }));

  const setContext = (key: string, value: unknown) => void vscode.commands.executeCommand('setContext', key, value);
  const updateViewState = () => {
    runsView.description = options.describe();
    runsView.message = connections.resolved ? undefined : 'Looking for MLflow stores…';
    setContext('mlflow.runsFiltered', options.filter !== '');
    setContext('mlflow.runsSorted', !isDefaultSort(options.sort));
    setContext('mlflow.showingDeletedRuns', options.showDeleted);
    setContext('mlflow.storesResolved', connections.resolved);
    setContext('mlflow.storeCount', connections.sessions.length);
    setContext(
      'mlflow.hasLocalStore',
      connections.sessions.some((s) => s.kind !== 'rest'),
    );
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

  track(connections.onDidChangeSessions(updateViewState));
  track(options.onDidChange(updateViewState));
  track(registerViewCommands({ connections, runs, options, output, refreshAll }));
  track(registerRunCommands({ connections, runs, runsView, output }));
  track(runsView.onDidChangeVisibility((e) => e.visible && void updateChartsAvailability()));
  track(runsView.onDidCollapseElement((e) => runs.collapsed(e.element)));

  updateViewState();
  // Other features register their commands during this same activation; look once they are done.
  const chartsCheck = setTimeout(() => void updateChartsAvailability(), 2000);
  track(new vscode.Disposable(() => clearTimeout(chartsCheck)));

  return new vscode.Disposable(() => {
    for (const d of disposables.reverse()) d.dispose();
  });
}
