import * as assert from 'node:assert/strict';
import { debiasedEma } from '../../src/charts/smoothing';

describe('Debiased EMA smoothing (TensorBoard / MLflow)', () => {
  it('equals the hand-computed reference', () => {
    // weight 0.5: last = 0.5·last + 0.5·v, divided by 1 − 0.5^n.
    // v=1: last 0.5 → 0.5/0.5 = 1; v=2: last 1.25 → 1.25/0.75; v=3: last 2.125 → 2.125/0.875; v=10: last 6.0625 → 6.0625/0.9375.
    const out = debiasedEma([1, 2, 3, 10], 0.5);
    const expected = [1, 1.25 / 0.75, 2.125 / 0.875, 6.0625 / 0.9375];
    expected.forEach((e, i) => assert.ok(Math.abs(out[i] - e) < 1e-12, `point ${i}: ${out[i]} vs ${e}`));
  });

  it('starts at the first value (no pull towards zero), passes non-finite values through and leaves a constant series alone', () => {
    assert.equal(debiasedEma([5, 7], 0.9)[0], 5);
    const withNaN = debiasedEma([1, NaN, 3], 0.5);
    assert.ok(Number.isNaN(withNaN[1]));
    // NaN does not count: the third point is the second accumulated one.
    assert.ok(Math.abs(withNaN[2] - (0.25 + 1.5) / 0.75) < 1e-12);
    assert.deepEqual(Array.from(debiasedEma([2, 2, 2], 0.6)), [2, 2, 2]);
    assert.deepEqual(Array.from(debiasedEma([1, 4, 2], 0)), [1, 4, 2]);
  });
});
