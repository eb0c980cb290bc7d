/**
 * What the shared SQL layer needs from a database: one async query, and the few places where
 * SQLite, PostgreSQL and MySQL truly differ (its dialect). Queries are written once, with `?`
 * placeholders and double-quoted identifiers where a column name is a reserved word (`"key"`);
 * a connection rewrites placeholders for its driver, and MySQL sessions run with ANSI_QUOTES.
 */
import { throwIfCancelled } from '../types';

export type SqlValue = number | string | null | Uint8Array | bigint | boolean;
export type Row = Record<string, SqlValue>;

export type DialectName = 'sqlite' | 'postgresql' | 'mysql';

export interface SqlDialect {
  readonly name: DialectName;
  /** Most `?` parameters one statement may carry (SQLite's historical limit is 999). */
  readonly maxParams: number;
  /** Whether NULL sorts before every value (SQLite, MySQL) or after (PostgreSQL). */
  readonly nullsFirstAscending: boolean;
  /**
   * The order rows were written in, for lists MLflow serves unsorted (params, tags): SQLite's
   * rowid, PostgreSQL's ctid (heap order); MySQL has none and hands rows over in primary-key
   * order, so `fallback` (the key column) is what MLflow's server shows there too.
   */
  insertionOrder(alias: string, fallback: string): string;
  /** A boolean column's truth (`is_nan`): an integer in SQLite and MySQL, a boolean in PostgreSQL. */
  isTrue(column: string): string;
  /**
   * A string comparison as MLflow's SQL store makes it: MySQL compares case-insensitively by
   * default, so MLflow adds a BINARY comparison there. Returns the SQL and how many times the
   * value's parameter appears in it.
   */
  compareText(column: string, comparator: '=' | '!='): { sql: string; uses: number };
  /** Names of the tables in the store's schema. */
  readonly tablesSql: string;
}

export interface SqlConnection {
  readonly dialect: SqlDialect;
  /**
   * One read-only statement; rejects with the driver's error (the store wraps it). An aborted
   * `signal` rejects at once with the CANCELLED error and asks the server to stop the statement.
   */
  all(sql: string, params?: readonly SqlValue[], signal?: AbortSignal): Promise<Row[]>;
  close(): void | Promise<void>;
}

/**
 * The connection as one read sees it: every statement carries the read's signal, and none
 * starts once it has fired (SQLite's statements run synchronously: it stops between them).
 */
export function withSignal(db: SqlConnection, signal: AbortSignal | undefined): SqlConnection {
  if (!signal) return db;
  return {
    dialect: db.dialect,
    all: (sql, params) => {
      throwIfCancelled(signal);
      return db.all(sql, params, signal);
    },
    close: () => db.close(),
  };
}

export function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}

/** `?` → `$1, $2, …` for PostgreSQL, leaving quoted strings and identifiers alone. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}
