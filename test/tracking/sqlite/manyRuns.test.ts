/**
 * Run search over a generated store of 1,500 runs (more than one SQL chunk of candidates),
 * checked against the SQL MLflow's SQL store runs for the same search (an independent oracle:
 * joins on latest_metrics/params, NaN sorted after values and missing keys last, ties by
 * start_time DESC then run_uuid), paging through every page.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNodeSqlite, openSqliteStore, type BackendName, type SqliteTrackingStore } from '../../../src/tracking/sqlite';
import type { SearchRunsRequest } from '../../../src/tracking/types';
import { generateMlflowDb } from '../../helpers/generateMlflowDb';

interface OracleDb {
  exec(sql: string): { values: unknown[][] }[];
  close(): void;
}

const CASES: { req: Omit<SearchRunsRequest, 'experiment_ids'>; sql: string }[] = [
  {
    req: { filter: "metrics.accuracy > 0.5 and params.optimizer = 'adam'", order_by: ['metrics.loss ASC'] },
    sql: `SELECT r.run_uuid FROM runs r
      JOIN latest_metrics a ON a.run_uuid = r.run_uuid AND a.key = 'accuracy' AND a.value > 0.5
      JOIN params p ON p.run_uuid = r.run_uuid AND p.key = 'optimizer' AND p.value = 'adam'
      LEFT JOIN latest_metrics o ON o.run_uuid = r.run_uuid AND o.key = 'loss'
      WHERE r.experiment_id IN (1, 2) AND r.lifecycle_stage = 'active'
      ORDER BY CASE WHEN o.is_nan = 1 THEN 1 WHEN o.value IS NULL THEN 2 ELSE 0 END, o.value ASC, r.start_time DESC, r.run_uuid`,
  },
  {
    req: { order_by: ['metrics.val_loss DESC'] },
    sql: `SELECT r.run_uuid FROM runs r
      LEFT JOIN latest_metrics o ON o.run_uuid = r.run_uuid AND o.key = 'val_loss'
      WHERE r.experiment_id IN (1, 2) AND r.lifecycle_stage = 'active'
      ORDER BY CASE WHEN o.is_nan = 1 THEN 1 WHEN o.value IS NULL THEN 2 ELSE 0 END, o.value DESC, r.start_time DESC, r.run_uuid`,
  },
  {
    req: { filter: "metrics.val_loss < 0.3 and tags.team = 'vision'", order_by: ['metrics.f1 ASC', 'params.lr DESC'] },
    sql: `SELECT r.run_uuid FROM runs r
      JOIN latest_metrics v ON v.run_uuid = r.run_uuid AND v.key = 'val_loss' AND v.value < 0.3
      JOIN tags t ON t.run_uuid = r.run_uuid AND t.key = 'team' AND t.value = 'vision'
      LEFT JOIN latest_metrics o ON o.run_uuid = r.run_uuid AND o.key = 'f1'
      LEFT JOIN params l ON l.run_uuid = r.run_uuid AND l.key = 'lr'
      WHERE r.experiment_id IN (1, 2) AND r.lifecycle_stage = 'active'
      ORDER BY CASE WHEN o.is_nan = 1 THEN 1 WHEN o.value IS NULL THEN 2 ELSE 0 END, o.value ASC,
               CASE WHEN l.value IS NULL THEN 1 ELSE 0 END, l.value DESC, r.start_time DESC, r.run_uuid`,
  },
  {
    // RUNNING runs have no end_time: SQLite sorts NULL first ascending.
    req: { filter: "params.batch_size = '32' and attributes.status != 'KILLED'", order_by: ['attributes.end_time ASC'] },
    sql: `SELECT r.run_uuid FROM runs r
      JOIN params p ON p.run_uuid = r.run_uuid AND p.key = 'batch_size' AND p.value = '32'
      WHERE r.experiment_id IN (1, 2) AND r.lifecycle_stage = 'active' AND r.status != 'KILLED'
      ORDER BY r.end_time ASC, r.start_time DESC, r.run_uuid`,
  },
  {
    // LIKE is left to the search module (SQL only narrows to runs that have the tag).
    req: { filter: "tags.mlflow.runName LIKE 'run-1%' and metrics.f1 >= 0.2", order_by: ['params.optimizer ASC', 'metrics.accuracy DESC'] },
    sql: `SELECT r.run_uuid FROM runs r
      JOIN tags t ON t.run_uuid = r.run_uuid AND t.key = 'mlflow.runName' AND t.value GLOB 'run-1*'
      JOIN latest_metrics f ON f.run_uuid = r.run_uuid AND f.key = 'f1' AND f.value >= 0.2
      LEFT JOIN params o ON o.run_uuid = r.run_uuid AND o.key = 'optimizer'
      LEFT JOIN latest_metrics a ON a.run_uuid = r.run_uuid AND a.key = 'accuracy'
      WHERE r.experiment_id IN (1, 2) AND r.lifecycle_stage = 'active'
      ORDER BY CASE WHEN o.value IS NULL THEN 1 ELSE 0 END, o.value ASC,
               CASE WHEN a.is_nan = 1 THEN 1 WHEN a.value IS NULL THEN 2 ELSE 0 END, a.value DESC, r.start_time DESC, r.run_uuid`,
  },
  {
    req: { filter: "params.lr = '0.01'", order_by: ['attributes.start_time ASC'] },
    sql: `SELECT r.run_uuid FROM runs r
      JOIN params p ON p.run_uuid = r.run_uuid AND p.key = 'lr' AND p.value = '0.01'
      WHERE r.experiment_id IN (1, 2) AND r.lifecycle_stage = 'active'
      ORDER BY r.start_time ASC, r.run_uuid`,
  },
];

describe("SQLite store: searching 1,500 generated runs matches MLflow's SQL", () => {
  let dir: string;
  let db: string;
  let oracle: OracleDb;
  before(async function () {
    this.timeout(60_000);
    dir = mkdtempSync(join(tmpdir(), 'mlflow-many-'));
    db = join(dir, 'mlflow.db');
    await generateMlflowDb(db, { runs: 1500, historySteps: 3 });
    const init = require('sql.js') as (c: object) => Promise<{ Database: new (d: Uint8Array) => OracleDb }>;
    const SQL = await init({ locateFile: (f: string) => require.resolve(`sql.js/dist/${f}`) });
    oracle = new SQL.Database(readFileSync(db));
  });
  after(() => {
    oracle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const backends: BackendName[] = loadNodeSqlite() ? ['sql.js', 'node:sqlite'] : ['sql.js'];
  const variants = backends.flatMap((backend) => [
    { backend, sqlPushdown: true },
    { backend, sqlPushdown: false },
  ]);
  for (const { backend, sqlPushdown } of variants) {
    describe(`${backend}, ${sqlPushdown ? 'SQL filters, sorts and pages' : 'the search module filters and sorts'}`, () => {
      let store: SqliteTrackingStore;
      before(async () => {
        store = await openSqliteStore(db, { backend, sqlPushdown });
      });
      after(() => store.dispose());

      for (const c of CASES) {
        it(`${c.req.filter ?? '(no filter)'} ORDER BY ${c.req.order_by?.join(', ')}: every page`, async () => {
          const want = oracle.exec(c.sql)[0].values.map((r) => String(r[0]));
          assert.ok(want.length > 100, `the case selects enough runs (${want.length})`);
          const got: string[] = [];
          let token: string | undefined;
          do {
            const res = await store.searchRuns({ experiment_ids: ['1', '2'], max_results: 77, page_token: token, ...c.req });
            got.push(...res.runs.map((r) => r.info.run_id));
            token = res.next_page_token;
          } while (token);
          assert.deepEqual(got, want);
        });
      }
    });
  }
});
