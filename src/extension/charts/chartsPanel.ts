/**
 * One charts panel: the runs of one request on one store. It reads each shown metric's
 * full history once into typed arrays, answers each chart's request with what its pixel
 * width can show, follows running runs, and writes exports where the user chooses.
 */
import * as vscode from 'vscode';
import { ChartsDataSource } from '../../charts/dataSource';
import { firstScreenRequests } from '../../charts/firstScreen';
import type { ChartsRunRef } from '../../protocol/charts';
import {
  DEFAULT_SETTINGS,
  isChartsToHost,
  type ChartSettings,
  type ChartsPanelState,
  type ChartsToHost,
  type FirstScreen,
  type HostToCharts,
  type PanelRun,
  type SeriesRequest,
} from '../../protocol/chartsPanel';
import type { Run, TrackingStore } from '../../tracking/types';
import { readSettings } from '../config';
import { forwardThemeChanges, loadWebviewBundle, WebviewChannel } from '../webview/panel';
import { exportCsv, savePng } from './chartExports';
import type { ChartStores } from './chartStores';
import { errorMessage } from '../../format/errors';

/** About how many charts the first screen of a panel shows (three rows of three in a large editor): their histories are read while the page loads. */
const FIRST_SCREEN_CHARTS = 9;

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

interface LoadedRuns {
  data: ChartsDataSource;
  runs: PanelRun[];
  metrics: string[];
}

/** Settings remembered per workspace for the next panel (the rest belong to one panel). */
const REMEMBERED_KEY = 'mlflow.charts.lastSettings';

export interface ChartsPanelDeps {
  extensionUri: vscode.Uri;
  stores: ChartStores;
  workspaceState: vscode.Memento;
  output: vscode.LogOutputChannel;
}

export function rememberedSettings(state: vscode.Memento): ChartSettings {
  const saved = state.get<Partial<ChartSettings>>(REMEMBERED_KEY) ?? {};
  const settings = { ...DEFAULT_SETTINGS };
  if (saved.xAxis === 'step' || saved.xAxis === 'time' || saved.xAxis === 'relative') settings.xAxis = saved.xAxis;
  if (typeof saved.logY === 'boolean') settings.logY = saved.logY;
  if (typeof saved.smoothing === 'number' && saved.smoothing >= 0 && saved.smoothing < 1) settings.smoothing = saved.smoothing;
  return settings;
}

export function panelTitle(runs: readonly ChartsRunRef[], metrics?: readonly string[]): string {
  const what = metrics?.length === 1 ? metrics[0] : 'Metrics';
  if (runs.length === 1) return `${what}: ${runs[0].run_name}`;
  if (runs.length <= 3) return `${what}: ${runs.map((r) => r.run_name).join(', ')}`;
  return `${what}: ${runs.length} runs`;
}

