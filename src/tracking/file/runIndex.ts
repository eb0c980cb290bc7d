/**
 * In-memory index of the runs of each experiment a search has read, so that a new filter or a
 * new order over the same experiment is evaluated in memory instead of reading every run again.
 *
 * Kept per run: its info (from meta.yaml, with the stat that validated it) and its whole run
 * (params, tags, latest metrics, inputs, outputs). The whole runs are read once, in the
 * background after an experiment's first search (slices between turns of the event loop) and
 * for each page returned; until a run's whole run is in, the keys a search names are read for
 * it alone ("columns"), as a cold search does. So the first search costs what it did before the
 * index, and the later ones filter, sort and page in memory.
 *
 * How it stays true, at every search, without reading the runs again:
 *  - run folders added or removed: the experiment folder's listing, cached by the folder's mtime;
 *  - meta.yaml rewritten (a run finished, deleted, restored, renamed): one stat per run
 *    (mtime, size); a changed run is read again;
 *  - RUNNING runs: their columns and whole run are read again at every search (metric files are
 *    validated by the latest-value cache's (mtime, size));
 *  - a whole run on a page: the mtimes of its params/, tags/, metrics/, inputs/, outputs/ folders
 *    (a key added after the run finished).
 * Not seen without Refresh (`forget`): a key added to a finished run, as far as filtering and
 * sorting go (the page shows it), and a tag's value rewritten in place on a finished run.
 *
 * One module of over 400 lines: the entries, their checks and the background reading share
 * each entry's state (stamp, view, whole run), and apart each would reach into the others'.
 *
 * Memory: what the data costs (one object per param, tag and latest metric; about 3 KB for a
 * run of 20 params, 10 metrics and 5 tags), at most MAX_WHOLE_RUNS whole runs per experiment;
 * an experiment not searched for IDLE_MS is dropped, and everything when the store is closed.
 */
import * as fs from 'node:fs';
import type { KeyValue, Metric, Run } from '../types';
import { yieldNow, type Warn } from './fsRead';
import type { ExperimentDir, RunDir, StoreLayout } from './layout';
import { RunReader, type LoadedRun } from './runs';

/** An experiment's index is dropped after this long without a search. */
const IDLE_MS = 5 * 60_000;
/** Whole runs kept per experiment; past it the oldest half is forgotten. */
const MAX_WHOLE_RUNS = 25_000;
/** The background read starts this long after a search, so the search's caller goes first. */
const FILL_DELAY_MS = 50;
/** Milliseconds of background reading before it gives the event loop a turn. */
const FILL_SLICE_MS = 8;
/** Runs read between two turns of the event loop. */
const SLICE = 512;
const RUN_FOLDERS = ['params', 'tags', 'metrics', 'inputs', 'outputs'];

/** What a search needs of each run: the keys it filters or orders by, and dataset inputs. */
interface ColumnKeys {
  metrics: Iterable<string>;
  params: Iterable<string>;
  tags: Iterable<string>;
  datasets?: boolean;
  /** The run's name, which older runs keep only in the mlflow.runName tag. */
  runName?: boolean;
}

/** One run as the index holds it. `view` carries the info and the columns read so far. */
export interface IndexedRun {
  readonly ref: RunDir;
  readonly metaPath: string;
  /** Undefined while meta.yaml is unreadable (warned once; tried again when its stat changes). */
  loaded: LoadedRun | undefined;
  view: Run;
  metaMtimeMs: number;
  metaSize: number;
  /** False until the stat of meta.yaml is taken (see stamp). */
  stamped: boolean;
  /** has[c] is true when column c (see ExperimentIndex.columnIds) is in `view`. */
  has: boolean[];
  /** True when `view` is the whole run: every column is in it. */
  complete: boolean;
  whole?: { run: Run; stamp: string; order: number };
}

/** A column: one key of one kind; `runName` is the info's run_name filled from the tag (partial does that). */
interface Column {
  id: number;
  kind: 'metrics' | 'params' | 'tags' | 'datasets' | 'runName';
  key: string;
}

interface ExperimentIndex {
  dir: string;
  /** The listing the entries were made from (the layout returns the same array while the folder's mtime holds). */
  names: readonly string[] | undefined;
  runs: Map<string, IndexedRun>;
  columnIds: Map<string, number>;
  keyNames: Map<string, string>;
  lastUsed: number;
  wholeCount: number;
  wholeOrder: number;
  filling: boolean;
}

