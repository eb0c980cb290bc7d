/**
 * A read-only TrackingStore over MLflow's SQLAlchemy database (`sqlite:///mlflow.db`), answering
 * what MLflow's server answers over the same file (checked against recorded answers).
 *
 * Run search follows MLflow's SQL store. What translates exactly into SQL (runQuery.ts) is done
 * there, paging included; the rest of a filter (LIKE, ILIKE, datasets) is tested with the shared
 * search module over the rows SQL returns, with NaN compared as 0 (MLflow's SQL store compares the
 * stored `value` column, where NaN is 0; the file store never matches NaN: a deliberate
 * difference, the one MLflow itself has). Sorting is SQL's: for a metric, param or tag, rows
 * without the key sort last and NaN metrics just before them, whichever the direction; NULL
 * attributes sort first ascending; ties by start_time DESC, then run id. Only the page's runs are
 * then loaded in full.
 */
import { dirname, resolve } from 'node:path';
import {
  decodePageToken,
  encodePageToken,
  paginate,
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
  parseRunFilter,
  referencedKeys,
  runMatches,
} from '../search';
import {
  MlflowError,
  type Disposable,
  type Experiment,
  type FileInfo,
  type LoggedModel,
  type Metric,
  type ModelVersion,
  type RegisteredModel,
  type Run,
  type SearchExperimentsRequest,
  type SearchLoggedModelsRequest,
  type SearchRegistryRequest,
  type SearchRunsRequest,
  type StoreChangeEvent,
  type TrackingStore,
  type ViewType,
} from '../types';
import { checkArtifactPath, listLocalArtifacts, readLocalArtifact, resolveArtifactRoot } from './artifacts';
import { openBackend, type BackendName, type SqlBackend, type SqlValue } from './backend';
import { compareSql } from './runOrder';
import { tryBuildRunQuery } from './runQuery';
import { allIn, attachDatasets, FULL_RUN, loadLoggedModels, loadRuns, metricFromRow, modelVersion, num, placeholders, put, RUN_COLUMNS, str } from './rows';
import { DbWatcher, EXPERIMENT } from './watch';

export interface SqliteStoreOptions {
  /** Force a reader; default: `node:sqlite` when the runtime has it, else `sql.js`. */
  backend?: BackendName;
  /** Let SQL filter, sort and page runs where it can (default). Tests turn it off to check the other path. */
  sqlPushdown?: boolean;
}

/** Waits between busy retries grow 100, 150, ... 450 ms: about 3 s in all, with node:sqlite's own 100 ms waits. */
const BUSY_RETRIES = 8;

const STAGES: Record<ViewType, string[]> = {
  ACTIVE_ONLY: ['active'],
  DELETED_ONLY: ['deleted'],
  ALL: ['active', 'deleted'],
};

function checkMaxResults(value: number | undefined, fallback: number, limit: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > limit) {
    throw new MlflowError(
      `Invalid value for request parameter max_results. It must be at most ${limit}, but got value ${n}`,
      'INVALID_PARAMETER_VALUE',
    );
  }
  return n;
}

function page<T>(items: T[], maxResults: number, token: string | undefined): { items: T[]; next?: string } {
  const p = paginate(items, token, maxResults);
  return { items: p.items, next: p.next_page_token };
}

export class SqliteTrackingStore implements TrackingStore {
  readonly kind = 'sqlite' as const;
  readonly displayName: string;
  readonly storeDir: string;
  private readonly tables: Set<string>;
  private watcher: DbWatcher | undefined;

