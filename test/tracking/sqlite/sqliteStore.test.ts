/**
 * The SQLite store reads test/fixtures/sqlite-store/mlflow.db and must answer field for field what
 * a real `mlflow server` answered over the same file (test/fixtures/rest-sqlite-store).
 * Runs once per reader: sql.js always; node:sqlite where this Node has it. Under Node 20 (no
 * node:sqlite) the node:sqlite suite runs in a child Node 24 process when one is installed.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodeSqlite, openSqliteStore, type BackendName, type SqliteTrackingStore } from '../../../src/tracking/sqlite';
import { MlflowError, type Run, type StoreChangeEvent } from '../../../src/tracking/types';
import { installedNode24, runSqliteSuiteInNode24 } from '../../helpers/node24';
import { DB_PATH, editedCopy, entry, expected, queryOf, recorded, recordingIndex, REST_SQLITE, SQLITE_DIR } from './fixtures';

const ONLY = process.env.MLFLOW_TEST_SQLITE_BACKEND as BackendName | undefined;
const backends: BackendName[] = (['sql.js', 'node:sqlite'] as BackendName[]).filter((b) => !ONLY || b === ONLY);

const ids = JSON.parse(readFileSync(join(SQLITE_DIR, 'reference_ids.sqlite.json'), 'utf8')) as { runs: Record<string, string> };

async function rejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<MlflowError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof MlflowError, `expected MlflowError, got ${e}`);
    assert.equal(e.error_code, code, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail('expected a rejection');
}

for (const backend of backends) {
  const available = backend === 'sql.js' || loadNodeSqlite() !== null;
  if (ONLY || available)
    (available ? describe : describe.skip)(`SQLite store (${backend}) vs. the real server over the same db`, () => {
      let store: SqliteTrackingStore;
      before(async () => {
        store = await openSqliteStore(DB_PATH, { backend });
        assert.equal(store.backend, backend);
      });
      after(() => store.dispose());

      it('reports kind and the db path as its name', () => {
        assert.equal(store.kind, 'sqlite');
        assert.equal(store.displayName, DB_PATH);
      });

      for (const file of recordingIndex()
        .filter((e) => e.status === 200 && e.url.includes('/runs/get?'))
        .map((e) => e.file)) {
        it(`getRun equals ${file}`, async () => {
          const run = await store.getRun(queryOf(file).get('run_id')!);
          assert.deepEqual(run, expected.run(file));
        });
      }

      it('decodes a NaN latest metric (stored as value 0, is_nan 1) as NaN', async () => {
        // grad_norm's NaN point is not the latest one; the history test covers the stored NaN.
        const run = await store.getRun(ids.runs['resnet18']);
        assert.equal(run.data.metrics?.find((m) => m.key === 'grad_norm')?.value, 3.742088057898972);
      });

      for (const file of recordingIndex()
        .filter((e) => e.status === 200 && e.url.endsWith('/runs/search'))
        .map((e) => e.file)) {
        it(`searchRuns equals ${file} (${JSON.stringify(entry(file).request_body)})`, async () => {
          const body = entry(file).request_body as never;
          const res = await store.searchRuns(body);
          const want = expected.runs(file);
          assert.deepEqual(
            res.runs.map((r) => r.info.run_name),
            want.runs.map((r) => r.info.run_name),
          );
          assert.deepEqual(res.runs, want.runs);
          assert.equal(res.next_page_token, want.next_page_token);
        });
      }

      it("pages with MLflow's tokens: page 2 starts where page 1 stopped", async () => {
        const p1 = await store.searchRuns({ experiment_ids: ['1'], max_results: 5, order_by: ['attributes.start_time DESC'] });
        assert.equal(p1.next_page_token, 'eyJvZmZzZXQiOiA1fQ==');
        const p2 = await store.searchRuns({ experiment_ids: ['1'], max_results: 5, order_by: ['attributes.start_time DESC'], page_token: p1.next_page_token });
        assert.deepEqual(p2.runs, expected.runs('runs_search_page2_max5.json').runs);
      });

      it('rejects a bad filter like the server (INVALID_PARAMETER_VALUE)', async () => {
        const body = entry('error_runs_search_bad_filter_INVALID_PARAMETER_VALUE.json').request_body as never;
        await rejects(store.searchRuns(body), 'INVALID_PARAMETER_VALUE');
      });

      it('rejects max_results over 50,000 like MLflow', async () => {
        await rejects(store.searchRuns({ experiment_ids: ['1'], max_results: 50_001 }), 'INVALID_PARAMETER_VALUE', /at most 50000/);
      });

      it("a missing run is RESOURCE_DOES_NOT_EXIST with MLflow's message", async () => {
        const want = recorded<{ message: string }>('error_runs_get_bad_run_id_RESOURCE_DOES_NOT_EXIST.json');
        const err = await rejects(store.getRun('0123456789abcdef0123456789abcdef'), 'RESOURCE_DOES_NOT_EXIST');
        assert.equal(err.message, want.message);
      });

      it('searchExperiments equals experiments_search.json', async () => {
        const res = await store.searchExperiments({ max_results: 100 });
        assert.deepEqual(res, { experiments: expected.experiments('experiments_search.json').experiments, next_page_token: undefined });
      });

      it('searchExperiments with a tag filter equals experiments_search_filter_POST.json', async () => {
        const res = await store.searchExperiments({ max_results: 10, filter: "tags.team = 'vision'" });
        assert.deepEqual(res.experiments, expected.experiments('experiments_search_filter_POST.json').experiments);
      });

      it('searchExperiments ALL holds the same experiments as experiments_search_all_POST.json', async () => {
        const res = await store.searchExperiments({ view_type: 'ALL' });
        const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
        assert.deepEqual([...res.experiments].sort(byName), expected.experiments('experiments_search_all_POST.json').experiments.sort(byName));
      });

      for (const file of ['experiments_get.json', 'experiments_get_deleted.json']) {
        it(`getExperiment equals ${file}`, async () => {
          const e = await store.getExperiment(queryOf(file).get('experiment_id')!);
          assert.deepEqual(e, recorded<{ experiment: unknown }>(file).experiment);
        });
      }

      it('a missing experiment is RESOURCE_DOES_NOT_EXIST', async () => {
        await rejects(store.getExperiment('424242'), 'RESOURCE_DOES_NOT_EXIST');
      });

      for (const file of ['metrics_get_history_loss.json', 'metrics_get_history_grad_norm_with_nan.json']) {
        it(`getMetricHistory equals ${file}`, async () => {
          const q = queryOf(file);
          const points = await store.getMetricHistory(q.get('run_id')!, q.get('metric_key')!);
          assert.deepEqual(points, expected.metrics(file));
        });
      }

      it('a NaN point in the history is NaN, not 0', async () => {
        const points = await store.getMetricHistory(ids.runs['resnet18'], 'grad_norm');
        const nan = points.filter((p) => Number.isNaN(p.value));
        assert.deepEqual(
          nan.map((p) => p.step),
          [300],
        );
      });

      it('the history in full starts with the two recorded pages of 100', async () => {
        const q = queryOf('metrics_get_history_paged_max100.json');
        const points = await store.getMetricHistory(q.get('run_id')!, 'loss');
        const pages = [...expected.metrics('metrics_get_history_paged_max100.json'), ...expected.metrics('metrics_get_history_paged_max100_page2.json')];
        assert.deepEqual(points.slice(0, 200), pages);
        assert.ok(
          points.every((p, i) => i === 0 || points[i - 1].step <= p.step),
          'in step order',
        );
      });

      for (const file of recordingIndex()
        .filter((e) => e.status === 200 && e.url.includes('/artifacts/list?'))
        .map((e) => e.file)) {
        it(`listArtifacts equals ${file} (artifacts found next to the moved db)`, async () => {
          const q = queryOf(file);
          const files = await store.listArtifacts(q.get('run_id')!, q.get('path') ?? undefined);
          assert.deepEqual(files, recorded<{ files?: unknown[] }>(file).files ?? []);
        });
      }

      for (const file of ['get_artifact_text.txt', 'get_artifact_json.txt']) {
        it(`readArtifact returns the bytes of ${file}`, async () => {
          const q = queryOf(file);
          const bytes = await store.readArtifact(q.get('run_uuid')!, q.get('path')!);
          assert.deepEqual(Buffer.from(bytes), readFileSync(join(REST_SQLITE, file)));
        });
      }

      it('refuses artifact paths that leave the run (like the server\'s "Invalid path")', async () => {
        const q = queryOf('error_artifacts_list_path_traversal.json');
        await rejects(store.listArtifacts(q.get('run_id')!, q.get('path')!), 'INVALID_PARAMETER_VALUE', /Invalid path/);
        await rejects(store.readArtifact(q.get('run_id')!, '../../../mlflow.db'), 'INVALID_PARAMETER_VALUE');
      });

      it('reading a missing artifact is RESOURCE_DOES_NOT_EXIST', async () => {
        await rejects(store.readArtifact(ids.runs['resnet18'], 'notes/nope.txt'), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('searchLoggedModels equals logged_models_search.json', async () => {
        const res = await store.searchLoggedModels({ experiment_ids: ['2'] });
        assert.deepEqual(res.models, expected.loggedModels('logged_models_search.json'));
      });

      it('searchRegisteredModels equals registered_models_search.json (latest versions, tags, aliases)', async () => {
        const res = await store.searchRegisteredModels({ max_results: 100 });
        assert.deepEqual(res.registered_models, expected.registeredModels('registered_models_search.json'));
      });

      it('searchModelVersions equals model_versions_search.json', async () => {
        const res = await store.searchModelVersions({ filter: "name='iris-classifier'" });
        assert.deepEqual(res.model_versions, expected.modelVersions('model_versions_search.json'));
      });

      (backend === 'node:sqlite' ? it : it.skip)(
        'while a writer holds the lock: waits without blocking, then a clear "busy" error; after the commit, the new data',
        async function () {
          this.timeout(20_000);
          const copy = await editedCopy();
          const store = await openSqliteStore(copy.db, { backend });
          const Writer = (loadNodeSqlite() as unknown as { DatabaseSync: new (p: string) => { exec(sql: string): void; close(): void } }).DatabaseSync;
          const writer = new Writer(copy.db);
          try {
            const live = ids.runs['live-training'];
            writer.exec('BEGIN EXCLUSIVE');
            writer.exec(`UPDATE runs SET status = 'FINISHED' WHERE run_uuid = '${live}'`);
            let ticks = 0;
            const ticker = setInterval(() => ticks++, 50);
            try {
              await rejects(store.getRun(live), 'TEMPORARILY_UNAVAILABLE', /busy/);
            } finally {
              clearInterval(ticker);
            }
            assert.ok(ticks >= 10, `the event loop kept running while waiting (${ticks} ticks)`);
            // A writer that commits while we wait: the read succeeds with its data.
            const pending = store.getRun(live);
            setTimeout(() => writer.exec('COMMIT'), 400);
            assert.equal((await pending).info.status, 'FINISHED');
          } finally {
            writer.close();
            store.dispose();
            rmSync(copy.dir, { recursive: true, force: true });
          }
        },
      );

      it('sees a change to the file on the next read, and onDidChange names the changed run', async () => {
        const copy = await editedCopy();
        const store = await openSqliteStore(copy.db, { backend });
        const events: StoreChangeEvent[] = [];
        const sub = store.onDidChange((e) => events.push(e));
        try {
          const live = ids.runs['live-training'];
          assert.equal((await store.getRun(live)).info.status, 'RUNNING');
          await copy.edit([`UPDATE runs SET status = 'FINISHED', end_time = 1795185999999 WHERE run_uuid = '${live}'`]);
          assert.equal((await store.getRun(live)).info.status, 'FINISHED');
          const deadline = Date.now() + 8000;
          while (!events.some((e) => e.run_id === live) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
          assert.deepEqual(
            events.filter((e) => e.run_id),
            [{ experiment_id: '1', run_id: live }],
          );
        } finally {
          sub.dispose();
          store.dispose();
          rmSync(copy.dir, { recursive: true, force: true });
        }
      });
    });
}

// The child Node 24 run (MLFLOW_TEST_SQLITE_BACKEND set) repeats only the recorded comparisons.
(ONLY ? describe.skip : describe)('SQLite store: MLflow SQL-store semantics and robustness (sql.js)', () => {
  const copies: string[] = [];
  after(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("compares a NaN latest metric as 0 in filters and sorts it after numbers (as MLflow's SQL store)", async () => {
    // Deliberate: MLflow's SQL store filters on the stored value column, where NaN is 0.
    const copy = await editedCopy([`UPDATE latest_metrics SET value = 0, is_nan = 1 WHERE key = 'val_loss' AND run_uuid = '${ids.runs['resnet18']}'`]);
    copies.push(copy.dir);
    const store = await openSqliteStore(copy.db, { backend: 'sql.js' });
    try {
      const names = (runs: Run[]) => runs.map((r) => r.info.run_name);
      const below = await store.searchRuns({ experiment_ids: ['1'], filter: 'metrics.val_loss < 0.001' });
      assert.deepEqual(names(below.runs), ['resnet18']);
      const above = await store.searchRuns({ experiment_ids: ['1'], filter: 'metrics.val_loss > -1' });
      assert.ok(names(above.runs).includes('resnet18'));
      for (const dir of ['ASC', 'DESC']) {
        const sorted = await store.searchRuns({ experiment_ids: ['1'], order_by: [`metrics.val_loss ${dir}`] });
        const withMetric = sorted.runs.filter((r) => r.data.metrics?.some((m) => m.key === 'val_loss'));
        assert.equal(withMetric[withMetric.length - 1].info.run_name, 'resnet18', `NaN last among values (${dir})`);
        const missing = sorted.runs.findIndex((r) => !r.data.metrics?.some((m) => m.key === 'val_loss'));
        if (missing >= 0) assert.ok(missing > sorted.runs.findIndex((r) => r.info.run_name === 'resnet18'), 'runs without the metric after NaN');
      }
      const run = await store.getRun(ids.runs['resnet18']);
      assert.ok(Number.isNaN(run.data.metrics!.find((m) => m.key === 'val_loss')!.value));
    } finally {
      store.dispose();
    }
  });

  it('filters on dataset inputs (datasets.name, datasets.context) with and without SQL pushdown', async () => {
    for (const sqlPushdown of [true, false]) {
      const store = await openSqliteStore(DB_PATH, { backend: 'sql.js', sqlPushdown });
      try {
        const names = async (filter: string) => (await store.searchRuns({ experiment_ids: ['2'], filter })).runs.map((r) => r.info.run_name);
        assert.deepEqual(await names("datasets.name = 'iris-train'"), ['rf-1', 'logreg-0']);
        assert.deepEqual(await names("datasets.context = 'training' and params.C = '0.1'"), ['logreg-0']);
        assert.deepEqual(await names("datasets.name = 'other'"), []);
      } finally {
        store.dispose();
      }
    }
  });

  it('serves ±Infinity as MLflow stores and serves it: ±1.7976931348623157e308', async () => {
    const copy = await editedCopy([`UPDATE latest_metrics SET value = 1.7976931348623157e308 WHERE key = 'loss' AND run_uuid = '${ids.runs['resnet18']}'`]);
    copies.push(copy.dir);
    const store = await openSqliteStore(copy.db, { backend: 'sql.js' });
    try {
      const run = await store.getRun(ids.runs['resnet18']);
      assert.equal(run.data.metrics!.find((m) => m.key === 'loss')!.value, Number.MAX_VALUE);
    } finally {
      store.dispose();
    }
  });

  it('keeps reporting while a training script writes non-stop (debounced, never starved)', async function () {
    this.timeout(30_000);
    const copy = await editedCopy();
    copies.push(copy.dir);
    const store = await openSqliteStore(copy.db, { backend: 'sql.js' });
    const live = ids.runs['live-training'];
    const seen: number[] = [];
    const sub = store.onDidChange((e) => {
      if (e.run_id === live) seen.push(Date.now());
    });
    try {
      const stop = Date.now() + 3500;
      for (let step = 300; Date.now() < stop; step++) {
        await copy.edit([`UPDATE latest_metrics SET step = ${step}, value = ${1 / step} WHERE run_uuid = '${live}' AND key = 'loss'`]);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(seen.length >= 1 && seen[0] < stop, `an event arrived while writes went on (${seen.length})`);
    } finally {
      sub.dispose();
      store.dispose();
    }
  });

  it('a missing file, or an SQLite file that is not an MLflow store, is a clear MlflowError', async () => {
    await rejects(openSqliteStore(join(SQLITE_DIR, 'nope.db'), { backend: 'sql.js' }), 'RESOURCE_DOES_NOT_EXIST', /nope\.db/);
    const copy = await editedCopy(['DROP TABLE runs']);
    copies.push(copy.dir);
    await rejects(openSqliteStore(copy.db, { backend: 'sql.js' }), 'INVALID_STATE', /not an MLflow tracking store/);
  });

  it('a file that is not SQLite at all is a clear MlflowError, not a crash', async () => {
    await rejects(openSqliteStore(join(REST_SQLITE, 'runs_get_failed.json'), { backend: 'sql.js' }), 'INVALID_STATE', /runs_get_failed\.json/);
  });

  it('reads an older MLflow db without the logged-model and inputs tables', async () => {
    const copy = await editedCopy([
      'DROP TABLE logged_model_metrics',
      'DROP TABLE logged_model_params',
      'DROP TABLE logged_model_tags',
      'DROP TABLE logged_models',
      'DROP TABLE inputs',
      'DROP TABLE input_tags',
    ]);
    copies.push(copy.dir);
    const store = await openSqliteStore(copy.db, { backend: 'sql.js' });
    try {
      assert.deepEqual((await store.searchLoggedModels({ experiment_ids: ['2'] })).models, []);
      const run = await store.getRun(ids.runs['logreg-0']);
      assert.deepEqual(run.inputs, {});
      assert.equal(run.info.run_name, 'logreg-0');
    } finally {
      store.dispose();
    }
  });
});

// Under a Node without node:sqlite, run the node:sqlite suite above in Node 24 when it is installed.
const node24 = installedNode24();

if (!ONLY)
  (loadNodeSqlite() === null && node24 ? describe : describe.skip)('SQLite store under Node 24 (node:sqlite)', () => {
    it('passes the node:sqlite suite in a child Node 24 process', function () {
      this.timeout(120_000);
      const res = runSqliteSuiteInNode24(node24!, 'test/tracking/sqlite/sqliteStore.test.ts');
      assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
      assert.match(res.stdout, /passing/);
      assert.match(res.stdout, /\b(\d{2,}) passing/, 'the node:sqlite suite ran');
      assert.doesNotMatch(res.stdout, /failing/);
    });
  });
