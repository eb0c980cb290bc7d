/**
 * The host side of the charts: each metric history kept once in typed arrays, and the
 * answer to a chart's request (its runs bucketed onto its pixel columns, smoothed,
 * with the outlier range and the step-range table) built from them. No `vscode`: the
 * panel, the Chromium tests and the benchmarks use the same code.
 */
import type { Metric, MetricColumns } from '../tracking/types';
import type { GroupSlice, HostToCharts, RangeStatsRow, SeriesRequest, SeriesSlice, XAxis } from '../protocol/chartsPanel';
import { lowerBound, upperBound } from '../sorted/bounds';
import { bucketSeries, slotPositions, type SlotGrid } from './bucketing';
import { runColorHex } from './colors';
import { aggregateColumns, columnValues, groupRuns, groupSlot, parseGroupBy, type GroupKey } from './groups';
import { outlierRange } from './outliers';
import { debiasedEma } from './smoothing';
import { rangeStats } from './tables';

/** One run's history of one metric: finite points in step order. */
export interface MetricSeries {
  steps: Float64Array;
  /** Milliseconds since the epoch. */
  times: Float64Array;
  values: Float64Array;
  /** NaN and ±Infinity values logged, which a line cannot draw. */
  nonFinite: number;
  /** Per x axis, the arrays sorted by that axis (time may not follow step). */
  byAxis?: Partial<Record<XAxis, { x: Float64Array; y: Float64Array; offset: number }>>;
}

/** Sorts by step (then time), as MLflow's history is; keeps non-finite values out of the arrays. */
export function seriesFromMetrics(metrics: readonly Metric[]): MetricSeries {
  let sorted = true;
  for (let i = 1; i < metrics.length && sorted; i++) {
    const a = metrics[i - 1];
    const b = metrics[i];
    sorted = a.step < b.step || (a.step === b.step && a.timestamp <= b.timestamp);
  }
  const list = sorted ? metrics : [...metrics].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  let finite = 0;
  for (const m of list) if (Number.isFinite(m.value)) finite++;
  const steps = new Float64Array(finite);
  const times = new Float64Array(finite);
  const values = new Float64Array(finite);
  let n = 0;
  for (const m of list) {
    if (!Number.isFinite(m.value)) continue;
    steps[n] = m.step;
    times[n] = m.timestamp;
    values[n] = m.value;
    n++;
  }
  return { steps, times, values, nonFinite: list.length - finite };
}

/** The same from columns (a store that reads into typed arrays); the arrays are used as they are when all values are finite. */
export function seriesFromColumns(columns: MetricColumns): MetricSeries {
  const { steps, timestamps, values } = columns;
  let finite = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite++;
  if (finite === values.length) return { steps, times: timestamps, values, nonFinite: 0 };
  const keep = (a: Float64Array) => a.filter((_, i) => Number.isFinite(values[i]));
  return { steps: keep(steps), times: keep(timestamps), values: keep(values), nonFinite: values.length - finite };
}

/**
 * The series with points appended (a running run logged more): the new points' arrays are
 * added at the end, or merged in by step when some come before the last step held (among
 * equal steps, the points held first). The axis caches are not carried over.
 */
export function appendColumns(series: MetricSeries, columns: MetricColumns): MetricSeries {
  const added = seriesFromColumns(columns);
  const n = series.steps.length;
  const m = added.steps.length;
  if (m === 0) return added.nonFinite ? { ...series, byAxis: undefined, nonFinite: series.nonFinite + added.nonFinite } : series;
  const steps = new Float64Array(n + m);
  const times = new Float64Array(n + m);
  const values = new Float64Array(n + m);
  if (n === 0 || added.steps[0] >= series.steps[n - 1]) {
    steps.set(series.steps);
    steps.set(added.steps, n);
    times.set(series.times);
    times.set(added.times, n);
    values.set(series.values);
    values.set(added.values, n);
  } else {
    let i = 0;
    let j = 0;
    for (let k = 0; k < n + m; k++) {
      const fromOld = j >= m || (i < n && series.steps[i] <= added.steps[j]);
      const source = fromOld ? series : added;
      const at = fromOld ? i++ : j++;
      steps[k] = source.steps[at];
      times[k] = source.times[at];
      values[k] = source.values[at];
    }
  }
  return { steps, times, values, nonFinite: series.nonFinite + added.nonFinite };
}

