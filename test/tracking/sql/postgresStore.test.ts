/**
 * The database store over a real PostgreSQL (Debian `postgresql`, started here once for the
 * file): MLflow's schema (test/fixtures/sql-schema/postgresql.sql) holding the rows of the
 * reference mlflow.db answers like the real server did, reads only, and fails clearly.
 */
import * as assert from 'node:assert/strict';
import { openTrackingStore } from '../../../src/tracking';
import { DatabaseTrackingStore } from '../../../src/tracking/sql/serverStore';
import type { TrackingStore } from '../../../src/tracking/types';
import { havePostgres, loadMlflowDb, startPostgres, type SqlServer } from '../../helpers/sqlServers';
import { DB_PATH, SQLITE_DIR } from '../sqlite/fixtures';
import { recordedComparisons } from './recordedSuite';
import { badInputTests } from './badInput';

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

  describe('bad input', () => badInputTests(() => server, () => store));
});
