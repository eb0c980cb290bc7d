/**
 * FileTrackingStore: reads an MLflow `mlruns` folder (never writes to it) and answers like
 * MLflow's tracking server over the same folder.
 *
 * Laziness: a search reads every run's meta.yaml (needed for the view type and MLflow's
 * default order), then only the params/tags/metric files the filter and order_by name
 * (`referencedKeys`), and the whole run only for the page it returns.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodePageToken,
  paginate,
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
} from '../search';
import {
  MlflowError,
  type Disposable,
  type Experiment,
  type FileInfo,
  type LoggedModel,
  type Metric,
  type MetricColumns,
  type MetricReadPosition,
  type MetricTail,
  type ModelVersion,
  type ReadOptions,
  type RegisteredModel,
  type Run,
  type SearchExperimentsRequest,
  type SearchLoggedModelsRequest,
  type SearchRegistryRequest,
  type SearchRunsRequest,
  type StoreChangeEvent,
  type StoreWarning,
  type TrackingStore,
} from '../types';
import { readerFor, type ArtifactReader, type ArtifactReaders } from '../artifactReaders';
import { listArtifactDir, normaliseArtifactPath, readArtifactFile } from './artifacts';
import { ExperimentReader } from './experiments';
import { WarningHub } from './fsRead';
import { isSafeKey } from './keyValueDir';
import { StoreLayout, type RunDir } from './layout';
import { readLoggedModels, type LoadedModel } from './loggedModels';
import { readMetricColumns, readMetricColumnsFrom, readMetricHistory } from './metricFile';
import { readRegistry } from './registry';
import { RunIndex } from './runIndex';
import { RunReader, type LoadedRun } from './runs';
import { searchRuns } from './runSearch';
import { inView, invalid, maxResults, notFound } from './requests';
import { StoreWatcher, type WatchTarget } from './watcher';

/** At most this many running runs get their own watches. */
const MAX_RUN_WATCHES = 500;

export type SearchExperimentsOptions = SearchExperimentsRequest & { order_by?: string[] };
export type SearchRegistryOptions = SearchRegistryRequest & { order_by?: string[] };

export class FileTrackingStore implements TrackingStore {
  readonly kind = 'file' as const;
  readonly displayName: string;
  private readonly hub = new WarningHub();
  private readonly layout: StoreLayout;
  private readonly runs: RunReader;
  private readonly experiments: ExperimentReader;
  private readonly index: RunIndex;
  private readonly changeListeners = new Set<(e: StoreChangeEvent) => void>();
  private watcher: StoreWatcher | undefined;

  constructor(
    readonly root: string,
    /** Readers for artifact roots that are no local folder (`s3://`), by scheme. */
    private readonly artifactReaders?: ArtifactReaders,
  ) {
    this.displayName = root;
    this.layout = new StoreLayout(root, this.hub.warn);
    this.runs = new RunReader(this.hub.warn);
    this.experiments = new ExperimentReader(root, this.hub.warn);
    // A run the index's background check found changed is announced like a change the watcher saw.
    this.index = new RunIndex(this.layout, this.runs, this.hub.warn, undefined, (experiment_id) => this.fireChange({ experiment_id }));
  }

  // ---- experiments

  async searchExperiments(req: SearchExperimentsOptions = {}): Promise<{ experiments: Experiment[]; next_page_token?: string }> {
    const max = maxResults(req.max_results, 1000, 50_000);
    const test = parseExperimentFilter(req.filter);
    const order = parseExperimentOrderBy(req.order_by);
    decodePageToken(req.page_token);
    const all: Experiment[] = [];
    for (const e of this.layout.experiments().values()) {
      const exp = this.experiments.read(e);
      if (exp && inView(exp.lifecycle_stage, req.view_type) && test(exp)) all.push(exp);
    }
    all.sort(order);
    const page = paginate(all, req.page_token, max);
    return page.next_page_token ? { experiments: page.items, next_page_token: page.next_page_token } : { experiments: page.items };
  }

