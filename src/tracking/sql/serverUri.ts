/**
 * SQLAlchemy database URLs as MLflow takes them for `--backend-store-uri` / MLFLOW_TRACKING_URI:
 * `postgresql[+psycopg2|+pg8000]://user:password@host:port/db?sslmode=…` and
 * `mysql[+pymysql|+mysqldb]://user:password@host:port/db?ssl_ca=…&charset=…`.
 * The password is kept apart so that nothing shown or logged ever carries it (`redacted`).
 */
import { MlflowError } from '../types';

export type ServerDialect = 'postgresql' | 'mysql';

export interface DatabaseLocation {
  dialect: ServerDialect;
  /** The SQLAlchemy driver suffix as written (`psycopg2`, `pymysql`, ...); informative only. */
  driver?: string;
  host: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  /** The URL's query options (`sslmode`, `sslrootcert`, `ssl_ca`, `charset`, `connect_timeout`, `host` for a socket folder). */
  options: Record<string, string>;
  /** The URL without its password: safe for the status bar, tooltips, logs and errors. */
  redacted: string;
}

const DRIVERS: Record<ServerDialect, string[]> = {
  postgresql: ['psycopg2', 'psycopg', 'pg8000', 'asyncpg', 'psycopg2cffi'],
  mysql: ['pymysql', 'mysqldb', 'mysqlconnector', 'asyncmy', 'aiomysql'],
};

export const DATABASE_URI = /^(postgresql|postgres|mysql|mariadb)(\+([a-z0-9_]+))?:\/\//i;

/** Replaces the password of any URL-like text (`scheme://user:password@host`) with `***`. */
export function redactPassword(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@/\s]*@/gi, '$1:***@');
}

export function parseDatabaseUri(uri: string): DatabaseLocation {
  const m = DATABASE_URI.exec(uri.trim());
  if (!m) throw new MlflowError(`Not a database URI: ${redactPassword(uri)}`, 'INVALID_PARAMETER_VALUE');
  const scheme = m[1].toLowerCase();
  const dialect: ServerDialect = scheme.startsWith('postgres') ? 'postgresql' : 'mysql';
  const driver = m[3]?.toLowerCase();
  if (driver && !DRIVERS[dialect].includes(driver)) {
    const known = DRIVERS[dialect].map((d) => `+${d}`).join(', ');
    throw new MlflowError(`Unknown ${dialect} driver "+${driver}" in ${redactPassword(uri)}; MLflow's are ${known}.`, 'INVALID_PARAMETER_VALUE');
  }
  const expected = `expected ${scheme}://user:password@host:port/database`;
  let url: URL;
  try {
    url = new URL(`db://${uri.trim().slice(m[0].length)}`);
  } catch {
    throw new MlflowError(`Cannot read the database URI ${redactPassword(uri)}: ${expected}.`, 'INVALID_PARAMETER_VALUE');
  }
  const options: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (options[k] = v));
  const decode = (s: string) => (s === '' ? undefined : decodeURIComponent(s));
  const host = url.hostname.replace(/^\[|\]$/g, '') || options.host || 'localhost';
  const port = url.port ? Number(url.port) : options.port ? Number(options.port) : dialect === 'postgresql' ? 5432 : 3306;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) {
    throw new MlflowError(`The database URI ${redactPassword(uri)} names no database: ${expected}.`, 'INVALID_PARAMETER_VALUE');
  }
  const user = decode(url.username);
  const password = decode(url.password);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const userPart = user ? `${encodeURIComponent(user)}${password !== undefined ? ':***' : ''}@` : '';
  const redacted = `${m[0].slice(0, -3)}://${userPart}${shownHost}:${port}/${database}`;
  return { dialect, driver, host, port, database, user, password, options, redacted };
}
