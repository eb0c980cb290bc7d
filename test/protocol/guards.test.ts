import * as assert from 'node:assert/strict';
import { isChartSettings, isChartsToHost } from '../../src/protocol/chartsPanel';
import { isCompareFromPage, isSweepFromPage } from '../../src/protocol/compare';

// A webview's message is untrusted input: the host acts only on messages of the agreed shapes.
describe('webview message guards', () => {
  const settings = { xAxis: 'step', logY: false, smoothing: 0.6, ignoreOutliers: false, filter: '', hiddenRuns: ['r1'], tables: [] };
  const request = {
    type: 'requestSeries',
    requestId: 3,
    metric: 'loss',
    xAxis: 'time',
    range: [0, 10],
    columns: 800,
    smoothing: 0,
    ignoreOutliers: true,
    withStats: false,
    hiddenRuns: [],
  };

  it('the charts panel accepts its messages', () => {
    for (const message of [
      { type: 'ready' },
      request,
      { ...request, range: null, groupBy: 'params.lr' },
      { type: 'settings', settings },
      { type: 'exportCsv', metrics: ['loss', 'acc'] },
      { type: 'savePng', metric: 'loss', dataUrl: 'data:image/png;base64,AAAA' },
      { type: 'removeRun', runId: 'abc' },
    ])
      assert.ok(isChartsToHost(message), JSON.stringify(message));
    assert.ok(isChartSettings(settings));
  });

  it('the charts panel rejects anything else', () => {
    for (const message of [
      null,
      'ready',
      42,
      { type: 'unknown' },
      { ...request, requestId: Number.NaN },
      { ...request, range: [0] },
      { ...request, hiddenRuns: [1] },
      { ...request, groupBy: 3 },
      { type: 'settings', settings: { ...settings, hiddenRuns: 'r1' } },
      { type: 'exportCsv', metrics: 'loss' },
      { type: 'savePng', metric: 'loss', dataUrl: 'javascript:alert(1)' },
      { type: 'removeRun' },
    ])
      assert.ok(!isChartsToHost(message), JSON.stringify(message));
  });

  it('the compare and sweep pages: their messages and nothing else', () => {
    assert.ok(isCompareFromPage({ type: 'copy', format: 'csv', rowIds: ['a'], order: [1, 0] }));
    assert.ok(isCompareFromPage({ type: 'setDirection', metric: 'loss', direction: 'lower' }));
    assert.ok(!isCompareFromPage({ type: 'copy', format: 'html', rowIds: ['a'], order: [0] }));
    assert.ok(!isCompareFromPage({ type: 'copy', format: 'csv', rowIds: [1], order: [0] }));
    assert.ok(!isCompareFromPage({ type: 'copy', format: 'csv', rowIds: ['a'], order: [-1] }));
    assert.ok(!isCompareFromPage(undefined));
    assert.ok(isSweepFromPage({ type: 'plot', runIds: ['a', 'b'] }));
    assert.ok(isSweepFromPage({ type: 'reveal', runId: 'a' }));
    assert.ok(!isSweepFromPage({ type: 'select', runIds: 'a' }));
    assert.ok(!isSweepFromPage({ type: 'reveal' }));
    assert.ok(!isSweepFromPage(null));
  });
});
