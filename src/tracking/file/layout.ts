/**
 * Where things are in an `mlruns` folder: experiment folders (in the root, deleted ones in
 * `.trash/`), run folders inside them, and the run id → folder index getRun needs.
 * Folder listings are cached by the folder's mtime (a new run folder changes it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { changedJustNow, listDir, type Warn } from './fsRead';

/** Names inside an experiment folder that are not runs. */
const EXPERIMENT_RESERVED = new Set(['tags', 'datasets', 'models', 'traces', 'meta.yaml']);
/** Names in the root that are not experiments: the registry and the trash. */
const ROOT_RESERVED = new Set(['models', '.trash']);

export interface ExperimentDir {
  id: string;
  dir: string;
  trashed: boolean;
}

export interface RunDir {
  runId: string;
  experimentId: string;
  dir: string;
  experimentDir: string;
}

interface Listing {
  mtimeMs: number;
  names: string[];
  /** Listed so soon after the folder changed that a change in the same clock tick would leave its mtime as it is (fsRead.changedJustNow). */
  racy: boolean;
}

export class StoreLayout {
  private readonly listings = new Map<string, Listing>();
  private readonly runIndex = new Map<string, RunDir>();

  constructor(
    readonly root: string,
    private readonly warn: Warn,
  ) {}

  get trashDir(): string {
    return `${this.root}/.trash`;
  }

  /** Experiment folders by id; an id in both places counts as the live one. */
  experiments(): Map<string, ExperimentDir> {
    const out = new Map<string, ExperimentDir>();
    for (const name of this.subfolders(this.trashDir)) {
      if (!name.startsWith('.')) out.set(name, { id: name, dir: `${this.trashDir}/${name}`, trashed: true });
    }
    for (const name of this.subfolders(this.root)) {
      if (!ROOT_RESERVED.has(name) && !name.startsWith('.')) out.set(name, { id: name, dir: `${this.root}/${name}`, trashed: false });
    }
    return out;
  }

  experiment(id: string): ExperimentDir | undefined {
    if (!id || id.includes('/') || id.includes('\\') || id.startsWith('.') || ROOT_RESERVED.has(id)) return undefined;
    for (const [dir, trashed] of [
      [`${this.root}/${id}`, false],
      [`${this.trashDir}/${id}`, true],
    ] as const) {
      try {
        if (fs.statSync(dir).isDirectory()) return { id, dir, trashed };
      } catch {
        // not here
      }
    }
    return undefined;
  }

  /** Run folders of one experiment (cached by the folder's mtime). */
  runs(exp: ExperimentDir): RunDir[] {
    const out: RunDir[] = [];
    for (const name of this.subfolders(exp.dir)) {
      if (EXPERIMENT_RESERVED.has(name) || name.startsWith('.')) continue;
      const r: RunDir = { runId: name, experimentId: exp.id, dir: `${exp.dir}/${name}`, experimentDir: exp.dir };
      this.runIndex.set(name, r);
      out.push(r);
    }
    return out;
  }

  /** The folder of a run, wherever it is; rescans the store when the cached place is gone. */
  findRun(runId: string): RunDir | undefined {
    if (!runId || runId.includes('/') || runId.includes('\\') || runId.startsWith('.')) return undefined;
    const known = this.runIndex.get(runId);
    if (known && fs.existsSync(known.dir)) return known;
    this.runIndex.delete(runId);
    // Most likely place first: no full rescan needed for a run in a known experiment.
    for (const exp of this.experiments().values()) {
      const dir = `${exp.dir}/${runId}`;
      if (!EXPERIMENT_RESERVED.has(runId) && fs.existsSync(`${dir}`)) {
        const r: RunDir = { runId, experimentId: exp.id, dir, experimentDir: exp.dir };
        this.runIndex.set(runId, r);
        return r;
      }
    }
    return undefined;
  }

  /** Names of sub-folders, cached by the folder's mtime. */
  subfolders(dir: string): string[] {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(dir).mtimeMs;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.warn(dir, `cannot read folder: ${(e as Error).message}`);
      this.listings.delete(dir);
      return [];
    }
    const cached = this.listings.get(dir);
    if (cached && cached.mtimeMs === mtimeMs && !cached.racy) return cached.names;
    const racy = changedJustNow(mtimeMs);
    const names: string[] = [];
    for (const d of listDir(dir, this.warn)) {
      if (d.isDirectory()) names.push(d.name);
      else if (d.isSymbolicLink()) {
        const link = `${dir}/${d.name}`;
        try {
          if (!fs.statSync(link).isDirectory()) continue;
          // A link back to this folder or one above it (`loop -> .`) is no run or experiment.
          const target = fs.realpathSync(link);
          const here = fs.realpathSync(dir);
          if (here === target || here.startsWith(target.endsWith(path.sep) ? target : target + path.sep)) {
            this.warn(link, `symbolic link back to ${here === target ? 'the folder it is in' : 'a folder above it'} (a loop); skipped`);
            continue;
          }
          names.push(d.name);
        } catch {
          this.warn(link, 'broken symbolic link; skipped');
        }
      }
    }
    names.sort();
    // The same names keep the same array: callers (the run index) compare listings by identity.
    const same = cached !== undefined && cached.names.length === names.length && cached.names.every((n, k) => n === names[k]);
    const kept = same ? cached.names : names;
    this.listings.set(dir, { mtimeMs, names: kept, racy });
    return kept;
  }
}
