/**
 * Params and tags: one file per key, the raw value as content. A key with `/` is a path
 * of sub-folders, so folders are walked and the relative path is the key.
 * MLflow never writes a symbolic link to a folder here; one (`self -> .`) would make keys up
 * (`self/self/…/lr`) or loop, so it is reported and not followed. A link to a file is read.
 */
import type * as fs from 'node:fs';
import type { KeyValue } from '../types';
import { isDirEntry, listDir, readText, type Warn } from './fsRead';

/** Whether to descend into this entry: a real folder yes; a link to a folder is reported and skipped. */
function descend(dir: string, d: fs.Dirent, warn: Warn): boolean | 'skip' {
  if (!isDirEntry(dir, d)) return false;
  if (d.isSymbolicLink()) {
    warn(`${dir}/${d.name}`, 'symbolic link to a folder; not followed (MLflow writes plain folders here)');
    return 'skip';
  }
  return true;
}

/** All keys and values of a params/ or tags/ folder, sorted by key. */
export function readKeyValueDir(dir: string, warn: Warn): KeyValue[] {
  const out: KeyValue[] = [];
  walk(dir, '', out, warn, 0);
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

function walk(dir: string, prefix: string, out: KeyValue[], warn: Warn, depth: number): void {
  if (depth > 32) {
    warn(dir, 'key folders nested too deep; skipped');
    return;
  }
  for (const d of listDir(dir, warn)) {
    const path = `${dir}/${d.name}`;
    const folder = descend(dir, d, warn);
    if (folder === 'skip') continue;
    if (folder) {
      walk(path, `${prefix}${d.name}/`, out, warn, depth + 1);
      continue;
    }
    const value = readText(path, warn);
    if (value !== undefined) out.push({ key: prefix + d.name, value });
  }
}

/** Metric files under metrics/, as keys (relative paths). */
export function listKeyFiles(dir: string, warn: Warn): string[] {
  const out: string[] = [];
  const walkNames = (d: string, prefix: string, depth: number): void => {
    if (depth > 32) return;
    for (const e of listDir(d, warn)) {
      const folder = descend(d, e, warn);
      if (folder === true) walkNames(`${d}/${e.name}`, `${prefix}${e.name}/`, depth + 1);
      else if (!folder) out.push(prefix + e.name);
    }
  };
  walkNames(dir, '', 0);
  out.sort();
  return out;
}

/** Whether a key names a file inside its folder (no `..`, no absolute path, no empty part). */
export function isSafeKey(key: string): boolean {
  if (key.length === 0 || key.startsWith('/') || key.includes('\\') || key.includes('\0')) return false;
  return key.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

/** The value of one key, or undefined when the run does not have it. */
export function readKey(dir: string, key: string, warn: Warn): string | undefined {
  if (!isSafeKey(key)) return undefined;
  return readText(`${dir}/${key}`, warn, true);
}
