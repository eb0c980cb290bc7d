/**
 * Writes a synthetic `mlflow.db` with MLflow's own schema (the DDL is copied from the reference
 * db MLflow 3.6 wrote, test/fixtures/sqlite-store/mlflow.db) and `runs` generated runs, for tests
 * that need many runs and for bench/sqlite.bench.ts. Deterministic for a given seed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from './seededRandom';

const REFERENCE_DB = join(__dirname, '..', 'fixtures', 'sqlite-store', 'mlflow.db');

interface SqlJsStatement {
  run(values: (string | number | null)[]): void;
  free(): void;
}
interface SqlJsDb {
  exec(sql: string): { values: unknown[][] }[];
  run(sql: string): void;
  prepare(sql: string): SqlJsStatement;
  export(): Uint8Array;
  close(): void;
}

export interface GenerateOptions {
  runs: number;
  experiments?: number;
  /** Points per metric history. */
  historySteps?: number;
  seed?: number;
}

export const GENERATED_METRICS = ['loss', 'accuracy', 'val_loss', 'f1'];
export const OPTIMIZERS = ['adam', 'sgd', 'adamw', 'rmsprop'];

export function generatedRunId(i: number): string {
  return i.toString(16).padStart(32, '0');
}

export async function generateMlflowDb(path: string, options: GenerateOptions): Promise<void> {
  const init = require('sql.js') as (c: object) => Promise<{ Database: new (d?: Uint8Array) => SqlJsDb }>;
  const SQL = await init({ locateFile: (f: string) => require.resolve(`sql.js/dist/${f}`) });
  const reference = new SQL.Database(readFileSync(REFERENCE_DB));
  const ddl = reference.exec("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type = 'index', rowid")[0].values as [string, string][];
  const version = reference.exec('SELECT version_num FROM alembic_version')[0].values[0][0] as string;
  reference.close();

  const db = new SQL.Database();
  for (const [, sql] of ddl) db.run(sql);
  db.run(`INSERT INTO alembic_version VALUES ('${version}')`);
  const rnd = seededRandom(options.seed ?? 42);
  const experiments = options.experiments ?? 2;
  const steps = options.historySteps ?? 10;
  const base = 1_790_000_000_000;

  db.run('BEGIN');
  const exp = db.prepare(
    'INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, ?, ?, ?)',
  );
  exp.run([0, 'Default', '/tmp/gen/mlruns/0', 'active', base, base]);
  for (let e = 1; e <= experiments; e++) exp.run([e, `experiment-${e}`, `/tmp/gen/mlruns/${e}`, 'active', base + e, base + e]);
  exp.free();

  const run = db.prepare(
    'INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const param = db.prepare('INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)');
  const tag = db.prepare('INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)');
  const metric = db.prepare('INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)');
  const latest = db.prepare('INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)');
  const statuses = ['FINISHED', 'FINISHED', 'FINISHED', 'FINISHED', 'FAILED', 'KILLED', 'RUNNING'];
  for (let i = 1; i <= options.runs; i++) {
    const id = generatedRunId(i);
    const e = 1 + (i % experiments);
    const start = base + i * 60_000;
    const status = statuses[Math.floor(rnd() * statuses.length)];
    const deleted = rnd() < 0.03;
    run.run([
      id,
      `run-${i}`,
      'LOCAL',
      'train.py',
      '',
      'ana',
      status,
      start,
      status === 'RUNNING' ? null : start + 50_000,
      '',
      deleted ? 'deleted' : 'active',
      `/tmp/gen/mlruns/${e}/${id}/artifacts`,
      e,
    ]);
    param.run(['lr', String([0.1, 0.03, 0.01, 0.003, 0.001][i % 5]), id]);
    param.run(['optimizer', OPTIMIZERS[Math.floor(rnd() * OPTIMIZERS.length)], id]);
    param.run(['batch_size', String([32, 64, 128, 256][i % 4]), id]);
    param.run(['epochs', String(5 + (i % 20)), id]);
    tag.run(['mlflow.runName', `run-${i}`, id]);
    tag.run(['mlflow.user', 'ana', id]);
    tag.run(['team', i % 3 === 0 ? 'vision' : 'nlp', id]);
    const quality = rnd();
    for (const key of GENERATED_METRICS) {
      // Some runs never log f1 (sorts after every value), some end on a NaN val_loss.
      if (key === 'f1' && i % 11 === 0) continue;
      let last: [number, number, number, number] = [0, 0, 0, 0];
      for (let s = 0; s < steps; s++) {
        const progress = (s + 1) / steps;
        let value = key === 'accuracy' || key === 'f1' ? quality * progress : (1 - quality) * (2 - progress) + rnd() * 0.01;
        const nan = key === 'val_loss' && s === steps - 1 && i % 97 === 0 ? 1 : 0;
        if (nan) value = 0;
        metric.run([key, value, start + s * 1000, id, s, nan]);
        last = [value, start + s * 1000, s, nan];
      }
      latest.run([key, last[0], last[1], last[2], last[3], id]);
    }
  }
  for (const s of [run, param, tag, metric, latest]) s.free();
  db.run('COMMIT');
  writeFileSync(path, db.export());
  db.close();
}
