/**
 * `openTrackingStore`: URI routing as MLflow does it, and the three stores reading the same
 * reference data identically: each local store (file, SQLite) against the REST store talking to
 * a recorded real server over that same store, and the three sources against each other.
 */
import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MlflowError, openTrackingStore, parseTrackingUri, type Run, type TrackingStore } from '../../src/tracking';
import { startRecordedServer, type RecordedServer } from '../helpers/recordedMlflowServer';
import { DB_PATH, FIXTURES, recordingIndex } from './sqlite/fixtures';

const FILE_ROOT = join(FIXTURES, 'file-store', 'mlruns');
const REST_FILE = join(FIXTURES, 'rest-file-store');
const REST_SQLITE = join(FIXTURES, 'rest-sqlite-store');

function expectError(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof MlflowError && e.error_code === code && message.test(e.message));
}

describe('parseTrackingUri / openTrackingStore: routing by URI, as MLflow', () => {
  const cwd = '/work/project';
  const cases: [string, ReturnType<typeof parseTrackingUri>][] = [
    ['/data/mlruns', { kind: 'file', path: '/data/mlruns' }],
    ['mlruns', { kind: 'file', path: '/work/project/mlruns' }],
    ['./runs/mlruns', { kind: 'file', path: '/work/project/runs/mlruns' }],
    ['file:///data/my%20runs', { kind: 'file', path: '/data/my runs' }],
    ['file:mlruns', { kind: 'file', path: '/work/project/mlruns' }],
    ['sqlite:///mlflow.db', { kind: 'sqlite', path: '/work/project/mlflow.db' }],
    ['sqlite:////abs/dir/mlflow.db', { kind: 'sqlite', path: '/abs/dir/mlflow.db' }],
    ['sqlite:///sub/mlflow.db?timeout=20', { kind: 'sqlite', path: '/work/project/sub/mlflow.db' }],
    ['http://127.0.0.1:5000', { kind: 'rest', url: 'http://127.0.0.1:5000' }],
    ['https://mlflow.example.com/prefix/', { kind: 'rest', url: 'https://mlflow.example.com/prefix/' }],
    ['  HTTPS://Host:8443  ', { kind: 'rest', url: 'HTTPS://Host:8443' }],
    ['postgresql://u:p@db/mlflow', { kind: 'database', uri: 'postgresql://u:p@db/mlflow' }],
    ['postgresql+psycopg2://db_user:123@localhost/mlflow_db', { kind: 'database', uri: 'postgresql+psycopg2://db_user:123@localhost/mlflow_db' }],
    ['mysql+pymysql://db/mlflow?charset=utf8mb4', { kind: 'database', uri: 'mysql+pymysql://db/mlflow?charset=utf8mb4' }],
  ];
  for (const [uri, want] of cases) {
    it(`${JSON.stringify(uri)} → ${want.kind}`, () => assert.deepEqual(parseTrackingUri(uri, cwd), want));
  }

  it('databricks[://profile] → the workspace (see databricks.test.ts); databricks-uc → a clear error', () => {
    assert.deepEqual(parseTrackingUri('databricks://my-profile', cwd), { kind: 'databricks', profile: 'my-profile' });
    expectError(() => parseTrackingUri('databricks-uc', cwd), 'INVALID_PARAMETER_VALUE', /registry URI/);
  });

  it('other databases and schemes say what to do instead', () => {
    expectError(() => parseTrackingUri('mssql+pyodbc://u:p@db/mlflow', cwd), 'NOT_IMPLEMENTED', /mlflow server --backend-store-uri/);
    expectError(() => parseTrackingUri('postgresql://u:p@db', cwd), 'INVALID_PARAMETER_VALUE', /names no database/);
    expectError(() => parseTrackingUri('mysql+odbc://db/mlflow', cwd), 'INVALID_PARAMETER_VALUE', /Unknown mysql driver "\+odbc"/);
    expectError(() => parseTrackingUri('s3://bucket/mlruns', cwd), 'NOT_IMPLEMENTED', /s3:/);
    expectError(() => parseTrackingUri('', cwd), 'INVALID_PARAMETER_VALUE', /empty/);
    expectError(() => parseTrackingUri('sqlite://', cwd), 'INVALID_PARAMETER_VALUE', /sqlite:\/\/\/path/);
  });

  it('never echoes a database password', () => {
    try {
      parseTrackingUri('postgresql+nope://user:hunter2@db/mlflow', cwd);
      assert.fail('expected an error');
    } catch (e) {
      assert.doesNotMatch((e as Error).message, /hunter2/);
    }
  });

  it('opens each kind of store', async () => {
    const server = await startRecordedServer({ dir: REST_SQLITE });
    const stores: TrackingStore[] = [];
    try {
      stores.push(await openTrackingStore(FILE_ROOT));
      stores.push(await openTrackingStore(pathToFileURL(FILE_ROOT).href));
      stores.push(await openTrackingStore(`sqlite:///${DB_PATH}`)); // sqlite:////abs/path
      stores.push(await openTrackingStore('sqlite:///mlflow.db', { cwd: join(FIXTURES, 'sqlite-store') }));
      stores.push(await openTrackingStore(server.url));
      assert.deepEqual(
        stores.map((s) => s.kind),
        ['file', 'file', 'sqlite', 'sqlite', 'rest'],
      );
      assert.equal(stores[3].displayName, resolve(DB_PATH));
      assert.equal(stores[4].displayName, server.url);
    } finally {
      stores.forEach((s) => s.dispose());
      await server.close();
    }
  });

  it('a missing SQLite file is a clear error', async () => {
    await assert.rejects(openTrackingStore('sqlite:////no/such/dir/mlflow.db'), (e: unknown) => e instanceof MlflowError && /no\/such\/dir/.test(e.message));
  });
});

