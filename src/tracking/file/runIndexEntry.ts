/**
 * What the run index (runIndex.ts) holds: one record per experiment, one per run, and the small
 * checks made on a run: the stat of its meta.yaml, the mtimes of its key folders, and copies
 * handed out so that a caller cannot change what the index keeps; and the whole runs it keeps,
 * at most a given number per experiment.
 */
import * as fs from 'node:fs';
import type { KeyValue, Metric, Run } from '../types';
import { changedJustNow } from './fsRead';
import type { ExperimentDir, RunDir } from './layout';
import type { LoadedRun } from './runs';

const RUN_FOLDERS = ['params', 'tags', 'metrics', 'inputs', 'outputs'];

/** One run as the index holds it. `view` carries the info and the columns read so far. */
export interface IndexedRun {
  readonly ref: RunDir;
  readonly metaPath: string;
  /** Undefined while meta.yaml is unreadable (warned once; read again at the first search after its stat changes). */
  loaded: LoadedRun | undefined;
  view: Run;
  metaMtimeMs: number;
  metaSize: number;
  /** False until the stat of meta.yaml is taken (see RunIndex.stamp). */
  stamped: boolean;
  /** The stat was taken so soon after meta.yaml changed that a rewrite in the same clock tick would not show in it (fsRead.changedJustNow). */
  metaRacy: boolean;
  /** has[c] is true when column c (see the experiment's columnIds) is in `view`. */
  has: boolean[];
  /** True when `view` is the whole run: every column is in it. */
  complete: boolean;
  whole?: { run: Run; stamp: string; order: number };
}

export interface ExperimentIndex {
  id: string;
  dir: string;
  /** The listing the entries were made from (the layout returns the same array while the folder's mtime holds). */
  names: readonly string[] | undefined;
  runs: Map<string, IndexedRun>;
  /** The runs the latest search read meta.yaml of (new to the index). */
  readNow: Set<IndexedRun>;
  columnIds: Map<string, number>;
  keyNames: Map<string, string>;
  lastUsed: number;
  wholeCount: number;
  wholeOrder: number;
  filling: boolean;
  /** The background reading found a run changed since a search read it (announced when it ends). */
  stale: boolean;
}

export function newExperimentIndex(exp: ExperimentDir): ExperimentIndex {
  return {
    id: exp.id,
    dir: exp.dir,
    names: undefined,
    runs: new Map(),
    readNow: new Set(),
    columnIds: new Map(),
    keyNames: new Map(),
    lastUsed: 0,
    wholeCount: 0,
    wholeOrder: 0,
    filling: false,
    stale: false,
  };
}

export interface FileStamp {
  mtimeMs: number;
  size: number;
}

export function newEntry(ref: RunDir, loaded: LoadedRun | undefined): IndexedRun {
  return {
    ref,
    metaPath: `${ref.dir}/meta.yaml`,
    loaded,
    view: emptyView(loaded, ref),
    metaMtimeMs: NaN,
    metaSize: NaN,
    stamped: false,
    metaRacy: false,
    has: [],
    complete: false,
  };
}

export function emptyView(run: LoadedRun | undefined, ref: RunDir): Run {
  const info = run?.info ?? { run_id: ref.runId, experiment_id: ref.experimentId, status: 'FAILED', lifecycle_stage: 'deleted' };
  return { info, data: { metrics: [], params: [], tags: [] } };
}

/** (mtime, size) of a file; negative when it is absent (-1) or cannot be stat-ed (-2). */
export function statOf(path: string): FileStamp {
  try {
    const st = fs.statSync(path, { throwIfNoEntry: false });
    return st ? { mtimeMs: st.mtimeMs, size: st.size } : { mtimeMs: -1, size: -1 };
  } catch {
    return { mtimeMs: -2, size: -1 };
  }
}

/** Whether meta.yaml's stat differs from the one the entry was read with. */
export function metaChanged(entry: IndexedRun, st: FileStamp): boolean {
  return st.mtimeMs !== entry.metaMtimeMs || st.size !== entry.metaSize;
}

/**
 * The mtimes of a run's key folders: a key added to a finished run changes one of them. Undefined
 * while one changed just now (a key added in the same clock tick would not show): not a stamp to keep.
 */
export function folderStamp(entry: IndexedRun): string | undefined {
  const mtimes = RUN_FOLDERS.map((f) => statOf(`${entry.ref.dir}/${f}`).mtimeMs);
  return mtimes.some(changedJustNow) ? undefined : mtimes.join(' ');
}

export function copyRun(run: Run): Run {
  const copyKv = (xs: KeyValue[] | undefined) => xs && xs.map((x) => ({ ...x }));
  const out: Run = { info: { ...run.info }, data: {} };
  if (run.data.metrics) out.data.metrics = run.data.metrics.map((m: Metric) => ({ ...m }));
  if (run.data.params) out.data.params = copyKv(run.data.params);
  if (run.data.tags) out.data.tags = copyKv(run.data.tags);
  if (run.inputs) out.inputs = structuredClone(run.inputs);
  if (run.outputs) out.outputs = structuredClone(run.outputs);
  return out;
}

/** The entry holds `loaded` now, and nothing read for an older info (the caller counts a whole run dropped). */
export function resetEntry(entry: IndexedRun, loaded: LoadedRun | undefined): void {
  entry.loaded = loaded;
  entry.view = emptyView(loaded, entry.ref);
  entry.has = [];
  entry.complete = false;
  entry.whole = undefined;
}

/** Keeps a run's whole run; past `maxWhole` per experiment, the older half is forgotten. */
export function keepWhole(index: ExperimentIndex, entry: IndexedRun, whole: Run, stamp: string, maxWhole: number): void {
  // One string per key name for the whole experiment, not one per run.
  const intern = (x: { key: string }) => {
    const known = index.keyNames.get(x.key);
    if (known === undefined) index.keyNames.set(x.key, x.key);
    else x.key = known;
  };
  whole.data.metrics?.forEach(intern);
  whole.data.params?.forEach(intern);
  whole.data.tags?.forEach(intern);
  if (!entry.whole) index.wholeCount++;
  entry.whole = { run: whole, stamp, order: index.wholeOrder++ };
  if (index.wholeCount > maxWhole) trimWhole(index);
}

/** The whole run becomes the view: every column is in it, nothing more to read. */
export function useWhole(entry: IndexedRun): void {
  entry.view = entry.whole!.run;
  entry.complete = true;
  entry.has = [];
}

function trimWhole(index: ExperimentIndex): void {
  const withWhole = [...index.runs.values()].filter((e) => e.whole).sort((a, b) => a.whole!.order - b.whole!.order);
  const dropped = Math.ceil(withWhole.length / 2);
  for (const e of withWhole.slice(0, dropped)) {
    e.whole = undefined;
    if (e.complete) resetEntry(e, e.loaded);
  }
  index.wholeCount = withWhole.length - dropped;
}
