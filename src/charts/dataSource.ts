/**
 * What a charts panel knows about its runs, without `vscode`: the runs (names, params,
 * which metrics they logged), each metric history read once into typed arrays, and the
 * answer to a chart's request. The panel, the Chromium tests and the benchmarks share it.
 *
 * Runs are read without their metrics' latest values where the store can (`getRunOutline`:
 * the file store would otherwise read every metric file whole before a chart reads it again).
 * A running run's series grow by what the store appended since the last read
 * (`getMetricColumnsAfter`); stores without it (a tracking server) are read again whole.
 */
import type { PanelRun, SeriesRequest } from '../protocol/chartsPanel';
import type { MetricReadPosition, Run, TrackingStore } from '../tracking/types';
import { runColorHex } from './colors';
import { answerSeriesRequest, appendColumns, seriesFromColumns, seriesFromMetrics, type MetricSeries, type ShownRun } from './series';

interface LoadedRun {
  run: Run;
  metricKeys: string[];
}

interface SeriesEntry {
  series: MetricSeries;
  /** Where an incremental read goes on; undefined when the store reads whole histories only. */
  position?: MetricReadPosition;
}

export class ChartsDataSource {
  private runs = new Map<string, LoadedRun>();
  private readonly series = new Map<string, Promise<SeriesEntry>>();
  /** Series whose full history has been read (a preview is no longer needed for them). */
  private readonly read = new Set<string>();

  constructor(
    private readonly store: TrackingStore,
    /** When set, only these metric keys (a panel opened from a metric node). */
    private readonly pinnedMetrics?: readonly string[],
  ) {}

  /** Reads the runs; forgets every series read before. */
  async load(runIds: readonly string[]): Promise<{ runs: PanelRun[]; metrics: string[] }> {
    const runs = await Promise.all(runIds.map((id) => this.readRun(id)));
    this.runs = new Map(runs.map((r) => [r.run.info.run_id, r]));
    this.series.clear();
    this.read.clear();
    return { runs: runs.map((r) => panelRun(r.run)), metrics: this.metricKeys() };
  }

  private async readRun(runId: string): Promise<LoadedRun> {
    if (this.store.getRunOutline) return this.store.getRunOutline(runId);
    const run = await this.store.getRun(runId);
    return { run, metricKeys: (run.data.metrics ?? []).map((m) => m.key) };
  }

