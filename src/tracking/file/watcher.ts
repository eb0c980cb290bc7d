/**
 * Change notification for a file store, debounced.
 *
 * Choice of what to watch: Node 20 on Linux has no native recursive `fs.watch` (later
 * versions emulate it by adding one inotify watch per folder, which on a 10,000-run store
 * means ~50,000 watches, past many systems' `max_user_watches`). So the watcher is narrow,
 * the same on every platform:
 *  - the store root and `.trash/` (experiments created, deleted, restored);
 *  - each experiment folder (a new run folder appears there);
 *  - each RUNNING run's folder (meta.yaml rewritten when it ends) and its `metrics/` folder
 *    (points appended). Finished runs rarely change, and are not watched, which keeps the
 *    count proportional to the live runs, capped at `maxRunWatches`.
 * The watch set is refreshed after each burst of events: a new run folder is examined and
 * watched if it is running. Metric keys with `/` live in sub-folders of `metrics/`, which
 * are not watched; their appends show when anything else in the run changes.
 * Readers never depend on the watcher for correctness: every cache checks mtime and size.
 */
import * as fs from 'node:fs';
import type { StoreChangeEvent } from '../types';

export interface WatchTarget {
  path: string;
  experimentId?: string;
  runId?: string;
}

export interface WatchPlan {
  /** Everything that should be watched now. */
  targets(): WatchTarget[];
}

export class StoreWatcher {
  private readonly watchers = new Map<string, { w: fs.FSWatcher; t: WatchTarget }>();
  private pending: StoreChangeEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly plan: WatchPlan,
    private readonly fire: (e: StoreChangeEvent) => void,
    private readonly debounceMs = 200,
  ) {
    this.refresh();
  }

  /** Starts watching what the plan lists now and stops watching what it no longer lists. */
  refresh(): void {
    if (this.disposed) return;
    let wanted: WatchTarget[];
    try {
      wanted = this.plan.targets();
    } catch {
      return;
    }
    const keep = new Set(wanted.map((t) => t.path));
    for (const [p, entry] of this.watchers) {
      if (!keep.has(p)) {
        entry.w.close();
        this.watchers.delete(p);
      }
    }
    for (const t of wanted) {
      if (this.watchers.has(t.path)) continue;
      try {
        const w = fs.watch(t.path, { persistent: false }, () => this.onEvent(t));
        w.on('error', () => {
          w.close();
          this.watchers.delete(t.path);
        });
        this.watchers.set(t.path, { w, t });
      } catch {
        // Gone already, or not watchable: the next refresh tries again.
      }
    }
  }

  get watchCount(): number {
    return this.watchers.size;
  }

  private onEvent(t: WatchTarget): void {
    if (this.disposed) return;
    this.pending.push({ experiment_id: t.experimentId, run_id: t.runId });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private flush(): void {
    this.timer = undefined;
    const events = this.pending;
    this.pending = [];
    if (this.disposed || events.length === 0) return;
    this.refresh();
    this.fire(merge(events));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const { w } of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}

/** One event for a burst: as specific as all of its events agree on. */
function merge(events: StoreChangeEvent[]): StoreChangeEvent {
  const exp = events[0].experiment_id;
  const run = events[0].run_id;
  const sameExp = events.every((e) => e.experiment_id === exp);
  const sameRun = sameExp && events.every((e) => e.run_id === run);
  const out: StoreChangeEvent = {};
  if (sameExp && exp !== undefined) out.experiment_id = exp;
  if (sameRun && run !== undefined) out.run_id = run;
  return out;
}
