import * as vscode from 'vscode';

/** Typed access to the `mlflow.*` settings; the one place that knows their names. */
export interface MlflowSettings {
  /** Empty when not set. */
  trackingUri: string;
  executable: string;
}

export function readSettings(scope?: vscode.ConfigurationScope): MlflowSettings {
  const config = vscode.workspace.getConfiguration('mlflow', scope);
  return {
    trackingUri: (config.get<string>('trackingUri') ?? '').trim(),
    executable: (config.get<string>('executable') ?? 'mlflow').trim() || 'mlflow',
  };
}

/** Fires the listener when any `mlflow.*` setting changes. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('mlflow')) listener();
  });
}
