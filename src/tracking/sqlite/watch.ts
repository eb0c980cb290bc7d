/**
 * Change notification for a SQLite store: watches the database file and its `-journal`/`-wal`
 * companions (a folder watch, plus a slow stat poll where folder events are unreliable, e.g.
 * network drives), debounced. On a change it compares a small per-run signature with the last one
 * and reports the runs that changed (or one event without ids when too many did).
 */
import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { EXPERIMENT } from '../sql/sqlStore';
import type { Disposable, StoreChangeEvent } from '../types';

export interface ChangeSource {
  /** run_uuid (or `experiment:<id>`) → [experiment_id, signature]; cheap enough to compute on every change. */
  signatures(): Promise<Map<string, [string, string]>>;
}

const MAX_EVENTS = 50;

export class DbWatcher {
  private readonly listeners = new Set<(e: StoreChangeEvent) => void>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: Map<string, [string, string]> | undefined;
  private readonly polled: string[];
  /** When the first change of the current burst was seen. */
  private burstStart = 0;
  /** What the last signature pass cost; spacing passes by 10× that keeps the watcher under ~10% of a core. */
  private lastCostMs = 0;

  constructor(
    private readonly dbPath: string,
    private readonly source: ChangeSource,
    private readonly debounceMs = 300,
    private readonly pollMs = 2000,
  ) {
    this.polled = [dbPath, `${dbPath}-wal`];
  }

  subscribe(listener: (e: StoreChangeEvent) => void): Disposable {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return {
      dispose: () => {
        this.listeners.delete(listener);
        if (this.listeners.size === 0) this.stop();
      },
    };
  }

  private start(): void {
    this.last = undefined;
    this.source.signatures().then(
      (s) => {
        this.last ??= s;
      },
      () => undefined,
    );
    const name = basename(this.dbPath);
    try {
      this.watcher = watch(dirname(this.dbPath), { persistent: false }, (_event, file) => {
        if (!file || String(file).startsWith(name)) this.schedule();
      });
      this.watcher.on('error', () => undefined);
    } catch {
      this.watcher = undefined;
    }
    for (const p of this.polled) watchFile(p, { persistent: false, interval: this.pollMs }, () => this.schedule());
  }

  private stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    for (const p of this.polled) unwatchFile(p);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Debounced, but never starved: a training script writing every 100 ms still gets an event
   * about once a second (or every 10× the cost of one pass over the database, if that is more).
   */
  private schedule(): void {
    const now = Date.now();
    if (!this.timer) this.burstStart = now;
    clearTimeout(this.timer);
    const maxWait = Math.max(1000, this.lastCostMs * 10);
    const delay = Math.max(0, Math.min(this.debounceMs, this.burstStart + maxWait - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.fire();
    }, delay);
    this.timer.unref?.();
  }

  private async fire(): Promise<void> {
    if (this.listeners.size === 0) return;
    let now: Map<string, [string, string]>;
    const started = Date.now();
    try {
      now = await this.source.signatures();
      this.lastCostMs = Date.now() - started;
    } catch {
      // Mid-write or unreadable for a moment: look again shortly.
      if (this.listeners.size > 0) this.schedule();
      return;
    }
    if (this.listeners.size === 0) return;
    const before = this.last;
    this.last = now;
    const events: StoreChangeEvent[] = [];
    if (!before) {
      events.push({});
    } else {
      const event = (key: string, exp: string): StoreChangeEvent => (key.startsWith(EXPERIMENT) ? { experiment_id: exp } : { experiment_id: exp, run_id: key });
      for (const [key, [exp, sig]] of now) if (before.get(key)?.[1] !== sig) events.push(event(key, exp));
      for (const [key, [exp]] of before) if (!now.has(key)) events.push(event(key, exp));
    }
    const toSend = events.length > MAX_EVENTS ? [{}] : events;
    for (const e of toSend) for (const l of [...this.listeners]) l(e);
  }

  dispose(): void {
    this.listeners.clear();
    this.stop();
  }
}
