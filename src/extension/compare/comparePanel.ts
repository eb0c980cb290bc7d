/**
 * The compare panel: `mlflow.compareRuns` (from the Runs view's selection) opens a webview
 * table of the runs side by side, kept up to date while a run is running, with copies
 * as Markdown or CSV and a way back to a run in the Runs view.
 */
import * as vscode from 'vscode';
import { loadCompareRuns, loadMetricStats } from '../../compare/loadRuns';
import { buildCompareTable, type BestDirection, type CompareRunInput, type CompareTable } from '../../compare/rows';
import { toCsv, toMarkdown } from '../../compare/tableText';
import { COMPARE_RUNS_COMMAND, isChartsRequest, type ChartsRequest } from '../../protocol/charts';
import { COMPARE_VIEW_TYPE, isCompareFromPage, type CompareFromPage, type CompareToPage } from '../../protocol/compare';
import { readSettings } from '../config';
import { registerArtifactDiff } from './artifactDiff';
import type { StoreConnections } from '../connection/storeConnections';
import { loadWebviewBundle, registerPanelRestorer, webviewPanelOptions, WebviewChannel } from '../webview/panel';
import { errorMessage } from '../../format/errors';

export interface CompareDeps {
  connections: StoreConnections;
  output: vscode.LogOutputChannel;
}

const MAX_RUNS = 100;
const DIRECTIONS_KEY = 'mlflow.compare.bestDirections';
/** A training loop appends metrics many times a second: reload at most this often. */
const LIVE_DELAY_MS = 500;

/** The compare command and the panels it opens (restored after a window reload), and the artifact diffs. */
export function registerCompare(context: vscode.ExtensionContext, deps: CompareDeps): vscode.Disposable {
  const open = (request: ChartsRequest, panel?: vscode.WebviewPanel) => {
    const title = request.runs.length <= 3 ? `Compare: ${request.runs.map((r) => r.run_name).join(', ')}` : `Compare ${request.runs.length} Runs`;
    const target = panel ?? vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title, vscode.ViewColumn.Active, webviewPanelOptions(context.extensionUri));
    target.title = title;
    new ComparePanel(target, request, context, deps);
  };
  return vscode.Disposable.from(
    registerArtifactDiff(),
    vscode.commands.registerCommand(COMPARE_RUNS_COMMAND, (request?: unknown) => {
      if (!isChartsRequest(request)) {
        void vscode.window.showInformationMessage('Select two or more runs in the Runs view, then choose Compare Runs.');
        return;
      }
      if (request.runs.length < 2) {
        void vscode.window.showInformationMessage('Select two or more runs to compare (Ctrl or Shift + click in the Runs view).');
        return;
      }
      if (request.runs.length > MAX_RUNS) {
        void vscode.window.showWarningMessage(`Comparing the first ${MAX_RUNS} of the ${request.runs.length} selected runs.`);
      }
      open({ storeUri: request.storeUri, runs: request.runs.slice(0, MAX_RUNS) });
    }),
    registerPanelRestorer(COMPARE_VIEW_TYPE, async (panel, state) => {
      if (isChartsRequest(state)) open({ storeUri: state.storeUri, runs: state.runs }, panel);
      else panel.dispose();
    }),
  );
}

