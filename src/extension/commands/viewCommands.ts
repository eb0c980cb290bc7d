import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { updateSetting } from '../config';
import { connectToDatabase, connectToDatabricks } from '../connection/connectDatabase';
import { connectToServer, signIn } from '../connection/connectFlow';
import { findLocalStore } from '../connection/discovery';
import type { StoreConnections } from '../connection/storeConnections';
import { locationForPath, shortStoreName, type StoreLocation } from '../connection/trackingUri';
import { filterProblem } from '../views/model/filter';
import { describeColumn, sameColumn, sortableColumns, metricKeys, type RunSort } from '../views/model/sorting';
import type { ModelTreeNode, ModelTreeProvider } from '../views/modelTreeProvider';
import type { LoadMoreNode } from '../views/runNodes';
import type { RunTreeProvider } from '../views/runTreeProvider';
import type { RunViewOptions } from '../views/runViewOptions';
import { startMlflowUi } from './startUi';

export interface ViewCommandDeps {
  connections: StoreConnections;
  runs: RunTreeProvider;
  models: ModelTreeProvider;
  options: RunViewOptions;
  output: vscode.LogOutputChannel;
  refreshAll: () => Promise<void>;
}

/** Commands of the view titles and the status bar: refresh, filter, sort, deleted runs, metric, stores. */
export function registerViewCommands(deps: ViewCommandDeps): vscode.Disposable {
  const { connections, runs, models, options, output } = deps;
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mlflow.refresh', () => deps.refreshAll()),
    vscode.commands.registerCommand('mlflow.filterRuns', () => askForFilter(options)),
    vscode.commands.registerCommand('mlflow.clearFilter', () => options.setFilter('')),
    vscode.commands.registerCommand('mlflow.sortRuns', () => askForSort(options, runs)),
    vscode.commands.registerCommand('mlflow.toggleDeletedRuns', () => updateSetting('runs.showDeleted', !options.showDeleted)),
    vscode.commands.registerCommand('mlflow.chooseRunMetric', () => askForMetric(options, runs)),
    vscode.commands.registerCommand('mlflow.loadMore', (node?: LoadMoreNode) => (node ? runs.loadMore(node.experimentNode) : undefined)),
    vscode.commands.registerCommand('mlflow.models.loadMore', (node?: ModelTreeNode) => (node?.kind === 'loadMore' ? models.loadMore(node.session) : undefined)),
    vscode.commands.registerCommand('mlflow.connect', async (url?: string) => {
      if (await connectToServer(connections, typeof url === 'string' ? url : undefined)) await deps.refreshAll();
    }),
    vscode.commands.registerCommand('mlflow.signIn', async (storeUri?: string) => {
      const session = (storeUri && connections.sessionFor(storeUri)) || connections.sessions.find((s) => s.kind === 'rest');
      if (session) await signIn(connections, session, () => void deps.refreshAll());
    }),
    vscode.commands.registerCommand('mlflow.openStoreFolder', () => pickLocalStore(connections)),
    vscode.commands.registerCommand('mlflow.selectStore', () => selectStore(connections)),
    vscode.commands.registerCommand('mlflow.startUi', (storeUri?: unknown) => startMlflowUi(connections, output, typeof storeUri === 'string' ? storeUri : undefined)),
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
  const columns = sortableColumns(runs.loadedRuns());
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
  const keys = metricKeys(runs.loadedRuns());
  const none = { label: '$(clock) Age and duration', description: 'no metric', key: '' };
  const pick = await vscode.window.showQuickPick(
    [none, ...keys.map((key) => ({ label: key, description: key === options.descriptionMetric ? 'current' : undefined, key }))],
    { title: 'Metric Shown Beside Each Run' },
  );
  if (pick) await updateSetting('runs.descriptionMetric', pick.key || undefined);
}

async function pickLocalStore(connections: StoreConnections): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Open an MLflow Store',
    openLabel: 'Open Store',
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    filters: { 'MLflow stores': ['db', 'sqlite', 'sqlite3'], 'All files': ['*'] },
  });
  const target = picked?.[0];
  if (target) await openLocalStore(connections, target);
}

