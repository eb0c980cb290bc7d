/**
 * Artifacts of a SQLite store, read from the local disk. The database holds absolute artifact
 * URIs of the machine that logged the runs (`/home/ana/projects/iris/mlruns/1/<run>/artifacts`,
 * `file:///...`, or `mlflow-artifacts:/...` when a server proxied them into `./mlartifacts`).
 * When that folder does not exist here (the store was copied or moved), the same trailing path
 * is looked for next to the database, as long as that tail still names the run or model.
 */
import { promises as fsp, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MlflowError, type FileInfo } from '../types';

/** Artifact stores MLflow supports that are read here only through a tracking server. */
const STORAGE_NAMES: Record<string, string> = {
  gs: 'Google Cloud Storage',
  wasbs: 'Azure Blob Storage',
  wasb: 'Azure Blob Storage',
  abfss: 'Azure Data Lake Storage',
  hdfs: 'HDFS',
  viewfs: 'HDFS',
  dbfs: 'Databricks File System',
  ftp: 'FTP',
  sftp: 'SFTP',
  oss: 'Alibaba Cloud OSS',
  runs: 'another run',
  models: 'the model registry',
};

export function checkArtifactPath(path: string | undefined): string {
  const p = (path ?? '')
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.split('/').includes('..')) {
    throw new MlflowError('Invalid path', 'INVALID_PARAMETER_VALUE');
  }
  return p;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The local folder for an artifact URI, or undefined when it is nowhere on this machine.
 * Throws for URIs a local store cannot read (s3:, gs:, dbfs:, ...).
 */
export function resolveArtifactRoot(uri: string, storeDir: string, anchor: string): string | undefined {
  let path: string;
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(uri);
  if (proxied) {
    // `mlflow server --serve-artifacts` keeps them under ./mlartifacts of the server's folder.
    const tail = (proxied[1] ?? '').replace(/^\/+/, '');
    const local = join(storeDir, 'mlartifacts', tail);
    return isDir(local) ? local : undefined;
  }
  if (uri.startsWith('file:')) {
    try {
      path = uri.startsWith('file://') ? fileURLToPath(uri) : uri.slice('file:'.length);
    } catch {
      path = uri.replace(/^file:(\/\/)?/, '');
    }
  } else if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(uri) && !/^[a-zA-Z]:[\\/]/.test(uri)) {
    const scheme = uri.slice(0, uri.indexOf(':')).toLowerCase();
    const where = STORAGE_NAMES[scheme] ? ` (${STORAGE_NAMES[scheme]})` : '';
    throw new MlflowError(
      `The artifacts are stored at ${uri.replace(/\/\/[^/@]*@/, '//')}${where}, which this extension does not read. ` +
        'A tracking server started with `mlflow server --serve-artifacts` can serve them: connect to its http:// address.',
      'NOT_IMPLEMENTED',
    );
  } else {
    path = uri;
  }
  const absolute = isAbsolute(path) ? path : resolve(storeDir, path);
  if (isDir(absolute)) return absolute;
  const parts = absolute.split(/[\\/]+/).filter(Boolean);
  const anchorAt = parts.lastIndexOf(anchor);
  if (anchorAt < 0) return undefined;
  for (let start = 0; start <= anchorAt; start++) {
    const candidate = join(storeDir, ...parts.slice(start));
    if (isDir(candidate)) return candidate;
  }
  return undefined;
}

function inside(root: string, full: string): boolean {
  const rel = relative(root, full);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Lists one folder like MLflow's local artifact repository: sorted, sizes for files only. */
export async function listLocalArtifacts(root: string | undefined, path: string): Promise<FileInfo[]> {
  if (!root) return [];
  const dir = path ? join(root, ...path.split('/')) : root;
  if (!inside(root, dir) || !isDir(dir)) return [];
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  const out: FileInfo[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(dir, e.name);
    const rel = path ? `${path}/${e.name}` : e.name;
    try {
      const st = await fsp.stat(full);
      out.push(st.isDirectory() ? { path: rel, is_dir: true } : { path: rel, is_dir: false, file_size: st.size });
    } catch {
      // A dangling link or a file removed meanwhile: not listed.
    }
  }
  return out;
}

export async function readLocalArtifact(root: string | undefined, path: string, what: string): Promise<Uint8Array> {
  const full = root ? join(root, ...path.split('/')) : undefined;
  if (!root || !full || !inside(root, full) || !path) {
    throw new MlflowError(`No artifact ${path} for ${what}`, 'RESOURCE_DOES_NOT_EXIST');
  }
  try {
    return new Uint8Array(await fsp.readFile(full));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new MlflowError(`${path} is a folder, not a file`, 'INVALID_PARAMETER_VALUE');
    if (code === 'ENOENT') throw new MlflowError(`No artifact ${path} for ${what}`, 'RESOURCE_DOES_NOT_EXIST');
    throw new MlflowError(`Cannot read artifact ${path} of ${what}: ${(e as Error).message}`, 'IO_ERROR');
  }
}
