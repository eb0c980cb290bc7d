/**
 * The tracking library's entry point: `openTrackingStore(uri)` picks the store for a tracking URI
 * the way MLflow does (`mlflow/tracking/_tracking_service/utils.py`):
 *   a path or `file:` URI → the file store (`mlruns`);
 *   `sqlite:///relative.db`, `sqlite:////absolute.db` → the SQLite store (read-only);
 *   `http://`, `https://` → a tracking server's REST API;
 *   `postgresql[+driver]://`, `mysql[+driver]://` → the database store (read-only, pure-JS drivers);
 *   `databricks`, `databricks://<profile>` → the workspace's REST API with its token (databricks.ts);
 *   `databricks-uc` (a registry URI), other databases → a clear "not supported" error.
 * Plain module: no `vscode` import.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databricksProfile, resolveDatabricks } from './databricks';
import { openFileStore } from './file';
import { openRestStore, type RestStoreOptions } from './rest';
import { S3ArtifactReader } from './s3/artifacts';
import { resolveS3Config } from './s3/config';
import { DatabaseTrackingStore, type DatabaseStoreOptions } from './sql/serverStore';
import { DATABASE_URI, parseDatabaseUri } from './sql/serverUri';
import { openSqliteStore, type BackendName } from './sqlite';
import { MlflowError, type TrackingStore } from './types';

export * from './types';
export { openFileStore } from './file';
export { openRestStore, RestTrackingStore } from './rest';
export { openSqliteStore, SqliteTrackingStore } from './sqlite';
export { resolveDatabricks, type DatabricksWorkspace } from './databricks';
export { DatabaseTrackingStore } from './sql/serverStore';
export { parseDatabaseUri, redactPassword, type DatabaseLocation } from './sql/serverUri';

export interface OpenTrackingStoreOptions extends RestStoreOptions {
  /** Where relative paths and `sqlite:///relative.db` are resolved. Default: the process's cwd. */
  cwd?: string;
  /** SQLite reader; default `node:sqlite` when the runtime has it, else `sql.js`. */
  sqliteBackend?: BackendName;
  /** PostgreSQL / MySQL: pool, timeouts, polling, a password kept outside the URI. */
  database?: Omit<DatabaseStoreOptions, 'cwd'>;
  /** The environment S3 artifact locations are read with (MLFLOW_S3_ENDPOINT_URL, AWS_*); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export type ParsedTrackingUri =
  | { kind: 'file'; path: string }
  | { kind: 'sqlite'; path: string }
  | { kind: 'rest'; url: string }
  | { kind: 'database'; uri: string }
  | { kind: 'databricks'; profile?: string };

const SQL_SCHEMES = /^(mssql|oracle)(\+[a-z0-9_]+)?:\/\//i;

/** The store a tracking URI names, or an MlflowError saying why it cannot be opened. */
export function parseTrackingUri(uri: string, cwd: string = process.cwd()): ParsedTrackingUri {
  const trimmed = uri.trim();
  if (trimmed === '') throw new MlflowError('The tracking URI is empty.', 'INVALID_PARAMETER_VALUE');
  const local = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));

  if (/^databricks-uc(:|$)/i.test(trimmed)) {
    throw new MlflowError(
      'databricks-uc is a model registry URI (Unity Catalog), not a tracking URI: use databricks or databricks://<profile> for the tracking server.',
      'INVALID_PARAMETER_VALUE',
    );
  }
  if (/^databricks(:|$)/i.test(trimmed)) return { kind: 'databricks', profile: databricksProfile(trimmed) };
  if (/^https?:\/\//i.test(trimmed)) return { kind: 'rest', url: trimmed };
  if (/^sqlite:/i.test(trimmed)) {
    // SQLAlchemy: sqlite:///relative/path.db, sqlite:////absolute/path.db, optional ?query.
    const m = /^sqlite:\/\/\/(.+?)(\?.*)?$/i.exec(trimmed);
    if (!m || m[1] === ':memory:') {
      throw new MlflowError(`Cannot read ${trimmed}: expected sqlite:///path/to/mlflow.db.`, 'INVALID_PARAMETER_VALUE');
    }
    return { kind: 'sqlite', path: local(decodeURIComponent(m[1])) };
  }
  if (DATABASE_URI.test(trimmed)) {
    parseDatabaseUri(trimmed);
    return { kind: 'database', uri: trimmed };
  }
  if (SQL_SCHEMES.test(trimmed)) {
    throw new MlflowError(
      `${trimmed.split(':')[0]} databases cannot be read directly. Run \`mlflow server --backend-store-uri <this URI>\` and connect to its http:// address.`,
      'NOT_IMPLEMENTED',
    );
  }
  if (/^file:/i.test(trimmed)) {
    let path: string;
    try {
      path = trimmed.startsWith('file://') ? fileURLToPath(trimmed) : decodeURIComponent(trimmed.slice('file:'.length));
    } catch (e) {
      throw new MlflowError(`Cannot read ${trimmed}: ${(e as Error).message}`, 'INVALID_PARAMETER_VALUE');
    }
    return { kind: 'file', path: local(path) };
  }
  // A Windows drive path (C:\...) is a path, not a scheme.
  if (/^[a-z][a-z0-9+.-]+:/i.test(trimmed) && !/^[a-z]:[\\/]/i.test(trimmed)) {
    throw new MlflowError(`Unsupported tracking URI scheme: ${trimmed.split(':')[0]}:`, 'NOT_IMPLEMENTED');
  }
  return { kind: 'file', path: local(trimmed) };
}

/**
 * Opens the store a tracking URI names. Credentials and TLS options apply to http(s) only.
 * Throws MlflowError for URIs it cannot open (with what to do instead).
 */
export async function openTrackingStore(uri: string, options: OpenTrackingStoreOptions = {}): Promise<TrackingStore> {
  const parsed = parseTrackingUri(uri, options.cwd);
  // Artifact locations a database store may hold besides local paths; S3 settings are read when first needed.
  let s3: S3ArtifactReader | undefined;
  const s3Reader = () => (s3 ??= new S3ArtifactReader(resolveS3Config(options.env ?? process.env)));
  const artifactReaders = {
    s3: {
      list: (u: string, p: string, signal?: AbortSignal) => s3Reader().list(u, p, signal),
      read: (u: string, p: string, w: string) => s3Reader().read(u, p, w),
    },
  };
  switch (parsed.kind) {
    case 'rest':
      return openRestStore(parsed.url, { artifactReaders, ...options });
    case 'sqlite':
      return openSqliteStore(parsed.path, { backend: options.sqliteBackend, artifactReaders });
    case 'file':
      return openFileStore(parsed.path, artifactReaders);
    case 'databricks': {
      const workspace = resolveDatabricks(parsed.profile, options.env ?? process.env);
      const auth = workspace.token ? { token: workspace.token } : { username: workspace.username, password: workspace.password };
      return openRestStore(workspace.host, { ...options, ...auth });
    }
    case 'database':
      return DatabaseTrackingStore.open(parsed.uri, { password: options.password, artifactReaders, ...options.database, cwd: options.cwd });
  }
}
