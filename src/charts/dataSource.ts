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
    return { runs: runs.map((r) => panelRun(r.run)), metrics: this.metricKeys() };
  }

  private async readRun(runId: string): Promise<LoadedRun> {
    if (this.store.getRunOutline) return this.store.getRunOutline(runId);
    const run = await this.store.getRun(runId);
    return { run, metricKeys: (run.data.metrics ?? []).map((m) => m.key) };
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
    const cacheKey = `${runId}\u0000${key}`;
    let entry = this.series.get(cacheKey);
    if (!entry) {
      const reading = this.readSeries(runId, key);
      entry = reading;
      this.series.set(cacheKey, reading);
      reading.catch(() => this.series.get(cacheKey) === reading && this.series.delete(cacheKey));
    }
    return entry;
  }

  async answer(request: SeriesRequest): Promise<ReturnType<typeof answerSeriesRequest>> {
    const withMetric = [...this.runs.values()].filter((r) => r.metricKeys.includes(request.metric));
    const shown: ShownRun[] = await Promise.all(
      withMetric.map(async ({ run }) => ({
        runId: run.info.run_id,
        startTime: run.info.start_time,
        series: (await this.loadSeries(run.info.run_id, request.metric)).series,
        params: (run.data.params ?? []).map((p) => [p.key, p.value] as const),
        tags: (run.data.tags ?? []).map((t) => [t.key, t.value] as const),
      })),
    );
    return answerSeriesRequest(request, shown);
  }

  /**
   * A run changed (a live run logged more): read its outline again and, for each series read
   * before, what was appended (or, without incremental reads, the whole history again).
   * Returns the metric keys it has now.
   */
  async refreshRun(runId: string): Promise<string[]> {
    const loaded = await this.readRun(runId);
    this.runs.set(runId, loaded);
    const prefix = `${runId}\u0000`;
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
