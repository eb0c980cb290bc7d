/**
 * The database store over a real PostgreSQL (Debian `postgresql`, started here once for the
 * file): MLflow's schema (test/fixtures/sql-schema/postgresql.sql) holding the rows of the
 * reference mlflow.db answers like the real server did, reads only, and fails clearly.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openTrackingStore } from '../../../src/tracking';
import { DatabaseTrackingStore } from '../../../src/tracking/sql/serverStore';
import type { StoreChangeEvent, TrackingStore } from '../../../src/tracking/types';
import { havePostgres, loadMlflowDb, startPostgres, type SqlServer } from '../../helpers/sqlServers';
import { DB_PATH, SQLITE_DIR } from '../sqlite/fixtures';
import { recordedComparisons } from './recordedSuite';
import { badInputTests } from './badInput';
import { cancellationTests } from './cancellation';

(havePostgres() ? describe : describe.skip)('Database store: PostgreSQL (real server)', function () {
  this.timeout(60_000);
  let server: SqlServer;
  let store: TrackingStore;
  before(async function () {
    this.timeout(120_000);
    server = await startPostgres();
    await loadMlflowDb(server, 'mlflow_db', DB_PATH);
    store = await openTrackingStore(server.uri('mlflow_db').replace('postgresql://', 'postgresql+psycopg2://'), { cwd: SQLITE_DIR });
  });
  after(async () => {
    store?.dispose();
    await server?.stop();
  });

  it('is a postgresql store named without its password', () => {
    assert.equal(store.kind, 'postgresql');
    assert.equal(store.displayName, `postgresql+psycopg2://mlflow:***@127.0.0.1:${server.port}/mlflow_db`);
    assert.ok(store instanceof DatabaseTrackingStore);
  });

  describe('vs. the real server over the same rows', () => recordedComparisons(() => store, false));

  // A describe of its own: mocha runs a suite's own tests before its nested suites, and this one writes.
  describe('live refresh', () =>
    it('onDidChange polls and names the run that changed (a status set by another client)', async () => {
      const ids = JSON.parse(readFileSync(join(SQLITE_DIR, 'reference_ids.sqlite.json'), 'utf8')) as { runs: Record<string, string> };
      const live = ids.runs['live-training'];
      const watched = await DatabaseTrackingStore.open(server.uri('mlflow_db'), { pollIntervalMs: 150 });
      const events: StoreChangeEvent[] = [];
      const sub = watched.onDidChange((e) => events.push(e));
      try {
        await new Promise((r) => setTimeout(r, 400));
        await server.admin('mlflow_db', [`UPDATE runs SET status = 'FINISHED', end_time = 1795185999999 WHERE run_uuid = '${live}'`]);
        const deadline = Date.now() + 5000;
        while (!events.some((e) => e.run_id === live) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(events, [{ experiment_id: '1', run_id: live }]);
        assert.equal((await watched.getRun(live)).info.status, 'FINISHED');
      } finally {
        sub.dispose();
        watched.dispose();
      }
    }));

  describe('cancellation', () => cancellationTests(() => server, 'mlflow_db'));

  describe('bad input', () =>
    badInputTests(
      () => server,
      () => store,
    ));
});