/** What the file dialog does with the folder or file picked: show that store, and remember it for Select Store. */
export async function openLocalStore(connections: StoreConnections, target: vscode.Uri): Promise<StoreLocation> {
  let location = locationForPath(target.fsPath);
  // A project folder holding an mlruns or mlflow.db: open the store inside it.
  if (location.kind === 'file' && !/mlruns$/i.test(target.fsPath)) {
    location = (await findLocalStore(target.fsPath, { maxDepth: 1 })) ?? location;
  }
  await connections.select(location.uri, { remember: true });
  return location;
}

export type StoreChoice = vscode.QuickPickItem & { run?: () => Promise<unknown> };

/**
 * The items of Select Store: automatic and the stores found in the workspace, the local stores
 * opened from elsewhere, the tracking servers, then the ways to open another one.
 */
export async function storeChoices(connections: StoreConnections): Promise<StoreChoice[]> {
  const current = new Set(connections.sessions.map((s) => s.uri));
  const marked = (description: string, uri: string) => (current.has(uri) ? `${description} · current` : description);
  const items: StoreChoice[] = [];
  const [discovered, recentStores] = await Promise.all([
    Promise.all(
      (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map(async (f) => ({ folder: f, location: await findLocalStore(f.uri.fsPath) })),
    ),
    connections.recentLocalStores(),
  ]);
  items.push({ label: 'Workspace and settings', kind: vscode.QuickPickItemKind.Separator });
  items.push({
    label: '$(sync) Automatic',
    description: 'mlflow.trackingUri, else MLFLOW_TRACKING_URI, else the stores found in the workspace',
    detail: connections.selectedUri ? undefined : 'current',
    run: () => connections.select(undefined),
  });
  const inWorkspace = new Set<string>();
  for (const { folder, location } of discovered) {
    if (!location || (location.kind !== 'file' && location.kind !== 'sqlite') || inWorkspace.has(location.uri)) continue;
    inWorkspace.add(location.uri);
    items.push({ label: `$(database) ${vscode.workspace.asRelativePath(location.path, true)}`, description: marked(`in ${folder.name}`, location.uri), run: () => connections.select(location.uri) });
  }
  const elsewhere = recentStores.filter((location) => !inWorkspace.has(location.uri));
  if (elsewhere.length) items.push({ label: 'Recent stores', kind: vscode.QuickPickItemKind.Separator });
  for (const location of elsewhere) {
    items.push({
      label: `$(database) ${shortStoreName(location)}`,
      description: marked(`in ${homeRelative(path.dirname(path.dirname(location.path)))}`, location.uri),
      run: () => connections.select(location.uri, { remember: true }),
    });
  }
  const servers = connections.recentServers;
  if (servers.length) items.push({ label: 'Tracking servers', kind: vscode.QuickPickItemKind.Separator });
  for (const uri of servers) items.push({ label: `$(cloud) ${uri}`, description: current.has(uri) ? 'current' : undefined, run: () => connections.select(uri) });
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(folder-opened) Open an mlruns Folder or mlflow.db…', run: () => pickLocalStore(connections) });
  items.push({ label: '$(plug) Connect to Tracking Server…', run: () => connectToServer(connections) });
  items.push({ label: '$(database) Connect to a PostgreSQL or MySQL Database…', run: () => connectToDatabase(connections) });
  items.push({ label: '$(cloud) Connect to Databricks…', run: () => connectToDatabricks(connections) });
  return items;
}

async function selectStore(connections: StoreConnections): Promise<void> {
  const pick = await vscode.window.showQuickPick(storeChoices(connections), { title: 'Select MLflow Store' });
  await pick?.run?.();
}

/** `~/projects/iris` rather than `/home/ana/projects/iris`, as VS Code's own recent lists show paths. */
function homeRelative(folder: string): string {
  const home = os.homedir();
  return home && (folder === home || folder.startsWith(home + path.sep)) ? `~${folder.slice(home.length)}` : folder;
}
