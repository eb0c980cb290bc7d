/**
 * Params and tags: one file per key, the raw value as content. A key with `/` is a path
 * of sub-folders, so folders are walked and the relative path is the key.
 */
import type { KeyValue } from '../types';
import { isDirEntry, listDir, readText, type Warn } from './fsRead';

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
    if (isDirEntry(dir, d)) {
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
      if (isDirEntry(d, e)) walkNames(`${d}/${e.name}`, `${prefix}${e.name}/`, depth + 1);
      else out.push(prefix + e.name);
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
