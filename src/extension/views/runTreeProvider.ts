import * as vscode from 'vscode';
import type { Experiment, LoggedModel, Metric, Run } from '../../tracking/types';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';
import { errorMessage, isAuthError } from '../connection/openStore';
import { sortArtifacts } from './model/artifacts';
import { formatMetricValue } from './model/format';
import { groupRunsByParent, type RunGroup } from './model/grouping';
import { TreeIds } from './model/ids';
import { metricTooltipMarkdown, summarizeMetricHistory } from './model/labels';
import { PagedList } from './model/paging';
import { toOrderBy } from './model/sorting';
import { partitionTags, parentRunId, SystemTags, tagValue } from './model/tags';
import type { ExperimentNode, MessageNode, RunNode, RunTreeNode, SectionKind, SectionNode } from './runNodes';
import { runTreeItem } from './runTreeItems';
import type { RunViewOptions } from './runViewOptions';

export const RUNS_VIEW_ID = 'mlflow.runs';
const MAX_EXPERIMENTS = 10_000;

export interface RunSearchOptions {
  token?: vscode.CancellationToken;
  onProgress?: (runsLoaded: number) => void;
}

/** Where `findRunNode` found a run, or why the Runs view does not show it. */
export type RunSearchResult =
  | { kind: 'found'; node: RunNode }
  | { kind: 'hiddenByFilter'; run: Run; filter: string }
  /** Deleted, and deleted runs are hidden. */
  | { kind: 'deleted'; run: Run }
  /** Its experiment is not listed (deleted, with deleted ones hidden). */
  | { kind: 'experimentHidden'; run: Run }
  /** Not in its experiment's list although nothing hides it: the store changed meanwhile. */
  | { kind: 'notListed'; run: Run }
  | { kind: 'cancelled' };

/**
 * The Runs tree: stores → experiments → runs (nested under parents, in pages) → a run's
 * sections. Children load lazily; refreshing reloads what was shown, then swaps it in,
 * and every node keeps its id, so expansion and selection survive.
 */
