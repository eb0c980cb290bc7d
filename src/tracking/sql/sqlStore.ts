/**
 * A read-only TrackingStore over MLflow's SQLAlchemy schema, for any dialect (SQLite, PostgreSQL,
 * MySQL): it answers what MLflow's server answers over the same database (checked against recorded
 * answers). Run search is in runSearch.ts, the model registry in registry.ts; a dialect's store
 * (sqlite/, postgres/, mysql/) supplies the connection, error wording and change notification.
 */
import { paginate, parseExperimentFilter, parseExperimentOrderBy } from '../search';
import {
  MlflowError,
  type Experiment,
  type FileInfo,
  type LoggedModel,
  type Metric,
  type MetricReadPosition,
  type MetricTail,
  type SearchExperimentsRequest,
  type SearchLoggedModelsRequest,
  type SearchRegistryRequest,
  type ReadOptions,
  type SearchRunsRequest,
  type TrackingStore,
} from '../types';
import { readerFor, type ArtifactReaders } from '../artifactReaders';
import { checkArtifactPath, listLocalArtifacts, readLocalArtifact, resolveArtifactRoot } from './artifacts';
import { withSignal, type SqlConnection } from './connection';
import { searchModelVersions, searchRegisteredModels } from './registry';
import { allIn, checkMaxResults, keyValues, loadLoggedModels, loadRuns, metricFromRow, metricValue, num, put, RUN_COLUMNS, str } from './rows';
import { searchRuns, STAGES } from './runSearch';

/** A change-signature key for an experiment (run keys are run ids). */
export const EXPERIMENT = 'experiment:';

export interface SqlStoreSettings {
  displayName: string;
  /** Where relative artifact locations are looked for (the db's folder, or the cwd for a server). */
  storeDir: string;
  pushdown?: boolean;
  /** Readers for artifact URIs with a scheme (`s3`), by scheme. */
  artifactReaders?: ArtifactReaders;
}

export abstract class SqlTrackingStore implements Partial<TrackingStore> {
  readonly displayName: string;
  readonly storeDir: string;
  protected readonly pushdown: boolean;

  protected constructor(
    protected readonly db: SqlConnection,
    protected readonly tables: Set<string>,
    protected readonly settings: SqlStoreSettings,
  ) {
    this.displayName = settings.displayName;
    this.storeDir = settings.storeDir;
    this.pushdown = settings.pushdown ?? true;
  }

  /** Runs one read; database errors become MlflowErrors (and a busy SQLite file is retried). */
  protected abstract read<T>(fn: () => Promise<T>): Promise<T>;

  async searchExperiments(req: SearchExperimentsRequest = {}, options: ReadOptions = {}) {
    return this.read(async () => {
      const maxResults = checkMaxResults(req.max_results, 1000, 50_000);
      const matches = parseExperimentFilter(req.filter);
      const stages = STAGES[req.view_type ?? 'ACTIVE_ONLY'];
      const all = (await this.experiments(undefined, options.signal)).filter((e) => stages.includes(e.lifecycle_stage) && matches(e));
      all.sort(parseExperimentOrderBy(undefined));
      const p = paginate(all, req.page_token, maxResults);
      return { experiments: p.items, next_page_token: p.next_page_token };
    });
  }

  async getExperiment(experiment_id: string): Promise<Experiment> {
    return this.read(async () => {
      const e = /^\d+$/.test(experiment_id) ? (await this.experiments(experiment_id))[0] : undefined;
      if (!e) throw new MlflowError(`No Experiment with id=${experiment_id} exists`, 'RESOURCE_DOES_NOT_EXIST');
      return e;
    });
  }

  async searchRuns(req: SearchRunsRequest, options: ReadOptions = {}) {
    return this.read(() => searchRuns({ db: withSignal(this.db, options.signal), tables: this.tables, pushdown: this.pushdown }, req));
  }

