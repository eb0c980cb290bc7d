/**
 * "Ignore outliers" clips the y axis to the 5th–95th percentile of the values; unlike the
 * MLflow UI it never removes a point (the clipped ones run off the chart's edge).
 */

/** Linear-interpolated percentile (as numpy's default) of the finite values, p in [0, 1]. */
function percentileOfSorted(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The [5th, 95th] percentile range over every series, or undefined when there is no finite value. */
export function outlierRange(series: readonly ArrayLike<number>[], low = 0.05, high = 0.95): [number, number] | undefined {
  let total = 0;
  for (const s of series) total += s.length;
  const values = new Float64Array(total);
  let n = 0;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (Number.isFinite(v)) values[n++] = v;
    }
  }
  if (n === 0) return undefined;
  const sorted = values.subarray(0, n).sort();
  return [percentileOfSorted(sorted, low), percentileOfSorted(sorted, high)];
}
