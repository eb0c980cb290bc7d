/**
 * The file store against a real MLflow server over the same `mlruns`: every recorded answer
 * the store's API covers is asserted field for field.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openFileStore, type FileTrackingStore } from '../../../src/tracking/file';
import { MlflowError, type ViewType } from '../../../src/tracking/types';
import { canon, loadRecorded, query, recordings, REST_DIR, STORE_ROOT } from './recorded';

describe('file store vs. recorded MLflow server answers', () => {
  let store: FileTrackingStore;
  const warnings: string[] = [];
  before(async () => {
    store = await openFileStore(STORE_ROOT);
    store.onWarning((w) => warnings.push(`${w.path}: ${w.message}`));
  });
  after(() => store.dispose());

  const recs = recordings();
  const ofKind = (prefix: string) => recs.filter((r) => r.file.startsWith(prefix) && r.status === 200);

  describe('runs/get', () => {
    const gets = ofKind('runs_get_');
    it('has recordings to compare with', () => assert.ok(gets.length >= 6));
    for (const rec of gets) {
      it(rec.file, async () => {
        const expected = loadRecorded(rec.file).run;
        const actual = await store.getRun(query(rec).get('run_id')!);
        assert.deepEqual(canon(actual), canon(expected));
      });
    }
  });

  describe('runs/search', () => {
    const searches = ofKind('runs_search_');
    it('has recordings to compare with', () => assert.ok(searches.length >= 7));
    for (const rec of searches) {
      it(rec.file, async () => {
        const body = rec.request_body as Record<string, any>;
        const expected = loadRecorded(rec.file);
        const actual = await store.searchRuns({
          experiment_ids: body.experiment_ids,
          filter: body.filter,
          order_by: body.order_by,
          run_view_type: body.run_view_type as ViewType | undefined,
          max_results: body.max_results,
          page_token: body.page_token,
        });
        assert.deepEqual(
          actual.runs.map((r) => r.info.run_name),
          (expected.runs ?? []).map((r: any) => r.info.run_name),
          'same runs in the same order',
        );
        assert.deepEqual(canon(actual.runs), canon(expected.runs ?? []));
        assert.equal(actual.next_page_token, expected.next_page_token);
      });
    }

    it('a malformed filter is INVALID_PARAMETER_VALUE, as on the server', async () => {
      const rec = recs.find((r) => r.file === 'error_runs_search_bad_filter_INVALID_PARAMETER_VALUE.json')!;
      const body = rec.request_body as Record<string, any>;
      await assert.rejects(store.searchRuns({ experiment_ids: body.experiment_ids, filter: body.filter }), (e: unknown) => {
        return e instanceof MlflowError && e.error_code === loadRecorded(rec.file).error_code;
      });
    });

    it('runs of a deleted experiment (in .trash/) are found, their artifacts resolved inside .trash/', async () => {
      const legacy = '396528e9bb8549acab3bcd0e06153e15';
      const r = await store.getRun(legacy);
      assert.equal(r.info.experiment_id, '918225448215142151');
      assert.equal(r.info.run_name, 'legacy-0');
      assert.ok(r.info.artifact_uri?.endsWith(`/mlruns/.trash/918225448215142151/${legacy}/artifacts`), r.info.artifact_uri);
      const found = await store.searchRuns({ experiment_ids: ['918225448215142151'], run_view_type: 'ALL' });
      assert.deepEqual(found.runs.map((x) => x.info.run_name).sort(), ['legacy-0', 'legacy-1']);
    });

    it('an unknown run is RESOURCE_DOES_NOT_EXIST, as on the server', async () => {
      const rec = recs.find((r) => r.file === 'error_runs_get_bad_run_id_RESOURCE_DOES_NOT_EXIST.json')!;
      await assert.rejects(store.getRun(query(rec).get('run_id')!), (e: unknown) => {
        return e instanceof MlflowError && e.error_code === 'RESOURCE_DOES_NOT_EXIST' && e.message === loadRecorded(rec.file).message;
      });
    });
  });

  describe('metrics/get-history', () => {
    for (const file of ['metrics_get_history_loss.json', 'metrics_get_history_grad_norm_with_nan.json']) {
      it(file, async () => {
        const rec = recs.find((r) => r.file === file)!;
        const q = query(rec);
        const expected = loadRecorded(file).metrics;
        const actual = await store.getMetricHistory(q.get('run_id')!, q.get('metric_key')!);
        assert.deepEqual(actual, expected);
        if (file.includes('nan'))
          assert.ok(
            actual.some((m) => Number.isNaN(m.value)),
            'NaN is a number NaN',
          );
      });
    }

    it('the two recorded pages of 100 are the first 200 points', async () => {
      const p1 = loadRecorded('metrics_get_history_paged_max100.json');
      const p2 = loadRecorded('metrics_get_history_paged_max100_page2.json');
      const q = query(recs.find((r) => r.file === 'metrics_get_history_paged_max100.json')!);
      const all = await store.getMetricHistory(q.get('run_id')!, q.get('metric_key')!);
      assert.deepEqual(all.slice(0, 100), p1.metrics);
      assert.deepEqual(all.slice(100, 200), p2.metrics);
    });

    it('an unknown metric has an empty history, an unknown run is an error', async () => {
      const q = query(recs.find((r) => r.file === 'metrics_get_history_loss.json')!);
      assert.deepEqual(await store.getMetricHistory(q.get('run_id')!, 'no_such_metric'), []);
      await assert.rejects(store.getMetricHistory('0123456789abcdef0123456789abcdef', 'loss'), /not found/);
    });
  });

  describe('artifacts', () => {
    for (const rec of ofKind('artifacts_list_')) {
      it(rec.file, async () => {
        const q = query(rec);
        const expected = loadRecorded(rec.file);
        const actual = await store.listArtifacts(q.get('run_id')!, q.get('path') ?? undefined);
        assert.deepEqual(actual, expected.files ?? []);
      });
    }

    it('path traversal is refused with INVALID_PARAMETER_VALUE, as on the server', async () => {
      const rec = recs.find((r) => r.file === 'error_artifacts_list_path_traversal.json')!;
      const q = query(rec);
      const expected = loadRecorded(rec.file);
      await assert.rejects(
        store.listArtifacts(q.get('run_id')!, q.get('path')!),
        (e: unknown) => e instanceof MlflowError && e.error_code === expected.error_code,
      );
      await assert.rejects(
        store.readArtifact(q.get('run_id')!, '../meta.yaml'),
        (e: unknown) => e instanceof MlflowError && e.error_code === 'INVALID_PARAMETER_VALUE',
      );
      await assert.rejects(
        store.readArtifact(q.get('run_id')!, '/etc/passwd'),
        (e: unknown) => e instanceof MlflowError && e.error_code === 'INVALID_PARAMETER_VALUE',
      );
    });

    for (const file of ['get_artifact_text.txt', 'get_artifact_json.txt']) {
      it(`readArtifact equals ${file}`, async () => {
        const q = query(recs.find((r) => r.file === file)!);
        const bytes = await store.readArtifact(q.get('run_uuid')!, q.get('path')!);
        assert.deepEqual(Buffer.from(bytes), fs.readFileSync(path.join(REST_DIR, file)));
      });
    }
  });

  describe('experiments', () => {
    it('experiments_search.json (default view and order)', async () => {
      const actual = await store.searchExperiments({ max_results: 100 });
      assert.deepEqual(canon(actual), canon(loadRecorded('experiments_search.json')));
    });
    it('experiments_search_all_POST.json (ALL, order_by name)', async () => {
      const actual = await store.searchExperiments({ max_results: 100, view_type: 'ALL', order_by: ['name ASC'] });
      assert.deepEqual(canon(actual), canon(loadRecorded('experiments_search_all_POST.json')));
    });
    it('experiments_search_filter_POST.json (tag filter)', async () => {
      const actual = await store.searchExperiments({ max_results: 10, filter: "tags.team = 'vision'" });
      assert.deepEqual(canon(actual), canon(loadRecorded('experiments_search_filter_POST.json')));
    });
    for (const file of ['experiments_get.json', 'experiments_get_deleted.json']) {
      it(file, async () => {
        const id = query(recs.find((r) => r.file === file)!).get('experiment_id')!;
        const expected = loadRecorded(file).experiment;
        const actual = await store.getExperiment(id);
        if (actual.lifecycle_stage === 'deleted') {
          // Reported where it lives once restored: the root, like the server.
          assert.equal(actual.artifact_location, expected.artifact_location);
        }
        assert.deepEqual(canon(actual), canon(expected));
      });
    }
    it('paging: one experiment per page, same order', async () => {
      const all = (await store.searchExperiments({ view_type: 'ALL' })).experiments.map((e) => e.experiment_id);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await store.searchExperiments({ view_type: 'ALL', max_results: 1, page_token: token });
        seen.push(...page.experiments.map((e) => e.experiment_id));
        token = page.next_page_token;
      } while (token);
      assert.deepEqual(seen, all);
      assert.equal(all.length, 4);
    });
    it('an unknown experiment is RESOURCE_DOES_NOT_EXIST', async () => {
      await assert.rejects(store.getExperiment('123'), (e: unknown) => e instanceof MlflowError && e.error_code === 'RESOURCE_DOES_NOT_EXIST');
    });
  });

  describe('model registry', () => {
    it('registered_models_search.json', async () => {
      const actual = await store.searchRegisteredModels({ max_results: 100 });
      assert.deepEqual(canon(actual), canon(loadRecorded('registered_models_search.json')));
    });
    it('registered_models_get.json is the same model', async () => {
      const actual = await store.searchRegisteredModels({ filter: "name = 'iris-classifier'" });
      assert.deepEqual(canon(actual.registered_models), [canon(loadRecorded('registered_models_get.json').registered_model)]);
    });
    it('model_versions_search.json', async () => {
      const actual = await store.searchModelVersions({ filter: "name='iris-classifier'" });
      assert.deepEqual(canon(actual), canon(loadRecorded('model_versions_search.json')));
    });
    it('model_versions_get.json and the champion alias are version 2', async () => {
      const { model_versions } = await store.searchModelVersions({ filter: "name='iris-classifier' and version_number = 2" });
      assert.deepEqual(canon(model_versions), [canon(loadRecorded('model_versions_get.json').model_version)]);
      assert.deepEqual(canon(model_versions), [canon(loadRecorded('registered_models_alias_champion.json').model_version)]);
    });
  });

  describe('logged models', () => {
    it('logged_models_search.json', async () => {
      const body = recs.find((r) => r.file === 'logged_models_search.json')!.request_body as { experiment_ids: string[] };
      const actual = await store.searchLoggedModels({ experiment_ids: body.experiment_ids });
      assert.deepEqual(canon(actual), canon(loadRecorded('logged_models_search.json')));
    });
    it('logged_models_get.json', async () => {
      const id = new URL(recs.find((r) => r.file === 'logged_models_get.json')!.url).pathname.split('/').pop()!;
      assert.deepEqual(canon(await store.getLoggedModel(id)), canon(loadRecorded('logged_models_get.json').model));
    });
    it('logged_models_artifacts_list_ajax.json and the MLmodel file', async () => {
      const id = 'm-6a58aba182b84bb88ff00d0496e3b19b';
      const expected = loadRecorded('logged_models_artifacts_list_ajax.json').files as { path: string; file_size?: number }[];
      // MLmodel holds the store's absolute path, which the reference data had rewritten to
      // /home/ana/... after recording (one character shorter than the original): the server
      // saw 1295 bytes, the file now has 1294. Only that entry's size is taken from the disk.
      const mlmodelEntry = expected.find((f) => f.path === 'MLmodel')!;
      assert.equal(mlmodelEntry.file_size, 1295);
      mlmodelEntry.file_size = fs.statSync(path.join(STORE_ROOT, '469638688653584371/models', id, 'artifacts/MLmodel')).size;
      assert.deepEqual(await store.listLoggedModelArtifacts(id), expected);
      const mlmodel = await store.readLoggedModelArtifact(id, 'MLmodel');
      assert.deepEqual(Buffer.from(mlmodel), fs.readFileSync(path.join(REST_DIR, 'logged_models_artifact_file_MLmodel.txt')));
    });
  });

  // Last suite, so that it sees the warnings of every test above.
  describe('after all of the above', () => {
    it('the reference store was read without a single warning', () => {
      assert.deepEqual(warnings, []);
    });
  });
});
