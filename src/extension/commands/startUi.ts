import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildCommandLine, ShellQuoteError, shellKindFromPath } from '../../shell';
import { readSettings } from '../config';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';

export const DEFAULT_UI_URL = 'http://127.0.0.1:5000';

/**
 * `<mlflow.executable> ui --backend-store-uri <store>` in an integrated terminal, every
 * argument quoted for that terminal's shell. Runs code, so only in a trusted workspace.
 */
export async function startMlflowUi(connections: StoreConnections, output: vscode.LogOutputChannel, storeUri?: string): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Starting the MLflow UI runs a program; trust this workspace first.', 'Manage Workspace Trust').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return false;
  }
  const session = await pickLocalSession(connections, storeUri);
  if (!session) return false;
  const { executable } = readSettings();
  const shellPath = vscode.env.shell;
  const shell = shellKindFromPath(shellPath);
  let commandLine: string;
  try {
    commandLine = buildCommandLine(executable, ['ui', '--backend-store-uri', session.uri], shell);
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot start the MLflow UI: ${error instanceof ShellQuoteError ? error.message : String(error)}`);
    return false;
  }
  const cwd = session.location.kind === 'file' || session.location.kind === 'sqlite' ? path.dirname(session.location.path) : undefined;
  const terminal = vscode.window.createTerminal({ name: `MLflow UI: ${session.label}`, cwd, iconPath: new vscode.ThemeIcon('browser') });
  terminal.show();
  terminal.sendText(commandLine, true);
  output.info(`Started the MLflow UI for ${session.label} in a terminal (${shell} quoting)`);
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
