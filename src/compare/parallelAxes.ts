/**
 * Parallel coordinates without a canvas: each axis maps every run to a vertical position
 * in [0, 1] (1 at the top). Numeric axes are scaled between their min and max (linearly,
 * or by the logarithm, where zero and negative values get a tick of their own), text
 * axes hold ordered categories, and runs without a value sit on a "missing" tick of
 * their own below the rest. Brushes keep a position range per axis; a run is kept when
 * every brushed axis keeps it. Plain module, no `vscode`: the sweep webview draws it.
 */
import { toNumber } from './rows';

/** A run's value for an axis; null and undefined are both "no value". */
export type SweepValue = string | number | null | undefined;

export interface SweepRun {
  runId: string;
  name: string;
  /** Keyed like MLflow's search language: `params.lr`, `metrics.loss`. */
  values: Readonly<Record<string, SweepValue>>;
}

export interface AxisTick {
  position: number;
  label: string;
}

interface AxisBase {
  key: string;
  /** One per run, in run order: 0 (bottom) to 1 (top); `MISSING_POSITION` for no value. */
  positions: Float32Array;
  ticks: AxisTick[];
  missingCount: number;
}

export type AxisScale = 'linear' | 'log';

export interface NumericAxis extends AxisBase {
  kind: 'numeric';
  scale: AxisScale;
  /** The smallest and largest value placed on the scale (on a log scale: the positive ones). */
  min: number;
  max: number;
  /** On a log scale, runs whose value is zero or negative: on a tick of their own, `NON_POSITIVE_POSITION`. */
  nonPositiveCount: number;
}

export interface CategoricalAxis extends AxisBase {
  kind: 'categorical';
  /** In display order, bottom to top. */
  categories: string[];
}

export type Axis = NumericAxis | CategoricalAxis;

/** Where a run without a value sits; present values start above `VALUE_BOTTOM`. */
export const MISSING_POSITION = 0;
export const VALUE_BOTTOM = 0.1;
export const MISSING_LABEL = '(missing)';
/** On a log scale, where zero and negative values sit: between "missing" and the values. */
export const NON_POSITIVE_POSITION = 0.05;
export const NON_POSITIVE_LABEL = '(≤ 0)';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'variant' });

/**
 * One axis over the runs' values of `key`. Numeric when every present value is a finite
 * number or numeric text (params are strings: `"0.01"`); NaN and infinities count as
 * missing there. Otherwise categorical, categories in natural order.
 */
export function buildAxis(runs: readonly SweepRun[], key: string): Axis {
  return buildAxisFromColumn(
    key,
    runs.map((r) => r.values[key]),
  );
}

/**
 * The same from one column of values, in run order (the sweep page holds its data as columns).
 * `scale` applies to numeric columns: on a log scale values are placed by their logarithm,
 * and zero or negative values, which have none, sit on a tick of their own.
 */
export function buildAxisFromColumn(key: string, raw: readonly SweepValue[], scale: AxisScale = 'linear'): Axis {
  const runCount = raw.length;
  const numbers = new Float64Array(runCount);
  let numeric = true;
  let min = Infinity;
  let max = -Infinity;
  let missingCount = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i] ?? undefined;
    const n = v === undefined ? undefined : typeof v === 'number' ? v : toNumber(v);
    if (v === undefined || (n !== undefined && !Number.isFinite(n))) {
      numbers[i] = NaN;
      continue;
    }
    if (n === undefined) {
      numeric = false;
      break;
    }
    numbers[i] = n;
    if (n < min) min = n;
    if (n > max) max = n;
  }
  const positions = new Float32Array(runCount);
  if (numeric && scale === 'log') return logAxis(key, numbers, positions);
  if (numeric) {
    const span = max - min;
    for (let i = 0; i < numbers.length; i++) {
      const n = numbers[i];
      if (Number.isNaN(n)) {
        positions[i] = MISSING_POSITION;
        missingCount++;
      } else {
        positions[i] = span > 0 ? VALUE_BOTTOM + ((n - min) / span) * (1 - VALUE_BOTTOM) : (1 + VALUE_BOTTOM) / 2;
      }
    }
    const hasValues = min <= max;
    const ticks = hasValues ? numericTicks(min, max) : [];
    if (missingCount > 0) ticks.unshift({ position: MISSING_POSITION, label: MISSING_LABEL });
    return {
      kind: 'numeric',
      scale: 'linear',
      key,
      positions,
      ticks,
      missingCount,
      min: hasValues ? min : NaN,
      max: hasValues ? max : NaN,
      nonPositiveCount: 0,
    };
  }
  // One pass over the runs: each run's category numbered in order of first appearance;
  // then the few categories are sorted and each number gets its position.
  const numbering = new Map<string, number>();
  const firstSeen: string[] = [];
  const codes = new Int32Array(runCount);
  for (let i = 0; i < runCount; i++) {
    const v = raw[i];
    if (v === undefined || v === null) {
      codes[i] = -1;
      missingCount++;
      continue;
    }
    const text = typeof v === 'string' ? v : String(v);
    let code = numbering.get(text);
    if (code === undefined) {
      code = firstSeen.length;
      numbering.set(text, code);
      firstSeen.push(text);
    }
    codes[i] = code;
  }
  const categories = [...firstSeen].sort(collator.compare);
  const step = categories.length > 1 ? (1 - VALUE_BOTTOM) / (categories.length - 1) : 0;
  const categoryPosition = (i: number) => (categories.length > 1 ? VALUE_BOTTOM + i * step : (1 + VALUE_BOTTOM) / 2);
  const codePositions = new Float32Array(firstSeen.length);
  categories.forEach((category, i) => (codePositions[numbering.get(category)!] = categoryPosition(i)));
  for (let i = 0; i < runCount; i++) positions[i] = codes[i] < 0 ? MISSING_POSITION : codePositions[codes[i]];
  const ticks = categories.map((label, i) => ({ position: categoryPosition(i), label }));
  if (missingCount > 0) ticks.unshift({ position: MISSING_POSITION, label: MISSING_LABEL });
  return { kind: 'categorical', key, positions, ticks, missingCount, categories };
}

