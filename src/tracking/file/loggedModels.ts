/** MLflow 3 logged models: `<exp>/models/m-<hex>/` with meta.yaml, params, tags, metrics, artifacts. */
import type { LoggedModel, Metric } from '../types';
import { resolveArtifactRoot } from './artifacts';
import { readText, type Warn } from './fsRead';
import { listKeyFiles, readKeyValueDir } from './keyValueDir';
import type { ExperimentDir, StoreLayout } from './layout';
import { assignDefined, int, parseMetaYaml, str } from './metaYaml';
import { readModelMetrics } from './metricFile';

const STATUS: Record<number, string> = {
  0: 'LOGGED_MODEL_STATUS_UNSPECIFIED',
  1: 'LOGGED_MODEL_PENDING',
  2: 'LOGGED_MODEL_READY',
  3: 'LOGGED_MODEL_UPLOAD_FAILED',
};

export interface LoadedModel {
  model: LoggedModel;
  artifactDir?: string;
  lifecycleStage: string;
}

export async function readLoggedModels(layout: StoreLayout, exp: ExperimentDir, warn: Warn): Promise<LoadedModel[]> {
  const out: LoadedModel[] = [];
  const base = `${exp.dir}/models`;
  for (const folder of layout.subfolders(base)) {
    const m = await readLoggedModel(`${base}/${folder}`, exp, folder, warn);
    if (m) out.push(m);
  }
  return out;
}

export async function readLoggedModel(dir: string, exp: ExperimentDir, folder: string, warn: Warn): Promise<LoadedModel | undefined> {
  const path = `${dir}/meta.yaml`;
  const text = readText(path, warn);
  if (text === undefined) return undefined;
  let meta;
  try {
    if (text.trim() === '') throw new Error('meta.yaml is empty');
    meta = parseMetaYaml(text);
  } catch (e) {
    warn(path, `logged model skipped: ${(e as Error).message}`);
    return undefined;
  }
  const modelId = str(meta.model_id) ?? folder;
  const experimentId = str(meta.experiment_id) ?? exp.id;
  const art = resolveArtifactRoot(str(meta.artifact_location), `${dir}/artifacts`, [exp.id, 'models', folder, 'artifacts']);
  const info: LoggedModel['info'] = { model_id: modelId, experiment_id: experimentId, name: str(meta.name) ?? '' };
  assignDefined(info, {
    creation_timestamp_ms: int(meta.creation_timestamp),
    last_updated_timestamp_ms: int(meta.last_updated_timestamp),
    artifact_uri: art.uri,
    status: (typeof meta.status === 'number' ? STATUS[meta.status] : str(meta.status)) || undefined,
    status_message: str(meta.status_message),
    model_type: str(meta.model_type),
    source_run_id: str(meta.source_run_id),
  });
  const tags = readKeyValueDir(`${dir}/tags`, warn);
  if (tags.length) info.tags = tags;
  const params = readKeyValueDir(`${dir}/params`, warn);
  const metrics: Metric[] = [];
  for (const key of listKeyFiles(`${dir}/metrics`, warn)) metrics.push(...(await readModelMetrics(`${dir}/metrics/${key}`, key, modelId, warn)));
  const data: NonNullable<LoggedModel['data']> = {};
  if (params.length) data.params = params;
  if (metrics.length) data.metrics = metrics;
  return { model: { info, data }, artifactDir: art.dir, lifecycleStage: str(meta.lifecycle_stage) ?? 'active' };
}
