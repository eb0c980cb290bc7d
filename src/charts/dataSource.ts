/**
 * What a charts panel knows about its runs, without `vscode`: the runs (names, params,
 * which metrics they logged), each metric history read once into typed arrays, and the
 * answer to a chart's request. The panel, the Chromium tests and the benchmarks share it.
 */
import type { PanelRun, SeriesRequest } from '../protocol/chartsPanel';
import type { Run, TrackingStore } from '../tracking/types';
import { runColorHex } from './colors';
import { answerSeriesRequest, seriesFromColumns, seriesFromMetrics, type MetricSeries, type ShownRun } from './series';

export class ChartsDataSource {
  private runs = new Map<string, Run>();
  private readonly series = new Map<string, Promise<MetricSeries>>();

  constructor(
    private readonly store: TrackingStore,
    /** When set, only these metric keys (a panel opened from a metric node). */
    private readonly pinnedMetrics?: readonly string[],
  ) {}

  /** Reads the runs; forgets every series read before. */
  async load(runIds: readonly string[]): Promise<{ runs: PanelRun[]; metrics: string[] }> {
    const runs = await Promise.all(runIds.map((id) => this.store.getRun(id)));
    this.runs = new Map(runs.map((r) => [r.info.run_id, r]));
    this.series.clear();
    return { runs: runs.map(panelRun), metrics: this.metricKeys() };
  }

  panelRuns(): PanelRun[] {
    return [...this.runs.values()].map(panelRun);
  }

  allRuns(): Run[] {
    return [...this.runs.values()];
  }

  has(runId: string): boolean {
    return this.runs.has(runId);
  }

  metricKeys(): string[] {
    const keys = new Set<string>();
    for (const run of this.runs.values()) for (const m of run.data.metrics ?? []) keys.add(m.key);
    const pinned = this.pinnedMetrics;
    return [...keys].filter((k) => !pinned?.length || pinned.includes(k)).sort((a, b) => a.localeCompare(b));
  }

  private loadSeries(runId: string, key: string): Promise<MetricSeries> {
    const cacheKey = `${runId}\u0000${key}`;
    let series = this.series.get(cacheKey);
    if (!series) {
      const reading = this.store.getMetricColumns
        ? this.store.getMetricColumns(runId, key).then(seriesFromColumns)
        : this.store.getMetricHistory(runId, key).then(seriesFromMetrics);
      series = reading;
      this.series.set(cacheKey, reading);
      reading.catch(() => this.series.get(cacheKey) === reading && this.series.delete(cacheKey));
    }
    return series;
  }

  async answer(request: SeriesRequest): Promise<ReturnType<typeof answerSeriesRequest>> {
    const withMetric = [...this.runs.values()].filter((r) => r.data.metrics?.some((m) => m.key === request.metric));
    const shown: ShownRun[] = await Promise.all(
      withMetric.map(async (run) => ({
        runId: run.info.run_id,
        startTime: run.info.start_time,
        series: await this.loadSeries(run.info.run_id, request.metric),
      })),
    );
    return answerSeriesRequest(request, shown);
  }

  /**
   * A run changed (a live run logged more): read it again and drop its cached series.
   * Returns the metric keys it has now.
   */
  async refreshRun(runId: string): Promise<string[]> {
    const run = await this.store.getRun(runId);
    this.runs.set(runId, run);
    for (const key of [...this.series.keys()]) if (key.startsWith(`${runId}\u0000`)) this.series.delete(key);
    return (run.data.metrics ?? []).map((m) => m.key);
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
