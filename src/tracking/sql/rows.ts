/**
 * MLflow's SQLAlchemy rows made into the REST shapes, as MLflow's server serves them over the
 * same database: NULL and empty lists are left out, NaN (stored as value 0, is_nan 1) is NaN,
 * ±Infinity stays ±1.7976931348623157e308 (what MLflow stores and serves back),
 * lists come in insertion order where the database keeps one (see SqlDialect.insertionOrder),
 * as the database hands them to MLflow.
 */
import { MlflowError, modelVersionOf } from '../types';
import type { DatasetInput, KeyValue, LoggedModel, Metric, ModelVersion, Run, RunInfo, RunStatus } from '../types';
import { placeholders, type Row, type SqlConnection, type SqlValue } from './connection';

export const RUN_COLUMNS = 'run_uuid, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, experiment_id';

/** Ids per `IN (...)` list: well below every dialect's parameter limit. */
const CHUNK = 500;

export function num(v: SqlValue | undefined): number | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'bigint' ? Number(v) : Number(v);
}

export function str(v: SqlValue | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  return String(v);
}

/** Sets `obj[key]` only when the value is present, as protobuf JSON leaves unset fields out. */
export function put<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined && value !== null) obj[key] = value;
}

/**
 * Runs `sql` (with one `(?)` list marked `IN_LIST`, and `ORDER_INSERTION(alias, fallback)` for
 * the dialect's insertion order) over `ids` in chunks.
 */
export async function allIn(db: SqlConnection, sql: string, ids: readonly SqlValue[], extra: SqlValue[] = []): Promise<Row[]> {
  const rows: Row[] = [];
  const text = withInsertionOrder(db, sql);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    rows.push(...(await db.all(text.replace('IN_LIST', `(${placeholders(chunk.length)})`), [...chunk, ...extra])));
  }
  return rows;
}

/** Replaces `ORDER_INSERTION(alias, fallback)` markers with the dialect's insertion order. */
export function withInsertionOrder(db: SqlConnection, sql: string): string {
  return sql.replace(/ORDER_INSERTION\(([a-z]*), ([^)]+)\)/g, (_m, alias: string, fallback: string) =>
    db.dialect.insertionOrder(alias ? `${alias}.` : '', fallback),
  );
}

export function checkMaxResults(value: number | undefined, fallback: number, limit: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > limit) {
    throw new MlflowError(`Invalid value for request parameter max_results. It must be at most ${limit}, but got value ${n}`, 'INVALID_PARAMETER_VALUE');
  }
  return n;
}

/** `id → [{key, value}]` from a query selecting `id, key, value` (with insertion-order markers). */
export async function keyValues(db: SqlConnection, sql: string, params: SqlValue[] = []): Promise<Map<string, KeyValue[]>> {
  return groupBy(await db.all(withInsertionOrder(db, sql), params), 'id', keyValue);
}

function runInfo(row: Row): RunInfo {
  const id = String(row.run_uuid);
  const info = { run_uuid: id, run_id: id, experiment_id: String(row.experiment_id) } as RunInfo;
  put(info, 'run_name', str(row.name));
  put(info, 'user_id', str(row.user_id));
  info.status = (str(row.status) ?? 'RUNNING') as RunStatus;
  put(info, 'start_time', num(row.start_time));
  put(info, 'end_time', num(row.end_time));
  put(info, 'artifact_uri', str(row.artifact_uri));
  info.lifecycle_stage = str(row.lifecycle_stage) === 'deleted' ? 'deleted' : 'active';
  return info;
}

export function metricValue(value: SqlValue, isNan: SqlValue): number {
  return isNan === true || Number(isNan) === 1 ? NaN : Number(value);
}

export function metricFromRow(row: Row): Metric {
  return {
    key: String(row.key),
    value: metricValue(row.value, row.is_nan),
    timestamp: num(row.timestamp) ?? 0,
    step: num(row.step) ?? 0,
  };
}

function groupBy<T>(rows: Row[], idColumn: string, make: (row: Row) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const id = String(row[idColumn]);
    let list = out.get(id);
    if (!list) out.set(id, (list = []));
    list.push(make(row));
  }
  return out;
}

const keyValue = (row: Row): KeyValue => ({ key: String(row.key), value: str(row.value) ?? '' });

export interface RunParts {
  /** Only these metric/param/tag keys (enough to filter and sort); all when omitted. */
  keys?: { metrics: Set<string>; params: Set<string>; tags: Set<string> };
  datasets: boolean;
  /** Model outputs. */
  models: boolean;
  /** MLflow's `runs/get` lists model inputs; its `runs/search` does not. */
  modelInputs: boolean;
}

/** What a `runs/get` answer holds. */
export const FULL_RUN: RunParts = { datasets: true, models: true, modelInputs: true };

