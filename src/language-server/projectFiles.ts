// Files beside an MLproject/MLmodel, as the rules see them: an open editor buffer wins over the disk,
// so a script or conda.yaml that is created or edited but not yet saved counts.
import { promises as fs } from 'node:fs';
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

/**
 * ProjectFiles for the document at `uri`, or undefined when it has no folder on disk: then the rules
 * skip file checks instead of reporting every named file as missing.
 */
export function projectFilesFor(uri: string, openDocuments: OpenDocuments): ProjectFiles | undefined {
  const folder = folderOf(uri);
  if (!folder) return undefined;
  const resolve = (relativePath: string) => path.resolve(folder, relativePath);
  // Compared as paths, not URI strings: clients differ in how they percent-encode the same path.
  const openBuffer = (absolutePath: string) => openDocuments.all().find((d) => folderOf(d.uri) !== undefined && pathOf(d.uri) === absolutePath);
  // One directory listing per folder and per ProjectFiles (one validation run) instead of one stat per
  // named file: a project with hundreds of `path` defaults would otherwise make hundreds of calls.
  const listings = new Map<string, Promise<Set<string> | undefined>>();
  const listing = (dir: string) => {
    let names = listings.get(dir);
    if (!names) {
      names = fs.readdir(dir).then(
        (entries) => new Set(entries),
        // A missing folder holds nothing; any other failure (permissions) falls back to stat.
        (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? new Set<string>() : undefined),
      );
      listings.set(dir, names);
    }
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
      try {
        return await fs.readFile(absolute, 'utf8');
      } catch {
        return undefined;
      }
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
