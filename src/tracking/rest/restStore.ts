/**
 * A TrackingStore over a tracking server's REST API (`/api/2.0/mlflow/...`).
 * Every paged call sends `max_results` (MLflow 3.4–3.6 return no metric points without it,
 * MLflow issue #23916); the calls that promise "everything" follow `next_page_token`.
 */
import {
  MlflowError,
  type Experiment,
  type FileInfo,
  type LoggedModel,
  type Metric,
  type OpenStoreOptions,
  type ReadOptions,
  type Run,
  type SearchExperimentsRequest,
  type SearchLoggedModelsRequest,
  type SearchRegistryRequest,
  type SearchRunsRequest,
  type TrackingStore,
} from '../types';
import { readerFor, type ArtifactReader, type ArtifactReaders } from '../artifactReaders';
import { decodeExperiment, decodeFileInfo, decodeLoggedModel, decodeMetric, decodeModelVersion, decodeRegisteredModel, decodeRun, ShapeError } from './decode';
import { RestClient, type RestClientOptions } from './http';

const API = 'api/2.0/mlflow/';
/** MLflow refuses more run ids in one `get-history-bulk-interval` request. */
const BULK_INTERVAL_RUNS = 100;
/** What the official client asks per history page (the server's cap). */
const HISTORY_PAGE = 25_000;
/** A guard against a server that keeps handing out page tokens. */
const MAX_PAGES = 10_000;

export interface RestStoreOptions extends OpenStoreOptions, RestClientOptions {
  /** Points asked per metric-history page. Default 25,000. */
  historyPageSize?: number;
  /**
   * Readers for artifact roots the client reads itself (`s3://`): a server started with
   * --no-serve-artifacts hands out such URIs, and MLflow's client then goes to the bucket directly.
   */
  artifactReaders?: ArtifactReaders;
}

/** A list field of an answer: absent is empty; anything but a list of objects is a bad answer. */
function list<T>(value: unknown, what: string, server: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((x) => x === null || typeof x !== 'object')) {
    throw new MlflowError(`${server} answered with a malformed ${what} list.`, 'INVALID_RESPONSE');
  }
  return value as T[];
}

/** Decodes every item, or fails with INVALID_RESPONSE naming the field that has the wrong type. */
function decodeAll<T>(items: T[], decode: (item: T) => T, server: string): T[] {
  try {
    return items.map((item) => decode(item));
  } catch (e) {
    if (e instanceof ShapeError) {
      throw new MlflowError(`${server} answered with a malformed ${e.field.replace(/[.[].*$/, '')}: ${e.message}.`, 'INVALID_RESPONSE');
    }
    throw e;
  }
}

function checkRelativePath(path: string): void {
  if (path.split(/[\\/]/).includes('..') || path.startsWith('/')) {
    throw new MlflowError(`Invalid artifact path: ${path}`, 'INVALID_PARAMETER_VALUE');
  }
}

/**
 * The path of a proxied artifact root (`mlflow-artifacts:/<path>`), as segments. A root that climbs
 * out (`..`) or hides a separator or a NUL in a segment is refused: it would address another place
 * on the server than its artifact API, with the user's credentials.
 */
function proxiedRootSegments(uri: string, server: string): string[] {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(uri);
  if (!m) return [];
  let segments: string[];
  try {
    segments = (m[1] ?? '')
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .map((s) => decodeURIComponent(s));
  } catch {
    segments = ['..'];
  }
  if (segments.some((s) => s === '..' || s === '.' || /[\\/\0]/.test(s))) {
    throw new MlflowError(`${server} gave the artifact root '${uri}', which leaves its artifact store; refused.`, 'INVALID_RESPONSE');
  }
  return segments;
}

export class RestTrackingStore implements TrackingStore {
  readonly kind = 'rest' as const;
  readonly displayName: string;
  private readonly client: RestClient;
  private readonly artifactUris = new Map<string, string>();
  private readonly historyPageSize: number;
  private readonly artifactReaders: ArtifactReaders | undefined;

  constructor(url: string, options: RestStoreOptions = {}) {
    this.client = new RestClient(url, options);
    this.historyPageSize = options.historyPageSize ?? HISTORY_PAGE;
    this.artifactReaders = options.artifactReaders;
    this.displayName = this.client.displayUrl;
  }

  async searchExperiments(req: SearchExperimentsRequest = {}, options: ReadOptions = {}) {
    const res = await this.client.postJson<{ experiments?: Experiment[]; next_page_token?: string }>(
      `${API}experiments/search`,
      { max_results: req.max_results ?? 1000, filter: req.filter || undefined, view_type: req.view_type, page_token: req.page_token || undefined },
      options.signal,
    );
    return { experiments: this.decoded<Experiment>(res.experiments, 'experiments', decodeExperiment), next_page_token: this.token(res.next_page_token) };
  }

