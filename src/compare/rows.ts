/**
 * The compare table's model: the selected runs as columns and one row per attribute,
 * param, metric (latest, min, max), tag and the logged models; which rows differ, the
 * best value of a metric row, and column order by a row. Plain module, no `vscode`:
 * the extension builds the table, the compare webview filters, sorts and marks it.
 */
import type { Run } from '../tracking/types';
import { formatDateTime, formatDuration, formatMetricValue } from '../format/values';

export type CompareSection = 'attributes' | 'params' | 'metrics' | 'tags' | 'models';
export type CellValue = string | number | undefined;
export type MetricStat = 'latest' | 'min' | 'max';
export type BestDirection = 'lower' | 'higher';

export interface MetricStats {
  min: number;
  max: number;
}

export interface CompareRunInput {
  run: Run;
  /** The experiment's name; its id is shown without it. */
  experimentName?: string;
  /** Min and max of each metric's history, when loaded. */
  metricStats?: Readonly<Record<string, MetricStats>>;
  /** Names (or ids) of the models the run logged. */
  loggedModels?: readonly string[];
}

export interface CompareColumn {
  runId: string;
  experimentId: string;
  name: string;
  status: string;
}

export interface CompareRow {
  /** Unique in a table: `params.lr`, `metrics.loss`, `metrics.loss.min`, `attributes.status`. */
  id: string;
  section: CompareSection;
  /** The param, metric or tag key; the attribute's name. */
  key: string;
  /** What the first column shows. */
  label: string;
  /** Metric rows: which value of the history. */
  stat?: MetricStat;
  /** One per column; `undefined` when the run has no such value. */
  values: CellValue[];
  /** The values as shown: numbers shortened, times as dates; '' for a missing value. */
  display: string[];
  /** Not every column holds the same value (a missing value differs from any value). */
  differs: boolean;
}

export interface CompareTable {
  columns: CompareColumn[];
  rows: CompareRow[];
}

/** Tags shown as attributes (or too large to compare), left out of the tag rows. */
const TAGS_SHOWN_ELSEWHERE = new Set(['mlflow.runName', 'mlflow.user', 'mlflow.source.name', 'mlflow.source.git.commit', 'mlflow.log-model.history']);

export function runDisplayName(run: Run): string {
  return run.info.run_name || run.data.tags?.find((t) => t.key === 'mlflow.runName')?.value || run.info.run_id.slice(0, 8);
}

/** Builds every row; sections in a fixed order, keys sorted within a section. */
export function buildCompareTable(inputs: readonly CompareRunInput[]): CompareTable {
  const columns = inputs.map(({ run }) => ({
    runId: run.info.run_id,
    experimentId: run.info.experiment_id,
    name: runDisplayName(run),
    status: run.info.status,
  }));
  const rows: CompareRow[] = [];
  const add = (section: CompareSection, key: string, label: string, values: CellValue[], format: (v: string | number) => string, stat?: MetricStat) => {
    const id = stat && stat !== 'latest' ? `${section}.${key}.${stat}` : `${section}.${key}`;
    const display = values.map((v) => (v === undefined ? '' : format(v)));
    rows.push({ id, section, key, label, stat, values, display, differs: valuesDiffer(values) });
  };
  const text = (v: string | number) => String(v);

  // Each key's values in run order, from one pass over each run's list.
  const params = valuesByKey(inputs.map((i) => i.run.data.params));
  const metrics = valuesByKey(inputs.map((i) => i.run.data.metrics));
  const tags = valuesByKey(inputs.map((i) => i.run.data.tags));
  const tag = (k: number, key: string) => tags.get(key)?.[k] as string | undefined;
  add(
    'attributes',
    'name',
    'Run name',
    columns.map((c) => c.name),
    text,
  );
  add(
    'attributes',
    'run_id',
    'Run ID',
    columns.map((c) => c.runId),
    text,
  );
  add(
    'attributes',
    'experiment',
    'Experiment',
    inputs.map((i) => i.experimentName ?? i.run.info.experiment_id),
    text,
  );
  add(
    'attributes',
    'status',
    'Status',
    columns.map((c) => c.status),
    text,
  );
  add(
    'attributes',
    'start_time',
    'Start',
    inputs.map((i) => positiveOrUndefined(i.run.info.start_time)),
    (v) => formatDateTime(Number(v)),
  );
  add(
    'attributes',
    'duration',
    'Duration',
    inputs.map((i) => runDuration(i.run)),
    (v) => formatDuration(Number(v)),
  );
  add(
    'attributes',
    'user',
    'User',
    inputs.map((i, k) => i.run.info.user_id || tag(k, 'mlflow.user')),
    text,
  );
  add(
    'attributes',
    'source',
    'Source',
    inputs.map((_, k) => tag(k, 'mlflow.source.name')),
    text,
  );
  add(
    'attributes',
    'git_commit',
    'Git commit',
    inputs.map((_, k) => tag(k, 'mlflow.source.git.commit')),
    text,
  );

  for (const key of sortedKeys(params)) {
    add('params', key, key, params.get(key)!, text);
  }

  const metricText = (v: unknown) => formatNumber(Number(v));
  for (const key of sortedKeys(metrics)) {
    add('metrics', key, key, metrics.get(key)!, metricText, 'latest');
    if (!inputs.some((i) => i.metricStats?.[key])) continue;
    for (const stat of ['min', 'max'] as const) {
      add(
        'metrics',
        key,
        `${key} (${stat})`,
        inputs.map((i) => i.metricStats?.[key]?.[stat]),
        metricText,
        stat,
      );
    }
  }

  const tagKeys = sortedKeys(tags).filter((k) => !TAGS_SHOWN_ELSEWHERE.has(k));
  for (const key of tagKeys) add('tags', key, key, tags.get(key)!, text);

  if (inputs.some((i) => i.loggedModels && i.loggedModels.length > 0)) {
    add(
      'models',
      'logged_models',
      'Logged models',
      inputs.map((i) => (i.loggedModels?.length ? i.loggedModels.join(', ') : undefined)),
      text,
    );
  }
  return { columns, rows };
}

