/**
 * MLflow's JSON, made into the store's shapes: "NaN"/"Infinity" strings become numbers, int64s
 * sent as strings (protobuf JSON allows both) become numbers, absent lists stay absent.
 */
import type { LoggedModel, Metric, ModelVersion, RegisteredModel, Run } from '../types';

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

function optNumber<T extends object>(obj: T, key: keyof T): void {
  const v = obj[key] as unknown;
  if (v !== undefined && v !== null && typeof v !== 'number') (obj as Record<keyof T, unknown>)[key] = toNumber(v);
}

export function decodeMetric(m: Metric): Metric {
  m.value = toNumber(m.value);
  optNumber(m, 'timestamp');
  optNumber(m, 'step');
  if (m.step === undefined) m.step = 0;
  return m;
}

export function decodeRun(run: Run): Run {
  run.info = run.info ?? ({} as Run['info']);
  run.data = run.data ?? {};
  optNumber(run.info, 'start_time');
  optNumber(run.info, 'end_time');
  run.data.metrics?.forEach(decodeMetric);
  run.outputs?.model_outputs?.forEach((o) => optNumber(o, 'step'));
  return run;
}

export function decodeModelVersion(v: ModelVersion): ModelVersion {
  optNumber(v, 'creation_timestamp');
  optNumber(v, 'last_updated_timestamp');
  return v;
}

export function decodeRegisteredModel(m: RegisteredModel): RegisteredModel {
  optNumber(m, 'creation_timestamp');
  optNumber(m, 'last_updated_timestamp');
  m.latest_versions?.forEach(decodeModelVersion);
  return m;
}

export function decodeLoggedModel(m: LoggedModel): LoggedModel {
  m.info = m.info ?? ({} as LoggedModel['info']);
  optNumber(m.info, 'creation_timestamp_ms');
  optNumber(m.info, 'last_updated_timestamp_ms');
  m.data?.metrics?.forEach(decodeMetric);
  return m;
}
