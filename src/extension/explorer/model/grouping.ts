/**
 * Nested runs under their parent (`mlflow.parentRunId`). Plain module: no `vscode` import.
 */
import type { Run } from '../../../tracking/types';
import { parentRunId } from './tags';

export interface RunGroup {
  run: Run;
  children: RunGroup[];
}

/**
 * A forest of the given runs, keeping their order at every level. A run whose parent
 * is not among `runs` (not loaded yet, filtered out, or deleted) stays at the top, so
 * nothing loaded is ever hidden; runs caught in a parent cycle stay at the top.
 */
export function groupRunsByParent(runs: readonly Run[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const run of runs) {
    if (!groups.has(run.info.run_id)) groups.set(run.info.run_id, { run, children: [] });
  }
  const roots: RunGroup[] = [];
  for (const group of groups.values()) {
    const parentId = parentRunId(group.run);
    const parent = parentId === undefined ? undefined : groups.get(parentId);
    if (parent && !isAncestor(group.run.info.run_id, parent, groups)) parent.children.push(group);
    else roots.push(group);
  }
  return roots;
}

/** True when `runId` is `group` itself or one of its ancestors, i.e. attaching would close a cycle. */
function isAncestor(runId: string, group: RunGroup, groups: Map<string, RunGroup>): boolean {
  const seen = new Set<string>();
  let current: RunGroup | undefined = group;
  while (current && !seen.has(current.run.info.run_id)) {
    if (current.run.info.run_id === runId) return true;
    seen.add(current.run.info.run_id);
    const next = parentRunId(current.run);
    current = next === undefined ? undefined : groups.get(next);
  }
  return false;
}

/** Every run id in a forest, depth first. */
export function countRuns(groups: readonly RunGroup[]): number {
  let count = 0;
  for (const group of groups) count += 1 + countRuns(group.children);
  return count;
}
