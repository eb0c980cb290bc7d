/**
 * In-memory index of the runs of each experiment a search has read, so that a new filter or a
 * new order over the same experiment is evaluated in memory instead of reading every run again.
 *
 * Kept per run (runIndexEntry.ts): its info (from meta.yaml, with the stat that validated it)
 * and its whole run (params, tags, latest metrics, inputs, outputs). The whole runs are read
 * once, in the background after an experiment's first search (slices between turns of the
 * event loop) and for each page returned; until a run's whole run is in, the keys a search
 * names are read for it alone ("columns"), as a cold search does. So the first search costs what
 * it did before the index, and the later ones filter, sort and page in memory. The first search
 * of a watched store does not read meta.yaml files again: the watcher read them all when it started.
 *
 * How it stays true without reading the runs again. At every search:
 *  - run folders added or removed: the experiment folder's listing, cached by the folder's mtime
 *    (one stat);
 *  - RUNNING runs: the stat of their meta.yaml (finished, renamed, deleted), and their columns
 *    and whole run read again (metric files are validated by the latest-value cache's (mtime, size));
 *  - the runs of the page returned: the stat of their meta.yaml (a change there makes the search
 *    start again) and the mtimes of their params/, tags/, metrics/, inputs/, outputs/ folders (a
 *    key added after the run finished is shown).
 * After the searches pause (runIndexCheck.ts): the stat of every other run's meta.yaml; a FINISHED
 * run deleted, restored, renamed or resumed is then announced (`onStale`), and the next search
 * shows it. Not seen without Refresh (`forget`): a key added to a finished run, as far as
 * filtering and sorting go (the page shows it), and a tag's value rewritten in place on a finished run.
 *
 * Memory: what the data costs (one object per param, tag and latest metric; about 3 KB for a
 * run of 20 params, 10 metrics and 5 tags), at most MAX_WHOLE_RUNS whole runs per experiment;
 * an experiment not searched for IDLE_MS is dropped, and everything when the store is closed.
 */
import type { Run } from '../types';
import { changedJustNow, yieldNow, type Warn } from './fsRead';
import type { ExperimentDir, StoreLayout } from './layout';
import { BackgroundRunCheck } from './runIndexCheck';
import { columnsOf, readColumns, type ColumnKeys } from './runIndexColumns';
import {
  copyRun,
  folderStamp,
  keepWhole,
  metaChanged,
  newEntry,
  newExperimentIndex,
  resetEntry,
  statOf,
  useWhole,
  type ExperimentIndex,
  type FileStamp,
  type IndexedRun,
} from './runIndexEntry';
import { RunReader, type LoadedRun } from './runs';

export type { IndexedRun } from './runIndexEntry';

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

export class RunIndex {
  private readonly experiments = new Map<string, ExperimentIndex>();
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly fillTimers = new Set<NodeJS.Timeout>();
  private settledWaiters: (() => void)[] = [];
  private readonly check: BackgroundRunCheck;

  constructor(
    private readonly layout: StoreLayout,
    private readonly reader: RunReader,
    private readonly warn: Warn,
    private readonly idleMs = IDLE_MS,
    /** Told when the background check found a run changed (a view showing the experiment should ask again). */
    private readonly onStale: (experimentId: string) => void = () => undefined,
    checkDelayMs?: number,
  ) {
    this.check = new BackgroundRunCheck(
      {
        entries: (dir) => this.experiments.get(dir)?.runs.values(),
        check: (entry) => this.checkEntry(entry),
        changed: (dir) => {
          const index = this.experiments.get(dir);
          if (index) this.onStale(index.id);
        },
      },
      checkDelayMs,
    );
  }

