import * as assert from 'node:assert/strict';
import { DEFAULT_SORT, describeSort, isDefaultSort, metricKeys, quoteKey, sortableColumns, toOrderBy } from '../../../src/extension/explorer/model/sorting';
import { makeRun } from './runFixtures';

describe('run sorting', () => {
  it('sorts newest first by default', () => {
    assert.deepEqual(toOrderBy(DEFAULT_SORT), ['attributes.start_time DESC']);
    assert.equal(describeSort(DEFAULT_SORT), 'start time ↓');
    assert.ok(isDefaultSort({ column: { kind: 'attribute', key: 'start_time' }, ascending: false }));
    assert.ok(!isDefaultSort({ column: { kind: 'attribute', key: 'start_time' }, ascending: true }));
  });

  it('orders by a metric or param with start time as the tie-breaker', () => {
    assert.deepEqual(toOrderBy({ column: { kind: 'metric', key: 'loss' }, ascending: true }), ['metrics.loss ASC', 'attributes.start_time DESC']);
    assert.deepEqual(toOrderBy({ column: { kind: 'param', key: 'lr' }, ascending: false }), ['params.lr DESC', 'attributes.start_time DESC']);
    assert.deepEqual(toOrderBy({ column: { kind: 'attribute', key: 'run_name' }, ascending: true }), ['attributes.run_name ASC', 'attributes.start_time DESC']);
  });

  it('backticks keys that are not identifiers', () => {
    assert.equal(quoteKey('val_loss'), 'val_loss');
    assert.equal(quoteKey('val loss'), '`val loss`');
    assert.equal(quoteKey('train/acc'), '`train/acc`');
    assert.equal(quoteKey('1st'), '`1st`');
    assert.deepEqual(toOrderBy({ column: { kind: 'metric', key: 'val/loss' }, ascending: false }), ['metrics.`val/loss` DESC', 'attributes.start_time DESC']);
  });

  it('offers the attributes, then every metric and param key seen', () => {
    const runs = [makeRun('a', { metrics: { loss: 1, acc: 0.5 }, params: { lr: '0.1' } }), makeRun('b', { metrics: { loss: 2 }, params: { epochs: '3' } })];
    assert.deepEqual(sortableColumns(runs).map(describeSortColumn), [
      'attribute start_time',
      'attribute run_name',
      'attribute end_time',
      'metric acc',
      'metric loss',
      'param epochs',
      'param lr',
    ]);
    assert.deepEqual(metricKeys(runs), ['acc', 'loss']);
  });
});

function describeSortColumn(c: { kind: string; key: string }): string {
  return `${c.kind} ${c.key}`;
}
