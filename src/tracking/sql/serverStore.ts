/**
 * The SQL store over a database server (PostgreSQL, MySQL/MariaDB): opens a small read-only pool
 * for a SQLAlchemy URI, checks that the database holds MLflow's tables, turns driver errors into
 * clear MlflowErrors that name the host but never the password, and reports changes by polling
 * a cheap query at an interval while someone listens.
 */
import { MlflowError, type Disposable, type StoreChangeEvent, type TrackingStore } from '../types';
import type { SqlConnection } from './connection';
import { connectMysql } from './mysql';
import { connectPostgres } from './postgres';
import { parseDatabaseUri, redactPassword, type DatabaseLocation, type ServerDialect } from './serverUri';
import type { ArtifactReaders } from '../artifactReaders';
import { EXPERIMENT, SqlTrackingStore } from './sqlStore';

export interface ServerConnectOptions {
  /** Used when the URI carries none (from SecretStorage). */
  password?: string;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

export interface DatabaseStoreOptions extends Partial<ServerConnectOptions> {
  /** Where relative (file) artifact locations are looked for; default the process's cwd. */
  cwd?: string;
  /** Readers for artifact URIs with a scheme (`s3`). */
  artifactReaders?: ArtifactReaders;
  /** How often onDidChange looks for changes, in ms (default 5000). */
  pollIntervalMs?: number;
  /** False: no onDidChange (nothing polls the database). */
  poll?: boolean;
  /** Let SQL filter, sort and page runs where it can (default). */
  sqlPushdown?: boolean;
}

const REQUIRED_TABLES = ['experiments', 'runs', 'metrics', 'latest_metrics', 'params', 'tags'];
const LABEL: Record<ServerDialect, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL' };

export class DatabaseTrackingStore extends SqlTrackingStore implements TrackingStore {
  readonly kind: ServerDialect;
  private readonly listeners = new Set<(e: StoreChangeEvent) => void>();
  private poller: NodeJS.Timeout | undefined;
  private lastSignatures: Map<string, [string, string]> | undefined;
  private lastFingerprint = '';
  private polling = false;

  private constructor(
    private readonly location: DatabaseLocation,
    private readonly connection: SqlConnection,
    tables: Set<string>,
    private readonly options: DatabaseStoreOptions,
  ) {
    super(connection, tables, {
      displayName: location.redacted,
      storeDir: options.cwd ?? process.cwd(),
      pushdown: options.sqlPushdown,
      artifactReaders: options.artifactReaders,
    });
    this.kind = location.dialect;
  }

  static async open(uri: string, options: DatabaseStoreOptions = {}): Promise<DatabaseTrackingStore> {
    const location = parseDatabaseUri(uri);
    const connect = location.dialect === 'postgresql' ? connectPostgres : connectMysql;
    let connection: SqlConnection;
    try {
      connection = connect(location, {
        password: options.password,
        poolSize: options.poolSize ?? 4,
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        statementTimeoutMs: options.statementTimeoutMs ?? 30_000,
      });
    } catch (e) {
      throw wrapServerError(e, location, options.password);
    }
    try {
      const tables = new Set((await connection.all(connection.dialect.tablesSql)).map((r) => String(r.name ?? r.NAME ?? r.TABLE_NAME)));
      const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
      if (missing.length > 0) {
        const version = tables.has('alembic_version') ? await schemaVersion(connection) : undefined;
        throw new MlflowError(
          missing.length === REQUIRED_TABLES.length
            ? `${location.redacted} has no MLflow tables (no ${missing.slice(0, 2).join(', ')} table). ` +
                'Point MLFLOW_TRACKING_URI at the database MLflow writes to, or create it with `mlflow server --backend-store-uri …`.'
            : `${location.redacted} has an MLflow schema this extension cannot read ` +
                `(schema version ${version ?? 'unknown'}, missing ${missing.join(', ')}); run \`mlflow db upgrade <uri>\`.`,
          'INVALID_STATE',
        );
      }
      if (tables.has('latest_metrics'))
        await connection.all('SELECT is_nan FROM latest_metrics WHERE 1 = 0').catch(async () => {
          const version = (await schemaVersion(connection)) ?? 'unknown';
          throw new MlflowError(
            `${location.redacted} has an older MLflow schema (version ${version}) without metrics' is_nan column; run \`mlflow db upgrade <uri>\`.`,
            'INVALID_STATE',
          );
        });
      return new DatabaseTrackingStore(location, connection, tables, options);
    } catch (e) {
      await connection.close();
      throw wrapServerError(e, location, options.password);
    }
  }

  /** The URI's alembic revision (MLflow's schema version), for messages. */
  async schemaVersion(): Promise<string | undefined> {
    return this.read(() => schemaVersion(this.connection));
  }

