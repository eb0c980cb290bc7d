import * as assert from 'node:assert/strict';
import { defaultAxes, defaultMetric, runIdFilter, sweepColumns } from '../../src/compare/sweepData';
import { parseRunFilter } from '../../src/tracking/search';
import type { Run } from '../../src/tracking/types';

const run = (id: string, params: Record<string, string>, metrics: Record<string, number>): Run => ({
  info: { run_id: id, experiment_id: '1', status: 'FINISHED', lifecycle_stage: 'active' },
  data: {
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
  },
});

describe('sweep data', () => {
  const runs = [
    run('a', { lr: '0.1', optimizer: 'adam', seed: '1' }, { accuracy: 0.9, val_loss: 0.3 }),
    run('b', { lr: '0.01', optimizer: 'sgd', seed: '1' }, { accuracy: 0.8 }),
    run('c', { lr: '0.001', seed: '1' }, { accuracy: 0.7, val_loss: 0.5 }),
  ];
  const columns = sweepColumns(runs);

  it('makes one column per param and metric, null where a run has none', () => {
    assert.deepEqual(columns['params.optimizer'], ['adam', 'sgd', null]);
    assert.deepEqual(columns['metrics.val_loss'], [0.3, null, 0.5]);
    assert.deepEqual(Object.keys(columns).sort(), ['metrics.accuracy', 'metrics.val_loss', 'params.lr', 'params.optimizer', 'params.seed']);
  });

  it('picks the loss-like metric, or the one asked for', () => {
    assert.equal(defaultMetric(columns), 'metrics.val_loss');
    assert.equal(defaultMetric(columns, 'accuracy'), 'metrics.accuracy');
    assert.equal(defaultMetric(columns, 'absent'), 'metrics.val_loss');
  });

  it('shows the params that vary (numeric first) and the metric last', () => {
    assert.deepEqual(defaultAxes(columns, 'metrics.val_loss'), ['params.lr', 'params.optimizer', 'metrics.val_loss']);
    assert.deepEqual(defaultAxes(columns, undefined, 1), ['params.lr']);
  });

  it("asks the caller's numeric test once per varying param (the page answers from the axes it builds)", () => {
    const asked: string[] = [];
    const axes = defaultAxes(columns, 'metrics.val_loss', 7, (key) => (asked.push(key), key === 'params.optimizer'));
    assert.deepEqual(asked.sort(), ['params.lr', 'params.optimizer']);
    assert.deepEqual(axes, ['params.optimizer', 'params.lr', 'metrics.val_loss'], 'what it calls numeric comes first');
  });

  it('writes a Runs view filter that MLflow search accepts', () => {
    const filter = runIdFilter(['a1', 'b2']);
    assert.equal(filter, "attributes.run_id IN ('a1', 'b2')");
    assert.doesNotThrow(() => parseRunFilter(filter));
  });
});
