import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { connectToDatabase, connectToDatabricks } from './connectDatabase';
import { connectToServer, signIn } from './connectFlow';
import { findLocalStore } from './discovery';
import type { StoreConnections } from './storeConnections';
import { locationForPath, shortStoreName, type StoreLocation } from './trackingUri';

/** Commands that choose where runs come from: connect, sign in, open a store folder or database, select a store. */
export function registerStoreCommands(connections: StoreConnections, refreshAll: () => Promise<void>): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mlflow.connect', async (url?: string) => {
      if (await connectToServer(connections, typeof url === 'string' ? url : undefined)) await refreshAll();
    }),
    vscode.commands.registerCommand('mlflow.signIn', async (storeUri?: string) => {
      const session = (storeUri && connections.sessionFor(storeUri)) || connections.sessions.find((s) => s.kind === 'rest');
      if (session) await signIn(connections, session, () => void refreshAll());
    }),
    vscode.commands.registerCommand('mlflow.openStoreFolder', () => pickLocalStore(connections)),
    vscode.commands.registerCommand('mlflow.selectStore', () => selectStore(connections)),
  );
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
      (vscode.workspace.workspaceFolders ?? [])
        .filter((f) => f.uri.scheme === 'file')
        .map(async (f) => ({ folder: f, location: await findLocalStore(f.uri.fsPath) })),
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
    items.push({
      label: `$(database) ${vscode.workspace.asRelativePath(location.path, true)}`,
      description: marked(`in ${folder.name}`, location.uri),
      run: () => connections.select(location.uri),
    });
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
  for (const uri of servers)
    items.push({ label: `$(cloud) ${uri}`, description: current.has(uri) ? 'current' : undefined, run: () => connections.select(uri) });
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