class ComparePanel {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: WebviewChannel<CompareToPage, CompareFromPage>;
  private table: CompareTable | undefined;
  private inputs: CompareRunInput[] = [];
  private loading: Promise<void> | undefined;
  private reloadAgain = false;
  private liveTimer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly request: ChartsRequest,
    private readonly context: vscode.ExtensionContext,
    private readonly deps: CompareDeps,
  ) {
    this.channel = new WebviewChannel(panel.webview, isCompareFromPage, (text) => deps.output.warn(text));
    this.disposables.push(this.channel);
    this.channel.onMessage((message) => this.handle(message));
    const runIds = new Set(request.runs.map((r) => r.run_id));
    this.disposables.push(
      deps.connections.onDidChangeData(({ session, event }) => {
        if (session.uri !== request.storeUri || (event.run_id && !runIds.has(event.run_id))) return;
        clearTimeout(this.liveTimer);
        this.liveTimer = setTimeout(() => void this.reload(), LIVE_DELAY_MS);
      }),
    );
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    loadWebviewBundle(panel.webview, context.extensionUri, 'compare', panel.title);
  }

  private get directions(): Record<string, BestDirection> {
    return this.context.globalState.get<Record<string, BestDirection>>(DIRECTIONS_KEY) ?? {};
  }

  private async handle(message: CompareFromPage): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.reload();
        return;
      case 'setDirection':
        await this.context.globalState.update(DIRECTIONS_KEY, { ...this.directions, [message.metric]: message.direction });
        return;
      case 'copy':
        await this.copy(message.format, message.rowIds, message.order);
        return;
      case 'reveal':
        await vscode.commands.executeCommand('mlflow.revealRun', this.request.storeUri, message.runId);
        return;
    }
  }

  /** Reads the runs, shows them, then reads the histories for min and max and shows them again. */
  private reload(): Promise<void> {
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      if (this.reloadAgain) {
        this.reloadAgain = false;
        void this.reload();
      }
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const { connections } = this.deps;
    if (!connections.resolved) await connections.resolve();
    const session = connections.sessionFor(this.request.storeUri);
    if (!session) {
      await this.channel.post({
        type: 'error',
        message: `The store ${this.request.storeUri} is not open any more; select it again (MLflow: Select Store…) and compare again.`,
      });
      return;
    }
    try {
      const ids = this.request.runs.map((r) => r.run_id);
      const { inputs, problems } = await session.call('Compare runs', (store) => loadCompareRuns(store, ids));
      if (problems.length > 0) void vscode.window.showWarningMessage(`Some runs could not be read and are left out: ${problems.join('; ')}`);
      if (inputs.length === 0) {
        await this.channel.post({ type: 'error', message: `None of the runs could be read from ${session.label}.` });
        return;
      }
      // Keep the previous min and max while the histories are read again: no flicker on a live update.
      const previous = new Map(this.inputs.map((i) => [i.run.info.run_id, i.metricStats]));
      this.inputs = inputs.map((i) => ({ ...i, metricStats: previous.get(i.run.info.run_id) }));
      await this.send(true);
      const stats = await session.call('Read metric histories', (store) =>
        loadMetricStats(
          store,
          inputs.map((i) => i.run),
        ),
      );
      this.inputs = inputs.map((i, k) => ({ ...i, metricStats: stats[k] }));
      await this.send(false);
    } catch (error) {
      await this.channel.post({ type: 'error', message: `Could not read the runs from ${session.label}: ${errorMessage(error)}` });
    }
    this.schedulePolling(session.kind === 'rest');
  }

  private async send(loadingStats: boolean): Promise<void> {
    this.table = buildCompareTable(this.inputs);
    const live = this.inputs.some((i) => i.run.info.status === 'RUNNING');
    await this.channel.post({ type: 'table', request: this.request, table: this.table, directions: this.directions, loadingStats, live });
  }

  /** A tracking server sends no change events: ask again while a run is running. */
  private schedulePolling(remote: boolean): void {
    clearTimeout(this.poll);
    const seconds = readSettings().remoteRefreshInterval;
    if (!remote || seconds === 0 || !this.inputs.some((i) => i.run.info.status === 'RUNNING')) return;
    this.poll = setTimeout(() => void this.reload(), seconds * 1000);
  }

  private async copy(format: 'markdown' | 'csv', rowIds: string[], order: number[]): Promise<void> {
    const table = this.table;
    if (!table) return;
    const columns = table.columns.length;
    const validOrder = order.length === columns && new Set(order).size === columns && order.every((i) => i < columns);
    const wanted = new Set(rowIds);
    const input = { columns: table.columns, rows: table.rows.filter((r) => wanted.has(r.id)), order: validOrder ? order : undefined };
    await vscode.env.clipboard.writeText(format === 'markdown' ? toMarkdown(input) : toCsv(input));
    vscode.window.setStatusBarMessage(`$(copy) Copied ${input.rows.length} rows of ${columns} runs as ${format === 'markdown' ? 'Markdown' : 'CSV'}`, 3000);
  }

  private dispose(): void {
    clearTimeout(this.liveTimer);
    clearTimeout(this.poll);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
