/**
 * The MySQL / MariaDB dialect and connection (driver `mysql2`, pure JavaScript, loaded only when a
 * `mysql://` store is opened). Sessions are read-only (`SET SESSION TRANSACTION READ ONLY`) and
 * use ANSI_QUOTES, so the shared queries' double-quoted identifiers work; statements time out.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions, Pool, PoolOptions } from 'mysql2';
import { cancelledError } from '../types';
import type { Row, SqlConnection, SqlDialect, SqlValue } from './connection';
import type { ServerConnectOptions } from './serverStore';
import type { DatabaseLocation } from './serverUri';

export const MYSQL_DIALECT: SqlDialect = {
  name: 'mysql',
  maxParams: 65_535,
  nullsFirstAscending: true,
  // InnoDB has no insertion order; a query without ORDER BY comes in index order, which is what
  // MLflow's server shows for a run's params and tags: by key.
  insertionOrder: (_alias, fallback) => fallback,
  isTrue: (column) => `${column} = 1`,
  // MLflow's SQL store (SearchUtils.get_sql_comparison_func): MySQL's collations ignore case, so a
  // BINARY comparison is added; the plain one first keeps the index usable.
  compareText: (column, comparator) =>
    comparator === '=' ? { sql: `(${column} = ? AND BINARY ${column} = ?)`, uses: 2 } : { sql: `(${column} != ? OR BINARY ${column} != ?)`, uses: 2 },
  tablesSql: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
};

class MysqlConnection implements SqlConnection {
  readonly dialect = MYSQL_DIALECT;
  constructor(
    private readonly mysql: typeof import('mysql2'),
    private readonly pool: Pool,
    private readonly connectOptions: ConnectionOptions,
    private readonly timeoutMs: number,
  ) {}

  all(sql: string, params: readonly SqlValue[] = [], signal?: AbortSignal): Promise<Row[]> {
    // `query` (escaped on the client) rather than `execute`: LIMIT ? then takes plain numbers.
    const query = { sql, values: params as unknown[], timeout: this.timeoutMs };
    const rowsOf = (rows: unknown) => (rows as Row[]).map((r) => ({ ...r }));
    if (!signal) {
      return new Promise((resolve, reject) => this.pool.query(query, (err, rows) => (err ? reject(err) : resolve(rowsOf(rows)))));
    }
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(cancelledError());
      this.pool.getConnection((connectError, conn) => {
        if (connectError) return reject(connectError);
        if (signal.aborted) {
          conn.release();
          return reject(cancelledError());
        }
        let killed = false;
        const onAbort = () => {
          killed = true;
          reject(cancelledError());
          this.killQuery(conn.threadId);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        conn.query(query, (err, rows) => {
          signal.removeEventListener('abort', onAbort);
          // A connection whose statement was killed goes back to the pool; one where the kill may
          // still be on its way (the statement ended first) is dropped, so no later statement meets it.
          if (killed && (err as { errno?: number } | null)?.errno !== ER_QUERY_INTERRUPTED) conn.destroy();
          else conn.release();
          if (err) reject(err);
          else resolve(rowsOf(rows));
        });
      });
    });
  }

  /** `KILL QUERY` from a connection of its own (the pool's may all be busy); the session stays open. */
  private killQuery(threadId: number): void {
    const killer = this.mysql.createConnection(this.connectOptions);
    killer.on('error', () => undefined);
    killer.query(`KILL QUERY ${Number(threadId)}`, () => killer.destroy());
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.pool.end(() => resolve()));
  }
}

/** MySQL's and MariaDB's error number for a statement stopped by KILL QUERY. */
const ER_QUERY_INTERRUPTED = 1317;

export function connectMysql(loc: DatabaseLocation, options: ServerConnectOptions): SqlConnection {
  const mysql = require('mysql2') as typeof import('mysql2');
  const o = loc.options;
  const ssl: PoolOptions['ssl'] = o.ssl_ca
    ? { ca: readFileSync(o.ssl_ca, 'utf8'), rejectUnauthorized: o.ssl_check_hostname !== 'false' }
    : o.ssl === 'true' || o.ssl_mode?.toUpperCase() === 'REQUIRED'
      ? { rejectUnauthorized: false }
      : undefined;
  const connectOptions: ConnectionOptions = {
    host: loc.host.startsWith('/') ? undefined : loc.host,
    socketPath: loc.host.startsWith('/') ? loc.host : o.unix_socket,
    port: loc.port,
    database: loc.database,
    user: loc.user,
    password: loc.password ?? options.password,
    charset: o.charset ?? 'utf8mb4',
    ssl,
    connectTimeout: options.connectTimeoutMs,
    supportBigNumbers: true,
    dateStrings: true,
    multipleStatements: false,
  };
  const pool = mysql.createPool({ ...connectOptions, connectionLimit: options.poolSize });
  pool.on('connection', (conn) => {
    // Queued before any query on this connection; MariaDB and MySQL name the timeout differently.
    conn.query('SET SESSION TRANSACTION READ ONLY', () => undefined);
    conn.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')", () => undefined);
    conn.query(`SET SESSION max_statement_time = ${options.statementTimeoutMs / 1000}`, () => undefined);
    conn.query(`SET SESSION max_execution_time = ${options.statementTimeoutMs}`, () => undefined);
    conn.on('error', () => undefined);
  });
  return new MysqlConnection(mysql, pool, connectOptions, options.statementTimeoutMs);
}