  async getExperiment(experiment_id: string): Promise<Experiment> {
    const e = this.layout.experiment(String(experiment_id));
    const exp = e && this.experiments.read(e);
    if (!exp) throw notFound(`Could not find experiment with ID ${experiment_id}`);
    return exp;
  }

  // ---- runs

  async searchRuns(req: SearchRunsRequest): Promise<{ runs: Run[]; next_page_token?: string }> {
    return searchRuns(this.layout, this.index, this.hub.warn, req);
  }

  private loadRun(run_id: string): LoadedRun {
    const ref = this.layout.findRun(String(run_id));
    if (!ref) throw notFound(`Run '${run_id}' not found`);
    const run = this.runs.info(ref);
    if (!run) throw notFound(`Run '${run_id}' cannot be read: its meta.yaml is missing or invalid (${ref.dir})`);
    return run;
  }

  async getRun(run_id: string): Promise<Run> {
    return this.runs.full(this.loadRun(run_id));
  }

  async getRunOutline(run_id: string): Promise<{ run: Run; metricKeys: string[] }> {
    return this.runs.outline(this.loadRun(run_id));
  }

  async getMetricHistory(run_id: string, metric_key: string): Promise<Metric[]> {
    if (!metric_key) throw invalid("Missing value for required parameter 'metric_key'.");
    const run = this.loadRun(run_id);
    if (!isSafeKey(metric_key)) throw invalid(`Invalid metric name: '${metric_key}'`);
    return readMetricHistory(`${run.ref.dir}/metrics/${metric_key}`, metric_key, run.info.run_id, this.hub.warn);
  }

  async getMetricColumns(run_id: string, metric_key: string): Promise<MetricColumns> {
    if (!metric_key) throw invalid("Missing value for required parameter 'metric_key'.");
    const run = this.loadRun(run_id);
    if (!isSafeKey(metric_key)) throw invalid(`Invalid metric name: '${metric_key}'`);
    return readMetricColumns(`${run.ref.dir}/metrics/${metric_key}`, this.hub.warn);
  }

  async getMetricColumnsAfter(run_id: string, metric_key: string, position: MetricReadPosition | undefined): Promise<MetricTail> {
    if (!metric_key) throw invalid("Missing value for required parameter 'metric_key'.");
    const run = this.loadRun(run_id);
    if (!isSafeKey(metric_key)) throw invalid(`Invalid metric name: '${metric_key}'`);
    const path = `${run.ref.dir}/metrics/${metric_key}`;
    // Metric files only grow; one that is smaller than when last read was rewritten: read it whole.
    let offset = position?.offset ?? 0;
    let restart = position === undefined;
    if (position && fileSize(path) < (position.size ?? 0)) {
      offset = 0;
      restart = true;
    }
    const read = await readMetricColumnsFrom(path, this.hub.warn, offset);
    return { columns: read.columns, restart, position: { offset: read.validEnd, size: read.size } };
  }

  // ---- artifacts

  private artifactDir(run_id: string): string {
    const run = this.loadRun(run_id);
    if (!run.artifactDir) throw invalid(`The artifacts of run '${run_id}' are not in a local folder (${run.info.artifact_uri ?? 'no artifact URI'})`);
    return run.artifactDir;
  }

  async listArtifacts(run_id: string, path?: string, options: ReadOptions = {}): Promise<FileInfo[]> {
    const remote = this.remoteArtifacts(run_id);
    if (remote) return remote.reader.list(remote.uri, normaliseArtifactPath(path), options.signal);
    return listArtifactDir(this.artifactDir(run_id), path, this.hub.warn);
  }

  async readArtifact(run_id: string, path: string): Promise<Uint8Array> {
    const remote = this.remoteArtifacts(run_id);
    if (remote) return remote.reader.read(remote.uri, normaliseArtifactPath(path), `run ${run_id}`);
    return readArtifactFile(this.artifactDir(run_id), path);
  }

  /** A run whose artifact root is a remote location a reader is given for (`s3://…`, logged with a MinIO backend). */
  private remoteArtifacts(run_id: string): { uri: string; reader: ArtifactReader } | undefined {
    const run = this.loadRun(run_id);
    const uri = run.info.artifact_uri;
    const reader = run.artifactDir ? undefined : readerFor(uri, this.artifactReaders);
    return uri && reader ? { uri, reader } : undefined;
  }

