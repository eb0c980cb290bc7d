/**
 * The search module against a real MLflow server: every recorded runs/search, experiments/search
 * and registry search request is replayed over the full recorded run (experiment, model) list, and
 * the result must be the server's answer, same ids in the same order, same next_page_token.
 */
import * as assert from 'node:assert/strict';
import {
  compareRuns,
  paginate,
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
  parseRunFilter,
  runMatches,
  SearchSyntaxError,
  type RunMatchOptions,
} from '../../../src/tracking/search';
import type { ModelVersion, RegisteredModel, Run } from '../../../src/tracking/types';
import { allExperiments, allRuns, readIndex, readJson, runId, shuffled } from './recorded';

/** Python prints a set in hash order, which changes between server runs: compare the items as sets. */
function sameMessage(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\{([^}]*)\}/g, (_m, items: string) => `{${items.split(', ').sort().join(', ')}}`);
  return norm(a) === norm(b);
}

const STORES: { store: string; options: RunMatchOptions }[] = [
  { store: 'rest-file-store', options: { nanAs: 'nan' } },
  { store: 'rest-sqlite-store', options: { nanAs: 'zero' } },
];

function searchRuns(runs: Run[], body: any, options: RunMatchOptions) {
  const experimentIds = new Set<string>(body.experiment_ids ?? []);
  const view = body.run_view_type ?? 'ACTIVE_ONLY';
  const filter = parseRunFilter(body.filter);
  const order = parseOrderBy(body.order_by);
  const matched = runs
    .filter((r) => experimentIds.has(r.info.experiment_id))
    .filter((r) => view === 'ALL' || (view === 'ACTIVE_ONLY') === (r.info.lifecycle_stage === 'active'))
    .filter((r) => runMatches(filter, r, options))
    .sort(compareRuns(order));
  return paginate(matched, body.page_token, body.max_results ?? 1000);
}

for (const { store, options } of STORES) {
  describe(`search: replaying the recorded requests of ${store}`, () => {
    const runs = shuffled(allRuns(store));
    const index = readIndex(store);
    const runSearches = index.filter((e) => e.url.endsWith('/runs/search') && e.status === 200);

    it('has the recorded run searches to replay', () => {
      assert.ok(runSearches.length >= 7, `only ${runSearches.length} recorded run searches`);
      assert.ok(runs.length >= 20);
    });

    for (const entry of runSearches) {
      it(`runs/search ${JSON.stringify(entry.request_body)} → ${entry.file}`, () => {
        const expected = readJson(store, entry.file);
        const got = searchRuns(runs, entry.request_body, options);
        assert.deepEqual(
          got.items.map(runId),
          (expected.runs ?? []).map((r: any) => r.info.run_id),
        );
        assert.equal(got.next_page_token, expected.next_page_token);
      });
    }

    it('rejects the recorded bad filter with the server message', () => {
      const entry = index.find((e) => e.file.startsWith('error_runs_search_bad_filter'))!;
      const expected = readJson(store, entry.file);
      const filter = (entry.request_body as any).filter as string;
      assert.throws(
        () => parseRunFilter(filter),
        (e: unknown) =>
          e instanceof SearchSyntaxError &&
          e.error_code === expected.error_code &&
          sameMessage(e.reason, expected.message) &&
          e.position === filter.indexOf('<<<'),
      );
    });

    const experiments = shuffled(allExperiments(store));
    for (const entry of index.filter((e) => e.url.includes('/experiments/search') && e.status === 200)) {
      it(`experiments/search ${entry.request_body ? JSON.stringify(entry.request_body) : entry.url.split('?')[1]} → ${entry.file}`, () => {
        const body: any = entry.request_body ?? Object.fromEntries(new URL(entry.url).searchParams);
        const view = body.view_type ?? 'ACTIVE_ONLY';
        const test = parseExperimentFilter(body.filter);
        const got = experiments
          .filter((e) => view === 'ALL' || (view === 'ACTIVE_ONLY') === (e.lifecycle_stage === 'active'))
          .filter(test)
          .sort(parseExperimentOrderBy(body.order_by));
        const expected = readJson(store, entry.file).experiments.map((e: any) => e.experiment_id);
        assert.deepEqual(
          got.map((e) => e.experiment_id),
          expected,
        );
      });
    }

    it('registered-models/search: the recorded answer', () => {
      const expected: RegisteredModel[] = readJson(store, 'registered_models_search.json').registered_models;
      const got = shuffled(expected).filter(parseRegisteredModelFilter(undefined)).sort(parseRegisteredModelOrderBy());
      assert.deepEqual(
        got.map((m) => m.name),
        expected.map((m) => m.name),
      );
    });

    it("model-versions/search filter=name='iris-classifier': the recorded answer", () => {
      const expected: ModelVersion[] = readJson(store, 'model_versions_search.json').model_versions;
      const others: ModelVersion[] = [
        { ...expected[0], name: 'other-model', version: '7' },
        { ...expected[0], name: 'iris-classifierX', version: '3' },
      ];
      const got = shuffled([...expected, ...others])
        .filter(parseModelVersionFilter("name='iris-classifier'"))
        .sort(parseModelVersionOrderBy());
      assert.deepEqual(
        got.map((v) => `${v.name}/${v.version}`),
        expected.map((v) => `${v.name}/${v.version}`),
      );
    });
  });
}
