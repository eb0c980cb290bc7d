import * as assert from 'node:assert/strict';
import { firstScreenRequests, metricFilter } from '../../src/charts/firstScreen';
import { DEFAULT_SETTINGS, isChartsToHost } from '../../src/protocol/chartsPanel';

describe('The first screen of a charts page, answered unasked', () => {
  it('asks, with request id 0, for the first charts the filter keeps, as the page would', () => {
    const settings = { ...DEFAULT_SETTINGS, filter: 'loss', smoothing: 0.6, tables: ['val_loss'], hiddenRuns: ['gone', 'b'], groupBy: 'param:lr' };
    const requests = firstScreenRequests(settings, ['acc', 'loss', 'train_loss', 'val_loss'], ['a', 'b'], { columns: 640, charts: 2 });
    assert.deepEqual(
      requests.map((r) => r.metric),
      ['loss', 'train_loss'],
    );
    assert.deepEqual(requests[0], {
      type: 'requestSeries',
      requestId: 0,
      metric: 'loss',
      xAxis: 'step',
      range: null,
      columns: 640,
      smoothing: 0.6,
      ignoreOutliers: false,
      withStats: false,
      hiddenRuns: ['b'],
      groupBy: 'param:lr',
    });
    const tables = firstScreenRequests(settings, ['val_loss'], ['a'], { columns: 640, charts: 6 });
    assert.equal(tables[0].withStats, true);
  });

  it('answers at most 24 charts, however tall the window, and none for no room', () => {
    const keys = Array.from({ length: 300 }, (_, i) => `m${i}`);
    assert.equal(firstScreenRequests(DEFAULT_SETTINGS, keys, ['a'], { columns: 400, charts: 1000 }).length, 24);
    assert.equal(firstScreenRequests(DEFAULT_SETTINGS, keys, ['a'], { columns: 400, charts: 0 }).length, 0);
  });

  it('filters keys by substring (any case) or /regex/, an invalid regex as text', () => {
    assert.equal(metricFilter('LOSS')('val_loss'), true);
    assert.equal(metricFilter('/^val_/')('val_loss'), true);
    assert.equal(metricFilter('/^val_/')('loss'), false);
    assert.equal(metricFilter('/(/')('a/(/b'), true);
    assert.equal(metricFilter('  ')('anything'), true);
  });
});

describe("The page's ready message, as the host checks it", () => {
  it('takes a first screen of positive width and a count of charts, and refuses anything else', () => {
    assert.equal(isChartsToHost({ type: 'ready' }), true);
    assert.equal(isChartsToHost({ type: 'ready', firstScreen: { columns: 640, charts: 6 } }), true);
    for (const firstScreen of [null, 5, { columns: 0, charts: 6 }, { columns: 640 }, { columns: 640, charts: -1 }, { columns: '640', charts: 6 }]) {
      assert.equal(isChartsToHost({ type: 'ready', firstScreen }), false, JSON.stringify(firstScreen));
    }
  });
});
