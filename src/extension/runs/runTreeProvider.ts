import * as vscode from 'vscode';
import { isCancelled, type Metric, type Run } from '../../tracking/types';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';
import { CoalescingRunner } from '../shared/coalescingRunner';
import { groupRunsByParent, type RunGroup } from '../explorer/model/grouping';
import { TreeIds } from '../explorer/model/ids';
import { metricTooltipMarkdown, summarizeMetricHistory } from '../explorer/model/labels';
import type { PagedList } from '../explorer/model/paging';
import { SystemTags, tagValue } from '../explorer/model/tags';
import { SessionData } from './runData';
import { RunDetailNodes } from './runDetailNodes';
import { RunNodeCache } from './runNodeCache';
import type { ExperimentNode, MessageNode, RunNode, RunTreeNode, SectionKind } from './runNodes';
import { runTooltip, runTreeItem } from './runTreeItems';
import type { RunViewChange, RunViewOptions } from './runViewOptions';
import { errorMessage } from '../../format/errors';

export const RUNS_VIEW_ID = 'mlflow.runs';

/** The longest a reveal holds back the tree's redraws. */
const REVEAL_HOLD_MS = 10_000;
/**
 * The Runs tree: stores → experiments → runs (nested under parents, in pages) → a run's
 * sections. Children load lazily; refreshing reloads what was shown, then swaps it in,
 * and every node keeps its id, so expansion and selection survive.
 */
/** The stores a refresh reloads. */
type RefreshScope = 'all' | ReadonlySet<StoreSession>;

