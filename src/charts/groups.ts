/**
 * Runs grouped by a param or tag: one line per group (the mean over its runs) with a min–max
 * band.
 *
 * How runs that logged at different steps (or times) are aligned: the chart's x range is cut
 * into its pixel columns, as for drawing, and each column has one x, the position of its
 * second slot. At that x a run counts with the mean of its points in the column; in a column
 * where it has no point but which lies between two of its points, with the value of the line
 * between them there (so a run logged every 10 steps does not drop out of 9 columns in 10);
 * before its first point and after its last it does not count. The group's mean, min and max
 * at that x are over the runs that count there; a column where none counts is left empty.
 */
import { lowerBound } from '../sorted/bounds';
import { SLOTS_PER_COLUMN, slotPositions, type SlotGrid } from './bucketing';

/** How the page names a grouping: `param:<key>` or `tag:<key>`. */
export interface GroupKey {
  kind: 'param' | 'tag';
  key: string;
}

export function parseGroupBy(groupBy: string | undefined): GroupKey | undefined {
  const match = /^(param|tag):(.+)$/s.exec(groupBy ?? '');
  return match ? { kind: match[1] as GroupKey['kind'], key: match[2] } : undefined;
}

/** The label of a run that has no value for the key. */
export const NO_VALUE = '(none)';

interface Groupable {
  runId: string;
  params: readonly (readonly [string, string])[];
  tags: readonly (readonly [string, string])[];
}

/** Runs by their value of the key, groups in order of value (numbers by number); runs without it last, as "(none)". */
export function groupRuns<R extends Groupable>(runs: readonly R[], by: GroupKey): { label: string; runs: R[] }[] {
  const groups = new Map<string, R[]>();
  for (const run of runs) {
    const pairs = by.kind === 'param' ? run.params : run.tags;
    const label = pairs.find(([k]) => k === by.key)?.[1] ?? NO_VALUE;
    const list = groups.get(label) ?? [];
    list.push(run);
    groups.set(label, list);
  }
  const numeric = (s: string) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);
  return [...groups]
    .sort(([a], [b]) => {
      if (a === NO_VALUE || b === NO_VALUE) return a === b ? 0 : a === NO_VALUE ? 1 : -1;
      const na = numeric(a);
      const nb = numeric(b);
      if (na !== undefined && nb !== undefined) return na - nb;
      return a.localeCompare(b);
    })
    .map(([label, list]) => ({ label, runs: list }));
}

/** The slot that holds a column's aggregate. */
export const groupSlot = (column: number): number => 1 + column * SLOTS_PER_COLUMN + 1;

/**
 * One run's value in each column, aligned as described above: NaN where it does not count.
 * `xs` ascending, `ys` finite.
 */
export function columnValues(xs: Float64Array, ys: Float64Array, grid: SlotGrid): Float64Array {
  const { lo, hi, columns } = grid;
  const out = new Float64Array(columns).fill(NaN);
  const n = xs.length;
  if (n === 0) return out;
  const width = (hi - lo) / columns;
  const positions = slotPositions(grid);
  let i = lowerBound(xs, lo);
  for (let c = 0; c < columns; c++) {
    const end = c === columns - 1 ? hi : lo + (c + 1) * width;
    let sum = 0;
    let count = 0;
    // Points in [start, end) (the last column includes hi).
    while (i < n && (xs[i] < end || (c === columns - 1 && xs[i] <= hi))) {
      sum += ys[i];
      count++;
      i++;
    }
    if (count > 0) {
      out[c] = sum / count;
      continue;
    }
    // No point here: the line between the run's points either side, when the column lies between them.
    if (i === 0 || i >= n) continue;
    const at = positions[groupSlot(c)];
    const a = i - 1;
    out[c] = xs[i] === xs[a] ? ys[i] : ys[a] + ((ys[i] - ys[a]) * (at - xs[a])) / (xs[i] - xs[a]);
  }
  return out;
}

export interface GroupAggregate {
  /** Column indices with a value, ascending. */
  columns: Uint32Array;
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** Runs counted in each of those columns. */
  counts: Uint32Array;
}

/** Mean, min and max over the runs' column values (NaN: the run does not count there). */
export function aggregateColumns(perRun: readonly Float64Array[], columns: number): GroupAggregate {
  const sum = new Float64Array(columns);
  const min = new Float64Array(columns).fill(Infinity);
  const max = new Float64Array(columns).fill(-Infinity);
  const count = new Uint32Array(columns);
  for (const values of perRun) {
    for (let c = 0; c < columns; c++) {
      const v = values[c];
      if (Number.isNaN(v)) continue;
      sum[c] += v;
      count[c]++;
      if (v < min[c]) min[c] = v;
      if (v > max[c]) max[c] = v;
    }
  }
  let filled = 0;
  for (let c = 0; c < columns; c++) if (count[c] > 0) filled++;
  const out: GroupAggregate = {
    columns: new Uint32Array(filled),
    mean: new Float64Array(filled),
    min: new Float64Array(filled),
    max: new Float64Array(filled),
    counts: new Uint32Array(filled),
  };
  let k = 0;
  for (let c = 0; c < columns; c++) {
    if (count[c] === 0) continue;
    out.columns[k] = c;
    out.mean[k] = sum[c] / count[c];
    out.min[k] = min[c];
    out.max[k] = max[c];
    out.counts[k] = count[c];
    k++;
  }
  return out;
}
