/** Run order: MLflow's order_by semantics, missing values and NaN, and its natural order as the tiebreak. */
import * as assert from 'node:assert/strict';
import { compareRuns, parseOrderBy, sortRuns } from '../../../src/tracking/search';
import type { Run } from '../../../src/tracking/types';
import { allRuns, shuffled } from './recorded';

const runs = allRuns('rest-file-store');
const byName = new Map(runs.map((r) => [r.info.run_name!, r]));
const pick = (...names: string[]): Run[] => shuffled(names.map((n) => byName.get(n)!));

function order(from: Run[], orderBy?: string[]): string[] {
  return [...from].sort(compareRuns(parseOrderBy(orderBy))).map((r) => r.info.run_name!);
}

function variant(name: string, runName: string, patch: (r: Run) => Run): Run {
  const base = byName.get(name)!;
  return patch({ ...base, info: { ...base.info, run_name: runName }, data: { ...base.data } });
}

const withGradNorm = (name: string, runName: string, value: number | undefined): Run =>
  variant(name, runName, (r) => ({
    ...r,
    info: { ...r.info, run_id: runName.padEnd(32, '0') },
    data: {
      ...r.data,
      metrics: value === undefined ? [] : [{ key: 'grad_norm', value, timestamp: 0, step: 0 }],
    },
  }));

