/**
 * Revealing a run in the Runs view: make its node exist (paging through its experiment as
 * far as it takes, expanding its ancestors) or say why the view does not show it.
 */
import type * as vscode from 'vscode';
import type { Run } from '../../tracking/types';
import type { StoreSession } from '../connection/storeConnections';
import { parentRunId } from '../explorer/model/tags';
import type { ExperimentNode, RunNode } from './runNodes';
import type { RunTreeProvider } from './runTreeProvider';
import { errorMessage } from '../../format/errors';

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
 * Makes the run's node exist (loading pages of its experiment, as many as it takes, and
 * expanding its ancestors) for `TreeView.reveal`, or says why the view does not show it.
 * `onProgress` hears how many runs of the experiment are loaded after each page.
 */
export async function findRunNode(runs: RunTreeProvider, session: StoreSession, runId: string, options: RunSearchOptions = {}): Promise<RunSearchResult> {
  const run = await session.call('Get run', (store) => store.getRun(runId));
  if (run.info.lifecycle_stage === 'deleted' && !runs.options.showDeleted) return { kind: 'deleted', run };
  const roots = await runs.getChildren(undefined);
  const experimentNodes =
    roots.length && roots[0].kind === 'store' ? await runs.getChildren(roots.find((n) => n.kind === 'store' && n.session === session)) : roots;
  const experimentNode = experimentNodes.find((n): n is ExperimentNode => n.kind === 'experiment' && n.experiment.experiment_id === run.info.experiment_id);
  if (!experimentNode) return { kind: 'experimentHidden', run };
  const filter = runs.options.filter;
  // Asking the store is one request; paging through the experiment to learn the same could be thousands.
  if (filter && (await filterExcludes(runs, experimentNode, filter, runId))) return { kind: 'hiddenByFilter', run, filter };

  const data = runs.dataOf(session);
  const list = data.runList(experimentNode.experiment.experiment_id);
  await list.ensureLoaded();
  let checked = 0;
  for (;;) {
    // The filter, sort or a setting changed meanwhile: the list started over, and the user moved on.
    if (!data.isCurrent(experimentNode.experiment.experiment_id, list) || options.token?.isCancellationRequested) return { kind: 'cancelled' };
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
  let children = await runs.runNodes(experimentNode);
  let found: RunNode | undefined;
  for (const id of chain) {
    found = children.find((n): n is RunNode => n.kind === 'run' && n.run.info.run_id === id);
    if (!found) return { kind: 'notListed', run };
    children = runs.runChildren(found);
  }
  runs.fireTreeChanged();
  return found ? { kind: 'found', node: found } : { kind: 'notListed', run };
}

/** True when the store says the filter leaves the run out; false when it keeps it or cannot tell. */
async function filterExcludes(runs: RunTreeProvider, experimentNode: ExperimentNode, filter: string, runId: string): Promise<boolean> {
  // Run ids are hex (MLflow's) or at least word characters; anything else cannot be quoted safely.
  if (!/^[\w-]+$/.test(runId)) return false;
  try {
    const page = await experimentNode.session.call('Check the run against the filter', (store) =>
      store.searchRuns({
        experiment_ids: [experimentNode.experiment.experiment_id],
        filter: `${filter} and attributes.run_id = '${runId}'`,
        run_view_type: runs.options.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
        max_results: 1,
      }),
    );
    return page.runs.length === 0;
  } catch (error) {
    runs.output.warn(`Checking run ${runId} against the filter failed, looking through the list instead: ${errorMessage(error)}`);
    return false;
  }
}
