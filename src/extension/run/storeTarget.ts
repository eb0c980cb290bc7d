import * as vscode from 'vscode';
import type { TrackingTarget } from '../../mlflow-cli/commandLines';
import { authOptions } from '../connection/credentials';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';

/**
 * The store a run started from `folder` should be tracked in: the explorer's store for that
 * workspace folder (a local store inside it), else the one the explorer shows first.
 */
export function sessionForFolder(connections: StoreConnections, folder: string | undefined): StoreSession | undefined {
  const sessions = connections.sessions;
  if (folder) {
    const workspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder))?.uri.fsPath;
    const inside = sessions.find(
      (s) => (s.location.kind === 'file' || s.location.kind === 'sqlite') && workspace !== undefined && s.location.path.startsWith(workspace),
    );
    if (inside) return inside;
  }
  return sessions[0];
}

/** The store's URI for `MLFLOW_TRACKING_URI` and its credentials for the terminal's environment. */
export async function trackingTarget(connections: StoreConnections, session: StoreSession | undefined): Promise<TrackingTarget | undefined> {
  if (!session) return undefined;
  const location = session.location;
  if (location.kind === 'database') {
    // MLflow reads the password from the URI only; it goes into the terminal's environment, never onto its command line.
    // The URI's own password, else the one the Connect flow keeps in SecretStorage.
    const saved = location.credentials ? undefined : await connections.credentials.saved(session.uri);
    const credentials = location.credentials ?? (saved?.kind === 'basic' ? saved : undefined);
    if (!credentials) return { uri: location.uri };
    const url = new URL(location.uri);
    if (credentials.username) url.username = encodeURIComponent(credentials.username);
    url.password = encodeURIComponent(credentials.password);
    return { uri: url.toString() };
  }
  if (session.kind !== 'rest') return { uri: session.uri };
  const auth = session.urlAuth ?? (await connections.credentials.get(session.uri));
  return { uri: session.uri, ...authOptions(auth) };
}
