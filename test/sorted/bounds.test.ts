import * as assert from 'node:assert/strict';
import { lowerBound, upperBound } from '../../src/sorted/bounds';

// Checked against a linear scan over sorted arrays with repeats, gaps and the ends, typed and plain.
describe('sorted bounds', () => {
  const linearLower = (xs: ArrayLike<number>, v: number, from: number, to: number) => {
    let i = from;
    while (i < to && xs[i] < v) i++;
    return i;
  };
  const linearUpper = (xs: ArrayLike<number>, v: number, from: number, to: number) => {
    let i = from;
    while (i < to && xs[i] <= v) i++;
    return i;
  };

  it('agree with a linear scan for every value around every element and range', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 200; trial++) {
      const n = Math.floor(random() * 12);
      const plain = Array.from({ length: n }, () => Math.floor(random() * 6)).sort((a, b) => a - b);
      for (const xs of [plain, Float64Array.from(plain), Uint32Array.from(plain)]) {
        const from = Math.floor(random() * (n + 1));
        const to = from + Math.floor(random() * (n - from + 1));
        for (let v = -1; v <= 7; v += 0.5) {
          assert.equal(lowerBound(xs, v, from, to), linearLower(xs, v, from, to), `lower ${v} in [${plain}] ${from}..${to}`);
          assert.equal(upperBound(xs, v, from, to), linearUpper(xs, v, from, to), `upper ${v} in [${plain}] ${from}..${to}`);
        }
        assert.equal(lowerBound(xs, 3), linearLower(xs, 3, 0, n));
        assert.equal(upperBound(xs, 3), linearUpper(xs, 3, 0, n));
      }
    }
  });

  it('an empty array gives its start', () => {
    assert.equal(lowerBound([], 1), 0);
    assert.equal(upperBound(new Float64Array(0), 1), 0);
  });
});
