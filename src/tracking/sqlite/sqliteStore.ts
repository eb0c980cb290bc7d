/**
 * The SQLite dialect of the shared SQL store (../sql): MLflow's `sqlite:///mlflow.db`, read-only
 * through node:sqlite or sql.js (backend.ts), with busy retries and file-watching change events.
 */
import { dirname, resolve } from 'node:path';
import type { Row, SqlConnection, SqlDialect, SqlValue } from '../sql/connection';
import type { ArtifactReaders } from '../artifactReaders';
import { SqlTrackingStore } from '../sql/sqlStore';
import { MlflowError, type Disposable, type StoreChangeEvent, type TrackingStore } from '../types';
import { openBackend, type BackendName, type SqlBackend } from './backend';
import { DbWatcher } from './watch';

export interface SqliteStoreOptions {
  /** Force a reader; default: `node:sqlite` when the runtime has it, else `sql.js`. */
  backend?: BackendName;
  /** Let SQL filter, sort and page runs where it can (default). Tests turn it off to check the other path. */
  sqlPushdown?: boolean;
  /** Readers for artifact URIs with a scheme (`s3`). */
  artifactReaders?: ArtifactReaders;
}

/** Waits between busy retries grow 100, 150, ... 450 ms: about 3 s in all, with node:sqlite's own 100 ms waits. */
const BUSY_RETRIES = 8;

export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  maxParams: 999,
  nullsFirstAscending: true,
  insertionOrder: (alias) => `${alias}rowid`,
  isTrue: (column) => `${column} = 1`,
  compareText: (column, comparator) => ({ sql: `${column} ${comparator} ?`, uses: 1 }),
  tablesSql: "SELECT name FROM sqlite_master WHERE type = 'table'",
};

/** The synchronous SQLite reader behind the shared layer's async connection. */
class SqliteConnection implements SqlConnection {
  readonly dialect = SQLITE_DIALECT;
  constructor(readonly backend: SqlBackend) {}
  async all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.backend.all(
      sql,
      params.map((p) => (typeof p === 'boolean' ? Number(p) : p)),
    );
  }
  close(): void {
    this.backend.close();
  }
}

export class SqliteTrackingStore extends SqlTrackingStore implements TrackingStore {
  readonly kind = 'sqlite' as const;
  private watcher: DbWatcher | undefined;

  private constructor(
    readonly dbPath: string,
    private readonly connection: SqliteConnection,
    tables: Set<string>,
    options: SqliteStoreOptions,
  ) {
    super(connection, tables, { displayName: dbPath, storeDir: dirname(dbPath), pushdown: options.sqlPushdown, artifactReaders: options.artifactReaders });
  }

  static async open(path: string, options: SqliteStoreOptions = {}): Promise<SqliteTrackingStore> {
    const dbPath = resolve(path);
    const connection = new SqliteConnection(await openBackend(dbPath, options.backend));
    try {
      const tables = new Set(connection.backend.all(SQLITE_DIALECT.tablesSql).map((r) => String(r.name)));
      if (!tables.has('runs') || !tables.has('experiments')) {
        throw new MlflowError(`${dbPath} is an SQLite database but not an MLflow tracking store (no runs table).`, 'INVALID_STATE');
      }
      return new SqliteTrackingStore(dbPath, connection, tables, options);
    } catch (e) {
      connection.close();
      throw wrap(e, dbPath);
    }
  }

  /** Which reader this store uses. */
  get backend(): BackendName {
    return this.connection.backend.name;
  }

  onDidChange(listener: (e: StoreChangeEvent) => void): Disposable {
    this.watcher ??= new DbWatcher(this.dbPath, {
      signatures: () => {
        this.connection.backend.refresh();
        return this.signatures();
      },
    });
    return this.watcher.subscribe(listener);
  }

  dispose(): void {
    this.watcher?.dispose();
    this.connection.close();
  }

  /**
   * Runs one short read (on a fresh snapshot for sql.js); SQLite errors become MlflowErrors.
   * node:sqlite blocks the thread while it waits for a lock, so its busy timeout is short; while a
   * writer holds the database the read is retried here, waiting without blocking, up to ~3 s.
   */
  protected async read<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.connection.backend.refresh();
        return await fn();
      } catch (e) {
        const err = wrap(e, this.dbPath);
        if (err.error_code !== 'TEMPORARILY_UNAVAILABLE' || attempt >= BUSY_RETRIES) throw err;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
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
