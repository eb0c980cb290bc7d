/**
 * Reading mlflow.db while another process (Python's sqlite3, as MLflow writes it) holds an
 * uncommitted EXCLUSIVE write in rollback-journal mode, with changed pages already in the file:
 * the store never shows the uncommitted data, on both readers. sql.js plays the journal back;
 * node:sqlite waits for the lock, then says the database is being written. Under Node 20 the
 * node:sqlite half runs in a child Node 24, as in sqliteStore.test.ts.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadNodeSqlite, openSqliteStore, type BackendName, type SqliteTrackingStore } from '../../../src/tracking/sqlite';
import { MlflowError } from '../../../src/tracking/types';
import { installedNode24, runSqliteSuiteInNode24 } from '../../helpers/node24';
import { editedCopy } from './fixtures';

const ONLY = process.env.MLFLOW_TEST_SQLITE_BACKEND as BackendName | undefined;

/** Holds `BEGIN EXCLUSIVE` with every run KILLED and renamed, and enough new pages that the cache spills into the file. */
const WRITER = `
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute('PRAGMA journal_mode=DELETE')
con.execute('PRAGMA cache_size=5')
con.execute('BEGIN EXCLUSIVE')
con.execute("UPDATE runs SET status = 'KILLED', name = 'uncommitted-' || name")
con.execute('CREATE TABLE filler (x)')
con.execute('INSERT INTO filler SELECT randomblob(3000) FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400) SELECT i FROM c)')
print('holding', flush=True)
end = sys.stdin.readline().strip()
con.execute(end)
print('done', flush=True)
sys.stdin.readline()
`;

function startWriter(db: string): Promise<{ child: ChildProcess; finish(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> }> {
  const child = spawn('python3', ['-c', WRITER, db], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waitFor = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.includes(word)) resolve();
        else if (child.exitCode !== null) reject(new Error(`writer exited: ${err}`));
        else setTimeout(check, 20);
      };
      check();
    });
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return waitFor('holding').then(() => ({
    child,
    finish: async (statement) => {
      child.stdin!.write(`${statement}\n`);
      await waitFor('done');
    },
  }));
}

const backends: BackendName[] = (['sql.js', 'node:sqlite'] as BackendName[]).filter((b) => !ONLY || b === ONLY);

for (const backend of backends) {
  const available = backend === 'sql.js' || loadNodeSqlite() !== null;
  if (ONLY || available)
    (available ? describe : describe.skip)(`SQLite store (${backend}) while MLflow holds an uncommitted write`, function () {
      this.timeout(60_000);

      for (const ending of ['ROLLBACK', 'COMMIT'] as const) {
        it(`never shows the uncommitted data; after ${ending}, the committed state`, async () => {
          const copy = await editedCopy();
          const original = await openSqliteStore(copy.db, { backend });
          const before = (await original.searchRuns({ experiment_ids: ['1'], max_results: 1000 })).runs;
          original.dispose();
          const someRun = before.find((r) => (r.data.metrics?.length ?? 0) > 0)!;
          const key = someRun.data.metrics![0].key;
          const history = await (async () => {
            const s = await openSqliteStore(copy.db, { backend });
            try {
              return await s.getMetricHistory(someRun.info.run_id, key);
            } finally {
              s.dispose();
            }
          })();
          const writer = await startWriter(copy.db);
          // Opening may itself meet the lock (node:sqlite reads the schema): a clear error then.
          const store: SqliteTrackingStore | MlflowError = await openSqliteStore(copy.db, { backend }).catch((e: unknown) => {
            if (e instanceof MlflowError) return e;
            throw e;
          });
          try {
            // The scenario is real: a journal, and uncommitted pages already in the file.
            assert.ok(existsSync(`${copy.db}-journal`), 'the writer has a journal');
            assert.ok(readFileSync(copy.db).includes('uncommitted-'), 'uncommitted pages are in the file');
            const s = store;
            const reads: [string, () => Promise<unknown>][] =
              s instanceof MlflowError
                ? []
                : [
                    ['searchRuns', async () => (await s.searchRuns({ experiment_ids: ['1'], max_results: 1000 })).runs],
                    ['getRun', () => s.getRun(someRun.info.run_id)],
                    ['getMetricHistory', () => s.getMetricHistory(someRun.info.run_id, key)],
                  ];
            if (store instanceof MlflowError) {
              assert.equal(store.error_code, 'TEMPORARILY_UNAVAILABLE', store.message);
              assert.match(store.message, /being written/);
            }
            for (const [name, read] of reads) {
              try {
                const result = await read();
                // sql.js: the committed state, played back from the journal.
                if (name === 'searchRuns') assert.deepEqual(result, before);
                if (name === 'getRun')
                  assert.deepEqual(
                    result,
                    before.find((r) => r.info.run_id === someRun.info.run_id),
                  );
                if (name === 'getMetricHistory') assert.deepEqual(result, history);
              } catch (e) {
                // node:sqlite: the lock is held; after waiting, a clear "being written" (never uncommitted data).
                assert.ok(e instanceof MlflowError, `${name}: ${(e as Error)?.stack ?? e}`);
                assert.equal(e.error_code, 'TEMPORARILY_UNAVAILABLE', `${name}: ${e.message}`);
                assert.match(e.message, /being written/);
                assert.equal(backend, 'node:sqlite', `${name} failed on sql.js: ${e.message}`);
              }
            }
            await writer.finish(ending);
            const after = await openSqliteStore(copy.db, { backend });
            const reused: SqliteTrackingStore = store instanceof MlflowError ? after : store;
            try {
              for (const s of [after, reused]) {
                const runs = (await s.searchRuns({ experiment_ids: ['1'], max_results: 1000 })).runs;
                if (ending === 'ROLLBACK') assert.deepEqual(runs, before);
                else {
                  assert.ok(
                    runs.every((r) => r.info.status === 'KILLED' && r.info.run_name?.startsWith('uncommitted-')),
                    'the committed write is seen',
                  );
                  assert.deepEqual(await s.getMetricHistory(someRun.info.run_id, key), history);
                }
              }
            } finally {
              after.dispose();
            }
          } finally {
            if (!(store instanceof MlflowError)) store.dispose();
            writer.child.kill();
            rmSync(copy.dir, { recursive: true, force: true });
          }
        });
      }
    });
}

// Under a Node without node:sqlite, run the node:sqlite half in Node 24 when it is installed.
const node24 = installedNode24();
if (!ONLY)
  (loadNodeSqlite() === null && node24 ? describe : describe.skip)('SQLite store while MLflow writes, under Node 24 (node:sqlite)', () => {
    it('passes the node:sqlite half in a child Node 24 process', function () {
      this.timeout(180_000);
      const res = runSqliteSuiteInNode24(node24!, 'test/tracking/sqlite/concurrentWriter.test.ts');
      assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
      assert.match(res.stdout, /\b2 passing/);
      assert.doesNotMatch(res.stdout, /failing|pending/);
    });
  });