  /**
   * The runs of an experiment, checked against the disk as far as a search checks them (the
   * module comment says what). Readable runs only.
   */
  runsOf(exp: ExperimentDir): IndexedRun[] {
    const index = this.experimentIndex(exp);
    const names = this.layout.subfolders(exp.dir);
    const created = new Set<IndexedRun>();
    index.readNow = created;
    if (names !== index.names) {
      const next = new Map<string, IndexedRun>();
      for (const ref of this.layout.runs(exp)) {
        let entry = index.runs.get(ref.runId);
        if (!entry) {
          // An info the store read before (its watcher reads every meta.yaml when it starts) is taken
          // unread and checked as a kept run is: on the page at once, the others after the search.
          const known = this.reader.peek(ref);
          if (known) entry = newEntry(ref, known);
          else created.add((entry = newEntry(ref, this.reader.info(ref))));
        }
        next.set(ref.runId, entry);
      }
      index.runs = next;
      index.names = names;
    }
    const out: IndexedRun[] = [];
    for (const entry of index.runs.values()) {
      // A run read just now needs no check; its stat is taken later (stamp), so that the first
      // search costs no more than reading every meta.yaml. A finished run is checked after the search.
      if (!created.has(entry) && (entry.loaded === undefined || entry.loaded.info.status === 'RUNNING')) {
        this.checkEntry(entry);
        if (entry.loaded?.info.status === 'RUNNING') this.reset(entry, entry.loaded);
      }
      if (entry.loaded) out.push(entry);
    }
    return out;
  }

  /**
   * Checks the runs a search is about to return against the disk (the stat of their meta.yaml);
   * true when one changed, and the search must start again. A run whose meta.yaml this search
   * read (a new run) needs no check.
   */
  recheck(page: { expDir: string; entry: IndexedRun }[]): boolean {
    let changed = false;
    for (const { expDir, entry } of page) {
      if (this.experiments.get(expDir)?.readNow.has(entry)) continue;
      if (this.checkEntry(entry)) changed = true;
    }
    return changed;
  }

  /** After a search of the experiment: its other runs are checked once the searches pause. */
  checkLater(expDir: string): void {
    this.check.ask(expDir);
  }

  /** One run against its meta.yaml on disk; true when its info changed (it is then read again). */
  private checkEntry(entry: IndexedRun): boolean {
    const before = entry.loaded;
    // A racy stamp is taken again with its text compared (no reset when it is the same).
    if (!entry.stamped || entry.metaRacy) this.stamp(entry);
    else {
      const st = statOf(entry.metaPath);
      if (metaChanged(entry, st)) this.reload(entry, st);
    }
    return entry.loaded !== before;
  }

  /**
   * Reads the columns the entries lack (each run's files for those keys); returns the entries
   * that have them all now. A run that cannot be read is warned about and left out.
   */
  async ensure(expDir: string, entries: IndexedRun[], keys: ColumnKeys): Promise<IndexedRun[]> {
    const index = this.experiments.get(expDir);
    if (!index) return [];
    const columns = columnsOf(index.columnIds, keys);
    if (columns.length === 0) return entries;
    const out: IndexedRun[] = [];
    let reads = 0;
    for (const entry of entries) {
      if (entry.complete) {
        out.push(entry);
        continue;
      }
      if (entry.whole) {
        useWhole(entry);
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
        await readColumns(this.reader, entry, missing);
        out.push(entry);
      } catch (e) {
        this.warn(entry.ref.dir, `run skipped: ${(e as Error).message}`);
      }
    }
    return out;
  }

