// Binary searches over sorted numbers, shared by the charts (bucketing) and the language server (line and chunk lookup).

/** Index of the first element of sorted `xs` that is >= value. */
export function lowerBound(xs: ArrayLike<number>, value: number, from = 0, to = xs.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of sorted `xs` that is > value. */
export function upperBound(xs: ArrayLike<number>, value: number, from = 0, to = xs.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
