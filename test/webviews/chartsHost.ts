/**
 * The host's half of the charts panel for Chromium tests and benchmarks: answers the
 * page's requests with the real `answerSeriesRequest` over given series, as the panel does.
 */
import { runColorHex } from '../../src/charts/colors';
import { answerSeriesRequest, type MetricSeries, type ShownRun } from '../../src/charts/series';
import { DEFAULT_SETTINGS, type ChartSettings, type PanelRun } from '../../src/protocol/chartsPanel';
import type { WebviewPage } from './harness';

export interface FakeRun {
  runId: string;
  name: string;
  params?: [string, string][];
  startTime?: number;
  metrics: Record<string, MetricSeries>;
}

export function panelRun(run: FakeRun): PanelRun {
  return {
    runId: run.runId,
    experimentId: '1',
    name: run.name,
    color: runColorHex(run.runId),
    status: 'FINISHED',
    startTime: run.startTime,
    params: run.params ?? [],
    tags: [],
  };
}

/** A series of n points at steps 0..n-1, one second apart, values from `value(i)`. */
export function makeSeries(n: number, value: (i: number) => number, t0 = 1_700_000_000_000): MetricSeries {
  const steps = new Float64Array(n);
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    steps[i] = i;
    times[i] = t0 + i * 1000;
    values[i] = value(i);
  }
  return { steps, times, values, nonFinite: 0 };
}

/** Serves `runs` to the page: answers `ready` with `init`, each `requestSeries` with series. */
export function serveCharts(view: WebviewPage, runs: FakeRun[], settings: Partial<ChartSettings> = {}): { requests: any[] } {
  const requests: any[] = [];
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  view.onMessage(async (message) => {
    if (message.type === 'ready') {
      await view.post({
        type: 'init',
        title: 'test',
        storeUri: 'file:///tmp/mlruns',
        runs: runs.map(panelRun),
        metrics,
        settings: { ...DEFAULT_SETTINGS, ...settings },
      });
    } else if (message.type === 'requestSeries') {
      requests.push(message);
      const shown: ShownRun[] = runs
        .filter((r) => r.metrics[message.metric])
        .map((r) => ({ runId: r.runId, startTime: r.startTime, series: r.metrics[message.metric], params: r.params ?? [] }));
      await view.post(answerSeriesRequest(message, shown));
    }
  });
  return { requests };
}
