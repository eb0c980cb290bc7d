/**
 * Small synchronous file-system reads that never throw, and the warning sink.
 *
 * Why synchronous: the files read per run (meta.yaml, a param, a tag) are tiny; a
 * synchronous read costs ~5 µs where a promise-based one costs ~65 µs (libuv's four
 * threads, four round trips each). Callers read in slices and yield to the event loop
 * between slices (`yieldNow`), so the extension host never blocks for long.
 */
import * as fs from 'node:fs';
import type { StoreWarning } from '../types';

/**
 * A file system stamps mtimes from a coarse clock (a kernel tick: 1–10 ms; 2 s on FAT), so a file
 * or folder changed again within the tick of its last change keeps its mtime (and often its size).
 * A stamp taken this soon after the mtime it saw is not trusted on its own: what was read with it
 * is read again next time (git's "racily clean" entries). Once the mtime is older, it decides.
 */
const RACY_MS = 2_000;

/** Whether a file or folder with this mtime may still change without its mtime showing it (see RACY_MS). */
export function changedJustNow(mtimeMs: number): boolean {
  return mtimeMs >= 0 && Date.now() - mtimeMs < RACY_MS;
}

export type Warn = (path: string, message: string) => void;

export function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, expected a file';
    case 'ENOTDIR':
      return 'is a file, expected a folder';
    case 'ELOOP':
      return 'symbolic link loop';
    default:
      return err?.message ?? String(e);
  }
}

const SMALL = 64 * 1024;
const shared = Buffer.allocUnsafe(SMALL);

/**
 * Reads a whole file as UTF-8 with open + read + close: without the fstat that
 * readFileSync makes to learn the size, one syscall in four fewer for the tiny files a
 * store is made of. Larger files continue in chunks. Throws like readFileSync.
 */
export function readSmallFile(path: string): string {
  const fd = fs.openSync(path, 'r');
  try {
    let n = fs.readSync(fd, shared, 0, SMALL, 0);
    if (n < SMALL) return shared.toString('utf8', 0, n);
    const parts: Buffer[] = [Buffer.from(shared)];
    let pos = n;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      n = fs.readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) break;
      parts.push(chunk.subarray(0, n));
      pos += n;
    }
    return Buffer.concat(parts).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The file's text, or undefined (and a warning unless it is simply absent, or a folder, and `missingOk`). */
export function readText(path: string, warn: Warn, missingOk = false): string | undefined {
  try {
    return readSmallFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (missingOk && (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR')) return undefined;
    warn(path, `cannot read: ${describeError(e)}`);
    return undefined;
  }
}

/** Directory entries, or [] (a missing folder is normal: a run without tags has no tags/). */
export function listDir(path: string, warn: Warn): fs.Dirent[] {
  try {
    return fs.readdirSync(path, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') warn(path, `cannot list: ${describeError(e)}`);
    return [];
  }
}

export function statOrUndefined(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path);
  } catch {
    return undefined;
  }
}

/** Whether a directory entry is a folder, following symbolic links (a broken or looping link is not). */
export function isDirEntry(parent: string, d: fs.Dirent): boolean {
  if (d.isDirectory()) return true;
  if (!d.isSymbolicLink()) return false;
  return statOrUndefined(`${parent}/${d.name}`)?.isDirectory() ?? false;
}

export const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Collects warnings, passes each distinct one to listeners once. */
export class WarningHub {
  private readonly listeners = new Set<(w: StoreWarning) => void>();
  private readonly seen = new Set<string>();

  readonly warn: Warn = (path, message) => {
    const id = `${path}\0${message}`;
    if (this.seen.has(id)) return;
    if (this.seen.size > 10_000) this.seen.clear();
    this.seen.add(id);
    for (const l of [...this.listeners]) {
      try {
        l({ path, message });
      } catch {
        // A failing listener must not break reading.
      }
    }
  };

  /** Forget what was reported, so a problem that comes back after a fix is reported again. */
  reset(): void {
    this.seen.clear();
  }

  add(listener: (w: StoreWarning) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  clear(): void {
    this.listeners.clear();
  }
}
