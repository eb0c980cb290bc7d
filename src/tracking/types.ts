/**
 * The tracking data model, shaped like MLflow's REST JSON (snake_case field names),
 * so that a run read from disk equals the same run served by a real tracking server.
 * Plain module: no `vscode` import. Every store returns these shapes.
 */

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export type LifecycleStage = 'active' | 'deleted';

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage: LifecycleStage;
  last_update_time?: number;
  creation_time?: number;
  tags?: KeyValue[];
}

/** One metric point. `value` is a JS number: MLflow's `"NaN"`/`"Infinity"` become `NaN`/`Infinity`. */
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  run_id?: string;
  model_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}

export interface RunInfo {
  run_id: string;
  /** MLflow still serves the deprecated duplicate of `run_id`. */
  run_uuid?: string;
  run_name?: string;
  experiment_id: string;
  user_id?: string;
  status: RunStatus;
  start_time?: number;
  end_time?: number;
  artifact_uri?: string;
  lifecycle_stage: LifecycleStage;
}

export interface RunData {
  /** The latest value of each metric (highest step, then latest timestamp). */
  metrics?: Metric[];
  params?: KeyValue[];
  tags?: KeyValue[];
}

export interface Dataset {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  tags?: KeyValue[];
  dataset: Dataset;
}

export interface RunInputs {
  dataset_inputs?: DatasetInput[];
  model_inputs?: { model_id: string }[];
}

export interface RunOutputs {
  model_outputs?: { model_id: string; step: number }[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs?: RunInputs;
  outputs?: RunOutputs;
}

export interface FileInfo {
  /** Relative to the run's artifact root, `/`-separated. */
  path: string;
  is_dir: boolean;
  /** Omitted for folders, as MLflow does. */
  file_size?: number;
  /** Local stores: the entry is a symbolic link (one that cannot be followed safely is listed as not a folder). */
  is_symlink?: boolean;
  /** Local stores: the target a symbolic link names, as written in the link. */
  link_target?: string;
  /** Local stores: why a symbolic link is not followed: it leads back to a folder it is in or never ends, out of the artifact root, or nowhere. */
  link_problem?: 'loop' | 'outside_root' | 'broken';
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  status_message?: string;
  run_link?: string;
  tags?: KeyValue[];
  aliases?: string[];
  model_id?: string;
}

/** A model version's fields in the order MLflow serves them. */
const MODEL_VERSION_FIELDS = [
  'creation_timestamp',
  'last_updated_timestamp',
  'user_id',
  'current_stage',
  'description',
  'source',
  'run_id',
  'status',
  'status_message',
  'run_link',
  'tags',
] as const;

/**
 * One definition of a model version as the stores build it (file registry, SQL registry): the
 * fields a store has, in MLflow's order, leaving out absent ones (undefined or null).
 */
export function modelVersionOf(fields: ModelVersion): ModelVersion {
  const v: ModelVersion = { name: fields.name, version: fields.version };
  for (const key of MODEL_VERSION_FIELDS) {
    const value = fields[key];
    if (value !== undefined && value !== null) (v as unknown as Record<string, unknown>)[key] = value;
  }
  return v;
}

export interface RegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  description?: string;
  latest_versions?: ModelVersion[];
  tags?: KeyValue[];
  aliases?: { alias: string; version: string }[];
}

export interface LoggedModelInfo {
  model_id: string;
  experiment_id: string;
  name: string;
  artifact_uri?: string;
  creation_timestamp_ms?: number;
  last_updated_timestamp_ms?: number;
  status?: string;
  status_message?: string;
  model_type?: string;
  source_run_id?: string;
  tags?: KeyValue[];
}

export interface LoggedModel {
  info: LoggedModelInfo;
  data?: { params?: KeyValue[]; metrics?: Metric[] };
}

export interface SearchExperimentsRequest {
  filter?: string;
  view_type?: ViewType;
  max_results?: number;
  page_token?: string;
}

export interface SearchRunsRequest {
  experiment_ids: string[];
  filter?: string;
  order_by?: string[];
  run_view_type?: ViewType;
  max_results?: number;
  page_token?: string;
}

export interface SearchRegistryRequest {
  filter?: string;
  max_results?: number;
  page_token?: string;
}

export interface SearchLoggedModelsRequest {
  experiment_ids: string[];
  max_results?: number;
  page_token?: string;
}

export interface StoreChangeEvent {
  experiment_id?: string;
  run_id?: string;
}

/** A metric history as columns, in step order (file order among equal steps). */
export interface MetricColumns {
  steps: Float64Array;
  timestamps: Float64Array;
  values: Float64Array;
}

/** Where an incremental read of a metric history stopped: opaque to callers, handed back to go on. */
export interface MetricReadPosition {
  readonly [field: string]: number;
}

