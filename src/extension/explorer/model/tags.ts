/**
 * Run tags split into the user's own and MLflow's `mlflow.*` system tags, which the
 * tree folds into a group of their own. Plain module: no `vscode` import.
 */
import type { KeyValue, Run } from '../../../tracking/types';

export const SYSTEM_TAG_PREFIX = 'mlflow.';

/** Tags MLflow sets on runs that the explorer reads. */
export const SystemTags = {
  runName: 'mlflow.runName',
  parentRunId: 'mlflow.parentRunId',
  user: 'mlflow.user',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  gitBranch: 'mlflow.source.git.branch',
  gitRepoUrl: 'mlflow.source.git.repoURL',
  note: 'mlflow.note.content',
  loggedModels: 'mlflow.log-model.history',
} as const;

export function isSystemTag(key: string): boolean {
  return key.startsWith(SYSTEM_TAG_PREFIX);
}

export interface PartitionedTags {
  user: KeyValue[];
  system: KeyValue[];
}

/** User tags and system tags, each sorted by key. */
export function partitionTags(tags: readonly KeyValue[] | undefined): PartitionedTags {
  const user: KeyValue[] = [];
  const system: KeyValue[] = [];
  for (const tag of tags ?? []) (isSystemTag(tag.key) ? system : user).push(tag);
  const byKey = (a: KeyValue, b: KeyValue) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return { user: user.sort(byKey), system: system.sort(byKey) };
}

export function tagValue(run: Run, key: string): string | undefined {
  return run.data.tags?.find((t) => t.key === key)?.value;
}

export function parentRunId(run: Run): string | undefined {
  const id = tagValue(run, SystemTags.parentRunId);
  return id && id !== run.info.run_id ? id : undefined;
}
