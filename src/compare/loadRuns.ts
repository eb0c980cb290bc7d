/**
 * Reads what the compare table shows from any tracking store: the runs, their
 * experiments' names, the names of the models they logged, and (separately, since it
 * reads every metric's history) each metric's min and max. Plain module, no `vscode`.
 */
import type { Run, TrackingStore } from '../tracking/types';
import type { CompareRunInput, MetricStats } from './rows';
import { errorMessage } from '../format/errors';

/** Store calls at once: enough to hide a server's latency, few enough not to flood it. */
const CONCURRENCY = 8;

async function pool<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

export interface LoadedRuns {
  inputs: CompareRunInput[];
  /** Runs that could not be read, each with the reason. */
  problems: string[];
}

/** The runs in the order asked; one that cannot be read is left out and named in `problems`. */
export async function loadCompareRuns(store: TrackingStore, runIds: readonly string[]): Promise<LoadedRuns> {
  const problems: string[] = [];
  const runs = await pool(runIds, (id) =>
    store.getRun(id).catch((error: unknown) => {
      problems.push(`Run ${id}: ${errorMessage(error)}`);
      return undefined;
    }),
  );
  const found = runs.filter((r): r is Run => r !== undefined);
  const experimentIds = [...new Set(found.map((r) => r.info.experiment_id))];
  const names = new Map<string, string>();
  const modelNames = new Map<string, string>();
  await pool(experimentIds, async (id) => {
    const experiment = await store.getExperiment(id).catch(() => undefined);
    if (experiment) names.set(id, experiment.name);
    const models = await store.searchLoggedModels({ experiment_ids: [id], max_results: 1000 }).catch(() => undefined);
    for (const model of models?.models ?? []) modelNames.set(model.info.model_id, model.info.name);
  });
  const inputs = found.map((run) => ({
    run,
    experimentName: names.get(run.info.experiment_id),
    loggedModels: (run.outputs?.model_outputs ?? []).map((m) => modelNames.get(m.model_id) ?? m.model_id),
  }));
  return { inputs, problems };
}

/** Min and max (NaN ignored) of every metric of every run: one history read per metric. */
export async function loadMetricStats(store: TrackingStore, runs: readonly Run[]): Promise<Record<string, MetricStats>[]> {
  return pool(runs, async (run) => {
    const stats: Record<string, MetricStats> = {};
    for (const metric of run.data.metrics ?? []) {
      const history = await store.getMetricHistory(run.info.run_id, metric.key).catch(() => []);
      let min = Infinity;
      let max = -Infinity;
      for (const point of history) {
        if (Number.isNaN(point.value)) continue;
        if (point.value < min) min = point.value;
        if (point.value > max) max = point.value;
      }
      if (min <= max) stats[metric.key] = { min, max };
    }
    return stats;
  });
}