/**
 * Loads runs' data, the parts `parts` names: for rows already read, or for run ids (a page), whose
 * rows are then read side by side with their data and kept in the ids' order.
 */
export async function loadRuns(db: SqlConnection, tables: Set<string>, source: Row[] | { ids: string[] }, parts: RunParts = FULL_RUN): Promise<Run[]> {
  const ids = Array.isArray(source) ? source.map((r) => String(r.run_uuid)) : source.ids;
  const keyed = async (sql: string, keys: Set<string> | undefined): Promise<Row[]> => {
    if (!parts.keys) return allIn(db, sql.replace('AND KEYS', ''), ids);
    if (!keys || keys.size === 0) return [];
    const keyList = `"key" IN (${placeholders(keys.size)})`;
    if (ids.length <= CHUNK) return allIn(db, sql.replace('AND KEYS', `AND ${keyList}`), ids, [...keys]);
    // Many candidates: one pass over the (key, run_uuid) primary-key index, kept to the candidates.
    const wanted = new Set(ids);
    const byKey = withInsertionOrder(db, sql.replace('run_uuid IN IN_LIST AND KEYS', keyList));
    return (await db.all(byKey, [...keys])).filter((r) => wanted.has(String(r.run_uuid)));
  };
  // Independent reads, sent together: a database server's pool answers them side by side.
  const [infoRows, metricRows, paramRows, tagRows, datasets, modelInputRows, modelOutputRows] = await Promise.all([
    Array.isArray(source) ? source : runRowsInOrder(db, ids),
    keyed(
      'SELECT run_uuid, "key", value, "timestamp", step, is_nan FROM latest_metrics WHERE run_uuid IN IN_LIST AND KEYS ORDER BY ORDER_INSERTION(, "key")',
      parts.keys?.metrics,
    ),
    keyed('SELECT run_uuid, "key", value FROM params WHERE run_uuid IN IN_LIST AND KEYS ORDER BY ORDER_INSERTION(, "key")', parts.keys?.params),
    keyed('SELECT run_uuid, "key", value FROM tags WHERE run_uuid IN IN_LIST AND KEYS ORDER BY ORDER_INSERTION(, "key")', parts.keys?.tags),
    parts.datasets ? loadDatasetInputs(db, tables, ids) : new Map<string, DatasetInput[]>(),
    parts.modelInputs && tables.has('inputs')
      ? allIn(
          db,
          "SELECT source_id, destination_id FROM inputs WHERE source_type = 'RUN_INPUT' AND destination_type = 'MODEL_INPUT' " +
            'AND source_id IN IN_LIST ORDER BY ORDER_INSERTION(, input_uuid)',
          ids,
        )
      : [],
    parts.models && tables.has('inputs')
      ? allIn(
          db,
          "SELECT source_id, destination_id, step FROM inputs WHERE source_type = 'RUN_OUTPUT' AND destination_type = 'MODEL_OUTPUT' " +
            'AND source_id IN IN_LIST ORDER BY ORDER_INSERTION(, input_uuid)',
          ids,
        )
      : [],
  ]);
  const metrics = groupBy(metricRows, 'run_uuid', metricFromRow);
  const params = groupBy(paramRows, 'run_uuid', keyValue);
  const tags = groupBy(tagRows, 'run_uuid', keyValue);
  const modelInputs = groupBy(modelInputRows, 'source_id', (r) => ({ model_id: String(r.destination_id) }));
  const modelOutputs = groupBy(modelOutputRows, 'source_id', (r) => ({ model_id: String(r.destination_id), step: num(r.step) ?? 0 }));

  return infoRows.map((row) => {
    const info = runInfo(row);
    const id = info.run_id;
    const run: Run = { info, data: {}, inputs: {}, outputs: {} };
    put(run.data, 'metrics', metrics.get(id));
    put(run.data, 'params', params.get(id));
    put(run.data, 'tags', tags.get(id));
    put(run.inputs!, 'dataset_inputs', datasets.get(id));
    put(run.inputs!, 'model_inputs', modelInputs.get(id));
    put(run.outputs!, 'model_outputs', modelOutputs.get(id));
    return run;
  });
}

/** The runs' rows in the order of `ids` (a run deleted meanwhile is left out). */
async function runRowsInOrder(db: SqlConnection, ids: string[]): Promise<Row[]> {
  const byId = new Map((await allIn(db, `SELECT ${RUN_COLUMNS} FROM runs WHERE run_uuid IN IN_LIST`, ids)).map((r) => [String(r.run_uuid), r]));
  return ids.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
}

/** Adds each run's dataset inputs (for filters on `datasets.*`). */
export async function attachDatasets(db: SqlConnection, tables: Set<string>, runs: Run[]): Promise<void> {
  const datasets = await loadDatasetInputs(
    db,
    tables,
    runs.map((r) => r.info.run_id),
  );
  for (const run of runs) {
    const d = datasets.get(run.info.run_id);
    if (d) run.inputs = { dataset_inputs: d };
  }
}