/**
 * The series along an x axis: steps; wall time in seconds; or seconds since the run started
 * (`startTime` in ms, else the first point).
 */
export function alongAxis(series: MetricSeries, axis: XAxis, startTime: number | undefined): { x: Float64Array; y: Float64Array } {
  series.byAxis ??= {};
  let offset = 0;
  if (axis === 'relative') {
    offset = startTime ?? Infinity;
    if (startTime === undefined) for (const t of series.times) offset = Math.min(offset, t);
    if (!Number.isFinite(offset)) offset = 0;
  }
  const cached = series.byAxis[axis];
  if (cached && cached.offset === offset) return cached;
  let result: { x: Float64Array; y: Float64Array; offset: number };
  if (axis === 'step') {
    result = { x: series.steps, y: series.values, offset };
  } else {
    const n = series.times.length;
    let ascending = true;
    for (let i = 1; i < n && ascending; i++) ascending = series.times[i - 1] <= series.times[i];
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    if (ascending) {
      for (let i = 0; i < n; i++) x[i] = (series.times[i] - offset) / 1000;
      y.set(series.values);
    } else {
      const order = Uint32Array.from(series.times.keys()).sort((a, b) => series.times[a] - series.times[b]);
      for (let i = 0; i < n; i++) {
        x[i] = (series.times[order[i]] - offset) / 1000;
        y[i] = series.values[order[i]];
      }
    }
    result = { x, y, offset };
  }
  series.byAxis[axis] = result;
  return result;
}

export interface ShownRun {
  runId: string;
  startTime?: number;
  series: MetricSeries;
  /** For grouping by a param or tag. */
  params?: readonly (readonly [string, string])[];
  tags?: readonly (readonly [string, string])[];
}

/** The filled slots of a dense bucketed series: what crosses to the page. */
export function compact(y: Float64Array): { slots: Uint32Array; y: Float64Array } {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i])) n++;
  const out = { slots: new Uint32Array(n), y: new Float64Array(n) };
  let k = 0;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i])) continue;
    out.slots[k] = i;
    out.y[k] = y[i];
    k++;
  }
  return out;
}

const MIN_COLUMNS = 16;
const MAX_COLUMNS = 4096;

/**
 * Each series' last slice, with what it was bucketed for. A series object is replaced when points
 * are appended to it (`appendColumns`) and its arrays are never changed in place, so when a live run
 * logs more, a chart asked again re-buckets only that run; the others' slices are reused as they are.
 */
const lastSlices = new WeakMap<MetricSeries, { key: string; slice: SeriesSlice; kept: number }>();

function bucketRun(run: ShownRun, x: Float64Array, y: Float64Array, grid: SlotGrid, request: SeriesRequest): { slice: SeriesSlice; kept: number } {
  const key = JSON.stringify([run.runId, request.xAxis, run.startTime ?? null, grid.lo, grid.hi, grid.columns, request.smoothing]);
  const last = lastSlices.get(run.series);
  if (last?.key === key) return last;
  const bucketed = bucketSeries(x, y, grid);
  const slice: SeriesSlice = { runId: run.runId, ...compact(bucketed.y), inRange: bucketed.inRange, nonFinite: run.series.nonFinite };
  if (request.smoothing > 0) {
    const { slots, y: smoothY } = compact(bucketSeries(x, debiasedEma(y, Math.min(request.smoothing, 0.999)), grid).y);
    slice.smooth = { slots, y: smoothY };
  }
  const entry = { key, slice, kept: bucketed.kept };
  lastSlices.set(run.series, entry);
  return entry;
}

