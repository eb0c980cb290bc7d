import * as path from 'node:path';
import * as vscode from 'vscode';
import { uiCommand } from '../../mlflow-cli/commandLines';
import { mlflowFor } from '../run/mlflowInvocation';
import { launchInTerminal } from '../run/terminalLaunch';
import { requireTrust } from '../run/trust';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';

export const DEFAULT_UI_URL = 'http://127.0.0.1:5000';

/**
 * `mlflow ui --backend-store-uri <store>` in an integrated terminal, with the same command-line
 * builder, quoting and choice of `mlflow` (setting, Python interpreter, PATH) as Run Project.
 * Runs code, so only in a trusted workspace.
 */
export async function startMlflowUi(connections: StoreConnections, output: vscode.LogOutputChannel, storeUri?: string): Promise<boolean> {
  if (!requireTrust('Starting the MLflow UI')) return false;
  const session = await pickLocalSession(connections, storeUri);
  if (!session) return false;
  const cwd = session.location.kind === 'file' || session.location.kind === 'sqlite' ? path.dirname(session.location.path) : undefined;
  const mlflow = await mlflowFor(cwd ? vscode.Uri.file(cwd) : undefined, output);
  if (!mlflow) return false;
  const launched = await launchInTerminal(uiCommand(mlflow, { storeUri: session.uri, cwd }), { name: `MLflow UI: ${session.label}`, icon: 'browser', output });
  if (!launched) return false;
  launched.terminal.show();
  output.info(`Started the MLflow UI for ${session.label} in a terminal (${launched.shell} quoting)`);
  return true;
}

async function pickLocalSession(connections: StoreConnections, storeUri: string | undefined): Promise<StoreSession | undefined> {
  const local = connections.sessions.filter((s) => s.kind !== 'rest');
  if (storeUri) {
    const session = connections.sessionFor(storeUri);
    if (session && session.kind !== 'rest') return session;
  }
  if (local.length === 1) return local[0];
  if (local.length === 0) {
    const remote = connections.sessions.find((s) => s.kind === 'rest');
    if (remote) {
      const open = await vscode.window.showInformationMessage(`${remote.label} is a tracking server: it has its own UI.`, 'Open in Browser');
      if (open) void vscode.env.openExternal(vscode.Uri.parse(remote.uri));
    } else {
      void vscode.window.showInformationMessage('No local MLflow store (mlruns folder or mlflow.db) is open.');
    }
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    local.map((s) => ({ label: s.label, description: s.uri, session: s })),
    { title: 'Start the MLflow UI for which store?' },
  );
  return pick?.session;
}