  // ---- model registry

  async searchRegisteredModels(req: SearchRegistryOptions = {}): Promise<{ registered_models: RegisteredModel[]; next_page_token?: string }> {
    const models = readRegistry(this.layout, this.hub.warn).map((e) => e.model);
    const page = searchPage(models, req, maxResults(req.max_results, 100, 1000), parseRegisteredModelFilter, parseRegisteredModelOrderBy);
    return page.next_page_token ? { registered_models: page.items, next_page_token: page.next_page_token } : { registered_models: page.items };
  }

  async searchModelVersions(req: SearchRegistryOptions = {}): Promise<{ model_versions: ModelVersion[]; next_page_token?: string }> {
    const versions = readRegistry(this.layout, this.hub.warn).flatMap((e) => e.versions);
    const page = searchPage(versions, req, maxResults(req.max_results, 10_000, 200_000), parseModelVersionFilter, parseModelVersionOrderBy);
    return page.next_page_token ? { model_versions: page.items, next_page_token: page.next_page_token } : { model_versions: page.items };
  }

  // ---- logged models

  private async loggedModels(experimentIds: string[]): Promise<LoadedModel[]> {
    const out: LoadedModel[] = [];
    for (const id of new Set(experimentIds.map(String))) {
      const exp = this.layout.experiment(id);
      if (exp) out.push(...(await readLoggedModels(this.layout, exp, this.hub.warn)));
    }
    return out;
  }

  async searchLoggedModels(req: SearchLoggedModelsRequest): Promise<{ models: LoggedModel[]; next_page_token?: string }> {
    const max = maxResults(req.max_results, 100, 50_000);
    const all = (await this.loggedModels(req.experiment_ids ?? [])).filter((m) => m.lifecycleStage !== 'deleted').map((m) => m.model);
    // MLflow's default order: newest first, then model id.
    all.sort(
      (a, b) =>
        (b.info.creation_timestamp_ms ?? 0) - (a.info.creation_timestamp_ms ?? 0) ||
        (a.info.model_id < b.info.model_id ? -1 : a.info.model_id > b.info.model_id ? 1 : 0),
    );
    const page = paginate(all, req.page_token, max);
    return page.next_page_token ? { models: page.items, next_page_token: page.next_page_token } : { models: page.items };
  }

  /** One logged model by id (searching every experiment), with where its artifacts are. */
  async getLoggedModel(model_id: string): Promise<LoggedModel> {
    return (await this.findLoggedModel(model_id)).model;
  }

  private async findLoggedModel(model_id: string): Promise<LoadedModel> {
    if (isSafeKey(model_id) && !model_id.includes('/')) {
      for (const exp of this.layout.experiments().values()) {
        if (!fs.existsSync(`${exp.dir}/models/${model_id}`)) continue;
        const m = (await readLoggedModels(this.layout, exp, this.hub.warn)).find((x) => x.model.info.model_id === model_id);
        if (m) return m;
      }
    }
    throw notFound(`Logged model with ID '${model_id}' not found`);
  }

  async listLoggedModelArtifacts(model_id: string, path?: string): Promise<FileInfo[]> {
    const m = await this.findLoggedModel(model_id);
    if (!m.artifactDir) throw invalid(`The artifacts of logged model '${model_id}' are not in a local folder`);
    return listArtifactDir(m.artifactDir, path, this.hub.warn);
  }

  async readLoggedModelArtifact(model_id: string, path: string): Promise<Uint8Array> {
    const m = await this.findLoggedModel(model_id);
    if (!m.artifactDir) throw invalid(`The artifacts of logged model '${model_id}' are not in a local folder`);
    return readArtifactFile(m.artifactDir, path);
  }

  // ---- change and warning subscriptions

