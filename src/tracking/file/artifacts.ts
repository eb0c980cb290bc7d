/**
 * Artifacts of a run or logged model, read from the local folder behind its artifact URI.
 *
 * A copied or moved `mlruns` keeps the absolute `file://` URIs of the machine that wrote it.
 * When a URI ends with the store's own layout (`<exp>/<run>/artifacts`), the folder inside
 * the store that was opened is used instead, and the URI reported is rewritten to it, so
 * the UI shows a place that exists. Other URIs (a custom artifact root) are used as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MlflowError, type FileInfo } from '../types';
import { describeError, type Warn } from './fsRead';

export interface ArtifactRoot {
  /** The local folder, when the URI is local. */
  dir?: string;
  /** The URI to report. */
  uri?: string;
}

function uriToPath(uri: string): string | undefined {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri.startsWith('file:///') || uri.startsWith('file://localhost/') ? uri : uri.replace(/^file:(\/\/)?/, 'file:///'));
    } catch {
      return undefined;
    }
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(uri) && !/^[A-Za-z]:[\\/]/.test(uri)) return undefined; // s3:, mlflow-artifacts:, …
  return uri;
}

/**
 * Where the artifacts are. `tail` is the store layout the URI ends with when it was written
 * by this store (e.g. [expId, runId, 'artifacts']); `localDir` is that place in the opened store.
 */
export function resolveArtifactRoot(uri: string | undefined, localDir: string, tail: string[]): ArtifactRoot {
  if (!uri) return { dir: localDir, uri: fileUri(localDir) };
  // Fast path, taken for nearly every run: a file URI in the store's own layout.
  const suffix = `/${tail.join('/')}`;
  if (uri.startsWith('file:') && (uri.endsWith(suffix) || uri.endsWith(`${suffix}/`))) {
    return { dir: localDir, uri: uri === `file://${localDir}` ? uri : fileUri(localDir) };
  }
  const p = uriToPath(uri);
  if (p === undefined) return { uri };
  const parts = p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  const endsWithLayout = tail.length <= parts.length && tail.every((t, i) => parts[parts.length - tail.length + i] === t);
  if (endsWithLayout) {
    const sameAsWritten = path.resolve(p) === path.resolve(localDir);
    return { dir: localDir, uri: sameAsWritten ? uri : fileUri(localDir) };
  }
  return { dir: path.resolve(p), uri };
}

const uriCache = new Map<string, string>();
const PLAIN_NAME = /^[A-Za-z0-9._-]+$/;

/** pathToFileURL(dir).href, memoised per parent folder: 10,000 runs share one experiment prefix. */
function fileUri(dir: string): string {
  const cached = uriCache.get(dir);
  if (cached) return cached;
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  let uri: string;
  if (parent !== dir && PLAIN_NAME.test(base) && base !== '.' && base !== '..') {
    const parentUri = fileUri(parent);
    uri = parentUri.endsWith('/') ? parentUri + base : `${parentUri}/${base}`;
  } else {
    uri = pathToFileURL(dir).href;
  }
  if (uriCache.size > 50_000) uriCache.clear();
  uriCache.set(dir, uri);
  return uri;
}

/** Checks a relative artifact path and returns its `/`-separated normal form ('' for the root). */
export function normaliseArtifactPath(rel: string | undefined): string {
  if (!rel) return '';
  if (rel.includes('\0') || rel.includes('\\') || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) {
    throw new MlflowError('Invalid path', 'INVALID_PARAMETER_VALUE');
  }
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new MlflowError('Invalid path', 'INVALID_PARAMETER_VALUE');
  return parts.join('/');
}

/** realpath of `target`, refused unless it lies inside realpath(root). */
function containedRealPath(root: string, target: string): string | undefined {
  let realRoot: string;
  let real: string;
  try {
    realRoot = fs.realpathSync(root);
    real = fs.realpathSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new MlflowError(`Cannot read artifact: ${describeError(e)}`, 'INVALID_PARAMETER_VALUE');
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
    throw new MlflowError('Invalid path: it leads outside the artifact root', 'INVALID_PARAMETER_VALUE');
  }
  return real;
}

/** Real paths of the root and of every folder on the way to `relPath` (the folders a link must not lead back to). */
function realPathsAlong(rootDir: string, relPath: string): Set<string> {
  const out = new Set<string>();
  let at = rootDir;
  for (const part of ['', ...(relPath ? relPath.split('/') : [])]) {
    at = part ? path.join(at, part) : at;
    try {
      out.add(fs.realpathSync(at));
    } catch {
      // Reported by the listing itself.
    }
  }
  return out;
}

