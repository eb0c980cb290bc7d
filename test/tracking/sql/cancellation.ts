/**
 * Cancellation on a real database server: a read whose signal fires (a tree node collapsed, the
 * filter changed) rejects with CANCELLED at once, its statement stops on the server while the
 * table it waits for is still locked, and the pool serves the next reads.
 */
import * as assert from 'node:assert/strict';
import { DatabaseTrackingStore } from '../../../src/tracking/sql/serverStore';
import { isCancelled } from '../../../src/tracking/types';
import { DB_PASSWORD, DB_USER, type SqlServer } from '../../helpers/sqlServers';

/** A session of its own holding an exclusive lock on `runs`, so the store's reads of it wait. */
async function lockRuns(server: SqlServer, database: string): Promise<() => Promise<void>> {
  if (server.kind === 'postgresql') {
    const pg = require('pg') as typeof import('pg');
    const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: DB_USER, password: DB_PASSWORD, database });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE runs IN ACCESS EXCLUSIVE MODE');
    return async () => {
      await client.query('ROLLBACK');
      await client.end();
    };
  }
  const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: DB_USER, password: DB_PASSWORD, database });
  await conn.query('LOCK TABLES runs WRITE');
  return async () => {
    await conn.query('UNLOCK TABLES');
    conn.destroy();
  };
}

/** The store's statements the server is running now (waiting for the lock counts). */
async function runningReads(server: SqlServer): Promise<number> {
  const sql =
    server.kind === 'postgresql'
      ? "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'vscode-mlflow' AND state = 'active'"
      : "SELECT count(*) AS n FROM information_schema.processlist WHERE command = 'Query' AND id != CONNECTION_ID() AND info LIKE 'SELECT%'";
  const [[row]] = await server.admin(server.kind === 'postgresql' ? 'postgres' : 'mysql', [sql]);
  return Number(row.n);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function cancellationTests(server: () => SqlServer, database: string): void {
  it('a cancelled read stops its statement on the server, and the pool serves the next reads', async () => {
    const store = await DatabaseTrackingStore.open(server().uri(database), { poll: false, poolSize: 2 });
    const unlock = await lockRuns(server(), database);
    let locked = true;
    try {
      // More cancelled reads than the pool has connections: each one's connection must come back usable.
      for (let i = 0; i < 3; i++) {
        const controller = new AbortController();
        const search = store.searchRuns({ experiment_ids: ['1'] }, { signal: controller.signal });
        await until('the search waits on the server', async () => (await runningReads(server())) === 1);
        const started = Date.now();
        controller.abort();
        await assert.rejects(search, (e) => isCancelled(e));
        assert.ok(Date.now() - started < 1000, 'the caller is freed at once');
        // The lock is still held: only a cancel reaching the server ends the statement.
        await until('the server stopped the statement', async () => (await runningReads(server())) === 0);
      }
      // A signal that fired before the call: nothing is sent.
      const aborted = AbortSignal.abort();
      await assert.rejects(store.searchExperiments({}, { signal: aborted }), (e) => isCancelled(e));
      await unlock();
      locked = false;
      const { runs } = await store.searchRuns({ experiment_ids: ['1'] });
      assert.ok(runs.length > 0, 'the pool answers after the cancellations');
      const again = await Promise.all([1, 2, 3].map(() => store.searchRuns({ experiment_ids: ['1'] }, { signal: new AbortController().signal })));
      assert.deepEqual(
        again.map((r) => r.runs.length),
        [runs.length, runs.length, runs.length],
      );
    } finally {
      if (locked) await unlock();
      store.dispose();
    }
  });
}