  protected async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw wrapServerError(e, this.location, this.options.password);
    }
  }

  /**
   * Polls while someone listens: first a one-row fingerprint of the tables a change touches;
   * only when it moved, the per-run signatures that tell which runs changed.
   */
  onDidChange(listener: (e: StoreChangeEvent) => void): Disposable {
    if (this.options.poll === false) return { dispose: () => undefined };
    this.listeners.add(listener);
    if (!this.poller) {
      void this.poll(true);
      this.poller = setInterval(() => void this.poll(false), this.options.pollIntervalMs ?? 5000);
      this.poller.unref?.();
    }
    return {
      dispose: () => {
        this.listeners.delete(listener);
        if (this.listeners.size === 0) this.stopPolling();
      },
    };
  }

  dispose(): void {
    this.stopPolling();
    this.listeners.clear();
    void this.connection.close();
  }

  private stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
    this.lastSignatures = undefined;
    this.lastFingerprint = '';
  }

  private async poll(first: boolean): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const [f] = await this.connection.all(
        'SELECT (SELECT count(*) FROM runs) AS runs, (SELECT max(end_time) FROM runs) AS ended, ' +
          '(SELECT count(*) FROM latest_metrics) AS metrics, (SELECT sum(step) FROM latest_metrics) AS steps, ' +
          '(SELECT max("timestamp") FROM latest_metrics) AS latest, (SELECT count(*) FROM tags) AS tags, ' +
          '(SELECT count(*) FROM params) AS params, (SELECT max(last_update_time) FROM experiments) AS experiments, ' +
          "(SELECT count(*) FROM runs WHERE status = 'RUNNING') AS running, (SELECT count(*) FROM runs WHERE lifecycle_stage = 'deleted') AS deleted",
      );
      const fingerprint = JSON.stringify(f);
      if (fingerprint === this.lastFingerprint && !first) return;
      this.lastFingerprint = fingerprint;
      const now = await this.signatures();
      const before = this.lastSignatures;
      this.lastSignatures = now;
      if (!before || this.listeners.size === 0) return;
      const events: StoreChangeEvent[] = [];
      const event = (key: string, exp: string): StoreChangeEvent => (key.startsWith(EXPERIMENT) ? { experiment_id: exp } : { experiment_id: exp, run_id: key });
      for (const [key, [exp, sig]] of now) if (before.get(key)?.[1] !== sig) events.push(event(key, exp));
      for (const [key, [exp]] of before) if (!now.has(key)) events.push(event(key, exp));
      for (const e of events.length > 50 ? [{}] : events) for (const l of [...this.listeners]) l(e);
    } catch {
      // The server is away for a moment: the next tick looks again.
    } finally {
      this.polling = false;
    }
  }
}

async function schemaVersion(db: SqlConnection): Promise<string | undefined> {
  try {
    const rows = await db.all('SELECT version_num FROM alembic_version');
    return rows[0] ? String(rows[0].version_num) : undefined;
  } catch {
    return undefined;
  }
}

/** A driver error as an MlflowError naming the server, never the password. */
export function wrapServerError(e: unknown, loc: DatabaseLocation, extraSecret?: string): MlflowError {
  const scrub = (text: string) => {
    let out = redactPassword(text);
    for (const secret of [loc.password, extraSecret]) if (secret) out = out.split(secret).join('***');
    return out;
  };
  if (e instanceof MlflowError) return e.message === scrub(e.message) ? e : new MlflowError(scrub(e.message), e.error_code, e.status);
  const err = e as { code?: string | number; errno?: number; message?: string };
  const code = String(err.code ?? '');
  const message = scrub(err.message ?? String(e));
  const where = `${LABEL[loc.dialect]} at ${loc.host}:${loc.port}`;
  const away = (text: string) => new MlflowError(text, 'TEMPORARILY_UNAVAILABLE');
  if (code === 'ECONNREFUSED') return away(`Cannot connect to ${where}: connection refused. Is the server running and listening on port ${loc.port}?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return away(`Cannot connect to ${where}: unknown host ${loc.host}.`);
  if (code === 'ETIMEDOUT' || /timeout expired|connection timeout/i.test(message)) {
    return away(`Cannot connect to ${where}: no answer in time.`);
  }
  if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
    const user = loc.user ?? '';
    return new MlflowError(`${where} refused user "${user}" for database ${loc.database}: wrong password, or no access (${message}).`, 'PERMISSION_DENIED');
  }
  if (/client password must be a string|password authentication|SASL/i.test(message) && !loc.password && !extraSecret) {
    const hint = 'put it in the URI, or connect with MLflow: Select Store…';
    return new MlflowError(`${where} asks user "${loc.user ?? ''}" for a password: ${hint}.`, 'PERMISSION_DENIED');
  }
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR') return new MlflowError(`${where} has no database ${loc.database}.`, 'RESOURCE_DOES_NOT_EXIST');
  const timedOut = ['57014', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_QUERY_TIMEOUT'].includes(code);
  if (timedOut || /statement timeout|max_statement_time|maximum statement execution time/i.test(message)) {
    return away(`${where} did not answer in time (${message}).`);
  }
  const lost = /^57P0/.test(code) || ['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE'].includes(code);
  if (lost || /terminat|Connection lost|closed state/i.test(message)) {
    return away(`The connection to ${where} was lost (${message}); the next read reconnects.`);
  }
  return new MlflowError(`Cannot read ${loc.redacted}: ${message}`, 'INTERNAL_ERROR');
}
