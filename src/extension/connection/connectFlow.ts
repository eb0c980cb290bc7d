import * as vscode from 'vscode';
import { authOptions, describeAuth, fromEnvironment, type ServerAuth } from './credentials';
import { isAuthError, openStore } from './openStore';
import { connectToTypedUri } from './connectDatabase';
import type { StoreConnections, StoreSession } from './storeConnections';
import { storeLocationOf, redactUrl } from './trackingUri';
import { errorMessage } from '../../format/errors';

/**
 * "MLflow: Connect to Tracking Server…": the URL, the authentication, a test request,
 * then secrets into SecretStorage and the server becomes the selected store.
 */
export async function connectToServer(connections: StoreConnections, initialUrl?: string): Promise<boolean> {
  const recent = connections.recentServers;
  const envUri = process.env.MLFLOW_TRACKING_URI?.trim();
  const url = await vscode.window.showInputBox({
    title: 'Connect to MLflow Tracking Server',
    prompt: 'What you would set as MLFLOW_TRACKING_URI: a tracking server URL, a database URI (postgresql://user@host/db, mysql://…) or databricks',
    placeHolder: 'http://127.0.0.1:5000',
    value: initialUrl ?? recent[0] ?? (envUri && /^https?:/i.test(envUri) ? redactUrl(envUri) : undefined),
    ignoreFocusOut: true,
    validateInput: (value) => validateServerUrl(value),
  });
  if (url === undefined) return false;
  const location = storeLocationOf(url, process.cwd());
  if (location.kind === 'database' || location.kind === 'databricks') return connectToTypedUri(connections, location);
  if (location.kind !== 'rest') return false;
  let auth: ServerAuth | undefined = location.credentials ? { kind: 'basic', ...location.credentials } : undefined;
  for (;;) {
    auth ??= await askForAuth(connections, location.uri);
    if (!auth) return false;
    const result = await testConnection(location.uri, auth);
    if (result === 'ok') break;
    if (result === 'unauthorized') {
      const again = await vscode.window.showWarningMessage(`${location.uri} refused ${describeAuth(auth)}.`, 'Enter Credentials Again');
      if (!again) return false;
      auth = undefined;
      continue;
    }
    const choice = await vscode.window.showErrorMessage(`Could not reach ${location.uri}: ${result.error}`, 'Try Again', 'Connect Anyway');
    if (choice === 'Try Again') continue;
    if (choice !== 'Connect Anyway') return false;
    break;
  }
  await connections.credentials.save(location.uri, auth);
  connections.output.info(
    `Connected to ${location.uri} with ${auth.kind === 'none' ? 'no authentication' : auth.kind === 'token' ? 'a token' : 'user and password'}`,
  );
  // Already shown (connecting again with other credentials): its store reopens with the new ones.
  const existing = connections.sessionFor(location.uri);
  if (existing) connections.reopen(existing);
  await connections.select(location.uri);
  return true;
}

export function validateServerUrl(value: string): string | undefined {
  const text = value.trim();
  if (!/^(https?:\/\/|postgres|mysql|mariadb|databricks)/i.test(text)) return 'Enter an http(s):// URL, a postgresql:// or mysql:// URI, or databricks.';
  try {
    storeLocationOf(text, process.cwd());
    return undefined;
  } catch (error) {
    return errorMessage(error);
  }
}

/** Asks how to authenticate; undefined when the user cancels. */
export async function askForAuth(connections: StoreConnections, serverUri: string): Promise<ServerAuth | undefined> {
  type Choice = vscode.QuickPickItem & { kind_: ServerAuth['kind'] | 'env' };
  const items: Choice[] = [
    { label: '$(circle-slash) No authentication', kind_: 'none' },
    { label: '$(key) Access token', description: 'sent as a bearer token', kind_: 'token' },
    { label: '$(person) User name and password', description: 'HTTP basic authentication', kind_: 'basic' },
  ];
  if (connections.credentials.hasEnvironmentCredentials()) {
    items.unshift({ label: '$(terminal) From the environment', description: 'MLFLOW_TRACKING_TOKEN / _USERNAME / _PASSWORD', kind_: 'env' });
  }
  const pick = await vscode.window.showQuickPick(items, {
    title: `Authentication for ${serverUri}`,
    placeHolder: 'How does the server check who you are?',
    ignoreFocusOut: true,
  });
  if (!pick) return undefined;
  switch (pick.kind_) {
    case 'none':
      return { kind: 'none' };
    case 'env':
      return fromEnvironment(process.env);
    case 'token': {
      const token = await vscode.window.showInputBox({
        title: `Access token for ${serverUri}`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Enter the token.'),
      });
      return token === undefined ? undefined : { kind: 'token', token: token.trim() };
    }
    case 'basic': {
      const username = await vscode.window.showInputBox({
        title: `User name for ${serverUri}`,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Enter the user name.'),
      });
      if (username === undefined) return undefined;
      const password = await vscode.window.showInputBox({ title: `Password for ${username.trim()} on ${serverUri}`, password: true, ignoreFocusOut: true });
      return password === undefined ? undefined : { kind: 'basic', username: username.trim(), password };
    }
  }
}

/** One cheap request with the given credentials. */
export async function testConnection(serverUri: string, auth: ServerAuth): Promise<'ok' | 'unauthorized' | { error: string }> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${serverUri}…`, cancellable: false }, async () => {
    let store;
    try {
      store = await openStore(serverUri, { ...authOptions(auth), timeoutMs: 15_000, caFile: process.env.MLFLOW_TRACKING_SERVER_CERT_PATH || undefined });
      // The request the Runs view sends first, so a working test means a working view.
      await store.searchExperiments({ view_type: 'ACTIVE_ONLY', max_results: 100 });
      return 'ok' as const;
    } catch (error) {
      if (isAuthError(error)) return 'unauthorized' as const;
      return { error: redactUrl(errorMessage(error)) };
    } finally {
      store?.dispose();
    }
  });
}

/** After a 401: offer to sign in, then reopen the store with the new credentials. */
export async function signInAgain(connections: StoreConnections, session: StoreSession, refresh: () => void): Promise<void> {
  const choice = await vscode.window.showWarningMessage(`The MLflow server ${session.label} needs credentials.`, 'Sign In…');
  if (choice !== 'Sign In…') return;
  await signIn(connections, session, refresh);
}

export async function signIn(connections: StoreConnections, session: StoreSession, refresh: () => void): Promise<void> {
  for (;;) {
    const auth = await askForAuth(connections, session.uri);
    if (!auth) return;
    const result = await testConnection(session.uri, auth);
    if (result === 'unauthorized') {
      const again = await vscode.window.showWarningMessage(`${session.uri} refused ${describeAuth(auth)}.`, 'Try Again');
      if (again) continue;
      return;
    }
    if (result !== 'ok') {
      void vscode.window.showErrorMessage(`Could not reach ${session.uri}: ${result.error}`);
      return;
    }
    await connections.credentials.save(session.uri, auth);
    connections.reopen(session);
    refresh();
    return;
  }
}