export class RunTreeProvider implements vscode.TreeDataProvider<RunTreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<RunTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly nodes = new Map<string, RunTreeNode>();
  private readonly experiments = new Map<string, Promise<Experiment[]>>();
  private readonly runLists = new Map<string, PagedList<Run>>();
  private readonly cache = new Map<string, Promise<unknown>>();
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;

  constructor(
    private readonly connections: StoreConnections,
    private readonly options: RunViewOptions,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  getTreeItem(node: RunTreeNode): vscode.TreeItem {
    return runTreeItem(node, { nowMs: Date.now(), descriptionMetric: this.options.descriptionMetric });
  }

  getParent(node: RunTreeNode): RunTreeNode | undefined {
    return node.parent;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: RunTreeNode): Promise<vscode.TreeItem> {
    if (node.kind === 'metric') {
      try {
        const history = await this.metricHistory(node.session, node.runNode.run.info.run_id, node.metric.key);
        item.tooltip = new vscode.MarkdownString(metricTooltipMarkdown(node.metric.key, node.metric.value, summarizeMetricHistory(history)));
      } catch {
        item.tooltip = new vscode.MarkdownString(metricTooltipMarkdown(node.metric.key, node.metric.value, undefined));
      }
    }
    return item;
  }

  async getChildren(node?: RunTreeNode): Promise<RunTreeNode[]> {
    if (!node) return this.topLevel();
    switch (node.kind) {
      case 'store':
        return this.experimentNodes(node.session, node);
      case 'experiment':
        return this.runNodes(node);
      case 'run':
        return this.runChildren(node);
      case 'section':
        return this.sectionChildren(node);
      case 'metric':
        return this.metricStats(node);
      case 'artifact':
        return node.file.is_dir ? this.artifactNodes(node.runNode, node.file.path, node) : [];
      default:
        return [];
    }
  }

  private async topLevel(): Promise<RunTreeNode[]> {
    if (!this.connections.resolved) return [];
    const sessions = this.connections.sessions;
    const problems: RunTreeNode[] = this.connections.problems.map((text, i) =>
      this.keep<MessageNode>({ kind: 'message', id: TreeIds.message('root', `problem${i}`), parent: undefined, text, icon: 'warning', command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['mlflow.trackingUri'] } }),
    );
    // With one store its experiments are the top level; with several, one node per store.
    if (sessions.length === 1) return [...problems, ...(await this.experimentNodes(sessions[0], undefined))];
    return [...problems, ...sessions.map((session) => this.keep({ kind: 'store', id: TreeIds.store(session.uri), parent: undefined, session }))];
  }

  private async experimentNodes(session: StoreSession, parent: RunTreeNode | undefined): Promise<RunTreeNode[]> {
    const parentId = parent?.id ?? `root:${session.uri}`;
    try {
      const experiments = await this.progress(this.loadExperiments(session));
      if (experiments.length === 0) return [this.message(parent, parentId, 'empty', 'No experiments in this store', 'info')];
      return experiments.map((experiment) =>
        this.keep<ExperimentNode>({ kind: 'experiment', id: TreeIds.experiment(session.uri, experiment.experiment_id), parent, session, experiment }),
      );
    } catch (error) {
      return [this.errorNode(parent, parentId, session, 'Could not list experiments', error)];
    }
  }

  private loadExperiments(session: StoreSession): Promise<Experiment[]> {
    let loading = this.experiments.get(session.uri);
    if (!loading) {
      loading = this.fetchExperiments(session);
      this.experiments.set(session.uri, loading);
      loading.catch(() => this.experiments.delete(session.uri));
    }
    return loading;
  }

  private async fetchExperiments(session: StoreSession): Promise<Experiment[]> {
    const all: Experiment[] = [];
    let token: string | undefined;
    do {
      const page = await session.call('List experiments', (store) =>
        store.searchExperiments({ view_type: this.options.showDeleted ? 'ALL' : 'ACTIVE_ONLY', max_results: 100, page_token: token }),
      );
      all.push(...page.experiments);
      token = page.next_page_token || undefined;
    } while (token && all.length < MAX_EXPERIMENTS);
    return all.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }));
  }

  runList(experimentNode: ExperimentNode): PagedList<Run> {
    let list = this.runLists.get(experimentNode.id);
    if (!list) {
      const { session } = experimentNode;
      const experimentId = experimentNode.experiment.experiment_id;
      list = new PagedList<Run>(async (pageToken, maxResults) => {
        const page = await session.call('Search runs', (store) =>
          store.searchRuns({
            experiment_ids: [experimentId],
            filter: this.options.filter || undefined,
            order_by: toOrderBy(this.options.sort),
            run_view_type: this.options.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
            max_results: maxResults,
            page_token: pageToken,
          }),
        );
        return { items: page.runs, nextPageToken: page.next_page_token };
      }, this.options.pageSize);
      this.runLists.set(experimentNode.id, list);
    }
    return list;
  }

  private async runNodes(experimentNode: ExperimentNode): Promise<RunTreeNode[]> {
    const list = this.runList(experimentNode);
    try {
      await this.progress(list.ensureLoaded());
    } catch (error) {
      const what = this.options.filter ? 'The filter was refused' : 'Could not list runs';
      return [this.errorNode(experimentNode, experimentNode.id, experimentNode.session, what, error)];
    }
    const nodes: RunTreeNode[] = groupRunsByParent(list.items).map((group) => this.runNode(experimentNode, experimentNode, group));
    if (list.hasMore) {
      nodes.push(this.keep({ kind: 'loadMore', id: TreeIds.loadMore(experimentNode.id), parent: experimentNode, session: experimentNode.session, experimentNode, shown: list.items.length }));
    }
    if (nodes.length === 0) {
      nodes.push(this.message(experimentNode, experimentNode.id, 'empty', this.options.filter ? 'No runs match the filter' : 'No runs', 'info'));
    }
    return nodes;
  }

  private runNode(experimentNode: ExperimentNode, parent: RunTreeNode, group: RunGroup): RunNode {
    const { session } = experimentNode;
    return this.keep<RunNode>({ kind: 'run', id: TreeIds.run(session.uri, group.run.info.run_id), parent, session, run: group.run, nested: group.children });
  }

  private experimentOf(node: RunTreeNode): ExperimentNode | undefined {
    let current: RunTreeNode | undefined = node;
    while (current && current.kind !== 'experiment') current = current.parent;
    return current;
  }

  private runChildren(runNode: RunNode): RunTreeNode[] {
    const { data } = runNode.run;
    const sections: SectionKind[] = [];
    if (data.params?.length) sections.push('params');
    if (data.metrics?.length) sections.push('metrics');
    if (data.tags?.length) sections.push('tags');
    sections.push('artifacts');
    if (runNode.run.outputs?.model_outputs?.length || tagValue(runNode.run, SystemTags.loggedModels)) sections.push('models');
    const experimentNode = this.experimentOf(runNode);
    const nodes: RunTreeNode[] = sections.map((section) => this.sectionNode(runNode, runNode, section));
    if (experimentNode) for (const child of runNode.nested) nodes.push(this.runNode(experimentNode, runNode, child));
    return nodes;
  }

  private sectionNode(runNode: RunNode, parent: RunTreeNode, section: SectionKind): SectionNode {
    return this.keep<SectionNode>({ kind: 'section', id: TreeIds.section(runNode.id, section), parent, session: runNode.session, runNode, section });
  }

  private async sectionChildren(node: SectionNode): Promise<RunTreeNode[]> {
    const { run } = node.runNode;
    const byKey = <T extends { key: string }>(items: T[] | undefined) => [...(items ?? [])].sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true }));
    switch (node.section) {
      case 'params':
        return byKey(run.data.params).map((p) => this.keep({ kind: 'param', id: TreeIds.entry(node.id, p.key), parent: node, key: p.key, value: p.value }));
      case 'metrics':
        return byKey(run.data.metrics).map((metric) => this.keep({ kind: 'metric', id: TreeIds.entry(node.id, metric.key), parent: node, session: node.session, runNode: node.runNode, metric }));
      case 'tags':
      case 'systemTags': {
        const { user, system } = partitionTags(run.data.tags);
        const tags = (node.section === 'tags' ? user : system).map((t) => this.keep({ kind: 'tag', id: TreeIds.entry(node.id, t.key), parent: node, key: t.key, value: t.value }));
        const nodes: RunTreeNode[] = tags;
        if (node.section === 'tags' && system.length) nodes.push(this.sectionNode(node.runNode, node, 'systemTags'));
        return nodes;
      }
      case 'artifacts':
        return this.artifactNodes(node.runNode, '', node);
      case 'models':
        return this.modelNodes(node);
    }
  }

  private async artifactNodes(runNode: RunNode, path: string, parent: RunTreeNode): Promise<RunTreeNode[]> {
    const runId = runNode.run.info.run_id;
    try {
      const files = await this.progress(this.cached(`artifacts\n${runNode.id}\n${path}`, () => runNode.session.call('List artifacts', (store) => store.listArtifacts(runId, path || undefined))));
      if (files.length === 0) return [this.message(parent, parent.id, 'empty', path ? 'Empty folder' : 'No artifacts', 'info')];
      return sortArtifacts(files).map((file) => this.keep({ kind: 'artifact', id: TreeIds.artifact(runNode.id, file.path), parent, session: runNode.session, runNode, file }));
    } catch (error) {
      return [this.errorNode(parent, parent.id, runNode.session, 'Could not list artifacts', error)];
    }
  }

  private async modelNodes(node: SectionNode): Promise<RunTreeNode[]> {
    const { run } = node.runNode;
    const runId = run.info.run_id;
    const outputIds = new Set((run.outputs?.model_outputs ?? []).map((o) => o.model_id));
    try {
      const models = await this.progress(this.loggedModels(node.session, run.info.experiment_id));
      const mine = models.filter((m) => m.info.source_run_id === runId || outputIds.has(m.info.model_id));
      const nodes: RunTreeNode[] = mine.map((model) => this.keep({ kind: 'loggedModel', id: TreeIds.entry(node.id, model.info.model_id), parent: node, session: node.session, runNode: node.runNode, model }));
      for (const name of mine.length ? [] : legacyModelPaths(run)) {
        nodes.push(this.keep({ kind: 'loggedModel', id: TreeIds.entry(node.id, `path:${name}`), parent: node, session: node.session, runNode: node.runNode, model: { info: { model_id: `runs:/${runId}/${name}`, experiment_id: run.info.experiment_id, name, source_run_id: runId, model_type: 'artifacts' } } }));
      }
      return nodes.length ? nodes : [this.message(node, node.id, 'empty', 'No logged models', 'info')];
    } catch (error) {
      return [this.errorNode(node, node.id, node.session, 'Could not list models', error)];
    }
  }

  private loggedModels(session: StoreSession, experimentId: string): Promise<LoggedModel[]> {
    return this.cached(`models\n${session.uri}\n${experimentId}`, async () => {
      const all: LoggedModel[] = [];
      let token: string | undefined;
      do {
        const page = await session.call('Search logged models', (store) => store.searchLoggedModels({ experiment_ids: [experimentId], max_results: 100, page_token: token }));
        all.push(...page.models);
        token = page.next_page_token || undefined;
      } while (token && all.length < 5000);
      return all;
    });
  }

  metricHistory(session: StoreSession, runId: string, key: string): Promise<Metric[]> {
    return this.cached(`history\n${session.uri}\n${runId}\n${key}`, () => session.call('Read metric history', (store) => store.getMetricHistory(runId, key)));
  }

  private async metricStats(node: Extract<RunTreeNode, { kind: 'metric' }>): Promise<RunTreeNode[]> {
    try {
      const history = await this.progress(this.metricHistory(node.session, node.runNode.run.info.run_id, node.metric.key));
      const summary = summarizeMetricHistory(history);
      if (!summary) return [this.message(node, node.id, 'empty', 'No points', 'info')];
      const stat = (label: string, value: string) => this.keep({ kind: 'metricStat', id: TreeIds.entry(node.id, label), parent: node, label, value });
      return [
        stat('latest', formatMetricValue(node.metric.value)),
        stat('min', formatMetricValue(summary.min)),
        stat('max', formatMetricValue(summary.max)),
        stat('steps', summary.firstStep === summary.lastStep ? String(summary.lastStep) : `${summary.firstStep}–${summary.lastStep}`),
        stat('points', String(summary.count)),
      ];
    } catch (error) {
      return [this.errorNode(node, node.id, node.session, 'Could not read the history', error)];
    }
  }

  /** Every run loaded so far, for the sort and metric pickers. */
  loadedRuns(): Run[] {
    return [...this.runLists.values()].flatMap((list) => [...list.items]);
  }

  /** True when a loaded run of the session is running (remote stores poll only then). */
  hasRunningRuns(session: StoreSession): boolean {
    for (const [id, list] of this.runLists) {
      if (id.startsWith(`${session.uri}|`) && list.items.some((r) => r.info.status === 'RUNNING')) return true;
    }
    return false;
  }

  async loadMore(experimentNode: ExperimentNode): Promise<void> {
    try {
      await this.progress(this.runList(experimentNode).loadMore());
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not load more runs: ${errorMessage(error)}`);
    }
    this.changeEmitter.fire(this.nodes.get(experimentNode.id) ?? undefined);
  }

  /** Filter, sort or deleted runs changed: the lists start again from their first page. */
  reset(): void {
    for (const list of this.runLists.values()) list.reset();
    this.runLists.clear();
    this.experiments.clear();
    this.cache.clear();
    this.changeEmitter.fire(undefined);
  }

  /** Sessions came or went. */
  sessionsChanged(): void {
    const live = new Set(this.connections.sessions.map((s) => s.uri));
    for (const key of [...this.runLists.keys()]) if (![...live].some((uri) => key.startsWith(`${uri}|`))) this.runLists.delete(key);
    for (const key of [...this.experiments.keys()]) if (!live.has(key)) this.experiments.delete(key);
    this.nodes.clear();
    this.cache.clear();
    this.changeEmitter.fire(undefined);
  }

  /**
   * Reloads experiments and every loaded page (all stores, or one), then redraws once.
   * At most one refresh runs; calls during it queue one more.
   */
  refresh(session?: StoreSession): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        await this.progress(this.reloadAll(session));
      } while (this.refreshAgain);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async reloadAll(session: StoreSession | undefined): Promise<void> {
    const sessions = session ? [session] : this.connections.sessions;
    const work: Promise<unknown>[] = [];
    for (const s of sessions) {
      if (this.experiments.has(s.uri)) {
        const fresh = this.fetchExperiments(s);
        work.push(fresh.then((list) => this.experiments.set(s.uri, Promise.resolve(list)), () => this.experiments.delete(s.uri)));
      }
      for (const [id, list] of this.runLists) {
        if (!id.startsWith(`${s.uri}|`)) continue;
        if (list.items.length > 0) work.push(list.reload().catch((e) => this.output.warn(`Refreshing ${id} failed: ${errorMessage(e)}`)));
        else list.reset();
      }
      for (const key of [...this.cache.keys()]) if (key.includes(`\n${s.uri}\n`) || key.includes(`\n${s.uri}|`)) this.cache.delete(key);
    }
    await Promise.all(work);
    this.changeEmitter.fire(undefined);
  }

  /**
   * Makes the run's node exist (loading pages of its experiment, as many as it takes, and
   * expanding its ancestors) for `TreeView.reveal`, or says why the view does not show it.
   * `onProgress` hears how many runs of the experiment are loaded after each page.
   */
  async findRunNode(session: StoreSession, runId: string, options: RunSearchOptions = {}): Promise<RunSearchResult> {
    const run = await session.call('Get run', (store) => store.getRun(runId));
    if (run.info.lifecycle_stage === 'deleted' && !this.options.showDeleted) return { kind: 'deleted', run };
    const roots = await this.getChildren(undefined);
    const experimentNodes = roots.length && roots[0].kind === 'store' ? await this.getChildren(roots.find((n) => n.kind === 'store' && n.session === session)) : roots;
    const experimentNode = experimentNodes.find((n): n is ExperimentNode => n.kind === 'experiment' && n.experiment.experiment_id === run.info.experiment_id);
    if (!experimentNode) return { kind: 'experimentHidden', run };
    const filter = this.options.filter;
    // Asking the store is one request; paging through the experiment to learn the same could be thousands.
    if (filter && (await this.filterExcludes(experimentNode, filter, runId))) return { kind: 'hiddenByFilter', run, filter };

    const list = this.runList(experimentNode);
    await list.ensureLoaded();
    let checked = 0;
    for (;;) {
      // The filter, sort or a setting changed meanwhile: the list started over, and the user moved on.
      if (this.runLists.get(experimentNode.id) !== list || options.token?.isCancellationRequested) return { kind: 'cancelled' };
      const items = list.items;
      while (checked < items.length && items[checked].info.run_id !== runId) checked++;
      if (checked < items.length || !list.hasMore) break;
      await list.loadMore();
      options.onProgress?.(list.items.length);
    }
    // Looked up in the whole list again: a refresh while paging may have moved the run up.
    const byId = new Map(list.items.map((r) => [r.info.run_id, r]));
    if (!byId.has(runId)) return filter ? { kind: 'hiddenByFilter', run, filter } : { kind: 'notListed', run };
    const chain: string[] = [];
    for (let id: string | undefined = runId; id && byId.has(id) && !chain.includes(id); id = parentRunId(byId.get(id)!)) chain.unshift(id);
    let children = await this.runNodes(experimentNode);
    let found: RunNode | undefined;
    for (const id of chain) {
      found = children.find((n): n is RunNode => n.kind === 'run' && n.run.info.run_id === id);
      if (!found) return { kind: 'notListed', run };
      children = this.runChildren(found);
    }
    this.changeEmitter.fire(undefined);
    return found ? { kind: 'found', node: found } : { kind: 'notListed', run };
  }

  /** True when the store says the filter leaves the run out; false when it keeps it or cannot tell. */
  private async filterExcludes(experimentNode: ExperimentNode, filter: string, runId: string): Promise<boolean> {
    // Run ids are hex (MLflow's) or at least word characters; anything else cannot be quoted safely.
    if (!/^[\w-]+$/.test(runId)) return false;
    try {
      const page = await experimentNode.session.call('Check the run against the filter', (store) =>
        store.searchRuns({
          experiment_ids: [experimentNode.experiment.experiment_id],
          filter: `${filter} and attributes.run_id = '${runId}'`,
          run_view_type: this.options.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
          max_results: 1,
        }),
      );
      return page.runs.length === 0;
    } catch (error) {
      this.output.warn(`Checking run ${runId} against the filter failed, looking through the list instead: ${errorMessage(error)}`);
      return false;
    }
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.cache.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.cache.set(key, value);
      value.catch(() => this.cache.delete(key));
    }
    return value;
  }

  private progress<T>(work: Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: RUNS_VIEW_ID } }, () => work));
  }

  /** Reuses the node object with this id, so `getParent` and `onDidChangeTreeData(node)` see one instance. */
  private keep<T extends RunTreeNode>(node: T): T {
    const existing = this.nodes.get(node.id);
    if (existing && existing.kind === node.kind) return Object.assign(existing, node) as T;
    this.nodes.set(node.id, node);
    return node;
  }

  private message(parent: RunTreeNode | undefined, parentId: string, kind: string, text: string, icon: string): MessageNode {
    return this.keep<MessageNode>({ kind: 'message', id: TreeIds.message(parentId, kind), parent, text, icon });
  }

  private errorNode(parent: RunTreeNode | undefined, parentId: string, session: StoreSession, what: string, error: unknown): MessageNode {
    if (isAuthError(error)) {
      return this.keep<MessageNode>({ kind: 'message', id: TreeIds.message(parentId, 'auth'), parent, text: `Sign in to ${session.label}…`, icon: 'key', detail: errorMessage(error), command: { command: 'mlflow.signIn', title: 'Sign In', arguments: [session.uri] } });
    }
    return this.keep<MessageNode>({ kind: 'message', id: TreeIds.message(parentId, 'error'), parent, text: `${what}: ${errorMessage(error)}`, icon: 'error', detail: errorMessage(error), command: { command: 'mlflow.refresh', title: 'Retry' } });
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}

/** MLflow 2 models logged into the run's artifacts, from the `mlflow.log-model.history` tag. */
function legacyModelPaths(run: Run): string[] {
  const raw = tagValue(run, SystemTags.loggedModels);
  if (!raw) return [];
  try {
    const entries = JSON.parse(raw) as { artifact_path?: string }[];
    return [...new Set(entries.map((e) => e.artifact_path).filter((p): p is string => typeof p === 'string' && p !== ''))];
  } catch {
    return [];
  }
}
