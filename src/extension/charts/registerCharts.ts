import * as vscode from 'vscode';
import { isChartsRequest, PLOT_METRICS_COMMAND, type ChartsRequest, type ChartsRunRef } from '../../protocol/charts';
import { CHARTS_VIEW_TYPE, isChartSettings, type ChartsPanelState } from '../../protocol/chartsPanel';
import { registerPanelRestorer, webviewPanelOptions } from '../webview/panel';
import { toOrderBy, DEFAULT_SORT, type RunSort } from '../explorer/model/sorting';
import { ChartStores } from './chartStores';
import { ChartsPanel, rememberedSettings } from './chartsPanel';
import { errorMessage } from '../../format/errors';

export interface ChartsDeps {
  output: vscode.LogOutputChannel;
}

/** The runs an experiment's "Plot Metrics" shows: the first of the Runs view's filter and order. */
const EXPERIMENT_RUNS = 10;

/** The explorer's tree nodes, as far as the charts read them (the explorer owns their types). */
interface MetricNodeLike {
  kind: 'metric';
  session: { uri: string };
  runNode: { run: { info: { run_id: string; experiment_id: string; run_name?: string } } };
  metric: { key: string };
}
interface ExperimentNodeLike {
  kind: 'experiment';
  session: { uri: string };
  experiment: { experiment_id: string; name: string };
}

/**
 * The metric charts: `mlflow.plotMetrics` (the explorer's hand-off, see protocol/charts),
 * "Plot Metric" on a metric node, "Plot Metrics of Experiment", and panels restored after
 * a window reload.
 */
export function registerCharts(context: vscode.ExtensionContext, deps: ChartsDeps): vscode.Disposable {
  const stores = new ChartStores(context.secrets);
  const panels = new Set<ChartsPanel>();
  const panelDeps = { extensionUri: context.extensionUri, stores, workspaceState: context.workspaceState, output: deps.output };

  const open = (storeUri: string, runs: ChartsRunRef[], metrics?: string[]) => {
    const existing = [...panels].find((p) => p.sameRequest(storeUri, runs, metrics));
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(CHARTS_VIEW_TYPE, 'Metrics', vscode.ViewColumn.Active, webviewPanelOptions(context.extensionUri));
    const state: ChartsPanelState = { storeUri, runs, metrics, settings: rememberedSettings(context.workspaceState) };
    panels.add(new ChartsPanel(panel, state, panelDeps, (p) => panels.delete(p)));
  };

  const plotMetrics = async (request?: unknown) => {
    if (request === undefined) {
      // From the palette: the explorer turns its selection into a request (or says to select runs).
      await vscode.commands.executeCommand('mlflow.runs.plotMetrics');
      return;
    }
    if (!isChartsRequest(request)) {
      void vscode.window.showErrorMessage('Plot Metrics needs runs: select them in the MLflow Runs view.');
      return;
    }
    open(request.storeUri, dedupe(request.runs));
  };

  const plotMetric = (node?: MetricNodeLike, nodes?: MetricNodeLike[]) => {
    const chosen = (nodes?.length ? nodes : node ? [node] : []).filter((n) => n?.kind === 'metric');
    if (chosen.length === 0) return;
    const storeUri = chosen[0].session.uri;
    const same = chosen.filter((n) => n.session.uri === storeUri);
    const runs = dedupe(same.map((n) => runRef(n.runNode.run.info)));
    open(storeUri, runs, [...new Set(same.map((n) => n.metric.key))]);
  };

  const plotExperiment = async (node?: ExperimentNodeLike) => {
    if (node?.kind !== 'experiment') return;
    const filter = context.workspaceState.get<string>('mlflow.runs.filter') ?? '';
    const sort = context.workspaceState.get<RunSort>('mlflow.runs.sort') ?? DEFAULT_SORT;
    try {
      const store = await stores.acquire(node.session.uri);
      try {
        const { runs } = await store.searchRuns({
          experiment_ids: [node.experiment.experiment_id],
          filter,
          order_by: toOrderBy(sort),
          max_results: EXPERIMENT_RUNS,
        });
        if (runs.length === 0) {
          void vscode.window.showInformationMessage(`${node.experiment.name} has no runs${filter ? ' that match the filter' : ''}.`);
          return;
        }
        open(
          node.session.uri,
          runs.map((r) => runRef(r.info)),
        );
      } finally {
        stores.release(node.session.uri);
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not list the runs of ${node.experiment.name}: ${errorMessage(error)}`);
    }
  };

  const restore = async (panel: vscode.WebviewPanel, saved: unknown) => {
    const state = saved as Partial<ChartsPanelState> | undefined;
    if (!state || typeof state.storeUri !== 'string' || !isChartsRequest({ storeUri: state.storeUri, runs: state.runs }) || !isChartSettings(state.settings)) {
      panel.dispose();
      return;
    }
    const metrics = Array.isArray(state.metrics) && state.metrics.every((m) => typeof m === 'string') ? state.metrics : undefined;
    panels.add(
      new ChartsPanel(panel, { storeUri: state.storeUri, runs: (state as ChartsRequest).runs, metrics, settings: state.settings }, panelDeps, (p) =>
        panels.delete(p),
      ),
    );
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(PLOT_METRICS_COMMAND, plotMetrics),
    vscode.commands.registerCommand('mlflow.charts.plotMetric', plotMetric),
    vscode.commands.registerCommand('mlflow.charts.plotExperiment', plotExperiment),
    registerPanelRestorer(CHARTS_VIEW_TYPE, restore),
    new vscode.Disposable(() => {
      for (const panel of [...panels]) panel.dispose();
    }),
    stores,
  );
}

function runRef(info: { run_id: string; experiment_id: string; run_name?: string }): ChartsRunRef {
  return { run_id: info.run_id, experiment_id: info.experiment_id, run_name: info.run_name || info.run_id.slice(0, 8) };
}

function dedupe(runs: ChartsRunRef[]): ChartsRunRef[] {
  const seen = new Set<string>();
  return runs.filter((r) => !seen.has(r.run_id) && seen.add(r.run_id));
}
