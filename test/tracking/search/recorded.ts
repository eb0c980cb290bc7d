/**
 * Reads the recorded answers of a real `mlflow server` (test/fixtures/rest-*-store, copied from
 * /work/shared/mlflow-reference; see test/fixtures/README.md) into this project's types.
 */
import type { Experiment, Run } from '../../../src/tracking/types';
import { readRecordedIndex, readRecordedJson } from '../../helpers/recordedAnswers';

/** `store`: a folder under test/fixtures, such as `rest-file-store`. */
export const readJson = readRecordedJson;
export const readIndex = readRecordedIndex;

/** MLflow's JSON writes NaN and infinities as strings; our types hold JS numbers. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Number(v);
}

export function toRun(raw: any): Run {
  return {
    ...raw,
    data: {
      ...raw.data,
      metrics: (raw.data?.metrics ?? []).map((m: any) => ({ ...m, value: toNumber(m.value) })),
    },
  };
}

/** Every run of the reference store's two live experiments, active and deleted. */
export function allRuns(store: string): Run[] {
  return readJson(store, 'runs_search_all_experiments_view_all.json').runs.map(toRun);
}

export function allExperiments(store: string): Experiment[] {
  return readJson(store, 'experiments_search_all_POST.json').experiments;
}

export function runId(run: Run): string {
  return run.info.run_id;
}

/** A fixed shuffle, so that a test never leans on the order the server answered in. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
