/**
 * An experiment's runs as columns for the sweep views (parallel coordinates, scatter):
 * `params.<key>` as text, `metrics.<key>` as the latest value, null where a run has none;
 * and the axes shown first. Plain module, no `vscode`.
 */
import type { Run } from '../tracking/types';
import { defaultDirection, runDisplayName, toNumber } from './rows';

export type SweepColumns = Record<string, (string | number | null)[]>;

export function sweepColumns(runs: readonly Run[]): SweepColumns {
  const columns: SweepColumns = {};
  const column = (key: string) => (columns[key] ??= new Array(runs.length).fill(null));
  runs.forEach((run, i) => {
    for (const p of run.data.params ?? []) column(`params.${p.key}`)[i] = p.value;
    for (const m of run.data.metrics ?? []) column(`metrics.${m.key}`)[i] = m.value;
  });
  return columns;
}

export function sweepRunNames(runs: readonly Run[]): string[] {
  return runs.map(runDisplayName);
}

/** Params that vary between runs: the ones a sweep searched over. */
function varyingParams(columns: SweepColumns): string[] {
  return Object.keys(columns)
    .filter((k) => k.startsWith('params.'))
    .filter((k) => {
      const first = columns[k].find((v) => v !== null);
      return columns[k].some((v) => v !== null && v !== first);
    })
    .sort();
}

/**
 * The metric a sweep is judged by: the one named in `preferred` when the runs have it, else
 * the first loss-like metric, else the first metric.
 */
export function defaultMetric(columns: SweepColumns, preferred?: string): string | undefined {
  const metrics = Object.keys(columns)
    .filter((k) => k.startsWith('metrics.'))
    .sort();
  if (preferred && metrics.includes(`metrics.${preferred}`)) return `metrics.${preferred}`;
  return metrics.find((k) => defaultDirection(k.slice('metrics.'.length)) === 'lower') ?? metrics[0];
}

/** True when every value of the column is a number or numeric text. */
function isNumericColumn(column: readonly (string | number | null)[]): boolean {
  return column.every((v) => v === null || typeof v === 'number' || toNumber(v) !== undefined);
}

/**
 * Up to `maxParams` varying params (numeric ones first), then the metric last. `isNumeric`
 * says whether a column is numeric; the sweep page answers from the axes it builds anyway,
 * so that each column is parsed once.
 */
export function defaultAxes(
  columns: SweepColumns,
  metric: string | undefined,
  maxParams = 7,
  isNumeric = (key: string) => isNumericColumn(columns[key]),
): string[] {
  const varying = varyingParams(columns);
  // Read each column once, not in every comparison of the sort.
  const numeric = new Map(varying.map((k) => [k, isNumeric(k)]));
  const params = varying.sort((a, b) => Number(numeric.get(b)) - Number(numeric.get(a)));
  return [...params.slice(0, maxParams), ...(metric ? [metric] : [])];
}

/** An MLflow filter that keeps exactly these runs (for the Runs view). */
export function runIdFilter(runIds: readonly string[]): string {
  return `attributes.run_id IN (${runIds.map((id) => `'${id.replace(/'/g, '')}'`).join(', ')})`;
}