export function buildAxes(runs: readonly SweepRun[], keys: readonly string[]): Axis[] {
  return keys.map((key) => buildAxis(runs, key));
}

/** About five round tick values (1, 2, 2.5, 5 × 10^k steps) between min and max, positioned like the values. */
function numericTicks(min: number, max: number): AxisTick[] {
  const span = max - min;
  if (span === 0) return [{ position: (1 + VALUE_BOTTOM) / 2, label: formatTick(min) }];
  const rough = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: AxisTick[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    const value = Math.abs(v) < step * 1e-9 ? 0 : v;
    ticks.push({ position: VALUE_BOTTOM + ((value - min) / span) * (1 - VALUE_BOTTOM), label: formatTick(value) });
  }
  return ticks;
}

function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(6)));
}

/** A numeric axis on a log scale; `numbers` holds NaN for missing values. */
function logAxis(key: string, numbers: Float64Array, positions: Float32Array): NumericAxis {
  let min = Infinity;
  let max = -Infinity;
  for (const n of numbers) {
    if (n > 0) {
      if (n < min) min = n;
      if (n > max) max = n;
    }
  }
  const [low, high] = [Math.log10(min), Math.log10(max)];
  const span = high - low;
  const place = (logValue: number) => (span > 0 ? VALUE_BOTTOM + ((logValue - low) / span) * (1 - VALUE_BOTTOM) : (1 + VALUE_BOTTOM) / 2);
  let missingCount = 0;
  let nonPositiveCount = 0;
  for (let i = 0; i < numbers.length; i++) {
    const n = numbers[i];
    if (Number.isNaN(n)) {
      positions[i] = MISSING_POSITION;
      missingCount++;
    } else if (n <= 0) {
      positions[i] = NON_POSITIVE_POSITION;
      nonPositiveCount++;
    } else {
      positions[i] = place(Math.log10(n));
    }
  }
  const hasValues = min <= max;
  const ticks: AxisTick[] = [];
  if (hasValues) {
    // Powers of ten inside the range; the ends as well when the range spans less than two of them.
    for (let e = Math.ceil(low - 1e-9); e <= high + 1e-9; e++) ticks.push({ position: place(e), label: formatTick(10 ** e) });
    if (ticks.length < 2) {
      ticks.length = 0;
      ticks.push({ position: place(low), label: formatTick(min) });
      if (span > 0) ticks.push({ position: place(high), label: formatTick(max) });
    }
  }
  if (nonPositiveCount > 0) ticks.unshift({ position: NON_POSITIVE_POSITION, label: NON_POSITIVE_LABEL });
  if (missingCount > 0) ticks.unshift({ position: MISSING_POSITION, label: MISSING_LABEL });
  return { kind: 'numeric', scale: 'log', key, positions, ticks, missingCount, nonPositiveCount, min: hasValues ? min : NaN, max: hasValues ? max : NaN };
}

/** A kept range on one axis, in positions (0 bottom, 1 top); `low` ≤ `high`. */
export interface Brush {
  axis: number;
  low: number;
  high: number;
}

/**
 * Marks kept runs in `kept` (1 kept, 0 filtered out) and returns how many are kept. Axes
 * without a brush keep everything. Writes into the caller's array so a drag allocates nothing.
 */
export function applyBrushes(axes: readonly Axis[], brushes: readonly Brush[], kept: Uint8Array): number {
  const runCount = kept.length;
  kept.fill(1);
  if (brushes.length === 0) return runCount;
  let count = runCount;
  for (const brush of brushes) {
    const positions = axes[brush.axis]?.positions;
    if (!positions) continue;
    const { low, high } = brush;
    for (let i = 0; i < runCount; i++) {
      if (kept[i] === 0) continue;
      const p = positions[i];
      if (p < low || p > high) {
        kept[i] = 0;
        count--;
      }
    }
  }
  return count;
}

/** The categories (or the value range) a brush keeps, for the label beside it. */
export function describeBrush(axis: Axis, brush: Brush): string {
  const keptTicks = axis.ticks.filter((t) => t.position >= brush.low && t.position <= brush.high);
  if (axis.kind === 'categorical') return keptTicks.map((t) => t.label).join(', ');
  const fraction = (p: number) => (Math.max(p, VALUE_BOTTOM) - VALUE_BOTTOM) / (1 - VALUE_BOTTOM);
  const toValue = (p: number) =>
    axis.scale === 'log'
      ? 10 ** (Math.log10(axis.min) + fraction(p) * (Math.log10(axis.max) - Math.log10(axis.min)))
      : axis.min + fraction(p) * (axis.max - axis.min);
  const parts: string[] = [];
  if (brush.low <= MISSING_POSITION && axis.missingCount > 0) parts.push(MISSING_LABEL);
  if (brush.low <= NON_POSITIVE_POSITION && brush.high >= NON_POSITIVE_POSITION && axis.nonPositiveCount > 0) parts.push(NON_POSITIVE_LABEL);
  if (brush.high >= VALUE_BOTTOM && axis.min <= axis.max) parts.push(`${formatTick(toValue(brush.low))} – ${formatTick(toValue(brush.high))}`);
  return parts.join(', ');
}
