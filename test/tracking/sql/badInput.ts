/**
 * Bad input for a database server store, shared by the PostgreSQL and MySQL tests: a refused
 * port, a wrong password (named host, never the password), a database without MLflow's tables or
 * with a schema too old, writes refused by the read-only session, row counts unchanged, and the
 * server dying mid-query: each a clear MlflowError, never a crash or a hang.
 */
import * as assert from 'node:assert/strict';
import { openTrackingStore } from '../../../src/tracking';
import { MlflowError, type TrackingStore } from '../../../src/tracking/types';
import { DB_PASSWORD, freePort, rowCounts, type SqlServer } from '../../helpers/sqlServers';

async function openError(uri: string): Promise<MlflowError> {
  try {
    const store = await openTrackingStore(uri, { database: { connectTimeoutMs: 5000 } });
    store.dispose();
  } catch (e) {
    assert.ok(e instanceof MlflowError, `expected an MlflowError, got ${e}`);
    return e;
  }
  assert.fail('expected the store not to open');
}

export function badInputTests(server: () => SqlServer, store: () => TrackingStore): void {
  it('a refused port: a clear message naming host and port, not the password', async () => {
    const port = await freePort();
    const err = await openError(server().uri('mlflow_db').replace(`:${server().port}/`, `:${port}/`));
    assert.equal(err.error_code, 'TEMPORARILY_UNAVAILABLE');
    assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}: connection refused`));
    assert.ok(!err.message.includes(DB_PASSWORD));
  });

  it('a wrong password: PERMISSION_DENIED naming host and user, never the password', async () => {
    const wrong = 'not-the-Pa55word';
    const err = await openError(server().uri('mlflow_db', wrong));
    assert.equal(err.error_code, 'PERMISSION_DENIED', err.message);
    assert.match(err.message, new RegExp(`at 127\\.0\\.0\\.1:${server().port} refused user "mlflow"`));
    assert.ok(!err.message.includes(wrong) && !err.message.includes(DB_PASSWORD), err.message);
  });

  it('a database without MLflow tables: INVALID_STATE saying so', async () => {
    await server().createDatabase('not_mlflow');
    await server().admin('not_mlflow', ['CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(100))']);
    const err = await openError(server().uri('not_mlflow'));
    assert.equal(err.error_code, 'INVALID_STATE');
    assert.match(err.message, /has no MLflow tables/);
    assert.ok(!err.message.includes(DB_PASSWORD));
  });

  it('an MLflow schema too old to read: names its alembic version and `mlflow db upgrade`', async () => {
    await server().createDatabase('old_mlflow');
    await server().admin('old_mlflow', [
      'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)',
      "INSERT INTO alembic_version VALUES ('451aebb31d03')",
      'CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256))',
      'CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, experiment_id INTEGER)',
      'CREATE TABLE metrics (run_uuid VARCHAR(32), value FLOAT)',
      'CREATE TABLE params (run_uuid VARCHAR(32), value VARCHAR(250))',
      'CREATE TABLE tags (run_uuid VARCHAR(32), value VARCHAR(250))',
    ]);
    const err = await openError(server().uri('old_mlflow'));
    assert.equal(err.error_code, 'INVALID_STATE');
    assert.match(err.message, /schema version 451aebb31d03.*mlflow db upgrade/);
  });

  it("its session is read-only: a write through the store's own connection is refused", async () => {
    const db = (store() as unknown as { db: { all(sql: string): Promise<unknown> } }).db;
    await assert.rejects(db.all("UPDATE runs SET status = 'KILLED'"), /read.only|READ ONLY/i);
  });

  it('reading everything writes nothing (row counts before and after)', async () => {
    const before = await rowCounts(server(), 'mlflow_db');
    const s = store();
    const { experiments } = await s.searchExperiments({ view_type: 'ALL' });
    const { runs } = await s.searchRuns({ experiment_ids: experiments.map((e) => e.experiment_id), run_view_type: 'ALL' });
    for (const r of runs) await s.getRun(r.info.run_id);
    await s.searchRegisteredModels();
    assert.deepEqual(await rowCounts(server(), 'mlflow_db'), before);
    assert.ok(before.runs > 20 && before.metrics > 10_000, JSON.stringify(before));
  });

  // Last: the server is gone afterwards.
  it('the server dying mid-query: a clear "connection lost" error, no crash, and none later either', async () => {
    server().pause();
    const pending = store().searchRuns({ experiment_ids: ['1', '2'], run_view_type: 'ALL', filter: "params.optimizer LIKE '%a%'" });
    await new Promise((r) => setTimeout(r, 300));
    server().kill();
    const err = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof MlflowError, `expected an MlflowError, got ${err}`);
    assert.equal(err.error_code, 'TEMPORARILY_UNAVAILABLE', err.message);
    assert.match(err.message, /lost|connect/i);
    await new Promise((r) => setTimeout(r, 300));
    const later = store().getRun('0123456789abcdef0123456789abcdef');
    await assert.rejects(later, (e: unknown) => e instanceof MlflowError && e.error_code === 'TEMPORARILY_UNAVAILABLE');
  });
}
