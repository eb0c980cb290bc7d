/**
 * The database stores on real servers (PostgreSQL and MariaDB from the Debian packages, started
 * here on free ports and stopped at the end) holding the generated 10,000-run mlflow.db of
 * bench/sqlite.bench.ts (its metric histories left out: searches read latest_metrics): the first
 * page of 100 runs, and a filtered search (a latest metric and a param, ordered by another metric).
 * Each figure is a median, printed with its floor: the same SQL the store issues (the page's ids,
 * then the page's metrics, params and tags), sent bare through the same connection.
 * Human lines on stderr; the last stdout line is one JSON object. Skipped (no figures) where the
 * servers are not installed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseOrderBy, parseRunFilter } from '../src/tracking/search';
import type { SqlConnection } from '../src/tracking/sql/connection';
import { tryBuildRunQuery } from '../src/tracking/sql/runQuery';
import { DatabaseTrackingStore } from '../src/tracking/sql/serverStore';
import { generateMlflowDb } from '../test/helpers/generateMlflowDb';
import { haveMariadb, havePostgres, loadMlflowDb, startMariadb, startPostgres, type SqlServer } from '../test/helpers/sqlServers';
import { timePair } from './timing';

const RUNS = 10_000;
const DB = join(__dirname, '.data', `mlflow-${RUNS}.db`);
const FILTER = "metrics.accuracy > 0.9 and params.optimizer = 'adam'";
const ORDER = ['metrics.loss ASC'];
const EXPERIMENTS = ['1', '2'];

const log = (s: string) => process.stderr.write(`${s}\n`);
const r = (x: number) => Math.round(x * 100) / 100;

/** The floor: the store's own page query, then the page's runs and their three data tables, bare and side by side (as the store sends them). */
async function barePage(db: SqlConnection, filter: string | undefined, order: string[] | undefined): Promise<number> {
  const query = tryBuildRunQuery(db.dialect, [1, 2], ['active'], parseRunFilter(filter).conditions, parseOrderBy(order))!;
  const ids = (await db.all(`${query.idsSql} LIMIT ? OFFSET ?`, [...query.params, 101, 0])).map((x) => String(x.run_uuid)).slice(0, 100);
  const list = ids.map(() => '?').join(', ');
  const tables = await Promise.all(
    ['runs', 'latest_metrics', 'params', 'tags'].map((table) => db.all(`SELECT * FROM ${table} WHERE run_uuid IN (${list})`, ids)),
  );
  return tables.reduce((n, rows) => n + rows.length, ids.length);
}

async function measure(name: 'pg' | 'mysql', server: SqlServer): Promise<Record<string, number>> {
  let t = performance.now();
  await loadMlflowDb(server, 'bench', DB, ['metrics']);
  log(`${name}: loaded ${RUNS} runs in ${Math.round(performance.now() - t)} ms`);
  t = performance.now();
  const store = await DatabaseTrackingStore.open(server.uri('bench'), { poll: false });
  const openMs = performance.now() - t;
  const db = (store as unknown as { db: SqlConnection }).db;
  try {
    const first = await store.searchRuns({ experiment_ids: EXPERIMENTS, max_results: 100 });
    const filtered = await store.searchRuns({ experiment_ids: EXPERIMENTS, max_results: 100, filter: FILTER, order_by: ORDER });
    log(`${name}: first page ${first.runs.length} runs, filtered page ${filtered.runs.length} runs`);
    const [firstMs, firstFloor] = await timePair(
      () => store.searchRuns({ experiment_ids: EXPERIMENTS, max_results: 100 }),
      () => barePage(db, undefined, undefined),
    );
    const [filteredMs, filteredFloor] = await timePair(
      () => store.searchRuns({ experiment_ids: EXPERIMENTS, max_results: 100, filter: FILTER, order_by: ORDER }),
      () => barePage(db, FILTER, ORDER),
    );
    log(`${name}: open ${r(openMs)} ms`);
    log(`${name}: first page ${r(firstMs)} ms (floor ${r(firstFloor)} ms, ×${r(firstMs / firstFloor)})`);
    log(`${name}: filtered search ${r(filteredMs)} ms (floor ${r(filteredFloor)} ms, ×${r(filteredMs / filteredFloor)})`);
    return {
      [`${name}OpenMs`]: r(openMs),
      [`${name}FirstPageMs`]: r(firstMs),
      [`${name}FirstPageFloorMs`]: r(firstFloor),
      [`${name}FirstPageRatio`]: r(firstMs / firstFloor),
      [`${name}FilteredSearchMs`]: r(filteredMs),
      [`${name}FilteredSearchFloorMs`]: r(filteredFloor),
      [`${name}FilteredSearchRatio`]: r(filteredMs / filteredFloor),
    };
  } finally {
    store.dispose();
  }
}

async function main(): Promise<void> {
  if (!existsSync(DB)) {
    mkdirSync(join(__dirname, '.data'), { recursive: true });
    log(`generating ${DB} (${RUNS} runs; cached for later runs)…`);
    await generateMlflowDb(DB, { runs: RUNS, historySteps: 20 });
  }
  const out: Record<string, number> = {};
  for (const [name, have, start] of [
    ['pg', havePostgres, startPostgres],
    ['mysql', haveMariadb, startMariadb],
  ] as const) {
    if (!have()) {
      log(`${name}: server not installed (scripts/prerequisites.sh); skipped`);
      continue;
    }
    const server = await start();
    try {
      Object.assign(out, await measure(name, server));
    } finally {
      await server.stop();
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