/**
 * Each key's values in run order (undefined where a run has none; a key listed twice in a
 * run: the last), in one pass over each run's list. A map per run and a lookup per key and
 * run did the same work twice and made the garbage collector the largest cost of 100 runs × 500 keys.
 */
function valuesByKey(lists: readonly (readonly { key: string; value: string | number }[] | undefined)[]): Map<string, CellValue[]> {
  const byKey = new Map<string, CellValue[]>();
  lists.forEach((list, run) => {
    for (const entry of list ?? []) {
      let values = byKey.get(entry.key);
      if (!values) byKey.set(entry.key, (values = new Array<CellValue>(lists.length).fill(undefined)));
      values[run] = entry.value;
    }
  });
  return byKey;
}

function sortedKeys(byKey: ReadonlyMap<string, unknown>): string[] {
  return [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function positiveOrUndefined(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

function runDuration(run: Run): number | undefined {
  const { start_time: start, end_time: end } = run.info;
  return start && end && end >= start ? end - start : undefined;
}

/** Equal when both are the same number (NaN equals NaN here) or the same string; missing differs from anything. */
function sameValue(a: CellValue, b: CellValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

function valuesDiffer(values: readonly CellValue[]): boolean {
  for (let i = 1; i < values.length; i++) if (!sameValue(values[0], values[i])) return true;
  return false;
}

export interface RowFilter {
  onlyDiffs?: boolean;
  /** Case-insensitive text matched against the row's label and section (`params.lr`). */
  text?: string;
}

export function filterRows(rows: readonly CompareRow[], filter: RowFilter): CompareRow[] {
  const needle = (filter.text ?? '').trim().toLowerCase();
  return rows.filter((row) => {
    if (filter.onlyDiffs && !row.differs) return false;
    if (needle === '') return true;
    return row.label.toLowerCase().includes(needle) || `${row.section}.${row.label}`.toLowerCase().includes(needle);
  });
}

const LOWER_IS_BETTER = /(loss|err|error|mse|rmse|mae|mape|perplexity|latency|time|duration|distance|cost|regret|fpr|fnr)/i;

/** The guess before the user chooses: losses and errors go down, everything else (accuracy, f1, auc…) up. */
export function defaultDirection(metricKey: string): BestDirection {
  return LOWER_IS_BETTER.test(metricKey) ? 'lower' : 'higher';
}

/**
 * Columns holding the best value of a metric row (every one on a tie). NaN and missing
 * values never win; with fewer than two comparable values nothing is marked.
 */
export function bestColumns(row: CompareRow, direction: BestDirection): number[] {
  if (row.section !== 'metrics') return [];
  let best: number | undefined;
  let comparable = 0;
  for (const v of row.values) {
    if (typeof v !== 'number' || Number.isNaN(v)) continue;
    comparable++;
    if (best === undefined || (direction === 'lower' ? v < best : v > best)) best = v;
  }
  if (comparable < 2 || best === undefined) return [];
  const winners: number[] = [];
  row.values.forEach((v, i) => v === best && winners.push(i));
  return winners;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Column order by one row's values: numbers numerically (including numeric params,
 * which are strings), other text in natural order; missing and NaN values last in both
 * directions; ties keep their order.
 */
export function columnOrder(row: CompareRow, descending: boolean): number[] {
  const keyed = row.values.map((value, index) => ({ index, value, num: toNumber(value) }));
  const numeric = keyed.every((k) => k.value === undefined || k.num !== undefined);
  const rank = (k: (typeof keyed)[number]) => (k.value === undefined || (numeric && Number.isNaN(k.num)) ? 1 : 0);
  keyed.sort((a, b) => {
    const missing = rank(a) - rank(b);
    if (missing !== 0) return missing;
    if (rank(a) === 1) return a.index - b.index;
    const c = numeric ? (a.num as number) - (b.num as number) : collator.compare(String(a.value), String(b.value));
    return (descending ? -c : c) || a.index - b.index;
  });
  return keyed.map((k) => k.index);
}

/** A number for a numeric cell or numeric text (`"0.01"`, `"1e-3"`); undefined for other text. */
export function toNumber(value: CellValue): number | undefined {
  if (typeof value === 'number') return value;
  if (value === undefined) return undefined;
  // Number() skips surrounding whitespace itself, so only a blank text needs a second look
  // (it reads as 0); the sweep views call this for every value of every column.
  const n = Number(value);
  if (Number.isFinite(n)) return n === 0 && value.trim() === '' ? undefined : n;
  const trimmed = value.trim();
  return trimmed === 'NaN' || trimmed === 'nan' ? NaN : undefined;
}

/** Six significant digits: the compare table has room for one more than the tree's labels. */
export function formatNumber(value: number): string {
  return formatMetricValue(value, 6);
}
