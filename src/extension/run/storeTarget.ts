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
    const inside = sessions.find((s) => s.location.kind !== 'rest' && workspace !== undefined && s.location.path.startsWith(workspace));
    if (inside) return inside;
  }
  return sessions[0];
}

/** The store's URI for `MLFLOW_TRACKING_URI` and its credentials for the terminal's environment. */
export async function trackingTarget(connections: StoreConnections, session: StoreSession | undefined): Promise<TrackingTarget | undefined> {
  if (!session) return undefined;
  if (session.kind !== 'rest') return { uri: session.uri };
  const auth = session.urlAuth ?? (await connections.credentials.get(session.uri));
  return { uri: session.uri, ...authOptions(auth) };
}
