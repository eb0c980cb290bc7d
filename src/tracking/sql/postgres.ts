/**
 * The PostgreSQL dialect and connection (driver `pg`, pure JavaScript, loaded only when a
 * `postgresql://` store is opened; `pg-native` is never used). Every session is read-only
 * (`default_transaction_read_only`), statements time out, and the pool stays small.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Pool, PoolConfig } from 'pg';
import { cancelledError, throwIfCancelled } from '../types';
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

/** How long a cancelled statement may take to stop before its connection is dropped instead of reused. */
const CANCEL_GRACE_MS = 5000;

class PostgresConnection implements SqlConnection {
  readonly dialect = POSTGRES_DIALECT;
  constructor(
    private readonly pool: Pool,
    private readonly config: PoolConfig,
  ) {}

  async all(sql: string, params: readonly SqlValue[] = [], signal?: AbortSignal): Promise<Row[]> {
    const values = params.map((p) => (typeof p === 'bigint' ? p.toString() : p)) as unknown[];
    const text = numberedPlaceholders(sql);
    if (!signal) return (await this.pool.query(text, values)).rows as Row[];
    throwIfCancelled(signal);
    const client = await this.pool.connect();
    if (signal.aborted) {
      client.release();
      throw cancelledError();
    }
    return new Promise<Row[]>((resolve, reject) => {
      let grace: NodeJS.Timeout | undefined;
      const onAbort = () => {
        reject(cancelledError());
        // PostgreSQL's cancel request, on a connection of its own (no pool slot needed); the
        // statement then fails with 57014 and the client goes back to the pool.
        if (!settled) sendCancelRequest(this.config, client as unknown as BackendKey);
        grace = setTimeout(() => release(new Error('cancelled statement did not stop')), CANCEL_GRACE_MS);
        grace.unref?.();
      };
      let released = false;
      let settled = false;
      const release = (error?: Error) => {
        if (released) return;
        released = true;
        clearTimeout(grace);
        signal.removeEventListener('abort', onAbort);
        // With an error the pool drops the connection rather than handing it out again.
        client.release(error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      client.query(text, values).then(
        (res) => {
          settled = true;
          release();
          resolve(res.rows as Row[]);
        },
        (error: Error) => {
          settled = true;
          release();
          reject(error);
        },
      );
    });
  }

  close(): Promise<void> {
    return this.pool.end().catch(() => undefined);
  }
}

/** What the server told a session at login, which a cancel request names. */
interface BackendKey {
  processID: number;
  secretKey: number;
}

/**
 * The protocol's CancelRequest (what libpq's PQcancel sends; "Message Formats" in PostgreSQL's
 * documentation): the first and only message on a new connection, before any TLS or login.
 * Best effort: a cancel that cannot be delivered leaves the statement to its timeout.
 */
function sendCancelRequest(config: PoolConfig, key: BackendKey): void {
  const message = Buffer.alloc(16);
  message.writeInt32BE(16, 0);
  message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  message.writeInt32BE(key.processID, 8);
  message.writeInt32BE(key.secretKey, 12);
  const host = config.host ?? 'localhost';
  const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${config.port ?? 5432}`) : connect(config.port ?? 5432, host);
  socket.on('error', () => undefined);
  socket.setTimeout(5000, () => socket.destroy());
  socket.on('connect', () => socket.end(message));
}

/** 1234 in the high 16 bits, 5678 in the low: the code that marks a cancel request. */
const CANCEL_REQUEST_CODE = 80877102;

export function connectPostgres(loc: DatabaseLocation, options: ServerConnectOptions): SqlConnection {
  const pg = require('pg') as typeof import('pg');
  // BIGINT (times in ms) as numbers; they fit in a double.
  const INT8 = 20;
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')),
  };
  const config: PoolConfig = {
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
  };
  const pool = new pg.Pool(config);
  // An idle connection the server drops (restart, shutdown) reports here; the next query reconnects.
  pool.on('error', () => undefined);
  return new PostgresConnection(pool, config);
}
