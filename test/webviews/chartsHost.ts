/**
 * The host's half of the charts panel for Chromium tests and benchmarks: answers the
 * page's requests with the real `answerSeriesRequest` over given series, as the panel does.
 */
import { runColorHex } from '../../src/charts/colors';
import { answerSeriesRequest, type MetricSeries, type ShownRun } from '../../src/charts/series';
import { firstScreenRequests } from '../../src/charts/firstScreen';
import { DEFAULT_SETTINGS, type ChartSettings, type PanelRun, type SeriesRequest } from '../../src/protocol/chartsPanel';
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

/**
 * Serves `runs` to the page: answers `ready` with `init`, each `requestSeries` with series. With
 * `push`, also sends the series of the page's first screen unasked, as the panel does: inside `init`
 * (`withInit`: histories read before the page was ready), or after it (`batch`: one `seriesBatch`
 * for two charts or more, else a `series`).
 */
export function serveCharts(
  view: WebviewPage,
  runs: FakeRun[],
  settings: Partial<ChartSettings> = {},
  push: false | 'withInit' | 'batch' = false,
): { requests: any[] } {
  const requests: any[] = [];
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const answer = (message: SeriesRequest) => {
    const shown: ShownRun[] = runs
      .filter((r) => r.metrics[message.metric])
      .map((r) => ({ runId: r.runId, startTime: r.startTime, series: r.metrics[message.metric], params: r.params ?? [] }));
    return answerSeriesRequest(message, shown);
  };
  view.onMessage(async (message) => {
    if (message.type === 'ready') {
      const full = { ...DEFAULT_SETTINGS, ...settings };
      const pushed =
        push && message.firstScreen
          ? firstScreenRequests(
              full,
              metrics,
              runs.map((r) => r.runId),
              message.firstScreen,
            )
          : [];
      await view.post({
        type: 'init',
        title: 'test',
        storeUri: 'file:///tmp/mlruns',
        runs: runs.map(panelRun),
        metrics,
        settings: full,
        ...(pushed.length ? { pushed: { metrics: pushed.map((r) => r.metric), columns: message.firstScreen.columns } } : {}),
        ...(push === 'withInit' && pushed.length ? { series: pushed.map(answer) } : {}),
      });
      if (push !== 'batch') return;
      if (pushed.length > 1) await view.post({ type: 'seriesBatch', series: pushed.map(answer) });
      else for (const request of pushed) await view.post(answer(request));
    } else if (message.type === 'requestSeries') {
      requests.push(message);
      await view.post(answer(message));
    }
  });
  return { requests };
}
