/**
 * The background check of an indexed experiment's runs: the stat of every run's meta.yaml,
 * compared with the one its info was read with, after the searches pause.
 *
 * Why in the background: one stat per run costs ~6 µs, 60 ms for 10,000 runs, more than a
 * whole re-query answered from memory (filter and sort: a few ms). A search checks at once only
 * what it cannot do without (runIndex.ts): the experiment folder's listing (runs added or
 * removed), the RUNNING runs (they finish, their metric files grow), runs whose meta.yaml was
 * unreadable, and the runs of the page it returns. What is left, a FINISHED run's meta.yaml
 * rewritten (MLflow does that when a run is deleted, restored, renamed or resumed), is found
 * here, a moment after the search, and announced (`changed`), so that a view showing the
 * experiment asks again and corrects its rows.
 */
import type { IndexedRun } from './runIndexEntry';

/** The check starts this long after the last search, so a burst of searches (typing a filter) pays for one. */
const CHECK_DELAY_MS = 250;
/** ... but no later than this after the first search that asked for it. */
const CHECK_MAX_DELAY_MS = 2000;
/** Milliseconds of checking before the event loop gets a turn. */
const CHECK_SLICE_MS = 4;

export interface CheckedRuns {
  /** The runs of an experiment now, or undefined when it is no longer indexed. */
  entries(expDir: string): Iterable<IndexedRun> | undefined;
  /** Checks one run against the disk, updating it; true when it changed. */
  check(entry: IndexedRun): boolean;
  /** Some run of the experiment changed: searches answered before may be out of date. */
  changed(expDir: string): void;
}

export class BackgroundRunCheck {
  private readonly asked = new Set<string>();
  private firstAskedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private pauseTimer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly runs: CheckedRuns,
    private readonly delayMs = CHECK_DELAY_MS,
  ) {}

  /** A search of the experiment was answered: check its runs once the searches pause. */
  ask(expDir: string): void {
    if (this.stopped) return;
    if (this.asked.size === 0) this.firstAskedAt = Date.now();
    this.asked.add(expDir);
    // A check under way may have passed a run that changed before this search: it runs again after.
    if (!this.running) this.schedule();
  }

  get busy(): boolean {
    return this.running || this.asked.size > 0;
  }

  /** Resolves when no check is asked for or under way (for tests and benchmarks). */
  settled(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    // Someone waits: the pending check keeps the process alive now, or the promise would never settle.
    this.timer?.ref();
    this.pauseTimer?.ref();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.asked.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.release();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.delayMs, this.firstAskedAt + CHECK_MAX_DELAY_MS - Date.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
    // A check must not keep a process (a CLI, a test run) alive.
    if (this.waiters.length === 0) this.timer.unref();
  }

  private async run(): Promise<void> {
    const dirs = [...this.asked];
    this.asked.clear();
    this.running = true;
    try {
      for (const dir of dirs) {
        const entries = this.runs.entries(dir);
        if (!entries) continue;
        let changed = false;
        let until = performance.now() + CHECK_SLICE_MS;
        for (const entry of [...entries]) {
          if (this.runs.check(entry)) changed = true;
          if (performance.now() >= until) {
            await this.pause();
            if (this.stopped) return;
            until = performance.now() + CHECK_SLICE_MS;
          }
        }
        if (changed) this.runs.changed(dir);
      }
    } finally {
      this.running = false;
    }
    if (this.asked.size > 0) this.schedule();
    else this.release();
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      this.pauseTimer = setTimeout(() => {
        this.pauseTimer = undefined;
        resolve();
      }, 0);
      if (this.waiters.length === 0) this.pauseTimer.unref();
    });
  }

  private release(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
