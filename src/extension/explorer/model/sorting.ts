/**
 * The run explorer's sort order, as MLflow `order_by` clauses so that every store
 * (and the server) sorts, not the tree. Plain module: no `vscode` import.
 */
import type { Run } from '../../../tracking/types';

export type SortColumn =
  { kind: 'attribute'; key: 'start_time' | 'end_time' | 'run_name' | 'status' } | { kind: 'metric'; key: string } | { kind: 'param'; key: string };

export interface RunSort {
  column: SortColumn;
  ascending: boolean;
}

export const DEFAULT_SORT: RunSort = { column: { kind: 'attribute', key: 'start_time' }, ascending: false };

/** MLflow's `order_by` for the sort: `attributes.start_time DESC`, ``metrics.`val loss` ASC``. */
export function toOrderBy(sort: RunSort): string[] {
  const direction = sort.ascending ? 'ASC' : 'DESC';
  const { column } = sort;
  const prefix = column.kind === 'attribute' ? 'attributes' : column.kind === 'metric' ? 'metrics' : 'params';
  const clauses = [`${prefix}.${quoteKey(column.key)} ${direction}`];
  // A stable second key, so runs with equal (or missing) values keep one order across pages.
  if (!(column.kind === 'attribute' && column.key === 'start_time')) clauses.push('attributes.start_time DESC');
  return clauses;
}

/** MLflow's search language needs backticks around keys that are not plain identifiers. */
export function quoteKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `\`${key.replace(/`/g, '')}\``;
}

const ATTRIBUTE_LABELS: Record<string, string> = {
  start_time: 'start time',
  end_time: 'end time',
  run_name: 'name',
  status: 'status',
};

/** "start time ↓", "metric loss ↑", for the view description and quick picks. */
export function describeSort(sort: RunSort): string {
  return `${describeColumn(sort.column)} ${sort.ascending ? '↑' : '↓'}`;
}

export function describeColumn(column: SortColumn): string {
  if (column.kind === 'attribute') return ATTRIBUTE_LABELS[column.key] ?? column.key;
  return `${column.kind} ${column.key}`;
}

export function isDefaultSort(sort: RunSort): boolean {
  return sameColumn(sort.column, DEFAULT_SORT.column) && sort.ascending === DEFAULT_SORT.ascending;
}

export function sameColumn(a: SortColumn, b: SortColumn): boolean {
  return a.kind === b.kind && a.key === b.key;
}

/** The columns a user can sort by, given the runs seen so far: attributes, then every metric and param key. */
export function sortableColumns(runs: readonly Run[]): SortColumn[] {
  const metrics = new Set<string>();
  const params = new Set<string>();
  for (const run of runs) {
    for (const m of run.data.metrics ?? []) metrics.add(m.key);
    for (const p of run.data.params ?? []) params.add(p.key);
  }
  const sorted = (keys: Set<string>) => [...keys].sort();
  return [
    { kind: 'attribute', key: 'start_time' },
    { kind: 'attribute', key: 'run_name' },
    { kind: 'attribute', key: 'end_time' },
    ...sorted(metrics).map((key): SortColumn => ({ kind: 'metric', key })),
    ...sorted(params).map((key): SortColumn => ({ kind: 'param', key })),
  ];
}

/** The metric keys present in the runs, sorted; for "choose the metric shown beside each run". */
export function metricKeys(runs: readonly Run[]): string[] {
  const keys = new Set<string>();
  for (const run of runs) for (const m of run.data.metrics ?? []) keys.add(m.key);
  return [...keys].sort();
}
