/**
 * Sweep views of an experiment: parallel coordinates and a scatter plot of the runs the
 * Runs view's filter keeps (up to 10,000), in one webview bundle with two modes. Runs kept
 * by a brush or a box go on to Compare, to Plot Metrics, or become the Runs view's filter.
 */
import * as vscode from 'vscode';
import { runDisplayName } from '../../compare/rows';
import { runIdFilter, sweepColumns, sweepRunNames } from '../../compare/sweepData';
import { COMPARE_RUNS_COMMAND, PLOT_METRICS_COMMAND, type ChartsRequest } from '../../protocol/charts';
import { isSweepFromPage, SWEEP_VIEW_TYPE, type SweepFromPage, type SweepMode, type SweepPageState, type SweepToPage } from '../../protocol/compare';
import type { Run } from '../../tracking/types';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';
import type { RunTreeNode } from '../runs/runNodes';
import type { RunViewOptions } from '../runs/runViewOptions';
import { forwardThemeChanges, loadWebviewBundle, registerPanelRestorer, webviewPanelOptions, WebviewChannel } from '../webview/panel';
import { errorMessage } from '../../format/errors';

export interface SweepDeps {
  connections: StoreConnections;
  options: RunViewOptions;
  output: vscode.LogOutputChannel;
}

const MAX_SWEEP_RUNS = 10_000;
const PAGE_SIZE = 1000;
/** An `IN (…)` filter longer than this is unreadable in the view's description. */
const MAX_FILTER_RUNS = 500;

export function registerSweep(context: vscode.ExtensionContext, deps: SweepDeps): vscode.Disposable {
  const open = (state: SweepPageState, panel?: vscode.WebviewPanel) => {
    const target = panel ?? vscode.window.createWebviewPanel(SWEEP_VIEW_TYPE, 'Sweep', vscode.ViewColumn.Active, webviewPanelOptions(context.extensionUri));
    new SweepPanel(target, state, context, deps);
  };
  const fromNode = (mode: SweepMode) => (node?: RunTreeNode) => {
    if (node?.kind !== 'experiment') {
      void vscode.window.showInformationMessage('Right-click an experiment in the Runs view to see its runs as a sweep.');
      return;
    }
    open({ storeUri: node.session.uri, experimentId: node.experiment.experiment_id, mode });
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mlflow.showParallelCoordinates', fromNode('parallel')),
    vscode.commands.registerCommand('mlflow.showScatterPlot', fromNode('scatter')),
    registerPanelRestorer(SWEEP_VIEW_TYPE, async (panel, state) => {
      const s = state as Partial<SweepPageState> | undefined;
      if (s && typeof s.storeUri === 'string' && typeof s.experimentId === 'string' && (s.mode === 'parallel' || s.mode === 'scatter'))
        open(s as SweepPageState, panel);
      else panel.dispose();
    }),
  );
}

class SweepPanel {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: WebviewChannel<SweepToPage, SweepFromPage>;
  private runs: Run[] = [];
  private session: StoreSession | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly state: SweepPageState,
    context: vscode.ExtensionContext,
    private readonly deps: SweepDeps,
  ) {
    this.channel = new WebviewChannel(panel.webview, isSweepFromPage, (text) => deps.output.warn(text));
    this.disposables.push(
      this.channel,
      forwardThemeChanges(() => void this.channel.post({ type: 'theme' })),
    );
    this.channel.onMessage((message) => this.handle(message));
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.title = state.mode === 'parallel' ? 'Parallel Coordinates' : 'Scatter Plot';
    loadWebviewBundle(panel.webview, context.extensionUri, 'sweep', panel.title);
  }

  private async handle(message: SweepFromPage): Promise<void> {
    if (message.type === 'ready') return this.load();
    if (message.type === 'reveal') {
      await vscode.commands.executeCommand('mlflow.revealRun', this.state.storeUri, message.runId);
      return;
    }
    const chosen = this.runs.filter((r) => message.runIds.includes(r.info.run_id));
    if (chosen.length === 0) return;
    if (message.type === 'select') {
      if (chosen.length > MAX_FILTER_RUNS) {
        void vscode.window.showInformationMessage(
          `${chosen.length} runs are kept; narrow the selection to ${MAX_FILTER_RUNS} or fewer to show them in the Runs view.`,
        );
        return;
      }
      await this.deps.options.setFilter(runIdFilter(chosen.map((r) => r.info.run_id)));
      await vscode.commands.executeCommand('mlflow.runs.focus');
      return;
    }
    const request: ChartsRequest = {
      storeUri: this.state.storeUri,
      runs: chosen.map((r) => ({ run_id: r.info.run_id, experiment_id: r.info.experiment_id, run_name: runDisplayName(r) })),
    };
    const command = message.type === 'compare' ? COMPARE_RUNS_COMMAND : PLOT_METRICS_COMMAND;
    const available = await vscode.commands.getCommands(true);
    if (!available.includes(command)) {
      void vscode.window.showInformationMessage(
        message.type === 'plot' ? 'Plotting metrics is not available in this version.' : 'Comparing runs is not available.',
      );
      return;
    }
    await vscode.commands.executeCommand(command, request);
  }

  /** Pages through the experiment's runs under the Runs view's filter, up to `MAX_SWEEP_RUNS`. */
  private async load(): Promise<void> {
    const { connections, options } = this.deps;
    if (!connections.resolved) await connections.resolve();
    this.session = connections.sessionFor(this.state.storeUri);
    const session = this.session;
    if (!session) {
      await this.channel.post({ type: 'error', message: `The store ${this.state.storeUri} is not open any more.` });
      return;
    }
    const filter = options.filter;
    try {
      const experiment = await session.call('Read experiment', (store) => store.getExperiment(this.state.experimentId));
      this.panel.title = `${this.state.mode === 'parallel' ? 'Parallel Coordinates' : 'Scatter'}: ${experiment.name}`;
      const runs: Run[] = [];
      let token: string | undefined;
      let truncated = false;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Reading the runs of ${experiment.name}`, cancellable: true },
        async (progress, cancel) => {
          do {
            const page = await session.call('Search runs', (store) =>
              store.searchRuns({ experiment_ids: [this.state.experimentId], filter: filter || undefined, max_results: PAGE_SIZE, page_token: token }),
            );
            runs.push(...page.runs);
            token = page.next_page_token;
            progress.report({ message: `${runs.length.toLocaleString()} runs` });
          } while (token && runs.length < MAX_SWEEP_RUNS && !cancel.isCancellationRequested);
          truncated = !!token;
        },
      );
      this.runs = runs.slice(0, MAX_SWEEP_RUNS);
      await this.channel.post({
        type: 'data',
        mode: this.state.mode,
        storeUri: this.state.storeUri,
        experimentId: this.state.experimentId,
        experimentName: experiment.name,
        filter,
        runIds: this.runs.map((r) => r.info.run_id),
        runNames: sweepRunNames(this.runs),
        columns: sweepColumns(this.runs),
        truncated: truncated || runs.length > MAX_SWEEP_RUNS,
      });
    } catch (error) {
      await this.channel.post({ type: 'error', message: `Could not read the runs: ${errorMessage(error)}` });
    }
  }

  private dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