/** What an incremental read found. */
export interface MetricTail {
  /** The points found after the position, in step order. */
  columns: MetricColumns;
  /** The columns are the whole history again (the history was rewritten), not an addition. */
  restart: boolean;
  position: MetricReadPosition;
}

export interface Disposable {
  dispose(): void;
}

/** A problem a local store met and stepped over (a bad run folder, a malformed metric line). */
export interface StoreWarning {
  path: string;
  message: string;
}

/**
 * What a caller passes to a read it may give up on (a tree node collapsed, a filter changed):
 * an aborted signal stops the read, its SQL statement or HTTP request included, and the call
 * rejects with an MlflowError whose error_code is CANCELLED.
 */
export interface ReadOptions {
  signal?: AbortSignal;
}

export interface TrackingStore {
  /** A short description for the UI: the folder, database file or server URL (never credentials). */
  readonly displayName: string;
  readonly kind: 'file' | 'sqlite' | 'rest' | 'postgresql' | 'mysql';
  searchExperiments(req?: SearchExperimentsRequest, options?: ReadOptions): Promise<{ experiments: Experiment[]; next_page_token?: string }>;
  getExperiment(experiment_id: string): Promise<Experiment>;
  searchRuns(req: SearchRunsRequest, options?: ReadOptions): Promise<{ runs: Run[]; next_page_token?: string }>;
  getRun(run_id: string): Promise<Run>;
  /**
   * The run without its metrics' latest values, and the keys of the metrics it logged: what
   * a chart needs before it reads histories. Offered where the latest values cost a read of
   * every metric file (the file store); elsewhere `getRun` is as cheap.
   */
  getRunOutline?(run_id: string): Promise<{ run: Run; metricKeys: string[] }>;
  /** Every point, in step order. */
  getMetricHistory(run_id: string, metric_key: string, options?: ReadOptions): Promise<Metric[]>;
  /**
   * The same points as columns (charts of a million points need no million objects);
   * stores that can read straight into typed arrays offer it.
   */
  getMetricColumns?(run_id: string, metric_key: string): Promise<MetricColumns>;
  /**
   * The points logged since `position` (none given: all of them), for a chart that follows a
   * running run: local stores read only what was appended.
   */
  getMetricColumnsAfter?(run_id: string, metric_key: string, position: MetricReadPosition | undefined): Promise<MetricTail>;
  /**
   * A sample of each run's history (tracking servers: MLflow's `get-history-bulk-interval`), at
   * most `max_results` points per run: something to draw at once while the full history is read.
   */
  getMetricHistorySampled?(run_ids: readonly string[], metric_key: string, max_results: number): Promise<Map<string, Metric[]>>;
  listArtifacts(run_id: string, path?: string, options?: ReadOptions): Promise<FileInfo[]>;
  readArtifact(run_id: string, path: string): Promise<Uint8Array>;
  searchRegisteredModels(req?: SearchRegistryRequest): Promise<{ registered_models: RegisteredModel[]; next_page_token?: string }>;
  searchModelVersions(req?: SearchRegistryRequest): Promise<{ model_versions: ModelVersion[]; next_page_token?: string }>;
  searchLoggedModels(req: SearchLoggedModelsRequest, options?: ReadOptions): Promise<{ models: LoggedModel[]; next_page_token?: string }>;
  /** Local stores only: fires (debounced) when runs are added or changed, metrics appended. */
  onDidChange?(listener: (e: StoreChangeEvent) => void): Disposable;
  /** Local stores: problems met while reading, each with the path; a caller may show them. */
  onWarning?(listener: (w: StoreWarning) => void): Disposable;
  /** Stores that keep runs in memory: forget them, so the next search reads the store again (Refresh). */
  forgetCachedRuns?(): void;
  dispose(): void;
}

export interface OpenStoreOptions {
  token?: string;
  username?: string;
  password?: string;
  /** A PEM file of extra certificate authorities to trust, besides the system's. */
  caFile?: string;
  /** Per-request timeout for the REST store, in ms. */
  timeoutMs?: number;
}

/** Errors carry MLflow's `error_code` (from the server, or the local equivalent) and an HTTP status when remote. */
export class MlflowError extends Error {
  constructor(
    message: string,
    readonly error_code: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MlflowError';
  }
}

/** The error a read stopped through its signal rejects with. */
export function cancelledError(): MlflowError {
  return new MlflowError('The read was cancelled.', 'CANCELLED');
}

export function isCancelled(error: unknown): boolean {
  return error instanceof MlflowError && error.error_code === 'CANCELLED';
}

/** Throws the cancellation error when the signal has fired (checked before each statement or request). */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}