function emptyView(run: LoadedRun | undefined, ref: RunDir): Run {
  const info = run?.info ?? { run_id: ref.runId, experiment_id: ref.experimentId, status: 'FAILED', lifecycle_stage: 'deleted' };
  return { info, data: { metrics: [], params: [], tags: [] } };
}

function statOf(path: string): { mtimeMs: number; size: number } {
  try {
    const st = fs.statSync(path, { throwIfNoEntry: false });
    return st ? { mtimeMs: st.mtimeMs, size: st.size } : { mtimeMs: -1, size: -1 };
  } catch {
    return { mtimeMs: -2, size: -1 };
  }
}

function copyRun(run: Run): Run {
  const copyKv = (xs: KeyValue[] | undefined) => xs && xs.map((x) => ({ ...x }));
  const out: Run = { info: { ...run.info }, data: {} };
  if (run.data.metrics) out.data.metrics = run.data.metrics.map((m: Metric) => ({ ...m }));
  if (run.data.params) out.data.params = copyKv(run.data.params);
  if (run.data.tags) out.data.tags = copyKv(run.data.tags);
  if (run.inputs) out.inputs = structuredClone(run.inputs);
  if (run.outputs) out.outputs = structuredClone(run.outputs);
  return out;
}

export class RunIndex {
  private readonly experiments = new Map<string, ExperimentIndex>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly fillTimers = new Set<NodeJS.Timeout>();
  private settledWaiters: (() => void)[] = [];