export class ChartsPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: WebviewChannel<HostToCharts, ChartsToHost>;
  private store: Promise<TrackingStore> | undefined;
  private data: ChartsDataSource | undefined;
  /** The runs read since the panel opened, for the page's first `ready`: the reading overlaps the page's loading. */
  private reading: Promise<LoadedRuns> | undefined;
  private poll: NodeJS.Timeout | undefined;
  /** A database store's change events: it polls the database while subscribed, so only while a shown run runs. */
  private databaseWatch: { dispose(): void } | undefined;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private state: ChartsPanelState,
    private readonly deps: ChartsPanelDeps,
    private readonly onDisposed: (panel: ChartsPanel) => void,
  ) {
    panel.title = panelTitle(state.runs, state.metrics);
    loadWebviewBundle(panel.webview, deps.extensionUri, 'charts', panel.title);
    this.channel = new WebviewChannel(panel.webview, isChartsToHost, (text) => deps.output.warn(text));
    this.disposables.push(
      this.channel,
      this.channel.onMessage((m) => this.handle(m)),
      forwardThemeChanges((kind) => void this.channel.post({ type: 'theme', kind })),
      panel.onDidDispose(() => this.dispose()),
    );
    this.reading = this.readRuns();
    this.reading.catch(() => undefined); // reported when the page is ready
  }

  get storeUri(): string {
    return this.state.storeUri;
  }

  private async handle(message: ChartsToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.load(true, message.firstScreen);
        break;
      case 'retry':
        await this.load();
        break;
      case 'requestSeries':
        await this.answer(message);
        break;
      case 'settings':
        this.state = { ...this.state, settings: message.settings };
        await this.deps.workspaceState.update(REMEMBERED_KEY, {
          xAxis: message.settings.xAxis,
          logY: message.settings.logY,
          smoothing: message.settings.smoothing,
        });
        break;
      case 'exportCsv':
        await exportCsv(this.panel.title, () => this.acquireStore(), this.data, this.state.settings.hiddenRuns, message.metrics);
        break;
      case 'savePng':
        await savePng(message.metric, message.dataUrl);
        break;
      case 'copyText':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage(`$(copy) Copied ${message.what}`, 3000);
        break;
      case 'addRuns':
        await this.addRuns();
        break;
      case 'removeRun':
        if (this.state.runs.length <= 1) return;
        this.state = { ...this.state, runs: this.state.runs.filter((r) => r.run_id !== message.runId) };
        this.panel.title = panelTitle(this.state.runs, this.state.metrics);
        await this.load();
        break;
    }
  }

  private acquireStore(): Promise<TrackingStore> {
    if (!this.store) {
      const store = this.deps.stores.acquire(this.state.storeUri);
      this.store = store;
      store.then(
        (s) => {
          if (this.disposed || !s.onDidChange || isDatabase(s)) return;
          this.disposables.push(s.onDidChange((e) => void this.storeChanged(e.run_id)));
        },
        () => {
          this.deps.stores.release(this.state.storeUri);
          if (this.store === store) this.store = undefined;
        },
      );
    }
    return this.store;
  }

  /** Reads the runs (names, params, which metrics they logged) and starts reading the first charts' histories. */
  private async readRuns(): Promise<LoadedRuns> {
    const store = await this.acquireStore();
    const data = new ChartsDataSource(store, this.state.metrics);
    const { runs, metrics } = await data.load(this.state.runs.map((r) => r.run_id));
    if (!this.state.settings.filter) void data.prefetch(FIRST_SCREEN_CHARTS);
    return { data, runs, metrics };
  }

  /**
   * Sends the page its layout: from the runs read when the panel opened (`fromOpening`), else read
   * again; then, unasked, the series of the charts on the page's first screen (`firstScreen`).
   */
  private async load(fromOpening = false, firstScreen?: FirstScreen): Promise<void> {
    try {
      const reading = (fromOpening && this.reading) || this.readRuns();
      this.reading = undefined;
      const { data, runs, metrics } = await reading;
      this.data = data;
      const pushed = firstScreen
        ? firstScreenRequests(
            this.state.settings,
            metrics,
            runs.map((r) => r.runId),
            firstScreen,
          )
        : [];
      // The pushed charts whose histories are read already (prefetched while the page loaded) come with `init`.
      const [ready, rest] = partition(pushed, (request) => data.isRead(request));
      const settled = await Promise.allSettled(ready.map((request) => data.answer(request)));
      const series = settled.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      rest.push(...ready.filter((_, i) => settled[i].status === 'rejected')); // answered (and its error shown) on its own below
      const initPosted = this.channel.post({
        type: 'init',
        title: this.panel.title,
        storeUri: this.state.storeUri,
        runs,
        metrics,
        settings: this.state.settings,
        pinnedMetrics: this.state.metrics,
        ...(firstScreen ? { pushed: { metrics: pushed.map((r) => r.metric), columns: firstScreen.columns } } : {}),
        ...(series.length ? { series } : {}),
      });
      // The rest are answered while `init` crosses to the page (their batch is posted after it: a webview's messages keep their order).
      void this.answerFirstScreen(rest);
      await initPosted;
      this.schedulePolling();
    } catch (error) {
      const message = errorMessage(error);
      this.deps.output.warn(`Charts: reading runs from ${this.state.storeUri} failed: ${message}`);
      await this.channel.post({ type: 'error', message: `Could not read the runs from the store: ${message}`, retry: true });
    }
  }

  /**
   * The first screen's charts, unasked: from a local store, all in one `seriesBatch` once they are
   * read (one delivery and one frame instead of one per chart; a store read from disk answers
   * them together in about the time of the largest); from a tracking server each on its own, its
   * sampled preview first, so a slow history holds up no other chart.
   */
  private async answerFirstScreen(requests: SeriesRequest[]): Promise<void> {
    const data = this.data;
    if (!data) return;
    if (data.previews || requests.length < 2) {
      for (const request of requests) void this.answer(request);
      return;
    }
    const progress = setTimeout(() => void this.channel.post({ type: 'progress', message: `Reading ${requests.length} charts…` }), 300);
    try {
      const answers = await Promise.allSettled(requests.map((request) => data.answer(request)));
      if (this.disposed) return;
      const series = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      if (series.length > 0) await this.channel.post({ type: 'seriesBatch', series });
      const failed = answers.findIndex((a) => a.status === 'rejected');
      if (failed >= 0) await this.postReadError(requests[failed].metric, (answers[failed] as PromiseRejectedResult).reason);
    } finally {
      clearTimeout(progress);
      void this.channel.post({ type: 'progress', message: null });
    }
  }

  /**
   * Every point of the shown runs. From a tracking server, while their full histories are read
   * (paged `get-history`, which can take a while), the chart first gets MLflow's sample
   * (`get-history-bulk-interval`), marked as such, and the page shows how many runs are read.
   */
  private async answer(request: SeriesRequest): Promise<void> {
    const data = this.data;
    if (!data) return;
    const started = Date.now();
    let status = `Reading ${request.metric}…`;
    let slow = false;
    const progress = setTimeout(() => {
      slow = true;
      void this.channel.post({ type: 'progress', message: status });
    }, 300);
    let done = false;
    try {
      const full = data.answer(request, (read, of) => {
        status = `Reading every point of ${request.metric}: ${read} of ${of} runs…`;
        if (slow && !done) void this.channel.post({ type: 'progress', message: status });
      });
      full.then(
        () => (done = true),
        () => (done = true),
      );
      const preview = await data.preview(request).catch((error: unknown) => {
        this.deps.output.info(`Charts: no sampled preview of ${request.metric}: ${errorMessage(error)}`);
        return undefined;
      });
      if (preview && !done && !this.disposed) await this.channel.post(preview);
      const answer = await full;
      if (this.disposed) return;
      await this.channel.post(answer);
      if (Date.now() - started > 1000) this.deps.output.info(`Charts: ${request.metric} answered in ${Date.now() - started} ms`);
    } catch (error) {
      await this.postReadError(request.metric, error);
    } finally {
      done = true;
      clearTimeout(progress);
      void this.channel.post({ type: 'progress', message: null });
    }
  }

  /** The page's error state for a chart whose series could not be read, with Retry. */
  private postReadError(metric: string, error: unknown): Thenable<boolean> {
    const message = errorMessage(error);
    return this.channel.post({ type: 'error', message: `Could not read ${metric}: ${message}`, retry: true });
  }

  /** A local store's change event (debounced by the store): re-read the runs it names; the page asks for their series again. */
  private async storeChanged(runId: string | undefined): Promise<void> {
    const data = this.data;
    if (!data || this.disposed) return;
    const affected = runId ? (data.has(runId) ? [runId] : []) : data.allRuns().map((r) => r.info.run_id);
    if (affected.length === 0) return;
    try {
      const before = data.metricKeys().join('\u0000');
      const changedMetrics = new Set<string>();
      for (const id of affected) for (const key of await data.refreshRun(id)) changedMetrics.add(key);
      const keys = data.metricKeys();
      if (keys.join('\u0000') !== before) await this.channel.post({ type: 'metricsChanged', metrics: keys, runs: data.panelRuns() });
      await this.channel.post({ type: 'dataChanged', metrics: [...changedMetrics] });
      this.schedulePolling();
    } catch (error) {
      this.deps.output.warn(`Charts: refreshing ${affected.join(', ')} failed: ${errorMessage(error)}`);
    }
  }

  /** A tracking server sends no change events: poll while a shown run is running (a database store: watch it then). */
  private schedulePolling(): void {
    clearTimeout(this.poll);
    this.poll = undefined;
    void this.store?.then(
      (s) => this.watchDatabase(s),
      () => undefined,
    );
    if (this.disposed || !/^https?:/i.test(this.state.storeUri)) return;
    const seconds = readSettings().remoteRefreshInterval;
    const running = (this.data?.allRuns() ?? []).filter((r) => r.info.status === 'RUNNING');
    if (seconds <= 0 || running.length === 0) return;
    this.poll = setTimeout(() => {
      void (async () => {
        for (const run of running) await this.storeChanged(run.info.run_id);
      })();
    }, seconds * 1000);
  }

  private watchDatabase(store: TrackingStore): void {
    if (!isDatabase(store) || !store.onDidChange) return;
    const running = !this.disposed && readSettings().remoteRefreshInterval > 0 && (this.data?.allRuns() ?? []).some((r) => r.info.status === 'RUNNING');
    if (running && !this.databaseWatch) this.databaseWatch = store.onDidChange((e) => void this.storeChanged(e.run_id));
    else if (!running && this.databaseWatch) {
      this.databaseWatch.dispose();
      this.databaseWatch = undefined;
    }
  }

  /** A run picker fed by the same store: runs of the experiments already shown. */
  private async addRuns(): Promise<void> {
    const store = await this.acquireStore();
    const experiments = [...new Set(this.state.runs.map((r) => r.experiment_id))];
    type RunItem = vscode.QuickPickItem & { run: Run };
    const picked = await vscode.window.showQuickPick<RunItem>(
      store
        .searchRuns({ experiment_ids: experiments, max_results: 500, order_by: ['attributes.start_time DESC'] })
        .then(({ runs }) =>
          runs
            .filter((r) => !this.data?.has(r.info.run_id))
            .map((r): RunItem => ({ label: r.info.run_name || r.info.run_id.slice(0, 8), description: r.info.status, detail: r.info.run_id, run: r })),
        ),
      { canPickMany: true, title: 'Add runs to the charts', placeHolder: 'Runs of the same experiments', matchOnDetail: true },
    );
    if (!picked?.length) return;
    const added = picked.map((p) => ({ run_id: p.run.info.run_id, experiment_id: p.run.info.experiment_id, run_name: p.label }));
    this.state = { ...this.state, runs: [...this.state.runs, ...added] };
    this.panel.title = panelTitle(this.state.runs, this.state.metrics);
    await this.load();
  }

  reveal(): void {
    this.panel.reveal();
  }

  sameRequest(storeUri: string, runs: readonly ChartsRunRef[], metrics?: readonly string[]): boolean {
    const ids = (list: readonly ChartsRunRef[]) =>
      list
        .map((r) => r.run_id)
        .sort()
        .join(',');
    const keys = (list: readonly string[] | undefined) => (list ?? []).join('\u0000');
    return this.state.storeUri === storeUri && ids(this.state.runs) === ids(runs) && keys(this.state.metrics) === keys(metrics);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.poll);
    if (this.store)
      this.store.then(
        () => this.deps.stores.release(this.state.storeUri),
        () => undefined,
      );
    this.databaseWatch?.dispose();
    this.databaseWatch = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onDisposed(this);
  }
}

function isDatabase(store: TrackingStore): boolean {
  return store.kind === 'postgresql' || store.kind === 'mysql';
}
