/**
 * What the Runs view has loaded from one store: its experiments, a paged run list per
 * experiment, and the artifact listings, logged models and metric histories its nodes
 * asked for. One object per session, so refreshing or dropping a store touches its own
 * data only (no string keys to match by prefix). No `vscode` import.
 */
import { isCancelled, type Experiment, type FileInfo, type LoggedModel, type Metric, type Run } from '../../tracking/types';
import type { StoreSession } from '../connection/storeConnections';
import { sameExperiments, sameRuns } from '../explorer/model/changes';
import { PagedList } from '../explorer/model/paging';
import { toOrderBy } from '../explorer/model/sorting';
import type { RunViewOptions } from './runViewOptions';
import { errorMessage } from '../../format/errors';

const MAX_EXPERIMENTS = 10_000;
const MAX_LOGGED_MODELS = 5000;

/** What a reload changed in a store: its experiment list, and the experiments whose loaded runs differ. */
export interface ReloadChanges {
  experiments: boolean;
  runLists: Set<string>;
}

type RunQuery = Pick<RunViewOptions, 'filter' | 'sort' | 'showDeleted' | 'pageSize'>;

export class SessionData {
  private experiments: Promise<Experiment[]> | undefined;
  private readonly runLists = new Map<string, PagedList<Run>>();
  private runsBeforeReset: Run[] = [];
  /** Run id → artifact folder path ('' for the root) → its listing. */
  private readonly artifacts = new Map<string, Map<string, Promise<FileInfo[]>>>();
  /** Experiment id → its logged models. */
  private readonly loggedModelLists = new Map<string, Promise<LoggedModel[]>>();
  /** Run id → metric key → every point. */
  private readonly histories = new Map<string, Map<string, Promise<Metric[]>>>();
  /**
   * The signal of the reads under one node (`experiments`, `runs:<experiment>`, `artifacts:<run>`,
   * `history:<run>`, `models:<experiment>`): collapsing the node or a reset aborts them, and the
   * store stops its SQL statement or HTTP request.
   */
  private readonly controllers = new Map<string, AbortController>();
  /** Reads not settled yet. */
  private readonly pending = new WeakSet<Promise<unknown>>();

  constructor(
    readonly session: StoreSession,
    private readonly query: RunQuery,
  ) {}

  /** The store's experiments, sorted by name; loaded once until a refresh. */
  loadExperiments(): Promise<Experiment[]> {
    if (!this.experiments) {
      const loading = this.track(this.fetchExperiments());
      this.experiments = loading;
      loading.catch(() => {
        if (this.experiments === loading) this.experiments = undefined;
      });
    }
    return this.experiments;
  }

