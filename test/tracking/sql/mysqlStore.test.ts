/**
 * The database store over a real MariaDB (Debian `mariadb-server`, started here once for the
 * file): MLflow's schema (test/fixtures/sql-schema/mysql.sql) holding the rows of the
 * reference mlflow.db answers like the real server did, reads only, and fails clearly.
 */
import * as assert from 'node:assert/strict';
import { openTrackingStore } from '../../../src/tracking';
import { DatabaseTrackingStore } from '../../../src/tracking/sql/serverStore';
import type { TrackingStore } from '../../../src/tracking/types';
import { haveMariadb, loadMlflowDb, startMariadb, type SqlServer } from '../../helpers/sqlServers';
import { DB_PATH, SQLITE_DIR } from '../sqlite/fixtures';
import { recordedComparisons } from './recordedSuite';
import { badInputTests } from './badInput';
import { cancellationTests } from './cancellation';

(haveMariadb() ? describe : describe.skip)('Database store: MySQL on MariaDB (real server)', function () {
  this.timeout(60_000);
  let server: SqlServer;
  let store: TrackingStore;
  before(async function () {
    this.timeout(120_000);
    server = await startMariadb();
    await loadMlflowDb(server, 'mlflow_db', DB_PATH);
    store = await openTrackingStore(server.uri('mlflow_db'), { cwd: SQLITE_DIR });
  });
  after(async () => {
    store?.dispose();
    await server?.stop();
  });

  it('is a mysql store named without its password', () => {
    assert.equal(store.kind, 'mysql');
    assert.equal(store.displayName, `mysql+pymysql://mlflow:***@127.0.0.1:${server.port}/mlflow_db`);
    assert.ok(store instanceof DatabaseTrackingStore);
  });

  describe('vs. the real server over the same rows', () => recordedComparisons(() => store, true));

  it("compares strings case-sensitively, as MLflow's store does on MySQL (BINARY), though the collation ignores case", async () => {
    const names = async (filter: string) => (await store.searchRuns({ experiment_ids: ['1'], filter })).runs.map((r) => r.info.run_name).sort();
    const adam = await names("params.optimizer = 'adam'");
    assert.ok(adam.length > 0);
    assert.deepEqual(await names("params.optimizer = 'ADAM'"), []);
    assert.deepEqual(await names("params.OPTIMIZER = 'adam'"), []);
    assert.deepEqual(await names("attributes.status = 'finished'"), []);
    assert.equal((await names("params.optimizer != 'ADAM'")).length, (await names('params.optimizer IS NOT NULL')).length);
  });

  it("lists a run's params and tags in key order (InnoDB keeps no insertion order)", async () => {
    const { runs } = await store.searchRuns({ experiment_ids: ['1'], max_results: 3 });
    for (const run of runs) {
      for (const list of [run.data.params ?? [], run.data.tags ?? []]) {
        const keys = list.map((x) => x.key);
        assert.deepEqual(keys, [...keys].sort());
      }
    }
  });

  describe('cancellation', () => cancellationTests(() => server, 'mlflow_db'));

  describe('bad input', () =>
    badInputTests(
      () => server,
      () => store,
    ));
});
