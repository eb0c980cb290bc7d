/**
 * Downsampling that never hides a spike: the x range is cut into one bucket per pixel
 * column, and of the points in each bucket only the first, the last, the lowest and the
 * highest are kept, in their original order (the M4 rule). Drawn as a line, that is
 * exactly what drawing every point would put on those pixels.
 *
 * Several runs share one slot grid (4 slots per column), so a chart library that wants
 * one x array for all series (uPlot) gets it: slot `4c + k` holds the k-th kept point of
 * column c, and NaN where a run has none.
 */

import { lowerBound, upperBound } from '../sorted/bounds';

export interface SlotGrid {
  /** The shown x range. */
  lo: number;
  hi: number;
  columns: number;
}

export const SLOTS_PER_COLUMN = 4;

/** Slots of a grid: one edge slot at `lo`, four per column, one edge slot at `hi`. */
export function slotCount(grid: SlotGrid): number {
  return grid.columns * SLOTS_PER_COLUMN + 2;
}

/** The x of each slot: the edges exactly, a column's four slots a fifth of a column apart inside it. */
export function slotPositions(grid: SlotGrid): Float64Array {
  const n = slotCount(grid);
  const out = new Float64Array(n);
  const width = (grid.hi - grid.lo) / grid.columns;
  out[0] = grid.lo;
  for (let c = 0; c < grid.columns; c++) {
    for (let k = 0; k < SLOTS_PER_COLUMN; k++) out[1 + c * SLOTS_PER_COLUMN + k] = grid.lo + (c + (k + 1) / (SLOTS_PER_COLUMN + 1)) * width;
  }
  out[n - 1] = grid.hi;
  return out;
}

export interface BucketedSeries {
  /** Per slot, the kept point's value; NaN where the run has none. */
  y: Float64Array;
  /**
   * Per slot, the kept point's real x (for tooltips and tables); NaN where none, and at
   * the edge slots, whose values are the line between the points either side of the edge.
   */
  x: Float64Array;
  /** Points of the series inside [lo, hi] (what drawing everything would draw). */
  inRange: number;
  /** Real points put into slots (at most 4 per column). */
  kept: number;
}

/**
 * Buckets one series (x ascending, y finite) onto `grid`. Where the series goes on past
 * an edge of the range, the edge slot gets the value of the line at that edge, so a
 * zoomed chart draws exactly the segments the full data would.
 */
export function bucketSeries(xs: Float64Array, ys: Float64Array, grid: SlotGrid): BucketedSeries {
  const { lo, hi, columns } = grid;
  const n = slotCount(grid);
  const y = new Float64Array(n).fill(NaN);
  const x = new Float64Array(n).fill(NaN);
  const start = lowerBound(xs, lo);
  const end = upperBound(xs, hi, start);
  const inRange = end - start;
  let kept = 0;
  const span = hi - lo;
  const scale = span > 0 ? columns / span : 0;
  const interpolate = (a: number, b: number, at: number) => (xs[b] === xs[a] ? ys[b] : ys[a] + ((ys[b] - ys[a]) * (at - xs[a])) / (xs[b] - xs[a]));

  if (start > 0 && start < xs.length) y[0] = interpolate(start - 1, start, lo);
  if (end > 0 && end < xs.length) y[n - 1] = interpolate(end - 1, end, hi);

  // One pass with everything inline (no closure, no array per column): a panel's first answer runs
  // before the JIT has optimised this, and a million points go through it.
  const last = columns - 1;
  let i = start;
  while (i < end) {
    let column = Math.floor((xs[i] - lo) * scale);
    if (column > last) column = last;
    else if (column < 0) column = 0;
    let minI = i;
    let maxI = i;
    let minV = ys[i];
    let maxV = minV;
    let j = i + 1;
    for (; j < end; j++) {
      let c = Math.floor((xs[j] - lo) * scale);
      if (c > last) c = last;
      else if (c < 0) c = 0;
      if (c !== column) break;
      const v = ys[j];
      if (v < minV) {
        minV = v;
        minI = j;
      } else if (v > maxV) {
        maxV = v;
        maxI = j;
      }
    }
    // The first, the lowest, the highest and the last point, in their order, each once.
    const a = minI < maxI ? minI : maxI;
    const b = minI < maxI ? maxI : minI;
    let slot = 1 + column * SLOTS_PER_COLUMN;
    y[slot] = ys[i];
    x[slot] = xs[i];
    slot++;
    kept++;
    if (a !== i) {
      y[slot] = ys[a];
      x[slot] = xs[a];
      slot++;
      kept++;
    }
    if (b !== a) {
      y[slot] = ys[b];
      x[slot] = xs[b];
      slot++;
      kept++;
    }
    if (j - 1 !== b) {
      y[slot] = ys[j - 1];
      x[slot] = xs[j - 1];
      kept++;
    }
    i = j;
  }
  return { y, x, inRange, kept };
}