  constructor(
    private readonly layout: StoreLayout,
    private readonly reader: RunReader,
    private readonly warn: Warn,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** The runs of an experiment, checked against the disk as the module comment says. Readable runs only. */
  runsOf(exp: ExperimentDir): IndexedRun[] {
    const index = this.experimentIndex(exp);
    const names = this.layout.subfolders(exp.dir);
    const created = new Set<IndexedRun>();
    if (names !== index.names) {
      const next = new Map<string, IndexedRun>();
      for (const ref of this.layout.runs(exp)) {
        let entry = index.runs.get(ref.runId);
        if (!entry) created.add((entry = this.newEntry(ref)));
        next.set(ref.runId, entry);
      }
      index.runs = next;
      index.names = names;
    }
    const out: IndexedRun[] = [];
    for (const entry of index.runs.values()) {
      // A run read just now needs no check; its stat is taken later (stamp), so that the first
      // search costs no more than reading every meta.yaml.
      if (!created.has(entry)) {
        if (!entry.stamped) this.stamp(entry);
        else {
          const st = statOf(entry.metaPath);
          if (st.mtimeMs !== entry.metaMtimeMs || st.size !== entry.metaSize) this.reload(entry, st);
        }
        if (entry.loaded?.info.status === 'RUNNING') this.reset(entry, entry.loaded);
      }
      if (entry.loaded) out.push(entry);
    }
    return out;
  }

  /**
   * Reads the columns the entries lack (each run's files for those keys); returns the entries
   * that have them all now. A run that cannot be read is warned about and left out.
   */
  async ensure(expDir: string, entries: IndexedRun[], keys: ColumnKeys): Promise<IndexedRun[]> {
    const index = this.experiments.get(expDir);
    if (!index) return [];
    const columns: Column[] = [];
    const add = (kind: Column['kind'], key: string) => {
      const name = `${kind}\0${key}`;
      let id = index.columnIds.get(name);
      if (id === undefined) index.columnIds.set(name, (id = index.columnIds.size));
      columns.push({ id, kind, key });
    };
    for (const k of keys.metrics) add('metrics', k);
    for (const k of keys.params) add('params', k);
    for (const k of keys.tags) add('tags', k);
    if (keys.datasets) add('datasets', '');
    if (keys.runName) add('runName', '');
    if (columns.length === 0) return entries;
    const out: IndexedRun[] = [];
    let reads = 0;
    for (const entry of entries) {
      if (entry.complete) {
        out.push(entry);
        continue;
      }
      if (entry.whole) {
        this.useWhole(entry);
        out.push(entry);
        continue;
      }
      const missing = columns.filter((c) => entry.has[c.id] !== true);
      if (missing.length === 0) {
        out.push(entry);
        continue;
      }
      if (++reads % SLICE === 0) await yieldNow();
      try {
        await this.load(entry, missing);
        out.push(entry);
      } catch (e) {
        this.warn(entry.ref.dir, `run skipped: ${(e as Error).message}`);
      }
    }
    return out;
  }

  private async load(entry: IndexedRun, columns: Column[]): Promise<void> {
    const run = entry.loaded!;
    const want = { metrics: [] as string[], params: [] as string[], tags: [] as string[] };
    let datasets = false;
    for (const c of columns) {
      if (c.kind === 'datasets') datasets = true;
      else if (c.kind !== 'runName') want[c.kind].push(c.key);
    }
    const part = await this.reader.partial(run, want);
    const inputs = datasets ? this.reader.inputsOf(run) : undefined;
    // Another search found meta.yaml changed meanwhile and started the run afresh: what was
    // read here belongs to the old info (that search reads the keys again).
    if (entry.loaded !== run || entry.complete) return;
    const data = entry.view.data;
    data.metrics!.push(...part.data.metrics!);
    data.params!.push(...part.data.params!);
    data.tags!.push(...part.data.tags!);
    entry.view.info = part.info;
    if (inputs) entry.view.inputs = inputs;
    for (const c of columns) entry.has[c.id] = true;
  }

  /** The whole run (for a page), from memory while its meta.yaml and key folders are unchanged. */
  async wholeRun(expDir: string, entry: IndexedRun): Promise<Run> {
    const run = entry.loaded!;
    const running = run.info.status === 'RUNNING';
    const stamp = running ? '' : this.folderStamp(entry);
    if (entry.whole && !running && entry.whole.stamp === stamp) return copyRun(entry.whole.run);
    if (entry.whole) {
      // A key was added since: the view made from the old whole run is out of date too.
      this.reset(entry, run);
    }
    const whole = await this.reader.full(run);
    const index = this.experiments.get(expDir);
    if (!running && index && entry.loaded === run) this.keepWhole(index, entry, whole, stamp);
    return copyRun(whole);
  }

  /**
   * Reads the whole runs of an experiment in the background, a slice at a time, so that later
   * searches filter, sort and page in memory. Stops when the experiment is dropped.
   */
  prefetch(expDir: string): void {
    const index = this.experiments.get(expDir);
    if (!index || index.filling) return;
    index.filling = true;
    const step = async () => {
      if (this.experiments.get(expDir) !== index) return this.fillDone(index);
      const until = performance.now() + FILL_SLICE_MS;
      // A reader of its own, dropped after the slice: its per-file caches (latest metric values
      // by file) would only duplicate, for finished runs, what the index keeps.
      const reader = new RunReader(this.warn);
      for (const entry of index.runs.values()) {
        if (index.wholeCount >= MAX_WHOLE_RUNS) break;
        if (!entry.stamped) this.stamp(entry);
        const run = entry.loaded;
        if (!run || entry.whole || run.info.status === 'RUNNING') continue;
        try {
          const stamp = this.folderStamp(entry);
          const whole = await reader.full(run);
          if (this.experiments.get(expDir) !== index) return this.fillDone(index);
          if (entry.loaded === run && !entry.whole) this.keepWhole(index, entry, whole, stamp);
        } catch {
          // Left for the search to read (and warn about) when it needs this run.
          entry.whole = undefined;
          continue;
        }
        if (performance.now() >= until) {
          this.later(step, 0);
          return;
        }
      }
      this.fillDone(index);
    };
    this.later(step, FILL_DELAY_MS);
  }

  /** Resolves when no background read is going on (for tests and benchmarks). */
  settled(): Promise<void> {
    if (![...this.experiments.values()].some((i) => i.filling)) return Promise.resolve();
    // Someone waits: the background read now keeps the process alive, or the promise would never settle.
    for (const t of this.fillTimers) t.ref();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private later(fn: () => Promise<void>, ms: number): void {
    const t = setTimeout(() => {
      this.fillTimers.delete(t);
      void fn();
    }, ms);
    // Background work must not keep a process (a CLI, a test run) alive.
    if (this.settledWaiters.length === 0) t.unref();
    this.fillTimers.add(t);
  }

  private fillDone(index: ExperimentIndex): void {
    index.filling = false;
    index.lastUsed = Date.now();
    if ([...this.experiments.values()].some((i) => i.filling)) return;
    for (const w of this.settledWaiters.splice(0)) w();
  }

  private folderStamp(entry: IndexedRun): string {
    return RUN_FOLDERS.map((f) => statOf(`${entry.ref.dir}/${f}`).mtimeMs).join(' ');
  }

  private keepWhole(index: ExperimentIndex, entry: IndexedRun, whole: Run, stamp: string): void {
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
    if (index.wholeCount > MAX_WHOLE_RUNS) this.trimWhole(index);
  }

  /** The whole run becomes the view: every column is in it, nothing more to read. */
  private useWhole(entry: IndexedRun): void {
    entry.view = entry.whole!.run;
    entry.complete = true;
    entry.has = [];
  }

  /** Forgets everything: the next search reads the store again (Refresh). */
  forget(): void {
    this.experiments.clear();
    this.stopSweep();
    for (const t of this.fillTimers) clearTimeout(t);
    this.fillTimers.clear();
    for (const w of this.settledWaiters.splice(0)) w();
  }

  dispose(): void {
    this.forget();
  }

  /** Experiments indexed now (for tests and diagnostics). */
  get experimentCount(): number {
    return this.experiments.size;
  }

  private experimentIndex(exp: ExperimentDir): ExperimentIndex {
    let index = this.experiments.get(exp.dir);
    if (!index) {
      index = {
        dir: exp.dir,
        names: undefined,
        runs: new Map(),
        columnIds: new Map(),
        keyNames: new Map(),
        lastUsed: 0,
        wholeCount: 0,
        wholeOrder: 0,
        filling: false,
      };
      this.experiments.set(exp.dir, index);
    }
    index.lastUsed = Date.now();
    this.scheduleSweep();
    return index;
  }

  private newEntry(ref: RunDir): IndexedRun {
    const loaded = this.reader.info(ref);
    const view = emptyView(loaded, ref);
    return { ref, metaPath: `${ref.dir}/meta.yaml`, loaded, view, metaMtimeMs: NaN, metaSize: NaN, stamped: false, has: [], complete: false };
  }

  private reload(entry: IndexedRun, st: { mtimeMs: number; size: number }): void {
    entry.metaMtimeMs = st.mtimeMs;
    entry.metaSize = st.size;
    entry.stamped = true;
    const loaded = this.reader.info(entry.ref);
    this.reset(entry, loaded);
  }

  /**
   * Takes the stat of a run's meta.yaml, then compares its text with what was read (the reader
   * keeps it): a change in between shows as a stat mismatch at the next search, so none is missed.
   */
  private stamp(entry: IndexedRun): void {
    const st = statOf(entry.metaPath);
    const loaded = this.reader.info(entry.ref);
    entry.metaMtimeMs = st.mtimeMs;
    entry.metaSize = st.size;
    entry.stamped = true;
    if (loaded !== entry.loaded) this.reset(entry, loaded);
  }

  private reset(entry: IndexedRun, loaded: LoadedRun | undefined): void {
    if (entry.whole) {
      const index = this.experiments.get(entry.ref.experimentDir);
      if (index) index.wholeCount--;
    }
    entry.loaded = loaded;
    entry.view = emptyView(loaded, entry.ref);
    entry.has = [];
    entry.complete = false;
    entry.whole = undefined;
  }

  private trimWhole(index: ExperimentIndex): void {
    const withWhole = [...index.runs.values()].filter((e) => e.whole).sort((a, b) => a.whole!.order - b.whole!.order);
    for (const e of withWhole.slice(0, Math.ceil(withWhole.length / 2))) {
      e.whole = undefined;
      if (e.complete) this.reset(e, e.loaded);
    }
    index.wholeCount = withWhole.length - Math.ceil(withWhole.length / 2);
  }

  private scheduleSweep(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setTimeout(
      () => {
        this.sweepTimer = undefined;
        const now = Date.now();
        // An index still being read is not idle; its idle time counts from when the reading ended.
        for (const [dir, index] of this.experiments) if (!index.filling && now - index.lastUsed >= this.idleMs) this.experiments.delete(dir);
        if (this.experiments.size > 0) this.scheduleSweep();
      },
      Math.max(10, Math.min(this.idleMs, 60_000)),
    );
    this.sweepTimer.unref();
  }

  private stopSweep(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }
}
