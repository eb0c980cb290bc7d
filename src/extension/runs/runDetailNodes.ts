/**
 * What lies under a run in the Runs tree: its sections (parameters, metrics, tags, system tags,
 * artifacts, logged models), their entries, artifact folders, and a metric's statistics from
 * its history. Read lazily as VS Code asks for a node's children.
 */
import type { StoreSession } from '../connection/storeConnections';
import { sortArtifacts } from '../artifacts/artifactKinds';
import { formatMetricValue } from '../../format/values';
import { TreeIds } from '../explorer/model/ids';
import { summarizeMetricHistory } from '../explorer/model/labels';
import { partitionTags, SystemTags, tagValue } from '../explorer/model/tags';
import type { Run } from '../../tracking/types';
import type { SessionData } from './runData';
import type { RunNodeCache } from './runNodeCache';
import type { RunNode, RunTreeNode, SectionKind, SectionNode } from './runNodes';

export class RunDetailNodes {
  constructor(
    private readonly cache: RunNodeCache,
    private readonly dataOf: (session: StoreSession) => SessionData,
    private readonly progress: <T>(work: Promise<T>) => Promise<T>,
  ) {}

  sectionNode(runNode: RunNode, parent: RunTreeNode, section: SectionKind): SectionNode {
    return this.cache.keep<SectionNode>({ kind: 'section', id: TreeIds.section(runNode.id, section), parent, session: runNode.session, runNode, section });
  }

  async sectionChildren(node: SectionNode): Promise<RunTreeNode[]> {
    const { run } = node.runNode;
    const byKey = <T extends { key: string }>(items: T[] | undefined) =>
      [...(items ?? [])].sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true }));
    switch (node.section) {
      case 'params':
        return byKey(run.data.params).map((p) =>
          this.cache.keep({ kind: 'param', id: TreeIds.entry(node.id, p.key), parent: node, key: p.key, value: p.value }),
        );
      case 'metrics':
        return byKey(run.data.metrics).map((metric) =>
          this.cache.keep({ kind: 'metric', id: TreeIds.entry(node.id, metric.key), parent: node, session: node.session, runNode: node.runNode, metric }),
        );
      case 'tags':
      case 'systemTags': {
        const { user, system } = partitionTags(run.data.tags);
        const tags = (node.section === 'tags' ? user : system).map((t) =>
          this.cache.keep({ kind: 'tag', id: TreeIds.entry(node.id, t.key), parent: node, key: t.key, value: t.value }),
        );
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

  async artifactNodes(runNode: RunNode, path: string, parent: RunTreeNode): Promise<RunTreeNode[]> {
    const runId = runNode.run.info.run_id;
    try {
      const files = await this.progress(this.dataOf(runNode.session).listArtifacts(runId, path));
      if (files.length === 0) return [this.cache.message(parent, parent.id, 'empty', path ? 'Empty folder' : 'No artifacts', 'info')];
      return sortArtifacts(files).map((file) =>
        this.cache.keep({ kind: 'artifact', id: TreeIds.artifact(runNode.id, file.path), parent, session: runNode.session, runNode, file }),
      );
    } catch (error) {
      return [this.cache.errorNode(parent, parent.id, runNode.session, 'Could not list artifacts', error)];
    }
  }

  private async modelNodes(node: SectionNode): Promise<RunTreeNode[]> {
    const { run } = node.runNode;
    const runId = run.info.run_id;
    const outputIds = new Set((run.outputs?.model_outputs ?? []).map((o) => o.model_id));
    try {
      const models = await this.progress(this.dataOf(node.session).loggedModels(run.info.experiment_id));
      const mine = models.filter((m) => m.info.source_run_id === runId || outputIds.has(m.info.model_id));
      const nodes: RunTreeNode[] = mine.map((model) =>
        this.cache.keep({
          kind: 'loggedModel',
          id: TreeIds.entry(node.id, model.info.model_id),
          parent: node,
          session: node.session,
          runNode: node.runNode,
          model,
        }),
      );
      for (const name of mine.length ? [] : legacyModelPaths(run)) {
        nodes.push(
          this.cache.keep({
            kind: 'loggedModel',
            id: TreeIds.entry(node.id, `path:${name}`),
            parent: node,
            session: node.session,
            runNode: node.runNode,
            model: { info: { model_id: `runs:/${runId}/${name}`, experiment_id: run.info.experiment_id, name, source_run_id: runId, model_type: 'artifacts' } },
          }),
        );
      }
      return nodes.length ? nodes : [this.cache.message(node, node.id, 'empty', 'No logged models', 'info')];
    } catch (error) {
      return [this.cache.errorNode(node, node.id, node.session, 'Could not list models', error)];
    }
  }

  async metricStats(node: Extract<RunTreeNode, { kind: 'metric' }>): Promise<RunTreeNode[]> {
    try {
      const history = await this.progress(this.dataOf(node.session).metricHistory(node.runNode.run.info.run_id, node.metric.key));
      const summary = summarizeMetricHistory(history);
      if (!summary) return [this.cache.message(node, node.id, 'empty', 'No points', 'info')];
      const stat = (label: string, value: string) => this.cache.keep({ kind: 'metricStat', id: TreeIds.entry(node.id, label), parent: node, label, value });
      return [
        stat('latest', formatMetricValue(node.metric.value)),
        stat('min', formatMetricValue(summary.min)),
        stat('max', formatMetricValue(summary.max)),
        stat('steps', summary.firstStep === summary.lastStep ? String(summary.lastStep) : `${summary.firstStep}–${summary.lastStep}`),
        stat('points', String(summary.count)),
      ];
    } catch (error) {
      return [this.cache.errorNode(node, node.id, node.session, 'Could not read the history', error)];
    }
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
