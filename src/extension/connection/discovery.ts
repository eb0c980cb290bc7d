/**
 * Finding the `mlruns` folder or `mlflow.db` of a workspace folder: the one nearest to
 * its root, looking a few levels down and skipping folders that never hold a store
 * (virtual environments, node_modules, hidden folders). Plain module: no `vscode` import.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileStoreAt, sqliteAt, type StoreLocation } from './trackingUri';

const SKIPPED = new Set(['node_modules', 'venv', 'env', '__pycache__', 'site-packages', 'dist', 'build', 'out', 'target']);

export interface DiscoveryOptions {
  /** How many folder levels below the root to look; 0 = the root only. */
  maxDepth?: number;
  /** Stops looking after this many folders, so a huge tree cannot stall activation. */
  maxFolders?: number;
}

export async function findLocalStore(root: string, options: DiscoveryOptions = {}): Promise<StoreLocation | undefined> {
  const maxDepth = options.maxDepth ?? 3;
  let budget = options.maxFolders ?? 2000;
  let level = [root];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    let found: StoreLocation | undefined;
    for (const dir of level) {
      if (budget-- <= 0) return found && withoutRank(found);
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const candidate = await storeIn(dir, entries);
      if (candidate && (!found || preferred(candidate, found))) found = candidate;
      for (const entry of entries) {
        // Linked folders are not walked into (a link to `..` would loop); only the store names follow links.
        if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name) && entry.name !== 'mlruns') {
          next.push(path.join(dir, entry.name));
        }
      }
    }
    if (found) return withoutRank(found);
    level = next;
  }
  return undefined;
}

function withoutRank(location: StoreLocation & { hasData?: boolean }): StoreLocation {
  const { hasData: _hasData, ...rest } = location;
  return rest as StoreLocation;
}

/** At one level, an `mlruns` folder holding experiments wins over a database, like MLflow 3.7's default. */
function preferred(a: StoreLocation & { hasData?: boolean }, b: StoreLocation & { hasData?: boolean }): boolean {
  return (a.hasData ?? false) && !(b.hasData ?? false);
}

/**
 * What an entry is, following a symbolic link (`mlruns -> /data/mlruns` keeps runs on a bigger
 * disk, as MLflow itself follows it); a dangling link is nothing.
 */
async function entryKind(dir: string, entry: import('node:fs').Dirent): Promise<'dir' | 'file' | undefined> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return undefined;
  try {
    const stat = await fs.stat(path.join(dir, entry.name));
    return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

async function storeIn(dir: string, entries: import('node:fs').Dirent[]): Promise<(StoreLocation & { hasData?: boolean }) | undefined> {
  const named = async (name: string, kind: 'dir' | 'file') => {
    const entry = entries.find((e) => e.name === name);
    return entry && (await entryKind(dir, entry)) === kind ? entry : undefined;
  };
  const mlruns = await named('mlruns', 'dir');
  const db = await named('mlflow.db', 'file');
  if (mlruns) {
    const folder = path.join(dir, mlruns.name);
    const hasData = await holdsExperiments(folder);
    if (hasData || !db) return { ...fileStoreAt(folder), hasData };
  }
  return db ? { ...sqliteAt(path.join(dir, db.name)), hasData: true } : undefined;
}

async function holdsExperiments(folder: string): Promise<boolean> {
  try {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      if (/^\d+$/.test(entry.name) && (await entryKind(folder, entry)) === 'dir') {
        try {
          await fs.access(path.join(folder, entry.name, 'meta.yaml'));
          return true;
        } catch {
          // not an experiment folder
        }
      }
    }
  } catch {
    // unreadable: treat as empty
  }
  return false;
}
