/**
 * The recorded-server comparisons the SQLite store passes (test/tracking/sqlite), run against a
 * database server store holding the same rows: every answer must equal what a real `mlflow server`
 * answered over the reference mlflow.db. MySQL keeps no insertion order: there a run's lists come
 * in key order (as MLflow's server over MySQL shows them), so lists are compared as sets by key.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackingStore } from '../../../src/tracking/types';
import { entry, expected, queryOf, recorded, recordingIndex, REST_SQLITE } from '../sqlite/fixtures';

/** Sorts every list of {key}/{alias}/{name} objects, for stores whose lists have no insertion order. */
export function byKey<T>(value: T): T {
  if (Array.isArray(value)) {
    const items = value.map(byKey);
    const sortKey = (x: unknown) => {
      const o = x as Record<string, unknown> | null;
      return o && typeof o === 'object' && !('info' in o) ? String(o.key ?? o.alias ?? '') : undefined;
    };
    const keys = items.map(sortKey);
    if (keys.every((k) => k !== undefined && k !== '')) {
      const order = items.map((item, i) => ({ item, k: keys[i]! })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
      return order.map((x) => x.item) as T;
    }
    return items as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, byKey(v)])) as T;
  }
  return value;
}

export function recordedComparisons(store: () => TrackingStore, listsInKeyOrder: boolean): void {
  const same = (actual: unknown, want: unknown) => (listsInKeyOrder ? assert.deepEqual(byKey(actual), byKey(want)) : assert.deepEqual(actual, want));

  for (const file of recordingIndex()
    .filter((e) => e.status === 200 && e.url.includes('/runs/get?'))
    .map((e) => e.file)) {
    it(`getRun equals ${file}`, async () => {
      same(await store().getRun(queryOf(file).get('run_id')!), expected.run(file));
    });
  }

  for (const file of recordingIndex()
    .filter((e) => e.status === 200 && e.url.endsWith('/runs/search'))
    .map((e) => e.file)) {
    it(`searchRuns equals ${file} (${JSON.stringify(entry(file).request_body)})`, async () => {
      const res = await store().searchRuns(entry(file).request_body as never);
      const want = expected.runs(file);
      assert.deepEqual(
        res.runs.map((r) => r.info.run_name),
        want.runs.map((r) => r.info.run_name),
      );
      same(res.runs, want.runs);
      assert.equal(res.next_page_token, want.next_page_token);
    });
  }

  it('searchExperiments equals experiments_search.json', async () => {
    const res = await store().searchExperiments({ max_results: 100 });
    same(res, { experiments: expected.experiments('experiments_search.json').experiments, next_page_token: undefined });
  });

  it('searchExperiments with a tag filter equals experiments_search_filter_POST.json', async () => {
    const res = await store().searchExperiments({ max_results: 10, filter: "tags.team = 'vision'" });
    same(res.experiments, expected.experiments('experiments_search_filter_POST.json').experiments);
  });

  for (const file of ['experiments_get.json', 'experiments_get_deleted.json']) {
    it(`getExperiment equals ${file}`, async () => {
      same(await store().getExperiment(queryOf(file).get('experiment_id')!), recorded<{ experiment: unknown }>(file).experiment);
    });
  }

  for (const file of ['metrics_get_history_loss.json', 'metrics_get_history_grad_norm_with_nan.json']) {
    it(`getMetricHistory equals ${file} (NaN from is_nan)`, async () => {
      const q = queryOf(file);
      assert.deepEqual(await store().getMetricHistory(q.get('run_id')!, q.get('metric_key')!), expected.metrics(file));
    });
  }

  for (const file of recordingIndex()
    .filter((e) => e.status === 200 && e.url.includes('/artifacts/list?'))
    .map((e) => e.file)) {
    it(`listArtifacts equals ${file}`, async () => {
      const q = queryOf(file);
      assert.deepEqual(await store().listArtifacts(q.get('run_id')!, q.get('path') ?? undefined), recorded<{ files?: unknown[] }>(file).files ?? []);
    });
  }

  it('readArtifact returns the recorded bytes', async () => {
    const q = queryOf('get_artifact_text.txt');
    const bytes = await store().readArtifact(q.get('run_uuid')!, q.get('path')!);
    assert.deepEqual(Buffer.from(bytes), readFileSync(join(REST_SQLITE, 'get_artifact_text.txt')));
  });

  it('searchLoggedModels equals logged_models_search.json', async () => {
    same((await store().searchLoggedModels({ experiment_ids: ['2'] })).models, expected.loggedModels('logged_models_search.json'));
  });

  it('searchRegisteredModels equals registered_models_search.json', async () => {
    same((await store().searchRegisteredModels({ max_results: 100 })).registered_models, expected.registeredModels('registered_models_search.json'));
  });

  it('searchModelVersions equals model_versions_search.json', async () => {
    same((await store().searchModelVersions({ filter: "name='iris-classifier'" })).model_versions, expected.modelVersions('model_versions_search.json'));
  });

  it("pages with MLflow's tokens", async () => {
    const p1 = await store().searchRuns({ experiment_ids: ['1'], max_results: 5, order_by: ['attributes.start_time DESC'] });
    const p2 = await store().searchRuns({ experiment_ids: ['1'], max_results: 5, order_by: ['attributes.start_time DESC'], page_token: p1.next_page_token });
    same(p2.runs, expected.runs('runs_search_page2_max5.json').runs);
  });

  it('rejects a bad filter like the server (INVALID_PARAMETER_VALUE)', async () => {
    const body = entry('error_runs_search_bad_filter_INVALID_PARAMETER_VALUE.json').request_body as never;
    await assert.rejects(store().searchRuns(body), { error_code: 'INVALID_PARAMETER_VALUE' });
  });

  it("a missing run is RESOURCE_DOES_NOT_EXIST with MLflow's message", async () => {
    const want = recorded<{ message: string }>('error_runs_get_bad_run_id_RESOURCE_DOES_NOT_EXIST.json');
    await assert.rejects(store().getRun('0123456789abcdef0123456789abcdef'), { error_code: 'RESOURCE_DOES_NOT_EXIST', message: want.message });
  });
}