  /**
   * Reads the histories of the first charts the page will show (the first keys, when no
   * filter hides any), so the reading overlaps the page's loading and asking. One file at a
   * time with a turn of the event loop between them: messages to and from the page (and the
   * rest of the extension host) are not held up behind the whole batch.
   */
  async prefetch(count: number): Promise<void> {
    const keys = this.metricKeys().slice(0, count);
    for (const key of keys) {
      for (const [runId, loaded] of this.runs) {
        if (!loaded.metricKeys.includes(key) || this.series.has(seriesKey(runId, key))) continue;
        await this.loadSeries(runId, key).catch(() => undefined);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  panelRuns(): PanelRun[] {
    return [...this.runs.values()].map((r) => panelRun(r.run));
  }

  allRuns(): Run[] {
    return [...this.runs.values()].map((r) => r.run);
  }

  has(runId: string): boolean {
    return this.runs.has(runId);
  }

  hasMetric(runId: string, key: string): boolean {
    return this.runs.get(runId)?.metricKeys.includes(key) ?? false;
  }

  metricKeys(): string[] {
    const keys = new Set<string>();
    for (const run of this.runs.values()) for (const key of run.metricKeys) keys.add(key);
    const pinned = this.pinnedMetrics;
    return [...keys].filter((k) => !pinned?.length || pinned.includes(k)).sort((a, b) => a.localeCompare(b));
  }

  private readSeries(runId: string, key: string): Promise<SeriesEntry> {
    const store = this.store;
    if (store.getMetricColumnsAfter) {
      return store.getMetricColumnsAfter(runId, key, undefined).then((tail) => ({ series: seriesFromColumns(tail.columns), position: tail.position }));
    }
    if (store.getMetricColumns) return store.getMetricColumns(runId, key).then((columns) => ({ series: seriesFromColumns(columns) }));
    return store.getMetricHistory(runId, key).then((metrics) => ({ series: seriesFromMetrics(metrics) }));
  }

  private loadSeries(runId: string, key: string): Promise<SeriesEntry> {
    const cacheKey = seriesKey(runId, key);
    let entry = this.series.get(cacheKey);
    if (!entry) {
      const reading = this.readSeries(runId, key);
      entry = reading;
      this.series.set(cacheKey, reading);
      reading.then(
        () => this.series.get(cacheKey) === reading && this.read.add(cacheKey),
        () => this.series.get(cacheKey) === reading && this.series.delete(cacheKey),
      );
    }
    return entry;
  }

  private shownRun(run: Run, series: MetricSeries): ShownRun {
    return {
      runId: run.info.run_id,
      startTime: run.info.start_time,
      series,
      params: (run.data.params ?? []).map((p) => [p.key, p.value] as const),
      tags: (run.data.tags ?? []).map((t) => [t.key, t.value] as const),
    };
  }

  /** Every point of the shown runs; `onProgress` hears how many runs' histories are read. */
  async answer(request: SeriesRequest, onProgress?: (read: number, of: number) => void): Promise<SeriesAnswer> {
    const withMetric = [...this.runs.values()].filter((r) => r.metricKeys.includes(request.metric));
    let read = 0;
    const shown = await Promise.all(
      withMetric.map(async ({ run }) => {
        const { series } = await this.loadSeries(run.info.run_id, request.metric);
        onProgress?.(++read, withMetric.length);
        return this.shownRun(run, series);
      }),
    );
    return answerSeriesRequest(request, shown);
  }

  /** Whether every history this request needs has been read already (its answer then costs no reading). */
  isRead(request: SeriesRequest): boolean {
    for (const [runId, loaded] of this.runs) if (loaded.metricKeys.includes(request.metric) && !this.read.has(seriesKey(runId, request.metric))) return false;
    return true;
  }

  /** Whether the store answers with a sample first (a tracking server), so a chart's full answer can be long in coming. */
  get previews(): boolean {
    return !!this.store.getMetricHistorySampled;
  }

  /**
   * While some shown runs' full histories have not been read yet, an answer drawn from the
   * store's sample of them (a tracking server's `get-history-bulk-interval`), marked `sampled`;
   * undefined when the store has no sample or every history is read already.
   */
  async preview(request: SeriesRequest): Promise<SeriesAnswer | undefined> {
    if (!this.store.getMetricHistorySampled) return undefined;
    const withMetric = [...this.runs.values()].filter((r) => r.metricKeys.includes(request.metric));
    const missing = withMetric.filter(({ run }) => !this.read.has(seriesKey(run.info.run_id, request.metric)));
    if (missing.length === 0) return undefined;
    const sample = await this.store.getMetricHistorySampled(
      missing.map(({ run }) => run.info.run_id),
      request.metric,
      PREVIEW_POINTS,
    );
    const shown = await Promise.all(
      withMetric.map(async ({ run }) => {
        const id = run.info.run_id;
        const key = seriesKey(id, request.metric);
        const series = this.read.has(key) ? (await this.loadSeries(id, request.metric)).series : seriesFromMetrics(sample.get(id) ?? []);
        return this.shownRun(run, series);
      }),
    );
    return { ...answerSeriesRequest(request, shown), sampled: true };
  }

  /**
   * A run changed (a live run logged more): read its outline again and, for each series read
   * before, what was appended (or, without incremental reads, the whole history again).
   * Returns the metric keys it has now.
   */
  async refreshRun(runId: string): Promise<string[]> {
    const loaded = await this.readRun(runId);
    this.runs.set(runId, loaded);
    const prefix = seriesKey(runId, '');
    for (const [cacheKey, entry] of [...this.series]) {
      if (!cacheKey.startsWith(prefix)) continue;
      const key = cacheKey.slice(prefix.length);
      const updated = entry.then((before) => this.grow(runId, key, before));
      this.series.set(cacheKey, updated);
      updated.catch(() => this.series.get(cacheKey) === updated && this.series.delete(cacheKey));
      await updated.catch(() => undefined);
    }
    return loaded.metricKeys;
  }

  private async grow(runId: string, key: string, before: SeriesEntry): Promise<SeriesEntry> {
    if (!this.store.getMetricColumnsAfter || !before.position) return this.readSeries(runId, key);
    const tail = await this.store.getMetricColumnsAfter(runId, key, before.position);
    const series = tail.restart ? seriesFromColumns(tail.columns) : appendColumns(before.series, tail.columns);
    return { series, position: tail.position };
  }
}

/** Points per run asked of a tracking server's sample for the first draw. */
const PREVIEW_POINTS = 1000;

type SeriesAnswer = ReturnType<typeof answerSeriesRequest>;

const seriesKey = (runId: string, key: string) => `${runId}\u0000${key}`;

export function panelRun(run: Run): PanelRun {
  return {
    runId: run.info.run_id,
    experimentId: run.info.experiment_id,
    name: run.info.run_name || run.info.run_id.slice(0, 8),
    color: runColorHex(run.info.run_id),
    status: run.info.status,
    startTime: run.info.start_time,
    params: (run.data.params ?? []).map((p) => [p.key, p.value]),
    tags: (run.data.tags ?? []).filter((t) => !t.key.startsWith('mlflow.')).map((t) => [t.key, t.value]),
  };
}
