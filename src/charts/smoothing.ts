/**
 * Smoothing as TensorBoard draws it (`vz_line_chart2/line-chart.ts`, `resmoothDataset`)
 * and MLflow's metric charts copy: an exponential moving average started at 0 and
 * debiased by 1 - weight^n, so the first points are not pulled towards zero. Non-finite
 * values pass through unsmoothed and do not count; a constant series stays as it is.
 */
export function debiasedEma(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  if (values.length === 0) return out;
  let constant = true;
  for (let i = 1; i < values.length && constant; i++) constant = values[i] === values[0];
  let last = 0;
  let accumulated = 0;
  for (let i = 0; i < values.length; i++) {
    const next = values[i];
    if (constant || !Number.isFinite(next) || weight <= 0) {
      out[i] = next;
      continue;
    }
    last = last * weight + (1 - weight) * next;
    accumulated++;
    const debias = weight === 1 ? 1 : 1 - Math.pow(weight, accumulated);
    out[i] = last / debias;
  }
  return out;
}
