import * as assert from 'node:assert/strict';
import { alongAxis, answerSeriesRequest, appendColumns, seriesFromColumns, seriesFromMetrics } from '../../src/charts/series';
import type { SeriesRequest } from '../../src/protocol/chartsPanel';

const request = (patch: Partial<SeriesRequest> = {}): SeriesRequest => ({
  type: 'requestSeries',
  requestId: 1,
  metric: 'loss',
  xAxis: 'step',
  range: null,
  columns: 100,
  smoothing: 0,
  ignoreOutliers: false,
  withStats: false,
  hiddenRuns: [],
  ...patch,
});

describe('A chart request answered from typed arrays', () => {
  const a = seriesFromMetrics([3, 2, 1, 0].map((step) => ({ key: 'loss', step, timestamp: 1000 + 500 * (3 - step), value: step === 1 ? NaN : step * 10 })));
  const b = seriesFromColumns({ steps: Float64Array.from([0, 1, 2]), timestamps: Float64Array.from([5000, 6000, 7000]), values: Float64Array.from([1, 2, 3]) });

  it('sorts by step, keeps non-finite values out of the line and counts them', () => {
    assert.deepEqual(Array.from(a.steps), [0, 2, 3]);
    assert.deepEqual(Array.from(a.values), [0, 20, 30]);
    assert.equal(a.nonFinite, 1);
  });

  it('puts time since the run start (seconds) on the relative axis, in time order', () => {
    const { x, y } = alongAxis(a, 'relative', 1000);
    assert.deepEqual(Array.from(x), [0, 0.5, 1.5]);
    assert.deepEqual(Array.from(y), [30, 20, 0]);
  });

  it('answers with every visible run, the totals, the outlier range and the range statistics; hidden runs cost nothing', () => {
    const runs = [
      { runId: 'a', series: a },
      { runId: 'b', series: b },
    ];
    const answer = answerSeriesRequest(request({ ignoreOutliers: true, withStats: true }), runs);
    assert.deepEqual(answer.range, [0, 3]);
    assert.deepEqual(
      answer.runs.map((r) => r.runId),
      ['a', 'b'],
    );
    assert.equal(answer.total, 6);
    assert.equal(answer.drawn, 6);
    assert.deepEqual(Array.from(answer.runs[1].y), [1, 2, 3]);
    assert.ok(answer.clip && answer.clip[0] >= 0 && answer.clip[1] <= 30);
    assert.deepEqual(
      answer.stats?.find((s) => s.runId === 'a'),
      { runId: 'a', count: 3, last: 30, min: 0, max: 30, minAt: 0, maxAt: 3, mean: 50 / 3 },
    );
    const hidden = answerSeriesRequest(request({ hiddenRuns: ['a'], smoothing: 0.5 }), runs);
    assert.deepEqual(
      hidden.runs.map((r) => r.runId),
      ['b'],
    );
    assert.deepEqual(hidden.range, [0, 2]);
    assert.equal(hidden.total, 3);
    assert.ok(hidden.runs[0].smooth, 'the smoothed line is sent');
  });

  it('asked again after a live run logged more, re-buckets that run only and reuses the others as they were', () => {
    const columns = (steps: number[]) => ({
      steps: Float64Array.from(steps),
      timestamps: Float64Array.from(steps, (t) => 1000 * t),
      values: Float64Array.from(steps, (t) => 10 - t),
    });
    const finished = { runId: 'done', series: seriesFromColumns(columns([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])) };
    const live = { runId: 'live', series: seriesFromColumns(columns([0, 1, 2, 3])) };
    const zoomed = request({ range: [0, 9] });
    const first = answerSeriesRequest(zoomed, [finished, live]);
    const grown = { ...live, series: appendColumns(live.series, columns([4, 5])) };
    const second = answerSeriesRequest({ ...zoomed, requestId: 2 }, [finished, grown]);
    assert.equal(second.runs[0], first.runs[0], "the finished run's slice is reused");
    assert.notEqual(second.runs[1], first.runs[1], 'the live run is bucketed again');
    assert.equal(second.runs[1].inRange, 6);
    assert.equal(second.total, 16);
    // What is reused is what bucketing afresh gives.
    const fresh = answerSeriesRequest({ ...zoomed, requestId: 3 }, [
      { runId: 'done', series: seriesFromColumns(columns([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])) },
      { runId: 'live', series: seriesFromColumns(columns([0, 1, 2, 3, 4, 5])) },
    ]);
    assert.deepEqual(second.runs, fresh.runs);
    assert.equal(second.drawn, fresh.drawn);
    // Another grid (a new zoom, smoothing) buckets again.
    assert.notEqual(answerSeriesRequest(request({ range: [0, 5] }), [finished, grown]).runs[0], first.runs[0]);
    assert.notEqual(answerSeriesRequest(request({ range: [0, 9], smoothing: 0.5 }), [finished, grown]).runs[0], first.runs[0]);
  });
});
