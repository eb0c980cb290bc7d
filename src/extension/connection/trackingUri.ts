/**
 * Tracking URIs as users write them (`./mlruns`, `file:`, `sqlite:///mlflow.db`,
 * `https://user:pass@host/`), made canonical: the same store always gets the same
 * string, which is the key of its tree nodes, secrets and settings. Credentials in a
 * URL are split off so they never reach a label, a log or a tree id.
 * Plain module: no `vscode` import.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MlflowError, parseDatabaseUri, parseTrackingUri, type ParsedTrackingUri } from '../../tracking';

export type StoreLocation =
  | { kind: 'file'; uri: string; path: string }
  | { kind: 'sqlite'; uri: string; path: string }
  | { kind: 'rest'; uri: string; credentials?: { username: string; password: string } }
  /** PostgreSQL / MySQL: `uri` keeps the user but never the password (in `credentials`, or SecretStorage). */
  | { kind: 'database'; uri: string; credentials?: { username: string; password: string } }
  /** `databricks` or `databricks://<profile>`: host and token come from the environment or ~/.databrickscfg when opened. */
  | { kind: 'databricks'; uri: string };

export class TrackingUriError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrackingUriError';
  }
}

/**
 * The store location (canonical URI, credentials split off) a tracking URI names.
 * `baseDir` resolves relative paths (the workspace folder, as MLflow resolves them from its
 * working directory). Which store a URI names is the tracking library's decision; this adds
 * the canonical form and splits credentials off server URLs.
 */
export function storeLocationOf(raw: string, baseDir: string): StoreLocation {
  let parsed: ParsedTrackingUri;
  try {
    parsed = parseTrackingUri(raw, baseDir);
  } catch (e) {
    throw new TrackingUriError(e instanceof MlflowError ? e.message : String(e));
  }
  switch (parsed.kind) {
    case 'rest':
      return parseHttp(parsed.url);
    case 'sqlite':
      return sqliteAt(parsed.path);
    case 'database':
      return databaseAt(parsed.uri);
    case 'databricks':
      return { kind: 'databricks', uri: parsed.profile ? `databricks://${parsed.profile}` : 'databricks' };
    case 'file':
      // MLflow would take a path to a database file for a store folder and fail; a user who
      // typed the path of their mlflow.db means the database.
      return locationForPath(parsed.path);
  }
}

/** An `mlflow.db` (or any `.db`/`.sqlite` file) is a SQLite store; anything else is a file store folder. */
export function locationForPath(filePath: string): StoreLocation {
  return /\.(db|sqlite|sqlite3)$/i.test(filePath) ? sqliteAt(filePath) : fileStoreAt(filePath);
}

export function fileStoreAt(folder: string): StoreLocation {
  const normalized = path.resolve(folder);
  return { kind: 'file', uri: pathToFileURL(normalized).href, path: normalized };
}

export function sqliteAt(file: string): StoreLocation {
  const normalized = path.resolve(file);
  // `sqlite:///` + an absolute path: four slashes on POSIX, as SQLAlchemy and MLflow write it.
  const posix = normalized.split(path.sep).join('/');
  return { kind: 'sqlite', uri: `sqlite:///${posix}`, path: normalized };
}

/** A database URI with its password split off; the query options (sslmode, charset, ...) stay. */
function databaseAt(text: string): StoreLocation {
  const db = parseDatabaseUri(text);
  const query = Object.entries(db.options)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const uri = `${db.redacted.replace(':***@', '@')}${query ? `?${query}` : ''}`;
  return db.password !== undefined ? { kind: 'database', uri, credentials: { username: db.user ?? '', password: db.password } } : { kind: 'database', uri };
}

function parseHttp(text: string): StoreLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TrackingUriError(`"${redactUrl(text)}" is not a valid URL.`);
  }
  if (url.hostname === '') throw new TrackingUriError('The server URL has no host name.');
  let credentials: { username: string; password: string } | undefined;
  if (url.username || url.password) {
    credentials = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    url.username = '';
    url.password = '';
  }
  url.hash = '';
  url.search = '';
  const uri = url.href.replace(/\/+$/, '');
  return credentials ? { kind: 'rest', uri, credentials } : { kind: 'rest', uri };
}

/** A URL with any `user:password@` removed, for messages and logs. */
export function redactUrl(text: string): string {
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@\s]*@/, '$1');
}

/** A short name for the status bar and store nodes: `mnist/mlruns`, `iris/mlflow.db`, `mlflow.example.com:5000`. */
export function shortStoreName(location: StoreLocation): string {
  if (location.kind === 'databricks') return location.uri === 'databricks' ? 'Databricks' : `Databricks (${location.uri.slice('databricks://'.length)})`;
  if (location.kind === 'database')
    return redactUrl(location.uri)
      .replace(/^[a-z0-9+]+:\/\//i, '')
      .replace(/\?.*$/, '');
  if (location.kind === 'rest') {
    const url = new URL(location.uri);
    return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  }
  const parent = path.basename(path.dirname(location.path));
  return parent ? `${parent}/${path.basename(location.path)}` : path.basename(location.path);
}

/** The MLflow UI page of a run on a server. */
export function runPageUrl(serverUri: string, experimentId: string, runId: string): string {
  return `${serverUri.replace(/\/+$/, '')}/#/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;
}