  private constructor(
    readonly dbPath: string,
    private readonly db: SqlBackend,
    private readonly pushdown: boolean,
  ) {
    this.displayName = dbPath;
    this.storeDir = dirname(dbPath);
    this.tables = new Set(db.all("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => String(r.name)));
    if (!this.tables.has('runs') || !this.tables.has('experiments')) {
      throw new MlflowError(`${dbPath} is an SQLite database but not an MLflow tracking store (no runs table).`, 'INVALID_STATE');
    }
  }

  static async open(path: string, options: SqliteStoreOptions = {}): Promise<SqliteTrackingStore> {
    const dbPath = resolve(path);
    const db = await openBackend(dbPath, options.backend);
    try {
      return new SqliteTrackingStore(dbPath, db, options.sqlPushdown ?? true);
    } catch (e) {
      db.close();
      throw wrap(e, dbPath);
    }
  }

  /** Which reader this store uses. */
  get backend(): BackendName {
    return this.db.name;
  }

  async searchExperiments(req: SearchExperimentsRequest = {}) {
    return this.read(() => {
      const maxResults = checkMaxResults(req.max_results, 1000, 50_000);
      const matches = parseExperimentFilter(req.filter);
      const stages = STAGES[req.view_type ?? 'ACTIVE_ONLY'];
      const all = this.experiments().filter((e) => stages.includes(e.lifecycle_stage) && matches(e));
      all.sort(parseExperimentOrderBy(undefined));
      const p = page(all, maxResults, req.page_token);
      return { experiments: p.items, next_page_token: p.next };
    });
  }

  async getExperiment(experiment_id: string): Promise<Experiment> {
    return this.read(() => {
      const e = /^\d+$/.test(experiment_id) ? this.experiments(experiment_id)[0] : undefined;
      if (!e) throw new MlflowError(`No Experiment with id=${experiment_id} exists`, 'RESOURCE_DOES_NOT_EXIST');
      return e;
    });
  }

  async searchRuns(req: SearchRunsRequest) {
    return this.read(() => {
      const maxResults = checkMaxResults(req.max_results, 1000, 50_000);
      const filter = parseRunFilter(req.filter);
      const order = parseOrderBy(req.order_by);
      const offset = decodePageToken(req.page_token);
      const expIds = (req.experiment_ids ?? []).map((id) => Number(id)).filter((n) => Number.isInteger(n));
      if (expIds.length === 0) return { runs: [] as Run[] };
      const stages = STAGES[req.run_view_type ?? 'ACTIVE_ONLY'];
      const query = this.pushdown ? tryBuildRunQuery(expIds, stages, filter.conditions, order) : undefined;

      let pageIds: SqlValue[];
      let more: boolean;
      if (query?.exact) {
        // SQL applies the whole filter and order: it pages too.
        const ids = this.db.all(`${query.idsSql} LIMIT ? OFFSET ?`, [...query.params, maxResults + 1, offset]).map((r) => r.run_uuid);
        more = ids.length > maxResults;
        pageIds = ids.slice(0, maxResults);
      } else if (query) {
        // SQL has sorted and narrowed; the search module decides the conditions SQL could not.
        const candidates = this.db.all(query.candidatesSql, query.params).map(query.partialRun);
        if (filter.conditions.some((c) => c.kind === 'dataset')) attachDatasets(this.db, this.tables, candidates);
        const matched = candidates.filter((r) => runMatches(filter, r, { nanAs: 'zero' }));
        more = offset + maxResults < matched.length;
        pageIds = matched.slice(offset, offset + maxResults).map((r) => r.info.run_id);
      } else {
        const rows = this.db.all(
          `SELECT ${RUN_COLUMNS} FROM runs WHERE experiment_id IN (${placeholders(expIds.length)}) AND lifecycle_stage IN (${placeholders(stages.length)})`,
          [...expIds, ...stages],
        );
        const keys = referencedKeys(filter, order);
        const candidates = loadRuns(this.db, this.tables, rows, { keys, datasets: keys.datasets, models: false, modelInputs: false });
        const matched = filter.conditions.length > 0 ? candidates.filter((r) => runMatches(filter, r, { nanAs: 'zero' })) : candidates;
        matched.sort(compareSql(order));
        more = offset + maxResults < matched.length;
        pageIds = matched.slice(offset, offset + maxResults).map((r) => r.info.run_id);
      }
      // The page's runs in full, in the page's order.
      const byId = new Map(allIn(this.db, `SELECT ${RUN_COLUMNS} FROM runs WHERE run_uuid IN IN_LIST`, pageIds).map((r) => [r.run_uuid, r]));
      const pageRows = pageIds.map((id) => byId.get(id)!);
      const runs = loadRuns(this.db, this.tables, pageRows, { ...FULL_RUN, modelInputs: false });
      return { runs, next_page_token: more ? encodePageToken(offset + maxResults) : undefined };
    });
  }

  async getRun(run_id: string): Promise<Run> {
    return this.read(() => {
      const rows = this.db.all(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_uuid = ?`, [run_id]);
      if (rows.length === 0) throw new MlflowError(`Run with id=${run_id} not found`, 'RESOURCE_DOES_NOT_EXIST');
      return loadRuns(this.db, this.tables, rows)[0];
    });
  }

  async getMetricHistory(run_id: string, metric_key: string): Promise<Metric[]> {
    return this.read(() =>
      this.db
        .all('SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? AND key = ? ORDER BY step, timestamp', [run_id, metric_key])
        .map(metricFromRow),
    );
  }

  async listArtifacts(run_id: string, path?: string): Promise<FileInfo[]> {
    const rel = checkArtifactPath(path);
    return listLocalArtifacts(await this.artifactRoot(run_id), rel);
  }

  async readArtifact(run_id: string, path: string): Promise<Uint8Array> {
    const rel = checkArtifactPath(path);
    return readLocalArtifact(await this.artifactRoot(run_id), rel, `run ${run_id}`);
  }

  async searchRegisteredModels(req: SearchRegistryRequest = {}) {
    return this.read(() => {
      const maxResults = checkMaxResults(req.max_results, 100, 1000);
      const matches = parseRegisteredModelFilter(req.filter);
      if (!this.tables.has('registered_models')) return { registered_models: [] as RegisteredModel[] };
      const tags = this.keyValues('SELECT name AS id, key, value FROM registered_model_tags ORDER BY rowid', 'registered_model_tags');
      const aliases = new Map<string, { alias: string; version: string }[]>();
      if (this.tables.has('registered_model_aliases')) {
        for (const r of this.db.all('SELECT name, alias, version FROM registered_model_aliases ORDER BY rowid')) {
          const list = aliases.get(String(r.name)) ?? [];
          list.push({ alias: String(r.alias), version: String(r.version) });
          aliases.set(String(r.name), list);
        }
      }
      const latest = new Map<string, Map<string, ModelVersion>>();
      for (const v of this.modelVersions()) {
        const stage = v.current_stage ?? 'None';
        const byStage = latest.get(v.name) ?? new Map<string, ModelVersion>();
        latest.set(v.name, byStage);
        const prev = byStage.get(stage);
        if (!prev || Number(prev.version) < Number(v.version)) byStage.set(stage, v);
      }
      const models = this.db.all('SELECT * FROM registered_models ORDER BY name').map((r) => {
        const name = String(r.name);
        const m: RegisteredModel = { name };
        put(m, 'creation_timestamp', num(r.creation_time));
        put(m, 'last_updated_timestamp', num(r.last_updated_time));
        put(m, 'description', str(r.description));
        const lv = [...(latest.get(name)?.values() ?? [])];
        if (lv.length) m.latest_versions = lv;
        put(m, 'tags', tags.get(name));
        put(m, 'aliases', aliases.get(name));
        return m;
      });
      const p = page(models.filter(matches).sort(parseRegisteredModelOrderBy(undefined)), maxResults, req.page_token);
      return { registered_models: p.items, next_page_token: p.next };
    });
  }

  async searchModelVersions(req: SearchRegistryRequest = {}) {
    return this.read(() => {
      const maxResults = checkMaxResults(req.max_results, 10_000, 200_000);
      const matches = parseModelVersionFilter(req.filter);
      const versions = this.modelVersions().filter(matches);
      versions.sort(parseModelVersionOrderBy(undefined));
      const p = page(versions, maxResults, req.page_token);
      return { model_versions: p.items, next_page_token: p.next };
    });
  }

  async searchLoggedModels(req: SearchLoggedModelsRequest) {
    return this.read(() => {
      const maxResults = checkMaxResults(req.max_results, 100, 50_000);
      const expIds = (req.experiment_ids ?? []).map(Number).filter((n) => Number.isInteger(n));
      if (!this.tables.has('logged_models') || expIds.length === 0) return { models: [] as LoggedModel[] };
      const rows = allIn(
        this.db,
        "SELECT * FROM logged_models WHERE experiment_id IN IN_LIST AND (lifecycle_stage IS NULL OR lifecycle_stage != 'deleted') ORDER BY creation_timestamp_ms DESC, model_id",
        expIds,
      );
      const p = page(rows, maxResults, req.page_token);
      return { models: loadLoggedModels(this.db, p.items), next_page_token: p.next };
    });
  }

  onDidChange(listener: (e: StoreChangeEvent) => void): Disposable {
    this.watcher ??= new DbWatcher(this.dbPath, { signatures: () => this.signatures() });
    return this.watcher.subscribe(listener);
  }

  dispose(): void {
    this.watcher?.dispose();
    this.db.close();
  }

  /** Runs one short read, on a fresh snapshot for sql.js; SQLite errors become MlflowErrors. */
  /**
   * Runs one short read (on a fresh snapshot for sql.js); SQLite errors become MlflowErrors.
   * node:sqlite blocks the thread while it waits for a lock, so its busy timeout is short; while a
   * writer holds the database the read is retried here, waiting without blocking, up to ~3 s.
   */
  private async read<T>(fn: () => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.db.refresh();
        return fn();
      } catch (e) {
        const err = wrap(e, this.dbPath);
        if (err.error_code !== 'TEMPORARILY_UNAVAILABLE' || attempt >= BUSY_RETRIES) throw err;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  }

  private experiments(onlyId?: string): Experiment[] {
    const where = onlyId === undefined ? '' : ' WHERE experiment_id = ?';
    const rows = this.db.all(`SELECT * FROM experiments${where}`, onlyId === undefined ? [] : [Number(onlyId)]);
    const tags = this.tables.has('experiment_tags')
      ? this.keyValues(`SELECT experiment_id AS id, key, value FROM experiment_tags${where} ORDER BY rowid`, 'experiment_tags', onlyId === undefined ? [] : [Number(onlyId)])
      : new Map();
    return rows.map((r) => {
      const e: Experiment = {
        experiment_id: String(r.experiment_id),
        name: String(r.name),
        lifecycle_stage: str(r.lifecycle_stage) === 'deleted' ? 'deleted' : 'active',
      };
      put(e, 'artifact_location', str(r.artifact_location));
      put(e, 'last_update_time', num(r.last_update_time));
      put(e, 'creation_time', num(r.creation_time));
      put(e, 'tags', tags.get(e.experiment_id));
      return e;
    });
  }

  private keyValues(sql: string, table: string, params: (string | number)[] = []) {
    const out = new Map<string, { key: string; value: string }[]>();
    if (!this.tables.has(table)) return out;
    for (const r of this.db.all(sql, params)) {
      const id = String(r.id);
      const list = out.get(id) ?? [];
      list.push({ key: String(r.key), value: str(r.value) ?? '' });
      out.set(id, list);
    }
    return out;
  }

  private modelVersions(): ModelVersion[] {
    if (!this.tables.has('model_versions')) return [];
    const tags = new Map<string, { key: string; value: string }[]>();
    if (this.tables.has('model_version_tags')) {
      for (const r of this.db.all('SELECT name, version, key, value FROM model_version_tags ORDER BY rowid')) {
        const id = `${r.name}\u0000${r.version}`;
        const list = tags.get(id) ?? [];
        list.push({ key: String(r.key), value: str(r.value) ?? '' });
        tags.set(id, list);
      }
    }
    return this.db
      .all("SELECT * FROM model_versions WHERE current_stage IS NULL OR current_stage != 'Deleted_Internal'")
      .map((r) => modelVersion(r, tags.get(`${r.name}\u0000${r.version}`)));
  }

  private async artifactRoot(run_id: string): Promise<string | undefined> {
    const run = (await this.read(() => this.db.all('SELECT artifact_uri FROM runs WHERE run_uuid = ?', [run_id])))[0];
    if (!run) throw new MlflowError(`Run with id=${run_id} not found`, 'RESOURCE_DOES_NOT_EXIST');
    const uri = str(run.artifact_uri);
    return uri ? resolveArtifactRoot(uri, this.storeDir, run_id) : undefined;
  }

  private signatures(): Map<string, [string, string]> {
    this.db.refresh();
    const out = new Map<string, [string, string]>();
    for (const r of this.db.all('SELECT experiment_id, name, lifecycle_stage, last_update_time FROM experiments')) {
      out.set(`${EXPERIMENT}${r.experiment_id}`, [String(r.experiment_id), `${r.name}|${r.lifecycle_stage}|${r.last_update_time}`]);
    }
    const counts = (table: string, extra = '') => {
      const m = new Map<string, string>();
      for (const r of this.db.all(`SELECT run_uuid, count(*) AS n${extra} FROM ${table} GROUP BY run_uuid`)) {
        m.set(String(r.run_uuid), `${r.n}${extra ? `,${r.t},${r.s}` : ''}`);
      }
      return m;
    };
    const metrics = counts('latest_metrics', ', max(timestamp) AS t, sum(step) AS s');
    const params = counts('params');
    const tags = counts('tags');
    for (const r of this.db.all('SELECT run_uuid, experiment_id, name, status, end_time, lifecycle_stage FROM runs')) {
      const id = String(r.run_uuid);
      const sig = `${r.name}|${r.status}|${r.end_time}|${r.lifecycle_stage}|${metrics.get(id)}|${params.get(id)}|${tags.get(id)}`;
      out.set(id, [String(r.experiment_id), sig]);
    }
    return out;
  }
}

function wrap(e: unknown, dbPath: string): MlflowError {
  if (e instanceof MlflowError) return e;
  const message = (e as Error)?.message ?? String(e);
  if (/not a database|malformed|encrypted/i.test(message)) {
    return new MlflowError(`${dbPath} is not a readable SQLite database (${message}).`, 'INVALID_STATE');
  }
  if (/busy|locked/i.test(message)) {
    return new MlflowError(`${dbPath} is busy (another process is writing); try again.`, 'TEMPORARILY_UNAVAILABLE');
  }
  return new MlflowError(`Cannot read ${dbPath}: ${message}`, 'INTERNAL_ERROR');
}
