/**
 * The MySQL / MariaDB dialect and connection (driver `mysql2`, pure JavaScript, loaded only when a
 * `mysql://` store is opened). Sessions are read-only (`SET SESSION TRANSACTION READ ONLY`) and
 * use ANSI_QUOTES, so the shared queries' double-quoted identifiers work; statements time out.
 */
import { readFileSync } from 'node:fs';
import type { Pool, PoolOptions } from 'mysql2';
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
    private readonly pool: Pool,
    private readonly timeoutMs: number,
  ) {}

  all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return new Promise((resolve, reject) => {
      // `query` (escaped on the client) rather than `execute`: LIMIT ? then takes plain numbers.
      this.pool.query({ sql, values: params as unknown[], timeout: this.timeoutMs }, (err, rows) => {
        if (err) reject(err);
        else resolve((rows as Row[]).map((r) => ({ ...r })));
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.pool.end(() => resolve()));
  }
}

export function connectMysql(loc: DatabaseLocation, options: ServerConnectOptions): SqlConnection {
  const mysql = require('mysql2') as typeof import('mysql2');
  const o = loc.options;
  const ssl: PoolOptions['ssl'] = o.ssl_ca
    ? { ca: readFileSync(o.ssl_ca, 'utf8'), rejectUnauthorized: o.ssl_check_hostname !== 'false' }
    : o.ssl === 'true' || o.ssl_mode?.toUpperCase() === 'REQUIRED'
      ? { rejectUnauthorized: false }
      : undefined;
  const pool = mysql.createPool({
    host: loc.host.startsWith('/') ? undefined : loc.host,
    socketPath: loc.host.startsWith('/') ? loc.host : o.unix_socket,
    port: loc.port,
    database: loc.database,
    user: loc.user,
    password: loc.password ?? options.password,
    charset: o.charset ?? 'utf8mb4',
    ssl,
    connectionLimit: options.poolSize,
    connectTimeout: options.connectTimeoutMs,
    supportBigNumbers: true,
    dateStrings: true,
    multipleStatements: false,
  });
  pool.on('connection', (conn) => {
    // Queued before any query on this connection; MariaDB and MySQL name the timeout differently.
    conn.query('SET SESSION TRANSACTION READ ONLY', () => undefined);
    conn.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')", () => undefined);
    conn.query(`SET SESSION max_statement_time = ${options.statementTimeoutMs / 1000}`, () => undefined);
    conn.query(`SET SESSION max_execution_time = ${options.statementTimeoutMs}`, () => undefined);
    conn.on('error', () => undefined);
  });
  return new MysqlConnection(pool, options.statementTimeoutMs);
}