/** Every recorded successful call that the TrackingStore interface can make, as a store call. */
function recordedCalls(dir: string): { name: string; call: (s: TrackingStore) => Promise<unknown> }[] {
  const calls: { name: string; call: (s: TrackingStore) => Promise<unknown> }[] = [];
  for (const e of recordingIndex(dir).filter((x) => x.status === 200)) {
    const url = new URL(e.url);
    const q = url.searchParams;
    const body = e.request_body as Record<string, unknown> | null;
    const path = url.pathname;
    const add = (call: (s: TrackingStore) => Promise<unknown>) => calls.push({ name: e.file, call });
    if (path.endsWith('/api/2.0/mlflow/runs/get')) add((s) => s.getRun(q.get('run_id')!));
    else if (path.endsWith('/api/2.0/mlflow/runs/search')) add((s) => s.searchRuns(body as never));
    else if (path.endsWith('/api/2.0/mlflow/metrics/get-history') && q.get('max_results') === '25000')
      add((s) => s.getMetricHistory(q.get('run_id')!, q.get('metric_key')!));
    else if (path.endsWith('/api/2.0/mlflow/artifacts/list')) add((s) => s.listArtifacts(q.get('run_id')!, q.get('path') ?? undefined));
    else if (path === '/get-artifact') add(async (s) => Buffer.from(await s.readArtifact(q.get('run_uuid')!, q.get('path')!)).toString('utf8'));
    else if (path.endsWith('/api/2.0/mlflow/experiments/search') && e.method === 'GET')
      add((s) => s.searchExperiments({ max_results: Number(q.get('max_results')) }));
    else if (path.endsWith('/api/2.0/mlflow/experiments/get')) add((s) => s.getExperiment(q.get('experiment_id')!));
    else if (path.endsWith('/api/2.0/mlflow/logged-models/search')) add((s) => s.searchLoggedModels(body as never));
    else if (path.endsWith('/api/2.0/mlflow/registered-models/search')) add((s) => s.searchRegisteredModels({ max_results: Number(q.get('max_results')) }));
    else if (path.endsWith('/api/2.0/mlflow/model-versions/search')) add((s) => s.searchModelVersions({ filter: q.get('filter') ?? undefined }));
  }
  return calls;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The documented differences between a local file store and its server, undone:
 * - the file store reports artifact URIs inside the folder it opened, the server the folder
 *   MLflow wrote to (`file:///home/ana/projects/mnist/mlruns`);
 * - the server lists a run's params, tags and latest metrics in directory order (file-system
 *   dependent); the file store sorts them by key. Both sides are sorted by key.
 */
function normaliseFileStore(value: unknown): unknown {
  const here = pathToFileURL(FILE_ROOT).href;
  const written = 'file:///home/ana/projects/mnist/mlruns';
  return JSON.parse(
    JSON.stringify(value, (key, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return `#${v}`;
      if (typeof v === 'string' && v.startsWith(here)) return written + v.slice(here.length);
      if ((key === 'params' || key === 'tags' || key === 'metrics') && Array.isArray(v) && !isHistory(v)) return [...v].sort(byKey);
      return v;
    }),
  );
}

