import * as vscode from 'vscode';

/** Typed access to the `mlflow.*` settings; the one place that knows their names. */
export interface MlflowSettings {
  /** Empty when not set. */
  trackingUri: string;
  executable: string;
  /** Runs explorer: the metric shown beside each run instead of its age and duration; empty for none. */
  runsDescriptionMetric: string;
  /** Runs explorer: list deleted runs too. */
  showDeletedRuns: boolean;
  /** Runs explorer: runs fetched per page ("Load more" fetches the next). */
  runsPageSize: number;
  /** Seconds between refreshes of a tracking server while one of its runs is running; 0 turns it off. */
  remoteRefreshInterval: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): MlflowSettings {
  const config = vscode.workspace.getConfiguration('mlflow', scope);
  return {
    trackingUri: (config.get<string>('trackingUri') ?? '').trim(),
    executable: (config.get<string>('executable') ?? 'mlflow').trim() || 'mlflow',
    runsDescriptionMetric: (config.get<string>('runs.descriptionMetric') ?? '').trim(),
    showDeletedRuns: config.get<boolean>('runs.showDeleted') ?? false,
    runsPageSize: clampInt(config.get<number>('runs.pageSize'), 100, 5, 1000),
    remoteRefreshInterval: clampInt(config.get<number>('remoteRefreshInterval'), 10, 0, 3600),
  };
}

/** Writes a setting where the user would expect it: the workspace when one is open, else the user settings. */
export async function updateSetting(key: 'runs.descriptionMetric' | 'runs.showDeleted', value: unknown): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('mlflow').update(key, value, target);
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * Fires the listener when any `mlflow.*` setting changes, with VS Code's event: a listener
 * asks `affectsConfiguration(section, folder)` for what a workspace folder's own settings
 * change (multi-root), which the window-level value does not show.
 */
export function onDidChangeSettings(listener: (event: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('mlflow')) listener(e);
  });
}

/** True when the event changes the setting for the window or for one of the workspace folders. */
export function affectsSetting(event: vscode.ConfigurationChangeEvent, key: string): boolean {
  const section = `mlflow.${key}`;
  return event.affectsConfiguration(section) || (vscode.workspace.workspaceFolders ?? []).some((folder) => event.affectsConfiguration(section, folder.uri));
}