  async getExperiment(experiment_id: string): Promise<Experiment> {
    const res = await this.client.getJson<{ experiment: Experiment }>(`${API}experiments/get`, { experiment_id });
    return decodeAll([this.required(res.experiment, 'experiment')], decodeExperiment, this.displayName)[0];
  }

  async searchRuns(req: SearchRunsRequest, options: ReadOptions = {}) {
    const res = await this.client.postJson<{ runs?: Run[]; next_page_token?: string }>(
      `${API}runs/search`,
      {
        experiment_ids: req.experiment_ids,
        filter: req.filter || undefined,
        order_by: req.order_by?.length ? req.order_by : undefined,
        run_view_type: req.run_view_type,
        max_results: req.max_results ?? 1000,
        page_token: req.page_token || undefined,
      },
      options.signal,
    );
    const runs = this.decoded<Run>(res.runs, 'runs', decodeRun);
    for (const run of runs) this.rememberArtifactUri(run);
    return { runs, next_page_token: this.token(res.next_page_token) };
  }

  async getRun(run_id: string): Promise<Run> {
    const res = await this.client.getJson<{ run: Run }>(`${API}runs/get`, { run_id });
    const run = decodeAll([this.required(res.run, 'run')], decodeRun, this.displayName)[0];
    this.rememberArtifactUri(run);
    return run;
  }

  async getMetricHistory(run_id: string, metric_key: string, options: ReadOptions = {}): Promise<Metric[]> {
    const points: Metric[] = [];
    await this.eachPage(async (page_token) => {
      const res = await this.client.getJson<{ metrics?: Metric[]; next_page_token?: string }>(
        `${API}metrics/get-history`,
        { run_id, metric_key, max_results: this.historyPageSize, page_token },
        options.signal,
      );
      for (const m of this.decoded<Metric>(res.metrics, 'metrics', decodeMetric)) points.push(m);
      return this.token(res.next_page_token);
    });
    // Stable: equal steps keep the server's (logging) order.
    return points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  }

  /**
   * MLflow's sampled history (`metrics/get-history-bulk-interval`): at most `max_results`
   * points per run, picked evenly by step with the first and last kept, for up to 100 runs a
   * request. A preview to draw while the full history is read: a spike between two samples is
   * missing from it.
   */
  async getMetricHistorySampled(run_ids: readonly string[], metric_key: string, max_results: number): Promise<Map<string, Metric[]>> {
    const out = new Map<string, Metric[]>(run_ids.map((id) => [id, []]));
    const perRequest = Math.max(1, Math.min(2500, Math.round(max_results)));
    for (let i = 0; i < run_ids.length; i += BULK_INTERVAL_RUNS) {
      const batch = run_ids.slice(i, i + BULK_INTERVAL_RUNS);
      const res = await this.client.getJson<{ metrics?: Metric[] }>(`${API}metrics/get-history-bulk-interval`, {
        run_ids: batch,
        metric_key,
        max_results: perRequest,
      });
      // Only points of the runs this request asked for, each with its run.
      const asked = new Set(batch);
      for (const m of this.decoded<Metric>(res.metrics, 'metrics', decodeMetric)) if (asked.has(m.run_id ?? '')) out.get(m.run_id!)!.push(m);
    }
    for (const points of out.values()) points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    return out;
  }

  async listArtifacts(run_id: string, path?: string, options: ReadOptions = {}): Promise<FileInfo[]> {
    if (path) checkRelativePath(path);
    const remote = await this.remoteArtifacts(run_id);
    if (remote) return remote.reader.list(remote.uri, path ?? '', options.signal);
    const files: FileInfo[] = [];
    await this.eachPage(async (page_token) => {
      const res = await this.client.getJson<{ files?: FileInfo[]; next_page_token?: string }>(
        `${API}artifacts/list`,
        { run_id, path: path || undefined, page_token },
        options.signal,
      );
      files.push(...this.decoded<FileInfo>(res.files, 'files', decodeFileInfo));
      return this.token(res.next_page_token);
    });
    return files;
  }