/** The `series` message for one chart: every shown run bucketed on the chart's columns. */
export function answerSeriesRequest(request: SeriesRequest, runs: readonly ShownRun[]): Extract<HostToCharts, { type: 'series' }> {
  const hidden = new Set(request.hiddenRuns);
  const along = runs.map((run) => ({ run, ...alongAxis(run.series, request.xAxis, run.startTime) }));
  const visible = along.filter((a) => !hidden.has(a.run.runId));
  let lo = Infinity;
  let hi = -Infinity;
  if (request.range) [lo, hi] = request.range;
  else {
    for (const { x } of visible.length ? visible : along) {
      if (x.length === 0) continue;
      lo = Math.min(lo, x[0]);
      hi = Math.max(hi, x[x.length - 1]);
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  } else if (hi <= lo) {
    // One point (or one step): a range around it, so it shows in the middle.
    lo -= 0.5;
    hi += 0.5;
  }
  const columns = Math.max(MIN_COLUMNS, Math.min(MAX_COLUMNS, Math.round(request.columns)));
  const grid: SlotGrid = { lo, hi, columns };
  const slices: SeriesSlice[] = [];
  let total = 0;
  let drawn = 0;
  const stats: RangeStatsRow[] = [];
  const groupKey = parseGroupBy(request.groupBy);
  const groups = groupKey ? answerGroups(visible, grid, groupKey, request.smoothing) : undefined;
  for (const { run, x, y } of along) {
    // Hidden runs cost nothing: the page asks again when one is shown.
    if (hidden.has(run.runId)) continue;
    if (groups) {
      total += upperBound(x, hi) - lowerBound(x, lo);
      if (request.withStats) {
        const s = rangeStats(x, y, lo, hi);
        if (s) stats.push({ runId: run.runId, ...s });
      }
      continue;
    }
    const { slice, kept } = bucketRun(run, x, y, grid, request);
    slices.push(slice);
    total += slice.inRange;
    drawn += kept;
    if (request.withStats) {
      const s = rangeStats(x, y, lo, hi);
      if (s) stats.push({ runId: run.runId, ...s });
    }
  }
  const message: Extract<HostToCharts, { type: 'series' }> = {
    type: 'series',
    requestId: request.requestId,
    metric: request.metric,
    xAxis: request.xAxis,
    range: [lo, hi],
    zoomed: request.range !== null,
    slots: slotPositions(grid),
    runs: slices,
    total,
    drawn,
  };
  if (groups) {
    message.groups = groups;
    message.drawn = groups.reduce((n, g) => n + g.slots.length, 0);
  }
  if (request.ignoreOutliers) message.clip = outlierRange(visible.map((v) => v.y));
  if (request.withStats) message.stats = stats;
  return message;
}

/**
 * One mean line and min–max band per group. With smoothing, each run's points are smoothed as
 * its own line would be, and the group's smoothed mean is the mean of those at each column: the
 * EMA is linear, so for runs logged at the same steps that is exactly the EMA of the mean line.
 * The band stays the raw min and max, so no raw value is hidden behind the smoothing.
 */
function answerGroups(visible: readonly { run: ShownRun; x: Float64Array; y: Float64Array }[], grid: SlotGrid, by: GroupKey, smoothing: number): GroupSlice[] {
  const groupable = visible.map((v) => ({ ...v, runId: v.run.runId, params: v.run.params ?? [], tags: v.run.tags ?? [] }));
  const weight = Math.min(smoothing, 0.999);
  return groupRuns(groupable, by).map(({ label, runs }) => {
    const aggregate = aggregateColumns(
      runs.map((r) => columnValues(r.x, r.y, grid)),
      grid.columns,
    );
    const group: GroupSlice = {
      label,
      runIds: runs.map((r) => r.runId),
      color: runColorHex(`${by.kind}:${by.key}=${label}`),
      slots: aggregate.columns.map(groupSlot),
      mean: aggregate.mean,
      min: aggregate.min,
      max: aggregate.max,
    };
    if (weight > 0) {
      // The same columns count (a run's smoothed line has its points where its raw line has them).
      const smoothed = aggregateColumns(
        runs.map((r) => columnValues(r.x, debiasedEma(r.y, weight), grid)),
        grid.columns,
      );
      group.smoothMean = smoothed.mean;
    }
    return group;
  });
}