export class RunTreeProvider implements vscode.TreeDataProvider<RunTreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<RunTreeNode | RunTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly nodes = new RunNodeCache();
  private readonly details: RunDetailNodes;
  /** Settles when no reveal is in flight; redraws after a refresh wait for it. */
  private revealing: Promise<void> | undefined;
  /** What is loaded from each store, by session URI. */
  private readonly data = new Map<string, SessionData>();
  /** A Refresh of every store asked for a redraw of the whole tree. */
  private redrawAllPending = false;
  /** One refresh runs; the sessions asked for meanwhile ('all' for every store) wait for the next. */
  private readonly refresher = new CoalescingRunner<RefreshScope>(
    (scope) => this.progress(this.reload(scope)),
    (queued, next) => (queued === 'all' || next === 'all' ? 'all' : new Set([...queued, ...next])),
  );

  constructor(
    private readonly connections: StoreConnections,
    readonly options: RunViewOptions,
    readonly output: vscode.LogOutputChannel,
  ) {
    this.details = new RunDetailNodes(
      this.nodes,
      (session) => this.dataOf(session),
      (work) => this.progress(work),
    );
  }

  getTreeItem(node: RunTreeNode): vscode.TreeItem {
    return runTreeItem(node, { nowMs: Date.now(), descriptionMetric: this.options.descriptionMetric });
  }

  getParent(node: RunTreeNode): RunTreeNode | undefined {
    return node.parent;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: RunTreeNode): Promise<vscode.TreeItem> {
    if (node.kind === 'run') item.tooltip = runTooltip(node.run, Date.now());
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
        return this.details.sectionChildren(node);
      case 'metric':
        return this.details.metricStats(node);
      case 'artifact':
        return node.file.is_dir ? this.details.artifactNodes(node.runNode, node.file.path, node) : [];
      default:
        return [];
    }
  }

  private async topLevel(): Promise<RunTreeNode[]> {
    if (!this.connections.resolved) return [];
    const sessions = this.connections.sessions;
    const problems: RunTreeNode[] = this.connections.problems.map((text, i) =>
      this.nodes.keep<MessageNode>({
        kind: 'message',
        id: TreeIds.message('root', `problem${i}`),
        parent: undefined,
        text,
        icon: 'warning',
        command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['mlflow.trackingUri'] },
      }),
    );
    // With one store its experiments are the top level; with several, one node per store.
    if (sessions.length === 1) return [...problems, ...(await this.experimentNodes(sessions[0], undefined))];
    return [...problems, ...sessions.map((session) => this.nodes.keep({ kind: 'store', id: TreeIds.store(session.uri), parent: undefined, session }))];
  }

  private async experimentNodes(session: StoreSession, parent: RunTreeNode | undefined): Promise<RunTreeNode[]> {
    const parentId = parent?.id ?? `root:${session.uri}`;
    try {
      const experiments = await this.progress(this.dataOf(session).loadExperiments());
      if (experiments.length === 0) return [this.nodes.message(parent, parentId, 'empty', 'No experiments in this store', 'info')];
      return experiments.map((experiment) =>
        this.nodes.keep<ExperimentNode>({ kind: 'experiment', id: TreeIds.experiment(session.uri, experiment.experiment_id), parent, session, experiment }),
      );
    } catch (error) {
      return [this.nodes.errorNode(parent, parentId, session, 'Could not list experiments', error)];
    }
  }

  /** The session's loaded data, created on first use. */
  dataOf(session: StoreSession): SessionData {
    let data = this.data.get(session.uri);
    if (!data || data.session !== session) {
      data = new SessionData(session, this.options);
      this.data.set(session.uri, data);
    }
    return data;
  }

  runList(experimentNode: ExperimentNode): PagedList<Run> {
    return this.dataOf(experimentNode.session).runList(experimentNode.experiment.experiment_id);
  }

  /** The experiment's first pages as run nodes (nested under parents), with Load more when there is more. */
  async runNodes(experimentNode: ExperimentNode): Promise<RunTreeNode[]> {
    const list = this.runList(experimentNode);
    try {
      await this.progress(list.ensureLoaded());
    } catch (error) {
      const what = this.options.filter ? 'The filter was refused' : 'Could not list runs';
      return [this.nodes.errorNode(experimentNode, experimentNode.id, experimentNode.session, what, error)];
    }
    const nodes: RunTreeNode[] = groupRunsByParent(list.items).map((group) => this.runNode(experimentNode, experimentNode, group));
    if (list.hasMore) {
      nodes.push(
        this.nodes.keep({
          kind: 'loadMore',
          id: TreeIds.loadMore(experimentNode.id),
          parent: experimentNode,
          session: experimentNode.session,
          experimentNode,
          shown: list.items.length,
        }),
      );
    }
    if (nodes.length === 0) {
      nodes.push(this.nodes.message(experimentNode, experimentNode.id, 'empty', this.options.filter ? 'No runs match the filter' : 'No runs', 'info'));
    }
    return nodes;
  }

  private runNode(experimentNode: ExperimentNode, parent: RunTreeNode, group: RunGroup): RunNode {
    const { session } = experimentNode;
    return this.nodes.keep<RunNode>({
      kind: 'run',
      id: TreeIds.run(session.uri, group.run.info.run_id),
      parent,
      session,
      run: group.run,
      nested: group.children,
    });
  }

  private experimentOf(node: RunTreeNode): ExperimentNode | undefined {
    let current: RunTreeNode | undefined = node;
    while (current && current.kind !== 'experiment') current = current.parent;
    return current;
  }

  /** A run's sections, then its nested runs. */
  runChildren(runNode: RunNode): RunTreeNode[] {
    const { data } = runNode.run;
    const sections: SectionKind[] = [];
    if (data.params?.length) sections.push('params');
    if (data.metrics?.length) sections.push('metrics');
    if (data.tags?.length) sections.push('tags');
    sections.push('artifacts');
    if (runNode.run.outputs?.model_outputs?.length || tagValue(runNode.run, SystemTags.loggedModels)) sections.push('models');
    const experimentNode = this.experimentOf(runNode);
    const nodes: RunTreeNode[] = sections.map((section) => this.details.sectionNode(runNode, runNode, section));
    if (experimentNode) for (const child of runNode.nested) nodes.push(this.runNode(experimentNode, runNode, child));
    return nodes;
  }

  metricHistory(session: StoreSession, runId: string, key: string): Promise<Metric[]> {
    return this.dataOf(session).metricHistory(runId, key);
  }

  /** Every run loaded so far, for the sort and metric pickers. */
  knownRuns(): Run[] {
    return [...this.data.values()].flatMap((data) => data.knownRuns());
  }

  /** True when a loaded run of the session is running (remote stores poll only then). */
  hasRunningRuns(session: StoreSession): boolean {
    return this.data.get(session.uri)?.hasRunningRuns() ?? false;
  }

  async loadMore(experimentNode: ExperimentNode): Promise<void> {
    try {
      await this.progress(this.runList(experimentNode).loadMore());
    } catch (error) {
      if (!isCancelled(error)) void vscode.window.showErrorMessage(`Could not load more runs: ${errorMessage(error)}`);
    }
    this.changeEmitter.fire(this.nodes.get(experimentNode.id) ?? undefined);
  }

  /**
   * A node collapsed: what is still loading under it is stopped (the store cancels its query or
   * request), and the node is marked changed so that expanding it again asks afresh.
   */
  collapsed(node: RunTreeNode): void {
    const session = 'session' in node ? node.session : undefined;
    const data = session && this.data.get(session.uri);
    if (!data) return;
    let stopped = false;
    if (node.kind === 'store') stopped = data.storeCollapsed();
    else if (node.kind === 'experiment') stopped = data.experimentCollapsed(node.experiment.experiment_id);
    else if (node.kind === 'run') stopped = data.runCollapsed(node.run.info.run_id, 'all');
    else if (node.kind === 'section' && node.section === 'artifacts') stopped = data.runCollapsed(node.runNode.run.info.run_id, 'artifacts');
    else if (node.kind === 'artifact') stopped = data.runCollapsed(node.runNode.run.info.run_id, 'artifacts');
    else if (node.kind === 'metric') stopped = data.runCollapsed(node.runNode.run.info.run_id, 'history');
    if (stopped) this.changeEmitter.fire(node);
  }

  /**
   * Filter, sort or deleted runs changed: the lists start again from their first page. When the
   * experiments stay (a new filter or sort), only those showing runs are redrawn: VS Code then
   * asks for their children at once, not for the tree's top level first (one round trip less).
   */
  reset(change: RunViewChange = { experiments: true }): void {
    const shown: RunTreeNode[] = [];
    for (const data of this.data.values()) {
      if (!change.experiments) {
        for (const id of data.runListIds()) {
          const node = this.nodes.get(TreeIds.experiment(data.session.uri, id));
          if (node) shown.push(node);
        }
      }
      data.reset(change);
    }
    if (change.experiments) this.changeEmitter.fire(undefined);
    else if (shown.length > 0) this.changeEmitter.fire(shown);
  }

  /** Only how nodes are labelled changed (the metric beside runs): draws them again, fetching nothing. */
  redraw(): void {
    this.changeEmitter.fire(undefined);
  }

  /** Sessions came or went. */
  sessionsChanged(): void {
    const live = new Set(this.connections.sessions);
    for (const [uri, data] of [...this.data]) if (!live.has(data.session)) this.data.delete(uri);
    for (const data of this.data.values()) data.clearReadCaches();
    this.nodes.clear();
    this.changeEmitter.fire(undefined);
  }

  /**
   * Reloads experiments and every loaded page (all stores, or one), then redraws once.
   * At most one refresh runs; the stores asked for during it are reloaded by one more,
   * and each caller's promise settles once its own store has been reloaded.
   */
  refresh(session?: StoreSession): Promise<void> {
    // Refresh (all stores) redraws everything, also what no reload compares (artifact listings);
    // a store's own change event redraws only what changed in it.
    if (!session) this.redrawAllPending = true;
    return this.refresher.run(session ? new Set([session]) : 'all');
  }

  private async reload(scope: RefreshScope): Promise<void> {
    const redrawAll = this.redrawAllPending;
    this.redrawAllPending = false;
    const sessions = scope === 'all' ? this.connections.sessions : this.connections.sessions.filter((s) => scope.has(s));
    const changes = await Promise.all(
      sessions.map(async (session) => ({ session, changes: await this.data.get(session.uri)?.reload((message) => this.output.warn(message)) })),
    );
    // A reveal in flight (a run revealed as it ends) is lost if the tree redraws under it.
    await this.revealing;
    if (redrawAll || changes.some((c) => c.changes?.experiments)) {
      this.changeEmitter.fire(undefined);
      return;
    }
    // Only the experiments whose runs changed; the rows of the others stay as they are (a row
    // being right-clicked keeps its item).
    // One event for all of them: VS Code holds back every event after the first for 200 ms.
    const changed: RunTreeNode[] = [];
    for (const { session, changes: inSession } of changes) {
      for (const experimentId of inSession?.runLists ?? []) {
        const node = this.nodes.get(TreeIds.experiment(session.uri, experimentId));
        if (node) changed.push(node);
      }
    }
    if (changed.length > 0) this.changeEmitter.fire(changed);
  }

  /**
   * Runs a `TreeView.reveal` with the tree's redraws held back until VS Code has done it. A redraw
   * that lands while VS Code expands the run's experiment to show it (a refresh for a run that
   * ended a second after it started, racing "Reveal in Runs View") drops the reveal silently.
   */
  async whileRevealing<T>(reveal: () => Thenable<T>): Promise<T> {
    const previous = this.revealing;
    let done!: () => void;
    const current = new Promise<void>((resolve) => (done = resolve));
    // Never hold redraws for long: a reveal VS Code does not answer must not freeze the view.
    this.revealing = Promise.race([current, new Promise<void>((resolve) => setTimeout(resolve, REVEAL_HOLD_MS))]);
    try {
      await previous;
      return await reveal();
    } finally {
      done();
    }
  }

  /** Redraws the whole tree once the caller has loaded what it needed (revealing a run). */
  fireTreeChanged(): void {
    this.changeEmitter.fire(undefined);
  }

  progress<T>(work: Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: RUNS_VIEW_ID } }, () => work));
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
