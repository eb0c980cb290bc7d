/**
 * SQLite store on a generated 10,000-run `mlflow.db` (MLflow's schema; cached in bench/.data/):
 * the first page of 100 runs (default order), and a filtered search (a latest metric and a param,
 * ordered by another metric, first page of 100). Each figure is the median of several runs and is
 * printed with its ratio to the floor: the same answer fetched by one hand-written SQL query plus
 * the page's rows, through the same SQLite reader.
 * Human lines on stderr; the last stdout line is one JSON object.
 * Runs the reader this Node has (sql.js on Node 20) and, when available, node:sqlite in Node 24.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openBackend, type SqlBackend } from '../src/tracking/sqlite/backend';
import { loadNodeSqlite, openSqliteStore } from '../src/tracking/sqlite';
import { generateMlflowDb } from '../test/helpers/generateMlflowDb';
import { installedNode24 } from '../test/helpers/node24';
import { timePair } from './timing';

const RUNS = 10_000;
const DATA = join(__dirname, '.data');
const DB = join(DATA, `mlflow-${RUNS}.db`);
const FILTER = "metrics.accuracy > 0.9 and params.optimizer = 'adam'";
const ORDER = ['metrics.loss ASC'];
/** LIKE is not translated to SQL: SQL sorts and narrows, the search module tests the rest. */
const LIKE_FILTER = "tags.mlflow.runName LIKE 'run-1%' and metrics.accuracy > 0.5";

const log = (s: string) => process.stderr.write(`${s}\n`);

/** The page's runs with their data, as few plain queries as possible: the floor for a page. */
function rawPage(db: SqlBackend, idsSql: string, params: (string | number)[]): number {
  const ids = db.all(idsSql, params).map((r) => String(r.run_uuid));
  const list = ids.map(() => '?').join(', ');
  let n = 0;
  for (const table of ['latest_metrics', 'params', 'tags']) n += db.all(`SELECT * FROM ${table} WHERE run_uuid IN (${list})`, ids).length;
  return n + ids.length;
}

async function measure(backend: 'sql.js' | 'node:sqlite'): Promise<Record<string, number>> {
  const openStart = performance.now();
  const store = await openSqliteStore(DB, { backend });
  const openMs = performance.now() - openStart;
  const raw = await openBackend(DB, backend);
  try {
    const first = await store.searchRuns({ experiment_ids: ['1', '2'], max_results: 100 });
    const filtered = await store.searchRuns({ experiment_ids: ['1', '2'], max_results: 100, filter: FILTER, order_by: ORDER });
    const total = raw.all(
      `SELECT count(*) AS n FROM runs r JOIN latest_metrics a ON a.run_uuid = r.run_uuid AND a.key = 'accuracy' AND a.value > 0.9
       JOIN params p ON p.run_uuid = r.run_uuid AND p.key = 'optimizer' AND p.value = 'adam' WHERE r.lifecycle_stage = 'active'`,
    )[0].n;
    log(`${backend}: first page ${first.runs.length} runs; filter matches ${total} runs, page of ${filtered.runs.length}`);

    const firstPageSql = "SELECT run_uuid FROM runs WHERE experiment_id IN (1, 2) AND lifecycle_stage = 'active' ORDER BY start_time DESC, run_uuid LIMIT 100";
    const filteredSql = `SELECT r.run_uuid FROM runs r
         JOIN latest_metrics a ON a.run_uuid = r.run_uuid AND a.key = 'accuracy' AND a.value > 0.9
         JOIN params p ON p.run_uuid = r.run_uuid AND p.key = 'optimizer' AND p.value = 'adam'
         LEFT JOIN latest_metrics o ON o.run_uuid = r.run_uuid AND o.key = 'loss'
         WHERE r.experiment_id IN (1, 2) AND r.lifecycle_stage = 'active'
         ORDER BY CASE WHEN o.is_nan = 1 THEN 1 WHEN o.value IS NULL THEN 2 ELSE 0 END, o.value, r.start_time DESC, r.run_uuid LIMIT 100`;
    const [firstPageMs, firstFloor] = await timePair(
      () => store.searchRuns({ experiment_ids: ['1', '2'], max_results: 100 }),
      () => rawPage(raw, firstPageSql, []),
    );
    const [filteredMs, filteredFloor] = await timePair(
      () => store.searchRuns({ experiment_ids: ['1', '2'], max_results: 100, filter: FILTER, order_by: ORDER }),
      () => rawPage(raw, filteredSql, []),
    );
    const [likeMs] = await timePair(
      () => store.searchRuns({ experiment_ids: ['1', '2'], max_results: 100, filter: LIKE_FILTER, order_by: ORDER }),
      () => undefined,
      7,
    );
    const r = (x: number) => Math.round(x * 100) / 100;
    log(`${backend}: open ${r(openMs)} ms`);
    log(`${backend}: first page ${r(firstPageMs)} ms (floor ${r(firstFloor)} ms, ×${r(firstPageMs / firstFloor)})`);
    log(`${backend}: filtered search ${r(filteredMs)} ms (floor ${r(filteredFloor)} ms, ×${r(filteredMs / filteredFloor)})`);
    log(`${backend}: LIKE search (search module over SQL-sorted candidates) ${r(likeMs)} ms (×${r(likeMs / filteredFloor)} the filtered floor)`);
    return {
      openMs: r(openMs),
      firstPageMs: r(firstPageMs),
      firstPageFloorMs: r(firstFloor),
      firstPageRatio: r(firstPageMs / firstFloor),
      filteredSearchMs: r(filteredMs),
      filteredSearchFloorMs: r(filteredFloor),
      filteredSearchRatio: r(filteredMs / filteredFloor),
      filteredMatches: Number(total),
      likeSearchMs: r(likeMs),
    };
  } finally {
    raw.close();
    store.dispose();
  }
}