  /** The whole run (for a page), from memory while its meta.yaml and key folders are unchanged. */
  async wholeRun(expDir: string, entry: IndexedRun): Promise<Run> {
    const run = entry.loaded!;
    const running = run.info.status === 'RUNNING';
    const stamp = running ? '' : folderStamp(entry);
    // Key folders changed just now: read the run whole for this answer, but keep nothing (a key added
    // in the same clock tick would not change the stamp); the entry is judged by its stamp later.
    if (stamp === undefined) return this.reader.full(run);
    if (entry.whole && !running && entry.whole.stamp === stamp) return copyRun(entry.whole.run);
    if (entry.whole) {
      // A key was added since: the view made from the old whole run is out of date too.
      this.reset(entry, run);
    }
    const whole = await this.reader.full(run);
    const index = this.experiments.get(expDir);
    if (!running && index && entry.loaded === run) keepWhole(index, entry, whole, stamp, MAX_WHOLE_RUNS);
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
        // A change found here, after a search read the run, is announced as the check does.
        if (!entry.stamped && this.checkEntry(entry)) index.stale = true;
        const run = entry.loaded;
        if (!run || entry.whole || run.info.status === 'RUNNING') continue;
        const stamp = folderStamp(entry);
        // Changed just now: read when a search asks for it (wholeRun), not kept with a stamp that may miss a key.
        if (stamp === undefined) continue;
        try {
          const whole = await reader.full(run);
          if (this.experiments.get(expDir) !== index) return this.fillDone(index);
          if (entry.loaded === run && !entry.whole) keepWhole(index, entry, whole, stamp, MAX_WHOLE_RUNS);
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
  async settled(): Promise<void> {
    await this.fillSettled();
    await this.check.settled();
    // The check may have read runs again, and a search meanwhile started a background read.
    await this.fillSettled();
  }

  private fillSettled(): Promise<void> {
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
    if (index.stale && this.experiments.get(index.dir) === index) this.onStale(index.id);
    index.stale = false;
    index.lastUsed = Date.now();
    if ([...this.experiments.values()].some((i) => i.filling)) return;
    for (const w of this.settledWaiters.splice(0)) w();
  }

  /** Forgets everything: the next search reads the store again (Refresh). */
  forget(): void {
    this.experiments.clear();
    this.stopIdleDrop();
    for (const t of this.fillTimers) clearTimeout(t);
    this.fillTimers.clear();
    for (const w of this.settledWaiters.splice(0)) w();
  }

  dispose(): void {
    this.forget();
    this.check.stop();
  }

  /** Experiments indexed now (for tests and diagnostics). */
  get experimentCount(): number {
    return this.experiments.size;
  }

  private experimentIndex(exp: ExperimentDir): ExperimentIndex {
    let index = this.experiments.get(exp.dir);
    if (!index) {
      index = newExperimentIndex(exp);
      this.experiments.set(exp.dir, index);
    }
    index.lastUsed = Date.now();
    this.scheduleIdleDrop();
    return index;
  }

  private reload(entry: IndexedRun, st: FileStamp): void {
    entry.metaMtimeMs = st.mtimeMs;
    entry.metaSize = st.size;
    entry.metaRacy = changedJustNow(st.mtimeMs);
    entry.stamped = true;
    const loaded = this.reader.info(entry.ref);
    this.reset(entry, loaded);
  }

  /**
   * Takes the stat of a run's meta.yaml, then compares its text with what was read (the reader
   * keeps it): a change in between shows as a stat mismatch at the next search, and one in the same
   * clock tick as the stat (same mtime and size) by metaRacy, so none is missed.
   */
  private stamp(entry: IndexedRun): void {
    const st = statOf(entry.metaPath);
    const loaded = this.reader.info(entry.ref);
    entry.metaMtimeMs = st.mtimeMs;
    entry.metaSize = st.size;
    entry.metaRacy = changedJustNow(st.mtimeMs);
    entry.stamped = true;
    if (loaded !== entry.loaded) this.reset(entry, loaded);
  }

  private reset(entry: IndexedRun, loaded: LoadedRun | undefined): void {
    if (entry.whole) {
      const index = this.experiments.get(entry.ref.experimentDir);
      if (index) index.wholeCount--;
    }
    resetEntry(entry, loaded);
  }

  private scheduleIdleDrop(): void {
    if (this.idleTimer) return;
    this.idleTimer = setTimeout(
      () => {
        this.idleTimer = undefined;
        const now = Date.now();
        // An index still being read is not idle; its idle time counts from when the reading ended.
        for (const [dir, index] of this.experiments) if (!index.filling && now - index.lastUsed >= this.idleMs) this.experiments.delete(dir);
        if (this.experiments.size > 0) this.scheduleIdleDrop();
      },
      Math.max(10, Math.min(this.idleMs, 60_000)),
    );
    this.idleTimer.unref();
  }

  private stopIdleDrop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
