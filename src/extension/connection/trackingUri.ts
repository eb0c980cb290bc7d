/**
 * Tracking URIs as users write them (`./mlruns`, `file:`, `sqlite:///mlflow.db`,
 * `https://user:pass@host/`), made canonical: the same store always gets the same
 * string, which is the key of its tree nodes, secrets and settings. Credentials in a
 * URL are split off so they never reach a label, a log or a tree id.
 * Plain module: no `vscode` import.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type StoreLocation =
  | { kind: 'file'; uri: string; path: string }
  | { kind: 'sqlite'; uri: string; path: string }
  | { kind: 'rest'; uri: string; credentials?: { username: string; password: string } };

export class TrackingUriError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrackingUriError';
  }
}

/** `baseDir` resolves relative paths (the workspace folder, as MLflow resolves them from its working directory). */
export function parseTrackingUri(raw: string, baseDir: string): StoreLocation {
  const text = raw.trim();
  if (text === '') throw new TrackingUriError('The tracking URI is empty.');
  if (/^databricks(-uc)?$/i.test(text)) throw new TrackingUriError('Databricks tracking is not supported; use an mlruns folder, a sqlite:/// database or an http(s):// server.');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return parseHttp(text);
  if (scheme === 'sqlite') {
    const match = /^sqlite:\/\/\/(.*)$/i.exec(text);
    if (!match || match[1] === '') throw new TrackingUriError(`"${text}" is not a SQLite URI; write sqlite:///relative/path/mlflow.db or sqlite:////absolute/path/mlflow.db.`);
    return sqliteAt(path.resolve(baseDir, decodeURIComponent(match[1])));
  }
  if (scheme === 'file') {
    let filePath: string;
    if (/^file:\/\//i.test(text)) {
      try {
        filePath = fileURLToPath(text);
      } catch (e) {
        throw new TrackingUriError(`"${text}" is not a valid file URI: ${(e as Error).message}`);
      }
    } else {
      filePath = path.resolve(baseDir, decodeURIComponent(text.slice('file:'.length)));
    }
    return locationForPath(filePath);
  }
  // A Windows drive letter looks like a one-letter scheme.
  if (scheme !== undefined && scheme.length > 1) {
    throw new TrackingUriError(`Tracking URIs with scheme "${scheme}:" are not supported; use an mlruns folder, a sqlite:/// database or an http(s):// server.`);
  }
  return locationForPath(path.resolve(baseDir, text));
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
