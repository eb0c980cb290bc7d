/** Run order: MLflow's order_by for runs (what `SearchUtils.sort` does for its file store). */
import type { Run, RunInfo } from '../types';
import { fail, keyValue, pySet, splitOrderKey } from './identifiers';
import { parseOrderByString } from './parser';
import { ATTRIBUTE_ALIASES, latestMetric, resolveKind } from './runs';
import { compareStrings } from './values';

export interface OrderClause {
  kind: 'metric' | 'param' | 'tag' | 'attribute';
  key: string;
  ascending: boolean;
}

const ORDER_ATTRIBUTES = ['artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'];

/** Parses order_by entries such as 'metrics.rmse DESC', 'attributes.start_time', 'params.x ASC'. */
export function parseOrderBy(orderBy: string[] | undefined): OrderClause[] {
  if (!orderBy) return [];
  return orderBy.map((entry) => {
    const raw = parseOrderByString(entry);
    const id = splitOrderKey(raw.key, raw.keyPos);
    const kind = resolveKind(id, entry);
    if (kind === 'dataset') fail(`Invalid order_by entity type '${kind}'`, id.entityPos, entry);
    let key = id.key;
    if (kind === 'attribute') {
      if (!ORDER_ATTRIBUTES.includes(key)) {
        fail(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(ORDER_ATTRIBUTES)}'`, id.keyPos, entry);
      }
      key = ATTRIBUTE_ALIASES[key] ?? key;
    }
    return { kind, key, ascending: raw.ascending };
  });
}

type SortValue = number | string | undefined;

function sortValueReader(clause: OrderClause): (run: Run) => SortValue {
  const key = clause.key;
  switch (clause.kind) {
    case 'metric':
      return (run) => latestMetric(run, key);
    case 'param':
      return (run) => keyValue(run.data.params, key);
    case 'tag':
      return (run) => keyValue(run.data.tags, key);
    case 'attribute': {
      const field = key as keyof RunInfo;
      return (run) => {
        const v = run.info[field];
        return typeof v === 'number' || typeof v === 'string' ? v : undefined;
      };
    }
  }
}

/** 0 for a value, 1 for NaN, 2 for missing: MLflow puts NaN after values and missing last, either direction. */
function rank(v: SortValue): number {
  if (v === undefined) return 2;
  return typeof v === 'number' && Number.isNaN(v) ? 1 : 0;
}

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  // Mixed types cannot happen for one key; order numbers first to stay total.
  return typeof a === 'number' ? -1 : 1;
}

/** MLflow's natural order: start_time descending, then run_id ascending. */
export function compareRunsDefault(a: Run, b: Run): number {
  const sa = a.info.start_time ?? 0;
  const sb = b.info.start_time ?? 0;
  if (sa !== sb) return sb - sa;
  return compareStrings(a.info.run_id, b.info.run_id);
}

/** A comparator giving MLflow's order for the clauses, then its natural order as the tiebreak. */
export function compareRuns(order: OrderClause[]): (a: Run, b: Run) => number {
  if (order.length === 0) return compareRunsDefault;
  const readers = order.map(sortValueReader);
  const ascending = order.map((o) => o.ascending);
  return (a, b) => {
    for (let i = 0; i < readers.length; i++) {
      const va = readers[i](a);
      const vb = readers[i](b);
      const ra = rank(va);
      const rb = rank(vb);
      if (ra !== rb) return ra - rb;
      if (ra === 0) {
        const c = compareValues(va, vb);
        if (c !== 0) return ascending[i] ? c : -c;
      }
    }
    return compareRunsDefault(a, b);
  };
}

/**
 * The runs in MLflow's order (a new array). Same order as `compareRuns`, but reads each run's
 * sort values once instead of at every comparison: several times faster on 10,000 runs.
 */
export function sortRuns(runs: readonly Run[], order: OrderClause[]): Run[] {
  return sortByRun(runs, (run) => run, order);
}

/** Items holding runs (an index's entries), in the order `sortRuns` gives their runs. */
export function sortByRun<T>(items: readonly T[], runOf: (item: T) => Run, order: OrderClause[]): T[] {
  if (order.length === 0) return [...items].sort((a, b) => compareRunsDefault(runOf(a), runOf(b)));
  const readers = order.map(sortValueReader);
  const ascending = order.map((o) => o.ascending);
  const rows = items.map((item) => {
    const run = runOf(item);
    const values = readers.map((read) => read(run));
    return { item, run, values, ranks: values.map(rank) };
  });
  rows.sort((a, b) => {
    for (let i = 0; i < readers.length; i++) {
      const ra = a.ranks[i];
      const rb = b.ranks[i];
      if (ra !== rb) return ra - rb;
      if (ra === 0) {
        const c = compareValues(a.values[i], b.values[i]);
        if (c !== 0) return ascending[i] ? c : -c;
      }
    }
    return compareRunsDefault(a.run, b.run);
  });
  return rows.map((r) => r.item);
}