  onDidChange(listener: (e: StoreChangeEvent) => void): Disposable {
    this.changeListeners.add(listener);
    if (!this.watcher) {
      this.watcher = new StoreWatcher({ targets: () => this.watchTargets() }, (e) => this.fireChange(e));
    }
    return {
      dispose: () => {
        this.changeListeners.delete(listener);
        if (this.changeListeners.size === 0 && this.watcher) {
          this.watcher.dispose();
          this.watcher = undefined;
        }
      },
    };
  }

  private fireChange(e: StoreChangeEvent): void {
    for (const l of [...this.changeListeners]) {
      try {
        l(e);
      } catch {
        // one listener's failure must not stop the others
      }
    }
  }

  /** What the watcher watches (see watcher.ts for why). Uses cached run infos where it can. */
  private watchTargets(): WatchTarget[] {
    const targets: WatchTarget[] = [{ path: this.root }];
    if (fs.existsSync(this.layout.trashDir)) targets.push({ path: this.layout.trashDir });
    let running = 0;
    for (const exp of this.layout.experiments().values()) {
      targets.push({ path: exp.dir, experimentId: exp.id });
      for (const ref of this.layout.runs(exp)) {
        const run = this.runs.peek(ref) ?? this.runs.info(ref);
        if (!run || run.info.status !== 'RUNNING' || running >= MAX_RUN_WATCHES) continue;
        running++;
        const t = { experimentId: exp.id, runId: ref.runId };
        targets.push({ path: ref.dir, ...t });
        if (fs.existsSync(`${ref.dir}/metrics`)) targets.push({ path: `${ref.dir}/metrics`, ...t });
      }
    }
    return targets;
  }

  onWarning(listener: (w: StoreWarning) => void): Disposable {
    return this.hub.add(listener);
  }

  /**
   * Forgets the run index (Refresh): the next search reads the runs again, which picks up what
   * the index cannot see cheaply (a key added to a finished run, a tag rewritten in place).
   */
  forgetCachedRuns(): void {
    this.index.forget();
  }

  /** Resolves when the run index is not reading in the background (for tests and benchmarks). */
  runIndexSettled(): Promise<void> {
    return this.index.settled();
  }

  dispose(): void {
    this.index.dispose();
    this.watcher?.dispose();
    this.watcher = undefined;
    this.changeListeners.clear();
    this.hub.clear();
  }

  /** For the watcher test and diagnostics. */
  get watchCount(): number {
    return this.watcher?.watchCount ?? 0;
  }

  /** A run folder, for callers that want to open it in the editor. */
  runFolder(run_id: string): RunDir | undefined {
    return this.layout.findRun(run_id);
  }
}

/** Opens the `mlruns` folder at a path or `file:` URI. Fails when it is not a readable folder. */
export async function openFileStore(rootPath: string, artifactReaders?: ArtifactReaders): Promise<FileTrackingStore> {
  let p = rootPath;
  if (p.startsWith('file:')) {
    try {
      p = fileURLToPath(p.startsWith('file://') ? p : p.replace(/^file:/, 'file://'));
    } catch {
      // `file:./mlruns` (relative): MLflow accepts it
      p = p.replace(/^file:(\/\/)?/, '');
    }
  }
  const root = path.resolve(p);
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(root);
  } catch {
    throw notFound(`No MLflow file store at '${root}': the folder does not exist`);
  }
  if (!st.isDirectory()) throw new MlflowError(`'${root}' is not a folder, so not an MLflow file store`, 'INVALID_PARAMETER_VALUE');
  return new FileTrackingStore(root, artifactReaders);
}

function fileSize(path: string): number {
  try {
    return fs.statSync(path).size;
  } catch {
    return 0;
  }
}

/** One page of `items` that pass the request's filter, in its order (MLflow's registry searches). */
function searchPage<T>(
  items: T[],
  req: SearchRegistryOptions,
  max: number,
  parseFilter: (filter?: string) => (item: T) => boolean,
  parseOrder: (orderBy?: string[]) => (a: T, b: T) => number,
): { items: T[]; next_page_token?: string } {
  const kept = items.filter(parseFilter(req.filter));
  kept.sort(parseOrder(req.order_by));
  return paginate(kept, req.page_token, max);
}
