import * as vscode from 'vscode';
import { updateSetting } from '../config';
import type { StoreConnections } from '../connection/storeConnections';
import { filterProblem } from '../explorer/model/filter';
import { describeColumn, sameColumn, sortableColumns, metricKeys, type RunSort } from '../explorer/model/sorting';
import type { LoadMoreNode } from './runNodes';
import type { RunTreeProvider } from './runTreeProvider';
import type { RunViewOptions } from './runViewOptions';
import { startMlflowUi } from './startUi';

export interface ViewCommandDeps {
  connections: StoreConnections;
  runs: RunTreeProvider;
  options: RunViewOptions;
  output: vscode.LogOutputChannel;
  refreshAll: () => Promise<void>;
}

/** Commands of the Runs view's title: refresh, filter, sort, deleted runs, metric, load more, the MLflow UI. */
export function registerViewCommands(deps: ViewCommandDeps): vscode.Disposable {
  const { connections, runs, options, output } = deps;
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mlflow.refresh', () => deps.refreshAll()),
    vscode.commands.registerCommand('mlflow.filterRuns', () => askForFilter(options)),
    vscode.commands.registerCommand('mlflow.clearFilter', () => options.setFilter('')),
    vscode.commands.registerCommand('mlflow.sortRuns', () => askForSort(options, runs)),
    vscode.commands.registerCommand('mlflow.toggleDeletedRuns', () => updateSetting('runs.showDeleted', !options.showDeleted)),
    vscode.commands.registerCommand('mlflow.chooseRunMetric', () => askForMetric(options, runs)),
    vscode.commands.registerCommand('mlflow.loadMore', (node?: LoadMoreNode) => (node ? runs.loadMore(node.experimentNode) : undefined)),
    vscode.commands.registerCommand('mlflow.startUi', (storeUri?: unknown) =>
      startMlflowUi(connections, output, typeof storeUri === 'string' ? storeUri : undefined),
    ),
  );
}

/** An input box that checks the filter with MLflow's search language as the user types. */
async function askForFilter(options: RunViewOptions): Promise<void> {
  const box = vscode.window.createInputBox();
  box.title = 'Filter Runs';
  box.prompt = "MLflow search syntax, e.g. metrics.loss < 0.5 and params.lr = '0.01' and attributes.status = 'FINISHED'";
  box.placeholder = 'metrics.accuracy > 0.9';
  box.value = options.filter;
  box.ignoreFocusOut = true;
  const validate = (value: string) => {
    box.validationMessage = filterProblem(value);
  };
  validate(box.value);
  const done = new Promise<string | undefined>((resolve) => {
    box.onDidChangeValue(validate);
    box.onDidAccept(() => {
      if (filterProblem(box.value)) return;
      resolve(box.value);
      box.hide();
    });
    box.onDidHide(() => resolve(undefined));
  });
  box.show();
  const value = await done;
  box.dispose();
  if (value !== undefined) await options.setFilter(value);
}

async function askForSort(options: RunViewOptions, runs: RunTreeProvider): Promise<void> {
  const current = options.sort;
  const columns = sortableColumns(runs.knownRuns());
  const items = columns.map((column) => ({
    label: describeColumn(column),
    description: sameColumn(column, current.column) ? `current, ${current.ascending ? 'ascending' : 'descending'}` : undefined,
    iconPath: new vscode.ThemeIcon(column.kind === 'metric' ? 'graph-line' : column.kind === 'param' ? 'symbol-parameter' : 'symbol-field'),
    column,
  }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Sort Runs By', placeHolder: 'Metrics and params of the runs loaded so far' });
  if (!pick) return;
  const direction = await vscode.window.showQuickPick(
    [
      { label: '$(arrow-down) Descending', description: 'largest, newest or last first', ascending: false },
      { label: '$(arrow-up) Ascending', description: 'smallest, oldest or first first', ascending: true },
    ],
    { title: `Sort by ${pick.label}` },
  );
  if (!direction) return;
  const sort: RunSort = { column: pick.column, ascending: direction.ascending };
  await options.setSort(sort);
}

async function askForMetric(options: RunViewOptions, runs: RunTreeProvider): Promise<void> {
  const keys = metricKeys(runs.knownRuns());
  const none = { label: '$(clock) Age and duration', description: 'no metric', key: '' };
  const pick = await vscode.window.showQuickPick(
    [none, ...keys.map((key) => ({ label: key, description: key === options.descriptionMetric ? 'current' : undefined, key }))],
    { title: 'Metric Shown Beside Each Run' },
  );
  if (pick) await updateSetting('runs.descriptionMetric', pick.key || undefined);
}
