/**
 * What the Runs view has loaded from one store: its experiments, a paged run list per
 * experiment, and the artifact listings, logged models and metric histories its nodes
 * asked for. One object per session, so refreshing or dropping a store touches its own
 * data only (no string keys to match by prefix). No `vscode` import.
 */
import type { Experiment, FileInfo, LoggedModel, Metric, Run } from '../../tracking/types';
import { errorMessage } from '../connection/openStore';
import type { StoreSession } from '../connection/storeConnections';
import { sameExperiments, sameRuns } from '../explorer/model/changes';
import { PagedList } from '../explorer/model/paging';
import { toOrderBy } from '../explorer/model/sorting';
import type { RunViewOptions } from './runViewOptions';

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
  /** Run id → artifact folder path ('' for the root) → its listing. */
  private readonly artifacts = new Map<string, Map<string, Promise<FileInfo[]>>>();
  /** Experiment id → its logged models. */
  private readonly loggedModelLists = new Map<string, Promise<LoggedModel[]>>();
  /** Run id → metric key → every point. */
  private readonly histories = new Map<string, Map<string, Promise<Metric[]>>>();

  constructor(
    readonly session: StoreSession,
    private readonly query: RunQuery,
  ) {}

  /** The store's experiments, sorted by name; loaded once until a refresh. */
  loadExperiments(): Promise<Experiment[]> {
    if (!this.experiments) {
      const loading = this.fetchExperiments();
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
    do {
      const page = await this.session.call('List experiments', (store) =>
        store.searchExperiments({ view_type: this.query.showDeleted ? 'ALL' : 'ACTIVE_ONLY', max_results: 100, page_token: token }),
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
      list = new PagedList<Run>(async (pageToken, maxResults) => {
        const page = await this.session.call('Search runs', (store) =>
          store.searchRuns({
            experiment_ids: [experimentId],
            filter: this.query.filter || undefined,
            order_by: toOrderBy(this.query.sort),
            run_view_type: this.query.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
            max_results: maxResults,
            page_token: pageToken,
          }),
        );
        return { items: page.runs, nextPageToken: page.next_page_token };
      }, this.query.pageSize);
      this.runLists.set(experimentId, list);
    }
    return list;
  }

  /** True while `list` is still the experiment's list (no reset since). */
  isCurrent(experimentId: string, list: PagedList<Run>): boolean {
    return this.runLists.get(experimentId) === list;
  }

  loadedRuns(): Run[] {
    return [...this.runLists.values()].flatMap((list) => [...list.items]);
  }

  hasRunningRuns(): boolean {
    for (const list of this.runLists.values()) if (list.items.some((r) => r.info.status === 'RUNNING')) return true;
    return false;
  }

  listArtifacts(runId: string, path: string): Promise<FileInfo[]> {
    return cachedIn(this.artifacts, runId, path, () => this.session.call('List artifacts', (store) => store.listArtifacts(runId, path || undefined)));
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
    do {
      const page = await this.session.call('Search logged models', (store) =>
        store.searchLoggedModels({ experiment_ids: [experimentId], max_results: 100, page_token: token }),
      );
      all.push(...page.models);
      token = page.next_page_token || undefined;
    } while (token && all.length < MAX_LOGGED_MODELS);
    return all;
  }

  metricHistory(runId: string, key: string): Promise<Metric[]> {
    return cachedIn(this.histories, runId, key, () => this.session.call('Read metric history', (store) => store.getMetricHistory(runId, key)));
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

  /** Filter, sort or deleted runs changed: everything starts again from the first page. */
  reset(): void {
    for (const list of this.runLists.values()) list.reset();
    this.runLists.clear();
    this.experiments = undefined;
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