describe('search: run order', () => {
  const IRIS_ASC = ['logreg-0', 'rf-1', 'logreg-2', 'rf-3', 'logreg-4', 'rf-5', 'logreg-6', 'rf-7'];
  const iris = pick(...IRIS_ASC);

  it('defaults to start_time descending', () => {
    assert.deepEqual(order(iris), [...IRIS_ASC].reverse());
    assert.deepEqual(order(iris, []), [...IRIS_ASC].reverse());
  });

  it('orders by a metric either way', () => {
    assert.deepEqual(order(iris, ['metrics.test_accuracy ASC']), IRIS_ASC);
    assert.deepEqual(order(iris, ['metrics.test_accuracy desc']), [...IRIS_ASC].reverse());
  });

  it('puts runs missing the key last in both directions, in natural order', () => {
    const some = pick('rf-1', 'logreg-0', 'rf-7', 'logreg-6', 'rf-5');
    assert.deepEqual(order(some, ['metrics.`test_accuracy_model` DESC']), ['rf-1', 'logreg-0', 'rf-7', 'logreg-6', 'rf-5']);
    assert.deepEqual(order(some, ['metrics.test_accuracy_model ASC']), ['logreg-0', 'rf-1', 'rf-7', 'logreg-6', 'rf-5']);
  });

  it('puts NaN after the values and before missing values, either direction', () => {
    const set = shuffled([
      withGradNorm('resnet18', 'low', 3.7),
      withGradNorm('resnet18', 'high', 10),
      withGradNorm('resnet18', 'nan', NaN),
      withGradNorm('resnet18', 'inf', Infinity),
      withGradNorm('resnet18', 'none', undefined),
    ]);
    assert.deepEqual(order(set, ['metrics.grad_norm ASC']), ['low', 'high', 'inf', 'nan', 'none']);
    assert.deepEqual(order(set, ['metrics.grad_norm DESC']), ['inf', 'high', 'low', 'nan', 'none']);
  });

  it('orders params and tags as strings (by code point), with start_time DESC as the tiebreak', () => {
    const some = pick('resnet18', 'baseline-cnn', 'vit-tiny', 'live-training', 'lr-0.1', 'rf-7');
    // priority: high (live-training, vit-tiny, resnet18), low (baseline-cnn), missing (lr-0.1, rf-7)
    assert.deepEqual(order(some, ['tags.priority']), ['live-training', 'vit-tiny', 'resnet18', 'baseline-cnn', 'rf-7', 'lr-0.1']);
    assert.deepEqual(order(some, ['tags.priority DESC']), ['baseline-cnn', 'live-training', 'vit-tiny', 'resnet18', 'rf-7', 'lr-0.1']);
    // lr is a string: '0.0005' < '0.001' < '0.002' < '0.01' < '0.1', no lr on rf-7
    assert.deepEqual(order(some, ['params.lr ASC']), ['vit-tiny', 'resnet18', 'live-training', 'baseline-cnn', 'lr-0.1', 'rf-7']);
  });

  it('sorts astral characters after the rest of the BMP, as Python does', () => {
    const a = variant('rf-7', 'astral', (r) => ({ ...r, data: { ...r.data, tags: [{ key: 'k', value: '\u{1F600}' }] } }));
    const b = variant('rf-5', 'bmp', (r) => ({ ...r, data: { ...r.data, tags: [{ key: 'k', value: '\uFF21' }] } }));
    assert.deepEqual(order([a, b], ['tags.k']), ['bmp', 'astral']);
  });

  it('applies several clauses in turn', () => {
    const some = pick('rf-7', 'rf-5', 'logreg-6', 'logreg-4', 'lr-0.1');
    assert.deepEqual(order(some, ['tags.estimator DESC', 'metrics.test_accuracy ASC']), ['rf-5', 'rf-7', 'logreg-4', 'logreg-6', 'lr-0.1']);
  });

  it('orders by attributes, with the aliases and a missing end_time last', () => {
    const some = pick('live-training', 'vit-tiny', 'resnet18', 'lr-sweep');
    assert.deepEqual(order(some, ['attributes.end_time DESC']), ['vit-tiny', 'resnet18', 'lr-sweep', 'live-training']);
    assert.deepEqual(order(some, ['attributes.end_time']), ['lr-sweep', 'resnet18', 'vit-tiny', 'live-training']);
    assert.deepEqual(order(some, ['attribute.created ASC']), ['lr-sweep', 'resnet18', 'vit-tiny', 'live-training']);
    assert.deepEqual(order(some, ['run_name']), ['live-training', 'lr-sweep', 'resnet18', 'vit-tiny']);
    assert.deepEqual(order(some, ['attributes.status DESC']), ['live-training', 'vit-tiny', 'resnet18', 'lr-sweep']);
    assert.deepEqual(order(some, ['tags."mlflow.runName" DESC']), ['vit-tiny', 'resnet18', 'lr-sweep', 'live-training']);
  });

  it('breaks a start_time tie by run_id ascending', () => {
    const twin = (id: string, name: string): Run => variant('rf-7', name, (r) => ({ ...r, info: { ...r.info, run_id: id, start_time: 5 } }));
    const set = [twin('b'.repeat(32), 'second'), twin('a'.repeat(32), 'first'), twin('c'.repeat(32), 'third')];
    assert.deepEqual(order(set), ['first', 'second', 'third']);
    assert.deepEqual(order(set, ['metrics.test_accuracy DESC']), ['first', 'second', 'third']);
  });

  it('gives the same order with sortRuns as with compareRuns', () => {
    const many = shuffled([...runs, withGradNorm('resnet18', 'nan', NaN), withGradNorm('resnet18', 'none', undefined)]);
    for (const o of [
      [],
      ['metrics.grad_norm DESC'],
      ['metrics.accuracy'],
      ['tags.priority DESC', 'params.lr'],
      ['attributes.end_time'],
      ['attributes.run_name DESC'],
    ]) {
      const clauses = parseOrderBy(o);
      assert.deepEqual(
        sortRuns(many, clauses).map((r) => r.info.run_id),
        [...many].sort(compareRuns(clauses)).map((r) => r.info.run_id),
        JSON.stringify(o),
      );
    }
  });

  it('parses the order_by forms MLflow accepts', () => {
    assert.deepEqual(parseOrderBy(['metrics.`f1 score` DESC', 'params."a b"', 'tags.mlflow.runName asc', 'attributes.Created DESC', 'start_time']), [
      { kind: 'metric', key: 'f1 score', ascending: false },
      { kind: 'param', key: 'a b', ascending: true },
      { kind: 'tag', key: 'mlflow.runName', ascending: true },
      { kind: 'attribute', key: 'start_time', ascending: false },
      { kind: 'attribute', key: 'start_time', ascending: true },
    ]);
    assert.deepEqual(parseOrderBy(undefined), []);
  });
});