async function loadDatasetInputs(db: SqlConnection, tables: Set<string>, ids: string[]): Promise<Map<string, DatasetInput[]>> {
  if (!tables.has('inputs') || !tables.has('datasets')) return new Map();
  const rows = await allIn(
    db,
    `SELECT i.input_uuid, i.destination_id, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema, d.dataset_profile
     FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id
     WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id IN IN_LIST ORDER BY ORDER_INSERTION(i, i.input_uuid)`,
    ids,
  );
  const tagRows = tables.has('input_tags')
    ? await allIn(
        db,
        'SELECT input_uuid, name, value FROM input_tags WHERE input_uuid IN IN_LIST ORDER BY ORDER_INSERTION(, name)',
        rows.map((r) => r.input_uuid),
      )
    : [];
  const tags = groupBy(tagRows, 'input_uuid', (r) => ({ key: String(r.name), value: str(r.value) ?? '' }));
  return groupBy(rows, 'destination_id', (r) => {
    const input: DatasetInput = {
      dataset: {
        name: String(r.name),
        digest: String(r.digest),
        source_type: String(r.dataset_source_type),
        source: String(r.dataset_source),
      },
    };
    put(input.dataset, 'schema', str(r.dataset_schema));
    put(input.dataset, 'profile', str(r.dataset_profile));
    put(input, 'tags', tags.get(String(r.input_uuid)));
    return input;
  });
}

/** Model versions' fields as MLflow's SQL registry serves them (no aliases in searches). */
export function modelVersion(row: Row, tags: KeyValue[] | undefined): ModelVersion {
  return modelVersionOf({
    name: String(row.name),
    version: String(row.version),
    creation_timestamp: num(row.creation_time),
    last_updated_timestamp: num(row.last_updated_time),
    user_id: str(row.user_id),
    current_stage: str(row.current_stage),
    description: str(row.description),
    source: str(row.source),
    run_id: str(row.run_id),
    status: str(row.status),
    status_message: str(row.status_message),
    run_link: str(row.run_link),
    tags,
  });
}

const LOGGED_MODEL_STATUS = ['LOGGED_MODEL_STATUS_UNSPECIFIED', 'LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'];

export async function loadLoggedModels(db: SqlConnection, rows: Row[]): Promise<LoggedModel[]> {
  const ids = rows.map((r) => String(r.model_id));
  const tags = groupBy(
    await allIn(db, 'SELECT model_id, tag_key, tag_value FROM logged_model_tags WHERE model_id IN IN_LIST ORDER BY tag_key', ids),
    'model_id',
    (r) => ({ key: String(r.tag_key), value: str(r.tag_value) ?? '' }),
  );
  const params = groupBy(
    await allIn(db, 'SELECT model_id, param_key, param_value FROM logged_model_params WHERE model_id IN IN_LIST ORDER BY param_key', ids),
    'model_id',
    (r) => ({ key: String(r.param_key), value: str(r.param_value) ?? '' }),
  );
  const metrics = groupBy(
    await allIn(db, 'SELECT * FROM logged_model_metrics WHERE model_id IN IN_LIST ORDER BY ORDER_INSERTION(, metric_name)', ids),
    'model_id',
    (r) => {
      const m: Metric = {
        key: String(r.metric_name),
        value: r.metric_value === null ? NaN : Number(r.metric_value),
        timestamp: num(r.metric_timestamp_ms) ?? 0,
        step: num(r.metric_step) ?? 0,
      };
      put(m, 'model_id', str(r.model_id));
      put(m, 'run_id', str(r.run_id));
      put(m, 'dataset_name', str(r.dataset_name));
      put(m, 'dataset_digest', str(r.dataset_digest));
      return m;
    },
  );
  return rows.map((r) => {
    const id = String(r.model_id);
    const model: LoggedModel = {
      info: { model_id: id, experiment_id: String(r.experiment_id), name: String(r.name) },
      data: {},
    };
    const info = model.info;
    put(info, 'artifact_uri', str(r.artifact_location));
    put(info, 'creation_timestamp_ms', num(r.creation_timestamp_ms));
    put(info, 'last_updated_timestamp_ms', num(r.last_updated_timestamp_ms));
    put(info, 'status', LOGGED_MODEL_STATUS[Number(r.status)] ?? LOGGED_MODEL_STATUS[0]);
    put(info, 'status_message', str(r.status_message) || undefined);
    put(info, 'model_type', str(r.model_type) || undefined);
    put(info, 'source_run_id', str(r.source_run_id));
    put(info, 'tags', tags.get(id));
    put(model.data!, 'params', params.get(id));
    put(model.data!, 'metrics', metrics.get(id));
    return model;
  });
}
