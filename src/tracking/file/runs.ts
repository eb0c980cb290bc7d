/**
 * Runs: `meta.yaml` → RunInfo (cached per file by mtime and size), and the run's data
 * (params, tags, latest metrics, inputs, outputs), either all of it or only the keys a
 * search needs.
 */
import * as fs from 'node:fs';
import type { DatasetInput, KeyValue, Metric, Run, RunInfo, RunStatus } from '../types';
import { resolveArtifactRoot } from './artifacts';
import { describeError, listDir, readSmallFile, readText, type Warn } from './fsRead';
import { isSafeKey, listKeyFiles, readKey, readKeyValueDir } from './keyValueDir';
import type { RunDir } from './layout';
import { assignDefined, int, keyValues, parseMetaYaml, str, type Meta } from './metaYaml';
import { LatestMetricCache } from './metricFile';

const STATUS: Record<number, RunStatus> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };
const STATUS_NAMES = new Set<string>(Object.values(STATUS));

export interface LoadedRun {
  ref: RunDir;
  info: RunInfo;
  /** Local artifact folder, when the artifact URI is local. */
  artifactDir?: string;
}

interface MetaEntry {
  text: string;
  run?: LoadedRun;
}

/** Which keys a search needs (from the search module's referencedKeys). */
export interface NeededKeys {
  metrics: Iterable<string>;
  params: Iterable<string>;
  tags: Iterable<string>;
}

/** Reads a small file only when its (mtime, size) changed; undefined text means "unchanged". */
export function readIfChanged(path: string, cached: { mtimeMs: number; size: number } | undefined): { mtimeMs: number; size: number; text?: string } {
  const fd = fs.openSync(path, 'r');
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) {
      const e = new Error('is a folder') as NodeJS.ErrnoException;
      e.code = 'EISDIR';
      throw e;
    }
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return { mtimeMs: st.mtimeMs, size: st.size };
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = fs.readSync(fd, buf, off, st.size - off, off);
      if (n <= 0) break;
      off += n;
    }
    return { mtimeMs: st.mtimeMs, size: st.size, text: buf.toString('utf8', 0, off) };
  } finally {
    fs.closeSync(fd);
  }
}

export class RunReader {
  private readonly metas = new Map<string, MetaEntry>();
  readonly latest: LatestMetricCache;

  constructor(private readonly warn: Warn) {
    this.latest = new LatestMetricCache(warn);
  }

  /**
   * The run's info, or undefined (with a warning) when its meta.yaml is missing or unusable.
   * Cached per file and validated by content rather than mtime: reading a tiny file costs
   * what stat-ing it does, and comparing the text is cheaper than parsing it again.
   */
  info(ref: RunDir): LoadedRun | undefined {
    const path = `${ref.dir}/meta.yaml`;
    let text: string;
    try {
      text = readSmallFile(path);
    } catch (e) {
      this.metas.delete(path);
      this.warn(path, `run skipped: cannot read meta.yaml: ${describeError(e)}`);
      return undefined;
    }
    const cached = this.metas.get(path);
    if (cached && cached.text === text) return cached.run;
    let run: LoadedRun | undefined;
    try {
      if (text.trim() === '') throw new Error('meta.yaml is empty');
      run = runFromMeta(parseMetaYaml(text), ref);
    } catch (e) {
      this.warn(path, `run skipped: ${(e as Error).message}`);
    }
    this.metas.set(path, { text, run });
    return run;
  }

  /** The cached info without touching the disk (may be stale). */
  peek(ref: RunDir): LoadedRun | undefined {
    return this.metas.get(`${ref.dir}/meta.yaml`)?.run;
  }

  /** The whole run as the server returns it: latest metrics, params, tags, inputs, outputs. */
  async full(run: LoadedRun): Promise<Run> {
    const { dir } = run.ref;
    const params = readKeyValueDir(`${dir}/params`, this.warn);
    const tags = readKeyValueDir(`${dir}/tags`, this.warn);
    const metrics: Metric[] = [];
    for (const key of listKeyFiles(`${dir}/metrics`, this.warn)) {
      const m = await this.latest.latest(`${dir}/metrics/${key}`, key, run.info.run_id, hasEnded(run.info));
      if (m) metrics.push(m);
    }
    const info = withRunName(run.info, tags);
    const out: Run = { info, data: data(metrics, params, tags), inputs: this.inputs(run), outputs: this.outputs(run) };
    return out;
  }

  /**
   * The run with its params and tags but no metric values, and the keys of the metrics it
   * logged (the names of its metric files): what a chart needs before it reads histories,
   * without reading every metric file for its latest value.
   */
  outline(run: LoadedRun): { run: Run; metricKeys: string[] } {
    const { dir } = run.ref;
    const params = readKeyValueDir(`${dir}/params`, this.warn);
    const tags = readKeyValueDir(`${dir}/tags`, this.warn);
    const metricKeys = listKeyFiles(`${dir}/metrics`, this.warn);
    return { run: { info: withRunName(run.info, tags), data: data([], params, tags) }, metricKeys };
  }

  /** The run with only the given keys loaded: enough to filter and order, cheap to read. */
  async partial(run: LoadedRun, keys: NeededKeys): Promise<Run> {
    const { dir } = run.ref;
    const metrics: Metric[] = [];
    for (const key of keys.metrics) {
      if (!isSafeKey(key)) continue;
      const m = await this.latest.latest(`${dir}/metrics/${key}`, key, run.info.run_id, hasEnded(run.info));
      if (m) metrics.push(m);
    }
    const params: KeyValue[] = [];
    for (const key of keys.params) {
      const value = readKey(`${dir}/params`, key, this.warn);
      if (value !== undefined) params.push({ key, value });
    }
    const tags: KeyValue[] = [];
    for (const key of keys.tags) {
      const value = readKey(`${dir}/tags`, key, this.warn);
      if (value !== undefined) tags.push({ key, value });
    }
    let info = run.info;
    if (info.run_name === undefined) {
      const name = readKey(`${dir}/tags`, 'mlflow.runName', this.warn);
      if (name !== undefined) info = { ...info, run_name: name };
    }
    return { info, data: { metrics, params, tags } };
  }