  private async fetchExperiments(): Promise<Experiment[]> {
    const all: Experiment[] = [];
    let token: string | undefined;
    const signal = this.signal('experiments');
    do {
      const page = await this.session.call('List experiments', (store) =>
        store.searchExperiments({ view_type: this.query.showDeleted ? 'ALL' : 'ACTIVE_ONLY', max_results: 100, page_token: token }, { signal }),
      );
      all.push(...page.experiments);
      token = page.next_page_token || undefined;
    } while (token && all.length < MAX_EXPERIMENTS);
    return all.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }));
  }

  /** The experiment's runs in the view's filter and order, loaded a page at a time. */
  runList(experimentId: string): PagedList<Run> {
    let list = this.runLists.get(experimentId);
    if (!list) {
      list = new PagedList<Run>(
        async (pageToken, maxResults) => {
          const signal = this.signal(`runs:${experimentId}`);
          const page = await this.session.call('Search runs', (store) =>
            store.searchRuns(
              {
                experiment_ids: [experimentId],
                filter: this.query.filter || undefined,
                order_by: toOrderBy(this.query.sort),
                run_view_type: this.query.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
                max_results: maxResults,
                page_token: pageToken,
              },
              { signal },
            ),
          );
          return { items: page.runs, nextPageToken: page.next_page_token };
        },
        this.query.pageSize,
        (run) => run.info.run_id,
      );
      this.runLists.set(experimentId, list);
    }
    return list;
  }

  /** True while `list` is still the experiment's list (no reset since). */
  isCurrent(experimentId: string, list: PagedList<Run>): boolean {
    return this.runLists.get(experimentId) === list;
  }

  /**
   * The runs loaded, for the keys the Sort and metric pickers offer. Right after a filter or sort
   * change the lists load again (the view shows the old rows meanwhile): then the runs loaded before.
   */
  knownRuns(): Run[] {
    const loaded = [...this.runLists.values()].flatMap((list) => [...list.items]);
    return loaded.length > 0 ? loaded : this.runsBeforeReset;
  }

  hasRunningRuns(): boolean {
    for (const list of this.runLists.values()) if (list.items.some((r) => r.info.status === 'RUNNING')) return true;
    return false;
  }

  listArtifacts(runId: string, path: string): Promise<FileInfo[]> {
    return cachedIn(this.artifacts, runId, path, () => {
      const signal = this.signal(`artifacts:${runId}`);
      return this.track(this.session.call('List artifacts', (store) => store.listArtifacts(runId, path || undefined, { signal })));
    });
  }

  loggedModels(experimentId: string): Promise<LoggedModel[]> {
    let models = this.loggedModelLists.get(experimentId);
    if (!models) {
      models = this.fetchLoggedModels(experimentId);
      this.loggedModelLists.set(experimentId, models);
      models.catch(() => this.loggedModelLists.delete(experimentId));
    }
    return models;
  }

  private async fetchLoggedModels(experimentId: string): Promise<LoggedModel[]> {
    const all: LoggedModel[] = [];
    let token: string | undefined;
    const signal = this.signal(`models:${experimentId}`);
    do {
      const page = await this.session.call('Search logged models', (store) =>
        store.searchLoggedModels({ experiment_ids: [experimentId], max_results: 100, page_token: token }, { signal }),
      );
      all.push(...page.models);
      token = page.next_page_token || undefined;
    } while (token && all.length < MAX_LOGGED_MODELS);
    return all;
  }

  metricHistory(runId: string, key: string): Promise<Metric[]> {
    return cachedIn(this.histories, runId, key, () => {
      const signal = this.signal(`history:${runId}`);
      return this.track(this.session.call('Read metric history', (store) => store.getMetricHistory(runId, key, { signal })));
    });
  }

  private track<T>(read: Promise<T>): Promise<T> {
    this.pending.add(read);
    const settled = () => void this.pending.delete(read);
    read.then(settled, settled);
    return read;
  }

  /** The signal for reads under `node`; a fresh one once the last was aborted. */
  private signal(node: string): AbortSignal {
    let controller = this.controllers.get(node);
    if (!controller) this.controllers.set(node, (controller = new AbortController()));
    return controller.signal;
  }

  /** Stops the reads under `node` (its statements or requests end on the server too); true if any was running. */
  private cancel(node: string): boolean {
    const controller = this.controllers.get(node);
    this.controllers.delete(node);
    controller?.abort();
    return controller !== undefined;
  }

  /**
   * An experiment collapsed: a first page still loading is stopped (and the list forgotten, so
   * the next expand asks again), as are its logged models. A loaded list stays.
   */
  experimentCollapsed(experimentId: string): boolean {
    const list = this.runLists.get(experimentId);
    if (!list || list.isLoaded) return false;
    this.cancel(`runs:${experimentId}`);
    this.cancel(`models:${experimentId}`);
    if (list.items.length === 0) this.runLists.delete(experimentId);
    return true;
  }

  /** A run (or its Artifacts section, or a folder in it) collapsed: listings still loading stop. */
  runCollapsed(runId: string, what: 'artifacts' | 'history' | 'all'): boolean {
    const artifacts = what !== 'history' && this.pendingIn(this.artifacts, runId) && this.cancel(`artifacts:${runId}`);
    const history = what !== 'artifacts' && this.pendingIn(this.histories, runId) && this.cancel(`history:${runId}`);
    return artifacts || history;
  }

  /** The store's node collapsed: a listing of experiments still loading stops. */
  storeCollapsed(): boolean {
    return this.experiments !== undefined && this.pending.has(this.experiments) && this.cancel('experiments');
  }

  /** Whether some read cached under `outer` has not settled yet. */
  private pendingIn<T>(cache: Map<string, Map<string, Promise<T>>>, outer: string): boolean {
    for (const value of cache.get(outer)?.values() ?? []) if (this.pending.has(value)) return true;
    return false;
  }

  /**
   * Fetches the experiments and every loaded page again, swapping each in when it arrives;
   * lists never loaded start over, and listings, models and histories are read afresh.
   * Says what changed: the experiments, and which experiments' run lists.
   */
  async reload(warn: (message: string) => void): Promise<ReloadChanges> {
    const changes: ReloadChanges = { experiments: false, runLists: new Set() };
    const work: Promise<unknown>[] = [];
    if (this.experiments) {
      const before = this.experiments.catch(() => undefined);
      const fresh = this.fetchExperiments();
      work.push(
        Promise.all([before, fresh]).then(
          ([old, list]) => {
            this.experiments = Promise.resolve(list);
            if (!old || !sameExperiments(old, list)) changes.experiments = true;
          },
          () => {
            this.experiments = undefined;
            changes.experiments = true;
          },
        ),
      );
    }
    for (const [experimentId, list] of this.runLists) {
      if (list.items.length > 0) {
        const before = list.items;
        work.push(
          list
            .reload()
            .then(() => {
              if (!sameRuns(before, list.items)) changes.runLists.add(experimentId);
            })
            .catch((e) => {
              // A reload the user stopped (collapse, new filter) is no change and no failure.
              if (isCancelled(e)) return;
              changes.runLists.add(experimentId);
              warn(`Refreshing the runs of experiment ${experimentId} failed: ${errorMessage(e)}`);
            }),
        );
      } else {
        // An empty list ("No runs") starts over: a run may have arrived.
        list.reset();
        changes.runLists.add(experimentId);
      }
    }
    this.clearReadCaches();
    await Promise.all(work);
    return changes;
  }

  /** Experiments whose runs were asked for (shown now or before). */
  runListIds(): string[] {
    return [...this.runLists.keys()];
  }

  /**
   * Filter, sort or deleted runs changed: every run list starts again from its first page, and
   * reads still running stop; the experiments too when `experiments` (deleted ones shown or not).
   */
  reset(change: { experiments: boolean } = { experiments: true }): void {
    for (const node of [...this.controllers.keys()]) if (change.experiments || node !== 'experiments') this.cancel(node);
    const shown = this.knownRuns();
    if (shown.length > 0) this.runsBeforeReset = shown;
    for (const list of this.runLists.values()) list.reset();
    this.runLists.clear();
    if (change.experiments) this.experiments = undefined;
    this.clearReadCaches();
  }

  clearReadCaches(): void {
    this.artifacts.clear();
    this.loggedModelLists.clear();
    this.histories.clear();
  }
}

/** `load()` once per (outer, inner) key; a failed load is forgotten so the next ask retries. */
function cachedIn<T>(cache: Map<string, Map<string, Promise<T>>>, outer: string, inner: string, load: () => Promise<T>): Promise<T> {
  let byInner = cache.get(outer);
  if (!byInner) cache.set(outer, (byInner = new Map()));
  let value = byInner.get(inner);
  if (!value) {
    const loading = load();
    value = loading;
    byInner.set(inner, loading);
    loading.catch(() => {
      if (cache.get(outer)?.get(inner) === loading) cache.get(outer)?.delete(inner);
    });
  }
  return value;
}
