// Files beside an MLproject/MLmodel, as the rules see them: an open editor buffer wins over the disk,
// so a script or conda.yaml that is created or edited but not yet saved counts.
import { promises as fs, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProjectFiles } from '../mlflow-files';

export interface OpenDocuments {
  all(): TextDocument[];
}

const CASE_SENSITIVE_FILE_SYSTEM = process.platform !== 'darwin' && process.platform !== 'win32';

function pathOf(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The folder holding a `file:` document, or undefined (untitled and other schemes have none). */
export function folderOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

interface CachedFolder {
  names: Promise<Set<string> | undefined>;
  texts: Map<string, Promise<string | undefined>>;
  watcher: FSWatcher;
  since: number;
}

/**
 * Folder listings and file texts beside MLflow documents, kept across validations until the folder changes:
 * every keystroke re-validates, and re-reading the folder and the environment file each time cost more than
 * the rules. A watcher on the folder drops its entry on any change inside; the client's watched-file
 * notifications drop everything; an entry is also re-read after MAX_AGE_MS in case an event was missed.
 */
class FolderCache {
  private static readonly MAX_FOLDERS = 64;
  private static readonly MAX_AGE_MS = 10_000;
  private readonly folders = new Map<string, CachedFolder>();

  /** Names in `dir`; an empty set when it does not exist; undefined when it cannot be read. */
  listing(dir: string): Promise<Set<string> | undefined> {
    const cached = this.fresh(dir);
    if (cached) return cached.names;
    // A watched parent that lacks the folder answers without a system call (watching a missing folder fails).
    const parentDir = path.dirname(dir);
    const parent = parentDir !== dir && CASE_SENSITIVE_FILE_SYSTEM ? this.fresh(parentDir) : undefined;
    if (parent) return parent.names.then((names) => (names && !names.has(path.basename(dir)) ? new Set<string>() : this.read(dir)));
    return this.read(dir);
  }

  private read(dir: string): Promise<Set<string> | undefined> {
    return this.folder(dir)?.names ?? readFolder(dir);
  }

  readText(absolutePath: string): Promise<string | undefined> {
    const cached = this.folder(path.dirname(absolutePath));
    if (!cached) return readText(absolutePath);
    let text = cached.texts.get(absolutePath);
    if (!text) cached.texts.set(absolutePath, (text = readText(absolutePath)));
    return text;
  }

  clear(): void {
    for (const dir of [...this.folders.keys()]) this.drop(dir);
  }

  private fresh(dir: string): CachedFolder | undefined {
    const cached = this.folders.get(dir);
    if (cached && Date.now() - cached.since < FolderCache.MAX_AGE_MS) return cached;
    if (cached) this.drop(dir);
    return undefined;
  }

  private folder(dir: string): CachedFolder | undefined {
    const cached = this.fresh(dir);
    if (cached) return cached;
    let watcher: FSWatcher;
    try {
      // The watcher is in place before the folder is read, so no change can fall between the two.
      watcher = watch(dir, { persistent: false }, () => this.drop(dir));
    } catch {
      return undefined;
    }
    watcher.on('error', () => this.drop(dir));
    const entry: CachedFolder = { names: readFolder(dir), texts: new Map(), watcher, since: Date.now() };
    this.folders.set(dir, entry);
    if (this.folders.size > FolderCache.MAX_FOLDERS) this.drop(this.folders.keys().next().value!);
    return entry;
  }

  private drop(dir: string): void {
    const cached = this.folders.get(dir);
    if (!cached) return;
    this.folders.delete(dir);
    cached.watcher.close();
  }
}

function readFolder(dir: string): Promise<Set<string> | undefined> {
  return fs.readdir(dir).then(
    (entries) => new Set(entries),
    // A missing folder holds nothing; any other failure (permissions) falls back to stat.
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? new Set<string>() : undefined),
  );
}

async function readText(absolutePath: string): Promise<string | undefined> {
  try {
    return await fs.readFile(absolutePath, 'utf8');
  } catch {
    return undefined;
  }
}

const folderCache = new FolderCache();

/** Files on disk may have changed (the client's watched-file notification): read them again. */
export function forgetProjectFiles(): void {
  folderCache.clear();
}

/**
 * ProjectFiles for the document at `uri`, or undefined when it has no folder on disk: then the rules
 * skip file checks instead of reporting every named file as missing.
 */
export function projectFilesFor(uri: string, openDocuments: OpenDocuments): ProjectFiles | undefined {
  const folder = folderOf(uri);
  if (!folder) return undefined;
  const resolve = (relativePath: string) => path.resolve(folder, relativePath);
  // Compared as paths, not URI strings: clients differ in how they percent-encode the same path. Indexed
  // once per validation run, not once per named file.
  let buffers: Map<string, TextDocument> | undefined;
  const openBuffer = (absolutePath: string) => {
    if (!buffers) {
      buffers = new Map();
      for (const d of openDocuments.all()) {
        const p = folderOf(d.uri) !== undefined ? pathOf(d.uri) : undefined;
        if (p !== undefined && !buffers.has(p)) buffers.set(p, d);
      }
    }
    return buffers.get(absolutePath);
  };
  // One listing per folder and per validation run, however many files name it.
  const listings = new Map<string, Promise<Set<string> | undefined>>();
  const listing = (dir: string) => {
    let names = listings.get(dir);
    if (!names) listings.set(dir, (names = folderCache.listing(dir)));
    return names;
  };
  return {
    async exists(relativePath) {
      const absolute = resolve(relativePath);
      if (openBuffer(absolute)) return true;
      const names = await listing(path.dirname(absolute));
      if (names?.has(path.basename(absolute))) return true;
      // Case-insensitive file systems (macOS, Windows) find `Conda.yaml` for `conda.yaml`, as MLflow would.
      if (names && CASE_SENSITIVE_FILE_SYSTEM) return false;
      try {
        await fs.stat(absolute);
        return true;
      } catch {
        return false;
      }
    },
    async readText(relativePath) {
      const absolute = resolve(relativePath);
      const buffer = openBuffer(absolute);
      if (buffer) return buffer.getText();
      return folderCache.readText(absolute);
    },
  };
}

/** Names of files and folders in a folder relative to the document, for path completion. */
export async function listFolder(uri: string, relativeFolder: string): Promise<{ name: string; isDirectory: boolean }[]> {
  const folder = folderOf(uri);
  if (!folder) return [];
  try {
    const entries = await fs.readdir(path.resolve(folder, relativeFolder || '.'), { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
  } catch {
    return [];
  }
}
