/**
 * Whether a reload brought anything the Runs view shows. A store event (a running run
 * appending a point, a run folder written or removed elsewhere in the store) reloads the
 * store's loaded lists; redrawing the whole tree for it would also replace every row under
 * the user's pointer, and an item right-clicked during that redraw reaches its command as
 * nothing. So only what changed is redrawn. Plain module.
 */
import type { Experiment, Run } from '../../../tracking/types';

/** Same experiments in the same order, with the same names, stages and tags. */
export function sameExperiments(before: readonly Experiment[], after: readonly Experiment[]): boolean {
  return sameList(before, after, (e) => e.experiment_id);
}

/** Same runs in the same order, each with the same info, data, inputs and outputs. */
export function sameRuns(before: readonly Run[], after: readonly Run[]): boolean {
  return sameList(before, after, (r) => r.info.run_id);
}

function sameList<T>(before: readonly T[], after: readonly T[], idOf: (item: T) => string): boolean {
  if (before === after) return true;
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i++) {
    if (idOf(before[i]) !== idOf(after[i])) return false;
  }
  // Ids first (cheap); the whole content only when the order is the same. Stores read the
  // same data into the same shape, so equal text means equal content.
  for (let i = 0; i < before.length; i++) {
    if (before[i] !== after[i] && JSON.stringify(before[i]) !== JSON.stringify(after[i])) return false;
  }
  return true;
}