/**
 * A symbolic link in an artifact folder, with the target it names. A link that cannot be followed
 * safely is listed with its problem and as not a folder, so that nothing walks or reads through it:
 * one leading back to a folder it is in (`loop -> .`, a walk would never end), one leading out of the
 * artifact root (`escape -> /etc`, it would show files that are not the run's; not even its size is
 * read), one whose target is missing, or a chain of links that never ends (`a -> b`, `b -> a`).
 */
function linkInfo(full: string, childRel: string, realPathsAbove: () => Set<string>, warn: Warn): FileInfo {
  let target = '';
  try {
    target = fs.readlinkSync(full);
  } catch {
    // Named as '' below; the stat tells what is wrong.
  }
  const link = (problem?: FileInfo['link_problem'], detail?: string): FileInfo => {
    if (detail) warn(full, detail);
    return { path: childRel, is_dir: false, is_symlink: true, link_target: target, ...(problem ? { link_problem: problem } : {}) };
  };
  let real: string;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(full);
    st = fs.statSync(real);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return link('broken', `symbolic link to a missing target (${target})`);
    if (code === 'ELOOP') return link('loop', `symbolic link loop (${target}); listed as a link, not followed`);
    return link('broken', `skipped artifact: ${describeError(e)}`);
  }
  const above = realPathsAbove();
  // The first entry is the artifact root itself.
  const realRoot = above.values().next().value ?? '';
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
    return link('outside_root', `symbolic link leading outside the artifact root (${target}); listed as a link, not followed`);
  }
  if (st.isDirectory() && above.has(real)) {
    return link('loop', 'symbolic link back to a folder that contains it (a loop); listed as a link, not a folder');
  }
  return st.isDirectory()
    ? { path: childRel, is_dir: true, is_symlink: true, link_target: target }
    : { path: childRel, is_dir: false, file_size: st.size, is_symlink: true, link_target: target };
}

/**
 * One level of the artifact tree, sorted by path, in MLflow's FileInfo shape. A symbolic link
 * is marked as one; a link back to a folder it is in (`loop -> .`) is listed as not a folder, so
 * that walking the tree (a recursive listing, a search) ends.
 */
export function listArtifactDir(rootDir: string, rel: string | undefined, warn: Warn): FileInfo[] {
  const relPath = normaliseArtifactPath(rel);
  const dir = relPath ? path.join(rootDir, relPath) : rootDir;
  const real = containedRealPath(rootDir, dir);
  if (real === undefined) return [];
  let along: Set<string> | undefined;
  let entries: fs.Dirent[];
  try {
    if (!fs.statSync(real).isDirectory()) return [];
    entries = fs.readdirSync(real, { withFileTypes: true });
  } catch (e) {
    warn(dir, `cannot list artifacts: ${describeError(e)}`);
    return [];
  }
  const out: FileInfo[] = [];
  for (const d of entries) {
    const childRel = relPath ? `${relPath}/${d.name}` : d.name;
    const full = path.join(real, d.name);
    if (d.isSymbolicLink()) {
      out.push(linkInfo(full, childRel, () => (along ??= realPathsAlong(rootDir, relPath)), warn));
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.lstatSync(full);
    } catch (e) {
      warn(full, `skipped artifact: ${describeError(e)}`);
      continue;
    }
    out.push(st.isDirectory() ? { path: childRel, is_dir: true } : { path: childRel, is_dir: false, file_size: st.size });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

export async function readArtifactFile(rootDir: string, rel: string): Promise<Uint8Array> {
  const relPath = normaliseArtifactPath(rel);
  if (!relPath) throw new MlflowError('Invalid path: the artifact root is a folder', 'INVALID_PARAMETER_VALUE');
  const full = path.join(rootDir, relPath);
  const real = containedRealPath(rootDir, full);
  if (real === undefined) throw new MlflowError(`Artifact '${relPath}' not found`, 'RESOURCE_DOES_NOT_EXIST');
  try {
    return await fs.promises.readFile(real);
  } catch (e) {
    throw new MlflowError(`Cannot read artifact '${relPath}': ${describeError(e)}`, 'INVALID_PARAMETER_VALUE');
  }
}
