/**
 * The Connect flow's other two targets: a PostgreSQL or MySQL database that MLflow writes to
 * (kind, host, port, database, user; the password kept in SecretStorage, never in the URI shown
 * or saved), and a Databricks workspace (a ~/.databrickscfg profile, or DATABRICKS_HOST/TOKEN).
 * Each is tested with the request the Runs view sends first before it becomes the selected store.
 */
import * as vscode from 'vscode';
import { resolveDatabricks } from '../../tracking';
import { readIni } from '../../tracking/s3/config';
import { openStore } from './openStore';
import type { StoreConnections } from './storeConnections';
import { storeLocationOf, redactUrl, type StoreLocation } from './trackingUri';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../format/errors';

type DatabaseKind = 'postgresql' | 'mysql';

async function tryStore(uri: string, password: string | undefined, title: string): Promise<string | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, async () => {
    let store;
    try {
      store = await openStore(uri, { password, database: { connectTimeoutMs: 10_000, poll: false } });
      await store.searchExperiments({ view_type: 'ACTIVE_ONLY', max_results: 100 });
      return undefined;
    } catch (error) {
      return redactUrl(errorMessage(error));
    } finally {
      store?.dispose();
    }
  });
}

/** Asks for the parts of a database URI, then the password; saves the password in SecretStorage. */
export async function connectToDatabase(connections: StoreConnections): Promise<boolean> {
  const kinds: (vscode.QuickPickItem & { kind_: DatabaseKind })[] = [
    { label: '$(database) PostgreSQL', description: 'postgresql://', kind_: 'postgresql' },
    { label: '$(database) MySQL or MariaDB', description: 'mysql://', kind_: 'mysql' },
  ];
  const first = { title: 'Connect to an MLflow Database (1/6)', placeHolder: 'Which database does MLflow write to?', ignoreFocusOut: true };
  const kind = (await vscode.window.showQuickPick(kinds, first))?.kind_;
  if (!kind) return false;
  const ask = async (step: number, prompt: string, value: string, validate?: (v: string) => string | undefined) =>
    vscode.window.showInputBox({ title: `Connect to an MLflow Database (${step}/6)`, prompt, value, ignoreFocusOut: true, validateInput: validate });
  const host = await ask(2, 'Host name or address of the database server', 'localhost', (v) => (v.trim() ? undefined : 'Enter a host.'));
  if (host === undefined) return false;
  const port = await ask(3, 'Port', kind === 'postgresql' ? '5432' : '3306', (v) => (/^\d{1,5}$/.test(v.trim()) ? undefined : 'Enter a port number.'));
  if (port === undefined) return false;
  const database = await ask(4, 'Database name (as in the backend store URI)', 'mlflow', (v) => (v.trim() ? undefined : 'Enter the database name.'));
  if (database === undefined) return false;
  const user = await ask(5, 'User name', '', (v) => (v.trim() ? undefined : 'Enter the user name.'));
  if (user === undefined) return false;
  const shownHost = host.trim().includes(':') ? `[${host.trim()}]` : host.trim();
  const uri = `${kind}://${encodeURIComponent(user.trim())}@${shownHost}:${port.trim()}/${encodeURIComponent(database.trim())}`;
  const location = storeLocationOf(uri, process.cwd());
  for (;;) {
    const password = await vscode.window.showInputBox({
      title: 'Connect to an MLflow Database (6/6)',
      prompt: `Password of ${user.trim()} (kept in VS Code's secret storage)`,
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return false;
    const error = await tryStore(location.uri, password, `Connecting to ${location.uri}…`);
    if (error) {
      const choice = await vscode.window.showErrorMessage(`Could not read MLflow's tables at ${location.uri}: ${error}`, 'Try Again');
      if (choice === 'Try Again') continue;
      return false;
    }
    await connections.credentials.save(location.uri, { kind: 'basic', username: user.trim(), password });
    break;
  }
  connections.output.info(`Connected to the database ${location.uri}`);
  const existing = connections.sessionFor(location.uri);
  if (existing) connections.reopen(existing);
  await connections.select(location.uri);
  return true;
}

/** A database or Databricks URI typed into the Connect box: the password (from the URI, or asked for) is tested, then saved. */
export async function connectToTypedUri(connections: StoreConnections, location: StoreLocation & { kind: 'database' | 'databricks' }): Promise<boolean> {
  let password = location.kind === 'database' ? location.credentials?.password : undefined;
  if (location.kind === 'database' && password === undefined) {
    const prompt = "Kept in VS Code's secret storage";
    password = await vscode.window.showInputBox({ title: `Password for ${location.uri}`, prompt, password: true, ignoreFocusOut: true });
    if (password === undefined) return false;
  }
  const error = await tryStore(location.uri, password, `Connecting to ${location.uri}…`);
  if (error) {
    void vscode.window.showErrorMessage(`Could not read MLflow at ${location.uri}: ${error}`);
    return false;
  }
  if (location.kind === 'database' && password !== undefined) {
    const username = location.credentials?.username ?? /^[^:]+:\/\/([^@/]*)@/.exec(location.uri)?.[1] ?? '';
    await connections.credentials.save(location.uri, { kind: 'basic', username: decodeURIComponent(username), password });
  }
  const existing = connections.sessionFor(location.uri);
  if (existing) connections.reopen(existing);
  await connections.select(location.uri);
  return true;
}

/** Picks a ~/.databrickscfg profile (or the DATABRICKS_HOST/TOKEN environment) and connects to its workspace. */
export async function connectToDatabricks(connections: StoreConnections): Promise<boolean> {
  const file = process.env.DATABRICKS_CONFIG_FILE || join(homedir(), '.databrickscfg');
  const items: (vscode.QuickPickItem & { uri: string })[] = [...readIni(file).entries()].map(([name, section]) => ({
    label: `$(cloud) ${name}`,
    description: section.get('host'),
    uri: name === 'DEFAULT' ? 'databricks' : `databricks://${name}`,
  }));
  if (process.env.DATABRICKS_HOST && process.env.DATABRICKS_TOKEN) {
    items.unshift({ label: '$(terminal) From the environment', description: `DATABRICKS_HOST=${process.env.DATABRICKS_HOST}`, uri: 'databricks' });
  }
  if (items.length === 0) {
    void vscode.window.showErrorMessage(`No Databricks profiles in ${file}, and DATABRICKS_HOST / DATABRICKS_TOKEN are not set: run \`databricks configure\`.`);
    return false;
  }
  const placeHolder = 'Which workspace (profile in ~/.databrickscfg)?';
  const pick = await vscode.window.showQuickPick(items, { title: 'Connect to Databricks', placeHolder, ignoreFocusOut: true });
  if (!pick) return false;
  let host: string;
  try {
    host = resolveDatabricks(pick.uri === 'databricks' ? undefined : pick.uri.slice('databricks://'.length)).host;
  } catch (error) {
    void vscode.window.showErrorMessage(errorMessage(error));
    return false;
  }
  const error = await tryStore(pick.uri, undefined, `Connecting to ${host}…`);
  if (error) {
    const choice = await vscode.window.showErrorMessage(`Could not reach MLflow on ${host}: ${error}`, 'Connect Anyway');
    if (choice !== 'Connect Anyway') return false;
  }
  connections.output.info(`Connected to Databricks (${pick.uri}) at ${host}`);
  await connections.select(pick.uri);
  return true;
}