  async readArtifact(run_id: string, path: string): Promise<Uint8Array> {
    checkRelativePath(path);
    const remote = await this.remoteArtifacts(run_id);
    if (remote) return remote.reader.read(remote.uri, path, `run ${run_id}`);
    let artifactUri = this.artifactUris.get(run_id);
    if (artifactUri === undefined) artifactUri = (await this.getRun(run_id)).info.artifact_uri ?? '';
    if (artifactUri.startsWith('mlflow-artifacts:')) {
      // The server's artifact proxy: the URI's path below the artifact root, then ours.
      const root = proxiedRootSegments(artifactUri, this.displayName);
      const full = [...root, ...path.split('/').filter((s) => s !== '' && s !== '.')].map(encodeURIComponent).join('/');
      return this.client.getBytes(`api/2.0/mlflow-artifacts/artifacts/${full}`);
    }
    return this.client.getBytes('get-artifact', { path, run_uuid: run_id });
  }

  async searchRegisteredModels(req: SearchRegistryRequest = {}) {
    const page = await this.searchRegistry('registered-models', 'registered_models', req, 100, 'registered models', decodeRegisteredModel);
    return { registered_models: page.items, next_page_token: page.next_page_token };
  }

  async searchModelVersions(req: SearchRegistryRequest = {}) {
    const page = await this.searchRegistry('model-versions', 'model_versions', req, 10_000, 'model versions', decodeModelVersion);
    return { model_versions: page.items, next_page_token: page.next_page_token };
  }

  /** One page of a registry search (`<what>/search`), MLflow's default page size when none is asked. */
  private async searchRegistry<T>(
    endpoint: 'registered-models' | 'model-versions',
    listKey: 'registered_models' | 'model_versions',
    req: SearchRegistryRequest,
    defaultMax: number,
    what: string,
    decode: (item: T) => T,
  ): Promise<{ items: T[]; next_page_token: string | undefined }> {
    const res = await this.client.getJson<Record<string, unknown>>(`${API}${endpoint}/search`, {
      filter: req.filter || undefined,
      max_results: req.max_results ?? defaultMax,
      page_token: req.page_token || undefined,
    });
    return { items: this.decoded<T>(res[listKey], what, decode), next_page_token: this.token(res.next_page_token) };
  }

  async searchLoggedModels(req: SearchLoggedModelsRequest, options: ReadOptions = {}) {
    const res = await this.client.postJson<{ models?: LoggedModel[]; next_page_token?: string }>(
      `${API}logged-models/search`,
      { experiment_ids: req.experiment_ids, max_results: req.max_results ?? 100, page_token: req.page_token || undefined },
      options.signal,
    );
    return { models: this.decoded<LoggedModel>(res.models, 'logged models', decodeLoggedModel), next_page_token: this.token(res.next_page_token) };
  }

  dispose(): void {
    this.client.dispose();
  }

  /** A run whose artifact root the client reads itself (with a reader for its scheme); asks for the run when its URI is not known yet. */
  private async remoteArtifacts(run_id: string): Promise<{ uri: string; reader: ArtifactReader } | undefined> {
    if (!this.artifactReaders) return undefined;
    let uri = this.artifactUris.get(run_id);
    if (uri === undefined) uri = (await this.getRun(run_id)).info.artifact_uri ?? '';
    const reader = readerFor(uri, this.artifactReaders);
    return reader ? { uri, reader } : undefined;
  }

  private rememberArtifactUri(run: Run): void {
    if (run.info?.run_id && run.info.artifact_uri !== undefined) this.artifactUris.set(run.info.run_id, run.info.artifact_uri);
  }

  /** A list field of an answer, each item's shape checked and decoded. */
  private decoded<T>(value: unknown, what: string, decode: (item: T) => T): T[] {
    return decodeAll(list<T>(value, what, this.displayName), decode, this.displayName);
  }

  /** A page token: a string, or absent; anything else is a malformed answer. */
  private token(value: unknown): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') {
      const actual = Array.isArray(value) ? 'a list' : typeof value;
      throw new MlflowError(`${this.displayName} answered with a malformed next_page_token: ${actual}, expected a string.`, 'INVALID_RESPONSE');
    }
    return value;
  }

  private required<T>(value: T | undefined, what: string): T {
    if (value === undefined || value === null || typeof value !== 'object') {
      throw new MlflowError(`${this.displayName} answered without a ${what}.`, 'INVALID_RESPONSE');
    }
    return value;
  }

  private async eachPage(fetchPage: (token: string | undefined) => Promise<string | undefined>): Promise<void> {
    let token: string | undefined;
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const next = await fetchPage(token);
      if (!next) return;
      if (seen.has(next)) {
        throw new MlflowError(`${this.displayName} returned the same page token twice; stopped paging.`, 'INVALID_RESPONSE');
      }
      seen.add(next);
      token = next;
    }
    throw new MlflowError(`${this.displayName} kept returning pages (more than ${MAX_PAGES}); stopped.`, 'INVALID_RESPONSE');
  }
}