function isHistory(a: { key: string }[]): boolean {
  return a.length > 1 && a.every((m) => m.key === a[0].key);
}

/** NaN survives a deep comparison only as a number; JSON would turn it into null. */
function exact(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `#${v}` : v)));
}

describe('openTrackingStore reads the reference data from all three sources identically', () => {
  const pairs = [
    { title: 'file store vs. REST over the recorded file-store server', local: () => openTrackingStore(FILE_ROOT), dir: REST_FILE, norm: normaliseFileStore },
    { title: 'SQLite store vs. REST over the recorded SQLite server', local: () => openTrackingStore(`sqlite:///${DB_PATH}`), dir: REST_SQLITE, norm: exact },
  ];
  for (const pair of pairs) {
    describe(pair.title, () => {
      let server: RecordedServer;
      let local: TrackingStore;
      let remote: TrackingStore;
      before(async () => {
        server = await startRecordedServer({ dir: pair.dir });
        local = await pair.local();
        remote = await openTrackingStore(server.url);
      });
      after(async () => {
        local.dispose();
        remote.dispose();
        await server.close();
      });
      for (const { name, call } of recordedCalls(pair.dir)) {
        it(name, async () => {
          assert.deepEqual(pair.norm(await call(local)), pair.norm(await call(remote)));
        });
      }
    });
  }

  describe('the three sources hold the same runs (compared by run name)', () => {
    /**
     * The file and SQLite stores were written by two runs of the same generator: ids and
     * wall-clock times differ, and so do the stores' documented quirks (the file store's metrics
     * carry run_id; MLflow's SQL `runs/search` omits model inputs). What must agree: every run's
     * name, status, lifecycle, user, params, tags, latest metric values and steps, datasets.
     */
    function content(runs: Run[]): Record<string, unknown> {
      const names = new Map(runs.map((r) => [r.info.run_id, r.info.run_name]));
      const swap = (v: string) => names.get(v) ?? v;
      const out: Record<string, unknown> = {};
      for (const r of runs) {
        out[r.info.run_name!] = exact({
          status: r.info.status,
          lifecycle_stage: r.info.lifecycle_stage,
          user_id: r.info.user_id,
          ran: r.info.end_time === undefined ? 'open' : 'ended',
          params: [...(r.data.params ?? [])].sort(byKey),
          tags: [...(r.data.tags ?? [])]
            .filter((t) => t.key !== 'mlflow.log-model.history')
            .map((t) => ({ key: t.key, value: swap(t.value) }))
            .sort(byKey),
          metrics: [...(r.data.metrics ?? [])].map((m) => ({ key: m.key, value: m.value, step: m.step })).sort(byKey),
          datasets: r.inputs?.dataset_inputs ?? [],
        });
      }
      return out;
    }

    it('file, SQLite, REST(file) and REST(SQLite) agree on every run of both experiments', async () => {
      const fileServer = await startRecordedServer({ dir: REST_FILE });
      const sqliteServer = await startRecordedServer({ dir: REST_SQLITE });
      const stores: TrackingStore[] = [];
      try {
        const file = await openTrackingStore(FILE_ROOT);
        const sqlite = await openTrackingStore(`sqlite:///${DB_PATH}`);
        const restFile = await openTrackingStore(fileServer.url);
        const restSqlite = await openTrackingStore(sqliteServer.url);
        stores.push(file, sqlite, restFile, restSqlite);
        const req = (dir: string) => recordingIndex(dir).find((e) => e.file === 'runs_search_all_experiments_view_all.json')!.request_body as never;
        const all = [
          await file.searchRuns(req(REST_FILE)),
          await restFile.searchRuns(req(REST_FILE)),
          await sqlite.searchRuns(req(REST_SQLITE)),
          await restSqlite.searchRuns(req(REST_SQLITE)),
        ].map((res) => content(res.runs));
        assert.equal(Object.keys(all[0]).length, 23);
        for (const other of all.slice(1)) assert.deepEqual(other, all[0]);
      } finally {
        stores.forEach((s) => s.dispose());
        await fileServer.close();
        await sqliteServer.close();
      }
    });
  });
});
