import type { Experiment, FileInfo, LoggedModel, Metric, Run } from '../../tracking/types';
import type { StoreSession } from '../connection/storeConnections';
import type { RunGroup } from '../explorer/model/grouping';

/** The elements of the Runs tree. Each has a stable `id` (see model/ids) and its parent, for reveal. */
export type RunTreeNode =
  StoreNode | ExperimentNode | RunNode | SectionNode | KeyValueNode | MetricNode | MetricStatNode | ArtifactNode | LoggedModelNode | LoadMoreNode | MessageNode;

interface NodeBase {
  id: string;
  parent: RunTreeNode | undefined;
}

export interface StoreNode extends NodeBase {
  kind: 'store';
  session: StoreSession;
}

export interface ExperimentNode extends NodeBase {
  kind: 'experiment';
  session: StoreSession;
  experiment: Experiment;
}

export interface RunNode extends NodeBase {
  kind: 'run';
  session: StoreSession;
  run: Run;
  nested: RunGroup[];
}

export type SectionKind = 'params' | 'metrics' | 'tags' | 'systemTags' | 'artifacts' | 'models';

export interface SectionNode extends NodeBase {
  kind: 'section';
  session: StoreSession;
  runNode: RunNode;
  section: SectionKind;
}

export interface KeyValueNode extends NodeBase {
  kind: 'param' | 'tag';
  key: string;
  value: string;
}

export interface MetricNode extends NodeBase {
  kind: 'metric';
  session: StoreSession;
  runNode: RunNode;
  metric: Metric;
}

export interface MetricStatNode extends NodeBase {
  kind: 'metricStat';
  label: string;
  value: string;
}

export interface ArtifactNode extends NodeBase {
  kind: 'artifact';
  session: StoreSession;
  runNode: RunNode;
  file: FileInfo;
}

export interface LoggedModelNode extends NodeBase {
  kind: 'loggedModel';
  session: StoreSession;
  runNode: RunNode;
  model: LoggedModel;
}

export interface LoadMoreNode extends NodeBase {
  kind: 'loadMore';
  session: StoreSession;
  experimentNode: ExperimentNode;
  shown: number;
}

export interface MessageNode extends NodeBase {
  kind: 'message';
  text: string;
  icon: string;
  detail?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
}