  async getRun(run_id: string) {
    return this.read(async () => {
      const rows = await this.db.all(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_uuid = ?`, [run_id]);
      if (rows.length === 0) throw new MlflowError(`Run with id=${run_id} not found`, 'RESOURCE_DOES_NOT_EXIST');
      return (await loadRuns(this.db, this.tables, rows))[0];
    });
  }

  async getMetricHistory(run_id: string, metric_key: string, options: ReadOptions = {}): Promise<Metric[]> {
    return this.read(async () =>
      (
        await withSignal(this.db, options.signal).all(
          'SELECT "key", value, "timestamp", step, is_nan FROM metrics WHERE run_uuid = ? AND "key" = ? ORDER BY step, "timestamp"',
          [run_id, metric_key],
        )
      ).map(metricFromRow),
    );
  }

  /**
   * Points logged after the position: those with a later timestamp than any read before.
   * A point that arrived since with an earlier or equal timestamp (the same millisecond, or
   * backdated) changes the count of those at or before it: then the whole history is read again.
   */
  async getMetricColumnsAfter(run_id: string, metric_key: string, position: MetricReadPosition | undefined): Promise<MetricTail> {
    return this.read(async () => {
      const where = 'FROM metrics WHERE run_uuid = ? AND "key" = ?';
      let restart = position === undefined;
      let after = -Infinity;
      let held = 0;
      if (position) {
        const [{ n }] = await this.db.all(`SELECT COUNT(*) AS n ${where} AND "timestamp" <= ?`, [run_id, metric_key, position.timestamp]);
        if (Number(n) === position.count) {
          after = position.timestamp;
          held = position.count;
        } else restart = true;
      }
      const rows = Number.isFinite(after)
        ? await this.db.all(`SELECT value, "timestamp", step, is_nan ${where} AND "timestamp" > ? ORDER BY step, "timestamp"`, [run_id, metric_key, after])
        : await this.db.all(`SELECT value, "timestamp", step, is_nan ${where} ORDER BY step, "timestamp"`, [run_id, metric_key]);
      const columns = { steps: new Float64Array(rows.length), timestamps: new Float64Array(rows.length), values: new Float64Array(rows.length) };
      let latest = Number.isFinite(after) ? after : -Infinity;
      rows.forEach((row, i) => {
        columns.steps[i] = num(row.step) ?? 0;
        columns.timestamps[i] = num(row.timestamp) ?? 0;
        columns.values[i] = metricValue(row.value, row.is_nan);
        latest = Math.max(latest, columns.timestamps[i]);
      });
      return { columns, restart, position: { timestamp: Number.isFinite(latest) ? latest : -1, count: held + rows.length } };
    });
  }

  async listArtifacts(run_id: string, path?: string, options: ReadOptions = {}): Promise<FileInfo[]> {
    const rel = checkArtifactPath(path);
    const uri = await this.artifactUri(run_id, options.signal);
    const reader = readerFor(uri, this.settings.artifactReaders);
    if (uri && reader) return reader.list(uri, rel, options.signal);
    return listLocalArtifacts(uri ? resolveArtifactRoot(uri, this.storeDir, run_id) : undefined, rel);
  }

  async readArtifact(run_id: string, path: string): Promise<Uint8Array> {
    const rel = checkArtifactPath(path);
    const uri = await this.artifactUri(run_id);
    const reader = readerFor(uri, this.settings.artifactReaders);
    if (uri && reader) return reader.read(uri, rel, `run ${run_id}`);
    return readLocalArtifact(uri ? resolveArtifactRoot(uri, this.storeDir, run_id) : undefined, rel, `run ${run_id}`);
  }

  async searchRegisteredModels(req: SearchRegistryRequest = {}) {
    return this.read(() => searchRegisteredModels(this.db, this.tables, req));
  }

  async searchModelVersions(req: SearchRegistryRequest = {}) {
    return this.read(() => searchModelVersions(this.db, this.tables, req));
  }

  async searchLoggedModels(req: SearchLoggedModelsRequest, options: ReadOptions = {}) {
    return this.read(async () => {
      const db = withSignal(this.db, options.signal);
      const maxResults = checkMaxResults(req.max_results, 100, 50_000);
      const expIds = (req.experiment_ids ?? []).map(Number).filter((n) => Number.isInteger(n));
      if (!this.tables.has('logged_models') || expIds.length === 0) return { models: [] as LoggedModel[] };
      const rows = await allIn(
        db,
        "SELECT * FROM logged_models WHERE experiment_id IN IN_LIST AND (lifecycle_stage IS NULL OR lifecycle_stage != 'deleted') ORDER BY creation_timestamp_ms DESC, model_id",
        expIds,
      );
      const p = paginate(rows, req.page_token, maxResults);
      return { models: await loadLoggedModels(db, p.items), next_page_token: p.next_page_token };
    });
  }

  private async experiments(onlyId?: string, signal?: AbortSignal): Promise<Experiment[]> {
    const db = withSignal(this.db, signal);
    const where = onlyId === undefined ? '' : ' WHERE experiment_id = ?';
    const params = onlyId === undefined ? [] : [Number(onlyId)];
    const rows = await db.all(`SELECT * FROM experiments${where}`, params);
    const tags = this.tables.has('experiment_tags')
      ? await keyValues(db, `SELECT experiment_id AS id, "key", value FROM experiment_tags${where} ORDER BY ORDER_INSERTION(, "key")`, params)
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

  private async artifactUri(run_id: string, signal?: AbortSignal): Promise<string | undefined> {
    const run = (await this.read(() => withSignal(this.db, signal).all('SELECT artifact_uri FROM runs WHERE run_uuid = ?', [run_id])))[0];
    if (!run) throw new MlflowError(`Run with id=${run_id} not found`, 'RESOURCE_DOES_NOT_EXIST');
    return str(run.artifact_uri);
  }

  /**
   * A small per-run signature (and one per experiment), for change notification: run_uuid (or
   * `experiment:<id>`) → [experiment_id, signature].
   */
  protected async signatures(): Promise<Map<string, [string, string]>> {
    const out = new Map<string, [string, string]>();
    for (const r of await this.db.all('SELECT experiment_id, name, lifecycle_stage, last_update_time FROM experiments')) {
      out.set(`${EXPERIMENT}${r.experiment_id}`, [String(r.experiment_id), `${r.name}|${r.lifecycle_stage}|${r.last_update_time}`]);
    }
    const counts = async (table: string, extra = '') => {
      const m = new Map<string, string>();
      for (const r of await this.db.all(`SELECT run_uuid, count(*) AS n${extra} FROM ${table} GROUP BY run_uuid`)) {
        m.set(String(r.run_uuid), `${r.n}${extra ? `,${r.t},${r.s}` : ''}`);
      }
      return m;
    };
    const metrics = await counts('latest_metrics', ', max("timestamp") AS t, sum(step) AS s');
    const params = await counts('params');
    const tags = await counts('tags');
    for (const r of await this.db.all('SELECT run_uuid, experiment_id, name, status, end_time, lifecycle_stage FROM runs')) {
      const id = String(r.run_uuid);
      const sig = `${r.name}|${r.status}|${r.end_time}|${r.lifecycle_stage}|${metrics.get(id)}|${params.get(id)}|${tags.get(id)}`;
      out.set(id, [String(r.experiment_id), sig]);
    }
    return out;
  }
}
