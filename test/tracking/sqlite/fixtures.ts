/** Shared by the SQLite tests: the reference db, its recorded server answers, and edited copies. */
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeLoggedModel, decodeMetric, decodeModelVersion, decodeRegisteredModel, decodeRun } from '../../../src/tracking/rest/decode';
import type { Experiment, LoggedModel, Metric, ModelVersion, RegisteredModel, Run } from '../../../src/tracking/types';
import { FIXTURES, readRecordedIndex, readRecordedJson, type RecordedAnswer } from '../../helpers/recordedAnswers';

export { FIXTURES };
export const SQLITE_DIR = join(FIXTURES, 'sqlite-store');
export const DB_PATH = join(SQLITE_DIR, 'mlflow.db');
export const REST_SQLITE = join(FIXTURES, 'rest-sqlite-store');

export function recordingIndex(dir = REST_SQLITE): RecordedAnswer[] {
  return readRecordedIndex(dir);
}

export function recorded<T = Record<string, unknown>>(file: string, dir = REST_SQLITE): T {
  return readRecordedJson<T>(dir, file);
}

export function entry(file: string, dir = REST_SQLITE): RecordedAnswer {
  const e = recordingIndex(dir).find((x) => x.file === file);
  if (!e) throw new Error(`no recording ${file}`);
  return e;
}

export function queryOf(file: string, dir = REST_SQLITE): URLSearchParams {
  return new URL(entry(file, dir).url).searchParams;
}

/** A recorded answer with MLflow's JSON decoded the way every store returns it ("NaN" → NaN). */
export const expected = {
  run: (file: string, dir?: string): Run => decodeRun(recorded<{ run: Run }>(file, dir).run),
  runs: (file: string, dir?: string) => {
    const r = recorded<{ runs?: Run[]; next_page_token?: string }>(file, dir);
    return { runs: (r.runs ?? []).map(decodeRun), next_page_token: r.next_page_token };
  },
  experiments: (file: string, dir?: string) => {
    const r = recorded<{ experiments?: Experiment[]; next_page_token?: string }>(file, dir);
    return { experiments: r.experiments ?? [], next_page_token: r.next_page_token };
  },
  metrics: (file: string, dir?: string): Metric[] => (recorded<{ metrics?: Metric[] }>(file, dir).metrics ?? []).map(decodeMetric),
  loggedModels: (file: string, dir?: string): LoggedModel[] => (recorded<{ models?: LoggedModel[] }>(file, dir).models ?? []).map(decodeLoggedModel),
  registeredModels: (file: string, dir?: string): RegisteredModel[] =>
    (recorded<{ registered_models?: RegisteredModel[] }>(file, dir).registered_models ?? []).map(decodeRegisteredModel),
  modelVersions: (file: string, dir?: string): ModelVersion[] =>
    (recorded<{ model_versions?: ModelVersion[] }>(file, dir).model_versions ?? []).map(decodeModelVersion),
};

interface SqlJsDb {
  run(sql: string): void;
  export(): Uint8Array;
  close(): void;
}

/** A copy of the reference store (db + artifacts) in a temp folder, with `sql` applied to the db. */
export async function editedCopy(sql: string[] = []): Promise<{ dir: string; db: string; edit(sql: string[]): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mlflow-sqlite-'));
  const db = join(dir, 'mlflow.db');
  copyFileSync(DB_PATH, db);
  cpSync(join(SQLITE_DIR, 'mlruns'), join(dir, 'mlruns'), { recursive: true });
  const edit = async (statements: string[]) => {
    if (statements.length === 0) return;
    const init = require('sql.js') as (c: object) => Promise<{ Database: new (d: Uint8Array) => SqlJsDb }>;
    const SQL = await init({ locateFile: (f: string) => require.resolve(`sql.js/dist/${f}`) });
    const handle = new SQL.Database(readFileSync(db));
    for (const s of statements) handle.run(s);
    writeFileSync(db, handle.export());
    handle.close();
  };
  await edit(sql);
  return { dir, db, edit };
}
