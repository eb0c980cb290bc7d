import * as assert from 'node:assert/strict';
import { bucketSeries, SLOTS_PER_COLUMN, slotPositions, type SlotGrid } from '../../src/charts/bucketing';
import { seededRandom } from '../helpers/seededRandom';

function randomSeries(random: () => number, n: number, sparse: boolean): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let x = Math.floor(random() * 10);
  for (let i = 0; i < n; i++) {
    // Steps repeat sometimes (a metric logged twice at one step) and jump sometimes.
    x += sparse ? Math.floor(random() * 50) : random() < 0.1 ? 0 : 1;
    xs[i] = x;
    ys[i] = random() < 0.01 ? (random() - 0.5) * 1e6 : Math.sin(i / 30) + random();
  }
  return { xs, ys };
}

describe('Per-pixel-column bucketing', () => {
  it('keeps, in every column, the first, last, lowest and highest raw point, and nothing that is not a raw point', () => {
    const random = seededRandom(15);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(random() * 3000);
      const { xs, ys } = randomSeries(random, n, random() < 0.3);
      const first = xs[0];
      const last = xs[n - 1];
      const zoom = random() < 0.5;
      const lo = zoom ? first + (last - first) * random() * 0.5 : first;
      const hi = zoom ? lo + (last - lo) * (0.05 + random() * 0.9) : last;
      const grid: SlotGrid = { lo, hi: hi > lo ? hi : lo + 1, columns: 1 + Math.floor(random() * 400) };
      const out = bucketSeries(xs, ys, grid);
      const scale = grid.columns / (grid.hi - grid.lo);
      const raw = new Map<number, number[]>();
      let inRange = 0;
      for (let i = 0; i < n; i++) {
        if (xs[i] < grid.lo || xs[i] > grid.hi) continue;
        inRange++;
        const column = Math.min(grid.columns - 1, Math.floor((xs[i] - grid.lo) * scale));
        if (!raw.has(column)) raw.set(column, []);
        raw.get(column)!.push(i);
      }
      assert.equal(out.inRange, inRange);
      let kept = 0;
      for (const [column, indices] of raw) {
        const slots: { x: number; y: number }[] = [];
        for (let k = 0; k < SLOTS_PER_COLUMN; k++) {
          const s = 1 + column * SLOTS_PER_COLUMN + k;
          if (!Number.isNaN(out.y[s])) slots.push({ x: out.x[s], y: out.y[s] });
        }
        kept += slots.length;
        const values = indices.map((i) => ys[i]);
        const ys0 = slots.map((s) => s.y);
        assert.ok(ys0.includes(Math.min(...values)), `trial ${trial}: column ${column} lost its minimum`);
        assert.ok(ys0.includes(Math.max(...values)), `trial ${trial}: column ${column} lost its maximum`);
        assert.deepEqual(slots[0], { x: xs[indices[0]], y: ys[indices[0]] }, `trial ${trial}: column ${column} lost its first point`);
        const lastIndex = indices[indices.length - 1];
        assert.deepEqual(slots[slots.length - 1], { x: xs[lastIndex], y: ys[lastIndex] }, `trial ${trial}: column ${column} lost its last point`);
        for (const s of slots)
          assert.ok(
            indices.some((i) => xs[i] === s.x && ys[i] === s.y),
            `trial ${trial}: a kept point is not a raw point`,
          );
        for (let k = 1; k < slots.length; k++) assert.ok(slots[k - 1].x <= slots[k].x, 'kept points stay in order');
      }
      assert.equal(out.kept, kept);
      assert.ok(kept <= grid.columns * SLOTS_PER_COLUMN);
    }
  });

  it('keeps a single one-point spike among 1,000,000 points on 800 columns', () => {
    const n = 1_000_000;
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const ys = new Float64Array(n).fill(1);
    ys[654_321] = 1000;
    const out = bucketSeries(xs, ys, { lo: 0, hi: n - 1, columns: 800 });
    assert.ok(out.y.includes(1000));
    assert.equal(out.inRange, n);
    assert.ok(out.kept <= 800 * 4);
  });

  it('draws the line through the edges of a zoomed range, where no point lies', () => {
    const xs = Float64Array.from([0, 10, 20]);
    const ys = Float64Array.from([0, 100, 0]);
    const out = bucketSeries(xs, ys, { lo: 2, hi: 8, columns: 10 });
    assert.equal(out.inRange, 0);
    assert.equal(out.y[0], 20);
    assert.equal(out.y[out.y.length - 1], 80);
    assert.ok(Number.isNaN(out.x[0]), 'an edge value is not a real point');
    const slots = slotPositions({ lo: 2, hi: 8, columns: 10 });
    assert.equal(slots[0], 2);
    assert.equal(slots[slots.length - 1], 8);
    for (let i = 1; i < slots.length; i++) assert.ok(slots[i] > slots[i - 1]);
  });
});
