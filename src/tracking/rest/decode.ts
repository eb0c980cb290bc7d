/**
 * MLflow's JSON, made into the store's shapes: "NaN"/"Infinity" strings become numbers, int64s
 * sent as strings (protobuf JSON allows both) become numbers, absent lists stay absent.
 *
 * Each answer's shape is checked where it is decoded: a field of the wrong JSON type (a list
 * where a string belongs, an object nested a million deep in a name) throws a ShapeError naming
 * the field, which the REST store reports as INVALID_RESPONSE, instead of a TypeError later or
 * wrong data passed on as if it were true. Fields the store does not know are left as they came.
 */
import type { Experiment, FileInfo, KeyValue, LoggedModel, Metric, ModelVersion, RegisteredModel, Run } from '../types';

/** A field of an answer that does not have the type MLflow's API gives it. */
export class ShapeError extends Error {
  constructor(
    /** Where, e.g. `run.data.metrics[2].value`. */
    readonly field: string,
    readonly expected: string,
    actual: unknown,
  ) {
    super(`${field} is ${describe(actual)}, expected ${expected}`);
    this.name = 'ShapeError';
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v === 'number' ? 'the number' : typeof v === 'boolean' ? 'the boolean' : 'a'} ${String(v)}`;
}

type Obj = Record<string, unknown>;

function object(v: unknown, field: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ShapeError(field, 'an object', v);
  return v as Obj;
}

/** A required string field; protobuf JSON may send an int64 id as a number, kept as its decimal text. */
function requiredString(o: Obj, key: string, field: string, numberOk = false): void {
  const v = o[key];
  if (typeof v === 'string') return;
  if (numberOk && typeof v === 'number' && Number.isFinite(v)) {
    o[key] = String(v);
    return;
  }
  throw new ShapeError(`${field}.${key}`, 'a string', v);
}

function optString(o: Obj, key: string, field: string): void {
  const v = o[key];
  if (v !== undefined && v !== null && typeof v !== 'string') throw new ShapeError(`${field}.${key}`, 'a string', v);
}

function optBoolean(o: Obj, key: string, field: string): void {
  const v = o[key];
  if (v !== undefined && v !== null && typeof v !== 'boolean') throw new ShapeError(`${field}.${key}`, 'true or false', v);
}

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    switch (v) {
      case 'NaN':
        return NaN;
      case 'Infinity':
        return Infinity;
      case '-Infinity':
        return -Infinity;
      default:
        return Number(v);
    }
  }
  return NaN;
}

/** A number field: a JSON number, or a string holding one (int64s, "NaN"); anything else is refused. */
function numberField(v: unknown, field: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = toNumber(v);
    if (!Number.isNaN(n) || v === 'NaN') return n;
  }
  throw new ShapeError(field, 'a number', v);
}

function optNumber<T extends object>(obj: T, key: keyof T, field: string): void {
  const v = obj[key] as unknown;
  if (v !== undefined && v !== null && typeof v !== 'number') (obj as Record<keyof T, unknown>)[key] = numberField(v, `${field}.${String(key)}`);
}

/** An optional list field: absent or null stays as it is, else a list whose items `each` checks. */
function optList(o: Obj, key: string, field: string, each: (item: unknown, field: string) => void): void {
  const v = o[key];
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) throw new ShapeError(`${field}.${key}`, 'a list', v);
  v.forEach((item, i) => each(item, `${field}.${key}[${i}]`));
}

function keyValue(v: unknown, field: string): void {
  const kv = object(v, field) as Partial<KeyValue> & Obj;
  requiredString(kv, 'key', field);
  optString(kv, 'value', field);
}

function metricAt(v: unknown, field: string): Metric {
  const m = object(v, field) as unknown as Metric & Obj;
  requiredString(m, 'key', field);
  m.value = numberField(m.value, `${field}.value`);
  optNumber(m, 'timestamp', field);
  optNumber(m, 'step', field);
  if (m.step === undefined) m.step = 0;
  for (const key of ['run_id', 'model_id', 'dataset_name', 'dataset_digest']) optString(m, key, field);
  return m;
}

export function decodeMetric(m: Metric): Metric {
  return metricAt(m, 'metric');
}

/** Optional string and number fields of an entity (absent or null stays as it is). */
function optScalars(o: Obj, field: string, strings: readonly string[], numbers: readonly string[]): void {
  for (const key of strings) optString(o, key, field);
  for (const key of numbers) optNumber(o, key, field);
}

/** A run's or logged model's `info`: optional strings and times, and an experiment id MLflow may send as a number. */
function infoAt(v: unknown, field: string, strings: readonly string[], times: readonly string[]): Obj {
  const info = object(v, field);
  optScalars(info, field, strings, times);
  if (info.experiment_id !== undefined) requiredString(info, 'experiment_id', field, true);
  return info;
}

function metricsAndParamsAt(v: unknown, field: string): Obj {
  const data = object(v, field);
  optList(data, 'metrics', field, metricAt);
  optList(data, 'params', field, keyValue);
  return data;
}

function runAt(v: unknown, field: string): Run {
  const run = object(v, field) as unknown as Run & Obj;
  infoAt(
    (run.info ??= {} as Run['info']),
    `${field}.info`,
    ['run_id', 'run_uuid', 'run_name', 'user_id', 'status', 'artifact_uri', 'lifecycle_stage'],
    ['start_time', 'end_time'],
  );
  const data = metricsAndParamsAt((run.data ??= {}), `${field}.data`);
  optList(data, 'tags', `${field}.data`, keyValue);
  if (run.inputs !== undefined && run.inputs !== null) {
    const inputs = object(run.inputs, `${field}.inputs`);
    optList(inputs, 'dataset_inputs', `${field}.inputs`, (d, f) => {
      const input = object(d, f);
      optList(input, 'tags', f, keyValue);
      const dataset = object(input.dataset, `${f}.dataset`);
      for (const key of ['name', 'digest', 'source_type', 'source', 'schema', 'profile']) optString(dataset, key, `${f}.dataset`);
    });
    optList(inputs, 'model_inputs', `${field}.inputs`, (m, f) => optString(object(m, f), 'model_id', f));
  }
  if (run.outputs !== undefined && run.outputs !== null) {
    optList(object(run.outputs, `${field}.outputs`), 'model_outputs', `${field}.outputs`, (o, f) => {
      optString(object(o, f), 'model_id', f);
      optNumber(o as Obj, 'step', f);
    });
  }
  return run;
}

export function decodeRun(run: Run): Run {
  return runAt(run, 'run');
}

function modelVersionAt(v: unknown, field: string): ModelVersion {
  const mv = object(v, field) as unknown as ModelVersion & Obj;
  requiredString(mv, 'name', field);
  requiredString(mv, 'version', field, true);
  const strings = ['user_id', 'current_stage', 'description', 'source', 'run_id', 'status', 'status_message', 'run_link', 'model_id'];
  optScalars(mv, field, strings, ['creation_timestamp', 'last_updated_timestamp']);
  optList(mv, 'tags', field, keyValue);
  optList(mv, 'aliases', field, (a, f) => {
    if (typeof a !== 'string') throw new ShapeError(f, 'a string', a);
  });
  return mv;
}

export function decodeModelVersion(v: ModelVersion): ModelVersion {
  return modelVersionAt(v, 'model_version');
}

export function decodeRegisteredModel(m: RegisteredModel): RegisteredModel {
  const field = 'registered_model';
  const rm = object(m, field) as unknown as RegisteredModel & Obj;
  requiredString(rm, 'name', field);
  optScalars(rm, field, ['user_id', 'description'], ['creation_timestamp', 'last_updated_timestamp']);
  optList(rm, 'latest_versions', field, modelVersionAt);
  optList(rm, 'tags', field, keyValue);
  optList(rm, 'aliases', field, (a, f) => {
    const alias = object(a, f);
    requiredString(alias, 'alias', f);
    requiredString(alias, 'version', f, true);
  });
  return rm;
}

export function decodeLoggedModel(m: LoggedModel): LoggedModel {
  const field = 'model';
  const lm = object(m, field) as unknown as LoggedModel & Obj;
  const info = infoAt(
    (lm.info ??= {} as LoggedModel['info']),
    `${field}.info`,
    ['model_id', 'name', 'artifact_uri', 'status', 'status_message', 'model_type', 'source_run_id'],
    ['creation_timestamp_ms', 'last_updated_timestamp_ms'],
  );
  optList(info, 'tags', `${field}.info`, keyValue);
  if (lm.data !== undefined && lm.data !== null) metricsAndParamsAt(lm.data, `${field}.data`);
  return lm;
}

export function decodeExperiment(e: Experiment): Experiment {
  const field = 'experiment';
  const exp = object(e, field) as unknown as Experiment & Obj;
  requiredString(exp, 'experiment_id', field, true);
  requiredString(exp, 'name', field);
  optScalars(exp, field, ['artifact_location', 'lifecycle_stage'], ['creation_time', 'last_update_time']);
  optList(exp, 'tags', field, keyValue);
  return exp;
}

export function decodeFileInfo(f: FileInfo): FileInfo {
  const field = 'file';
  const o = object(f, field);
  requiredString(o, 'path', field);
  optBoolean(o, 'is_dir', field);
  const info: FileInfo = { path: o.path as string, is_dir: o.is_dir === true };
  if (!info.is_dir && o.file_size !== undefined && o.file_size !== null) info.file_size = numberField(o.file_size, `${field}.file_size`);
  return info;
}
