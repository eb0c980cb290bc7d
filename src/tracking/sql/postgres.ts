/**
 * The PostgreSQL dialect and connection (driver `pg`, pure JavaScript, loaded only when a
 * `postgresql://` store is opened; `pg-native` is never used). Every session is read-only
 * (`default_transaction_read_only`), statements time out, and the pool stays small.
 */
import { readFileSync } from 'node:fs';
import type { Pool, PoolConfig } from 'pg';
import { numberedPlaceholders, type Row, type SqlConnection, type SqlDialect, type SqlValue } from './connection';
import type { DatabaseLocation } from './serverUri';
import type { ServerConnectOptions } from './serverStore';

export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgresql',
  maxParams: 32_767,
  nullsFirstAscending: false,
  insertionOrder: (alias) => `${alias}ctid`,
  isTrue: (column) => `${column}`,
  compareText: (column, comparator) => ({ sql: `${column} ${comparator} ?`, uses: 1 }),
  tablesSql: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
};

function ssl(options: Record<string, string>): PoolConfig['ssl'] {
  const mode = (options.sslmode ?? 'prefer').toLowerCase();
  if (mode === 'require') return { rejectUnauthorized: false };
  if (mode === 'verify-ca' || mode === 'verify-full') {
    return {
      rejectUnauthorized: true,
      ca: options.sslrootcert ? readFileSync(options.sslrootcert, 'utf8') : undefined,
      ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  // disable, allow, prefer: the driver cannot fall back between plain and TLS; plain, as libpq's first try for allow.
  return false;
}

class PostgresConnection implements SqlConnection {
  readonly dialect = POSTGRES_DIALECT;
  constructor(private readonly pool: Pool) {}

  async all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const values = params.map((p) => (typeof p === 'bigint' ? p.toString() : p));
    const res = await this.pool.query(numberedPlaceholders(sql), values as unknown[]);
    return res.rows as Row[];
  }

  close(): Promise<void> {
    return this.pool.end().catch(() => undefined);
  }
}

export function connectPostgres(loc: DatabaseLocation, options: ServerConnectOptions): SqlConnection {
  const pg = require('pg') as typeof import('pg');
  // BIGINT (times in ms) as numbers; they fit in a double.
  const INT8 = 20;
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')),
  };
  const pool = new pg.Pool({
    host: loc.host,
    port: loc.port,
    database: loc.database,
    user: loc.user,
    password: loc.password ?? options.password,
    ssl: ssl(loc.options),
    max: options.poolSize,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: options.connectTimeoutMs,
    query_timeout: options.statementTimeoutMs + 1000,
    statement_timeout: options.statementTimeoutMs,
    application_name: 'vscode-mlflow',
    options: '-c default_transaction_read_only=on',
    allowExitOnIdle: true,
    types: types as PoolConfig['types'],
  });
  // An idle connection the server drops (restart, shutdown) reports here; the next query reconnects.
  pool.on('error', () => undefined);
  return new PostgresConnection(pool);
}