const node24 = installedNode24;

async function main(): Promise<void> {
  if (!existsSync(DB)) {
    mkdirSync(DATA, { recursive: true });
    log(`generating ${DB} (${RUNS} runs; cached for later runs)…`);
    const t = performance.now();
    await generateMlflowDb(DB, { runs: RUNS, historySteps: 20 });
    log(`generated in ${Math.round(performance.now() - t)} ms`);
  }
  log(`db: ${(statSync(DB).size / 1e6).toFixed(1)} MB, ${RUNS} runs`);

  const out: Record<string, unknown> = {};
  if (process.env.SQLITE_BENCH_CHILD === 'node:sqlite') {
    process.stdout.write(`${JSON.stringify(await measure('node:sqlite'))}\n`);
    return;
  }
  const here = loadNodeSqlite() ? 'node:sqlite' : 'sql.js';
  const sqljs = await measure('sql.js');
  out.sqliteBackend = here;
  out.sqliteFirstPageMs = sqljs.firstPageMs;
  out.sqliteFilteredSearchMs = sqljs.filteredSearchMs;
  out.sqliteLikeSearchMs = sqljs.likeSearchMs;
  for (const [k, v] of Object.entries(sqljs)) out[`sqliteSqlJs${k[0].toUpperCase()}${k.slice(1)}`] = v;

  let nodeFigures: Record<string, number> | undefined;
  if (here === 'node:sqlite') {
    nodeFigures = await measure('node:sqlite');
  } else {
    const bin = node24();
    if (bin) {
      const res = spawnSync(bin, ['--require', 'tsx/cjs', __filename], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, SQLITE_BENCH_CHILD: 'node:sqlite' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const last = res.stdout.trim().split('\n').pop() ?? '';
      if (res.status === 0) nodeFigures = JSON.parse(last) as Record<string, number>;
      else log(`node:sqlite child failed (${res.status})`);
    } else {
      log('node:sqlite: no Node 24 here; skipped');
    }
  }
  if (nodeFigures) {
    for (const [k, v] of Object.entries(nodeFigures)) out[`sqliteNode${k[0].toUpperCase()}${k.slice(1)}`] = v;
    // What VS Code's extension host (Node 24) uses: the headline figures.
    out.sqliteBackend = 'node:sqlite';
    out.sqliteFirstPageMs = nodeFigures.firstPageMs;
    out.sqliteFilteredSearchMs = nodeFigures.filteredSearchMs;
    out.sqliteLikeSearchMs = nodeFigures.likeSearchMs;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
