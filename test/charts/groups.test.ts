import * as assert from 'node:assert/strict';
import { aggregateColumns, columnValues, groupRuns, NO_VALUE, parseGroupBy } from '../../src/charts/groups';
import { answerSeriesRequest, seriesFromColumns } from '../../src/charts/series';
import { debiasedEma } from '../../src/charts/smoothing';
import type { SeriesRequest } from '../../src/protocol/chartsPanel';

const f64 = (xs: number[]) => Float64Array.from(xs);
const near = (actual: ArrayLike<number>, expected: number[]) => {
  assert.equal(actual.length, expected.length, `${Array.from(actual)} vs ${expected}`);
  expected.forEach((e, i) => assert.ok(Object.is(actual[i], e) || Math.abs(actual[i] - e) < 1e-9, `at ${i}: ${actual[i]} vs ${e}`));
};

/** Points at steps 0, 1, 2, … one second apart. */
const series = (values: number[]) =>
  seriesFromColumns({ steps: f64(values.map((_, i) => i)), timestamps: f64(values.map((_, i) => 1000 * i)), values: f64(values) });

/** A request for a 16-column chart of `loss`, grouped by the param `lr`. */
const groupedRequest = (patch: Partial<SeriesRequest>): SeriesRequest => ({
  type: 'requestSeries',
  requestId: 1,
  metric: 'loss',
  xAxis: 'step',
  range: null,
  columns: 16,
  smoothing: 0,
  ignoreOutliers: false,
  withStats: false,
  hiddenRuns: [],
  groupBy: 'param:lr',
  ...patch,
});

describe('Grouping runs by a param or tag', () => {
  it('reads param:<key> and tag:<key> (keys may hold colons), and nothing else', () => {
    assert.deepEqual(parseGroupBy('param:lr'), { kind: 'param', key: 'lr' });
    assert.deepEqual(parseGroupBy('tag:a:b'), { kind: 'tag', key: 'a:b' });
    assert.equal(parseGroupBy(''), undefined);
    assert.equal(parseGroupBy(undefined), undefined);
    assert.equal(parseGroupBy('metric:loss'), undefined);
  });

  it('groups by value, numbers in numeric order, runs without the key last as "(none)"', () => {
    const run = (runId: string, lr?: string) => ({ runId, params: lr === undefined ? [] : [['lr', lr] as const], tags: [] });
    const groups = groupRuns([run('a', '0.1'), run('b', '0.01'), run('c'), run('d', '0.1'), run('e', '1e-3')], { kind: 'param', key: 'lr' });
    assert.deepEqual(
      groups.map((g) => [g.label, g.runs.map((r) => r.runId)]),
      [
        ['1e-3', ['e']],
        ['0.01', ['b']],
        ['0.1', ['a', 'd']],
        [NO_VALUE, ['c']],
      ],
    );
  });
});

describe('Aligning runs logged at different steps', () => {
  // 10 columns over [0, 10): column c covers [c, c + 1); its x is c + 0.4.
  const grid = { lo: 0, hi: 10, columns: 10 };

  it('a run counts with the mean of its points in a column', () => {
    const values = columnValues(f64([0, 0.5, 1, 1.2, 1.8]), f64([1, 3, 10, 20, 30]), grid);
    near(values.subarray(0, 2), [2, 20]);
  });

  it('between two of its points, with the line between them at the column x; outside its span, not at all', () => {
    // A run logged every 4 steps, from step 2 to 10.
    const values = columnValues(f64([2, 6, 10]), f64([0, 4, 8]), grid);
    assert.ok(Number.isNaN(values[0]) && Number.isNaN(values[1]), 'before its first point it does not count');
    near(values.subarray(2, 10), [0, 1.4, 2.4, 3.4, 4, 5.4, 6.4, 8]); // the last column holds its right edge, step 10
  });

  it('the group is the mean, min and max over the runs that count in each column', () => {
    const everyStep = columnValues(f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), f64([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]), grid);
    const sparse = columnValues(f64([4, 8]), f64([0, 4]), grid);
    const group = aggregateColumns([everyStep, sparse], 10);
    assert.deepEqual(Array.from(group.columns), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(Array.from(group.counts), [1, 1, 1, 1, 2, 2, 2, 2, 2, 1]);
    near(group.mean, [10, 10, 10, 10, 5, 5.7, 6.2, 6.7, 7, 10]);
    near(group.min, [10, 10, 10, 10, 0, 1.4, 2.4, 3.4, 4, 10]);
    near(group.max, [10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
  });

  it('a chart request with groupBy answers one mean line and band per group, and counts every point of the runs', () => {
    const request = groupedRequest({ hiddenRuns: ['hidden'] });
    const answer = answerSeriesRequest(request, [
      { runId: 'a', series: series(Array(17).fill(1)), params: [['lr', '0.1']] },
      { runId: 'b', series: series(Array(17).fill(3)), params: [['lr', '0.1']] },
      { runId: 'c', series: series(Array(17).fill(7)), params: [['lr', '0.2']] },
      { runId: 'hidden', series: series(Array(17).fill(100)), params: [['lr', '0.1']] },
    ]);
    assert.deepEqual(answer.runs, []);
    assert.deepEqual(
      answer.groups?.map((g) => [g.label, g.runIds]),
      [
        ['0.1', ['a', 'b']],
        ['0.2', ['c']],
      ],
    );
    const [first] = answer.groups!;
    assert.ok(first.mean.every((v) => v === 2) && first.min.every((v) => v === 1) && first.max.every((v) => v === 3));
    assert.equal(first.slots.length, 16);
    assert.equal(answer.total, 51, 'every point of the three shown runs');
    assert.match(first.color, /^#[0-9a-f]{6}$/);
  });

  it('with smoothing, the mean line is the mean of the runs smoothed as their own lines are, and the band stays raw', () => {
    const request = groupedRequest({ smoothing: 0.5 });
    const zigzag = Array.from({ length: 16 }, (_, i) => (i % 2 ? 10 : 0));
    const [group] = answerSeriesRequest(request, [
      { runId: 'a', series: series(zigzag), params: [['lr', '0.1']] },
      { runId: 'b', series: series(Array(16).fill(2)), params: [['lr', '0.1']] },
    ]).groups!;
    near(group.mean.slice(0, 3), [1, 6, 1]);
    // By hand, weight 0.5: run a's debiased EMA is 0, 5/0.75, 2.5/0.875; run b stays 2 (constant).
    near(group.smoothMean!.slice(0, 3), [1, (5 / 0.75 + 2) / 2, (2.5 / 0.875 + 2) / 2]);
    // The EMA is linear: for runs at the same steps, the smoothed mean is the EMA of the mean line.
    near(group.smoothMean!, Array.from(debiasedEma(group.mean, 0.5)));
    near(group.min.slice(0, 4), [0, 2, 0, 2]);
    near(group.max.slice(0, 4), [2, 10, 2, 10]);

    const unsmoothed = answerSeriesRequest({ ...request, smoothing: 0 }, [{ runId: 'a', series: series(zigzag), params: [['lr', '0.1']] }]);
    assert.equal(unsmoothed.groups![0].smoothMean, undefined);
  });
});
