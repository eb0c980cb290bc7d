// What the charts panel writes where the user chooses: every point of the shown runs as CSV, a chart as PNG.
import * as vscode from 'vscode';
import type { ChartsDataSource } from '../../charts/dataSource';
import { formatNumber, toCsv } from '../../charts/tables';
import type { TrackingStore } from '../../tracking/types';

/** Every point of `metrics` of the runs not hidden, as the store has them (non-finite values included). */
export async function exportCsv(
  panelTitle: string,
  store: () => Promise<TrackingStore>,
  data: ChartsDataSource | undefined,
  hiddenRuns: readonly string[],
  metrics: string[],
): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    title: 'Export every point of the shown runs and metrics',
    filters: { CSV: ['csv'] },
    defaultUri: defaultExportUri(`${safeFileName(panelTitle)}.csv`),
  });
  if (!target) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Exporting metrics to CSV…' }, async () => {
    const opened = await store();
    const hidden = new Set(hiddenRuns);
    const rows: (string | number)[][] = [];
    for (const run of data?.allRuns() ?? []) {
      if (hidden.has(run.info.run_id)) continue;
      const name = run.info.run_name ?? run.info.run_id;
      for (const key of metrics) {
        if (!data?.hasMetric(run.info.run_id, key)) continue;
        for (const m of await opened.getMetricHistory(run.info.run_id, key)) {
          rows.push([run.info.run_id, name, key, m.step, m.timestamp, formatNumber(m.value)]);
        }
      }
    }
    await vscode.workspace.fs.writeFile(target, Buffer.from(toCsv(['run_id', 'run_name', 'metric', 'step', 'timestamp', 'value'], rows), 'utf8'));
    vscode.window.setStatusBarMessage(`$(check) Exported ${rows.length.toLocaleString()} points to ${vscode.workspace.asRelativePath(target)}`, 5000);
  });
}

/** The chart's canvas as the page drew it (a `data:image/png;base64,` URL, checked by the message guard). */
export async function savePng(metric: string, dataUrl: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    title: `Save the ${metric} chart`,
    filters: { PNG: ['png'] },
    defaultUri: defaultExportUri(`${safeFileName(metric)}.png`),
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  vscode.window.setStatusBarMessage(`$(check) Saved ${vscode.workspace.asRelativePath(target)}`, 5000);
}

function safeFileName(text: string): string {
  return (
    text
      .replace(/[^\w.-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 80) || 'metrics'
  );
}

function defaultExportUri(fileName: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, fileName) : undefined;
}