  inputsOf(run: LoadedRun): Run['inputs'] {
    return this.inputs(run);
  }

  private inputs(run: LoadedRun): Run['inputs'] {
    const dataset_inputs: DatasetInput[] = [];
    const model_inputs: { model_id: string }[] = [];
    const base = `${run.ref.dir}/inputs`;
    for (const d of listDir(base, this.warn).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const meta = this.readMeta(`${base}/${d.name}/meta.yaml`);
      if (!meta) continue;
      const sourceType = str(meta.source_type);
      const sourceId = str(meta.source_id);
      if (!sourceId) continue;
      if (sourceType === 'MODEL') {
        model_inputs.push({ model_id: sourceId });
      } else if (sourceType === 'DATASET') {
        if (!isSafeKey(sourceId)) continue;
        const ds = this.readMeta(`${run.ref.experimentDir}/datasets/${sourceId}/meta.yaml`);
        if (!ds) continue;
        const dataset: DatasetInput['dataset'] = {
          name: str(ds.name) ?? '',
          digest: str(ds.digest) ?? '',
          source_type: str(ds.source_type) ?? '',
          source: str(ds.source) ?? '',
        };
        const schema = str(ds.schema);
        const profile = str(ds.profile);
        if (schema !== undefined) dataset.schema = schema;
        if (profile !== undefined) dataset.profile = profile;
        const tags = keyValues(meta.tags);
        dataset_inputs.push(tags.length ? { tags, dataset } : { dataset });
      }
    }
    const out: NonNullable<Run['inputs']> = {};
    if (dataset_inputs.length) out.dataset_inputs = dataset_inputs;
    if (model_inputs.length) out.model_inputs = model_inputs;
    return out;
  }

  private outputs(run: LoadedRun): Run['outputs'] {
    const model_outputs: { model_id: string; step: number }[] = [];
    const base = `${run.ref.dir}/outputs`;
    for (const d of listDir(base, this.warn).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const meta = this.readMeta(`${base}/${d.name}/meta.yaml`);
      if (!meta) continue;
      model_outputs.push({ model_id: str(meta.source_id) ?? d.name, step: int(meta.step) ?? 0 });
    }
    return model_outputs.length ? { model_outputs } : {};
  }

  private readMeta(path: string): Meta | undefined {
    const text = readText(path, this.warn);
    if (text === undefined) return undefined;
    try {
      return parseMetaYaml(text);
    } catch (e) {
      this.warn(path, `skipped: ${(e as Error).message}`);
      return undefined;
    }
  }
}

function data(metrics: Metric[], params: KeyValue[], tags: KeyValue[]): Run['data'] {
  const d: Run['data'] = {};
  if (metrics.length) d.metrics = metrics;
  if (params.length) d.params = params;
  if (tags.length) d.tags = tags;
  return d;
}

/** Older runs have no run_name in meta.yaml; MLflow then takes the mlflow.runName tag. */
function withRunName(info: RunInfo, tags: KeyValue[]): RunInfo {
  if (info.run_name !== undefined) return info;
  const t = tags.find((x) => x.key === 'mlflow.runName');
  return t ? { ...info, run_name: t.value } : info;
}

export function runFromMeta(meta: Meta, ref: RunDir): LoadedRun {
  const runId = str(meta.run_id) ?? str(meta.run_uuid) ?? ref.runId;
  if (runId !== ref.runId) throw new Error(`meta.yaml names run '${runId}' but the folder is '${ref.runId}'`);
  const experimentId = str(meta.experiment_id) ?? ref.experimentId;
  // MLflow refuses such a run too ("metadata is in invalid state").
  if (experimentId !== ref.experimentId) throw new Error(`meta.yaml names experiment '${experimentId}' but the run is in folder '${ref.experimentId}'`);
  const rawStatus = meta.status;
  const status =
    typeof rawStatus === 'number' ? STATUS[rawStatus] : typeof rawStatus === 'string' && STATUS_NAMES.has(rawStatus) ? (rawStatus as RunStatus) : undefined;
  if (!status) throw new Error(`unknown run status ${JSON.stringify(rawStatus)}`);
  const stage = str(meta.lifecycle_stage) ?? 'active';
  if (stage !== 'active' && stage !== 'deleted') throw new Error(`unknown lifecycle_stage '${stage}'`);
  const art = resolveArtifactRoot(str(meta.artifact_uri), `${ref.dir}/artifacts`, [ref.experimentId, ref.runId, 'artifacts']);
  const info: RunInfo = { run_id: runId, run_uuid: runId, experiment_id: experimentId, status, lifecycle_stage: stage };
  assignDefined(info, {
    run_name: str(meta.run_name),
    user_id: str(meta.user_id),
    start_time: int(meta.start_time),
    end_time: int(meta.end_time),
    artifact_uri: art.uri,
  });
  return { ref, info, artifactDir: art.dir };
}

/** A run that will log no more: an unfinished last metric line will never be completed. */
function hasEnded(info: RunInfo): boolean {
  return info.status === 'FINISHED' || info.status === 'FAILED' || info.status === 'KILLED';
}
