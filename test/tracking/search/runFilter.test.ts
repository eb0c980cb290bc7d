/**
 * Hand-written filters over the 23 recorded runs of the reference file store (two experiments,
 * active and deleted runs), each with the run names it must select. Expected sets were worked
 * out by hand from the run data, not by running this module.
 */
import * as assert from 'node:assert/strict';
import { parseRunFilter, referencedKeys, parseOrderBy, runMatches, type RunMatchOptions } from '../../../src/tracking/search';
import type { Run } from '../../../src/tracking/types';
import { allRuns } from './recorded';

const runs = allRuns('rest-file-store');
const byName = new Map(runs.map((r) => [r.info.run_name!, r]));
const idOf = (name: string): string => byName.get(name)!.info.run_id;

/** resnet18 again, with a NaN as its latest grad_norm: the case MLflow's two stores treat differently. */
function withNaNRun(): Run[] {
  const base = byName.get('resnet18')!;
  const nanRun: Run = {
    info: { ...base.info, run_id: 'ffffffffffffffffffffffffffffffff', run_uuid: 'ffffffffffffffffffffffffffffffff', run_name: 'resnet18-nan' },
    data: { ...base.data, metrics: base.data.metrics!.map((m) => (m.key === 'grad_norm' ? { ...m, value: NaN } : m)) },
  };
  return [...runs, nanRun];
}

const IRIS = ['rf-7', 'logreg-6', 'rf-5', 'logreg-4', 'rf-3', 'logreg-2', 'rf-1', 'logreg-0'];
const MNIST_TOP = ['bad-config', 'live-training', 'dropout-0.5', 'vit-tiny', 'resnet34-oom', 'resnet18', 'baseline-cnn'];
const LR_TRIALS = ['lr-0.001', 'lr-0.003', 'lr-0.01', 'lr-0.03', 'lr-0.1'];
const ALL = runs.map((r) => r.info.run_name!);

function select(filter: string | undefined, from: Run[] = runs, options?: RunMatchOptions): string[] {
  const parsed = parseRunFilter(filter);
  return from
    .filter((r) => runMatches(parsed, r, options))
    .map((r) => r.info.run_name!)
    .sort();
}

const CASES: [string, string[]][] = [
  // params
  ["params.optimizer = 'adam'", ['live-training', 'dropout-0.5', 'baseline-cnn', ...LR_TRIALS]],
  ['params.optimizer != "adam"', ['bad-config', 'vit-tiny', 'resnet34-oom', 'resnet18']],
  ["param.optimizer LIKE 'adam%'", ['live-training', 'dropout-0.5', 'baseline-cnn', ...LR_TRIALS, 'vit-tiny', 'resnet34-oom']],
  ["parameters.optimizer ILIKE 'ADAM_'", ['vit-tiny', 'resnet34-oom']],
  ["params.optimizer LIKE 'ADAM%'", []],
  ["params.lr = '0.01'", ['dropout-0.5', 'baseline-cnn', 'lr-0.01-fold-1', 'lr-0.01-fold-0', 'lr-0.01']],
  ["params.`data.path` LIKE 's3://%'", MNIST_TOP],
  [`params."data.path" = 's3://bucket/mnist/v2/train-*.parquet'`, MNIST_TOP],
  ["params.architecture LIKE '%conv(64,3x3)%'", MNIST_TOP],
  ['params.C IS NOT NULL', ['logreg-6', 'logreg-4', 'logreg-2', 'logreg-0']],
  ['params.C IS NULL AND tags.estimator IS NOT NULL', ['rf-7', 'rf-5', 'rf-3', 'rf-1']],
  ["params.max_depth IS NULL and tags.estimator = 'rf'", []],
  ["params.random_state = '0' AND params.n_estimators = '80'", ['rf-7']],
  // tags, with the three ways to quote a dotted key
  ["tags.mlflow.runName = 'rf-7'", ['rf-7']],
  [`tags."mlflow.runName" LIKE 'lr-0.01%'`, ['lr-0.01-fold-1', 'lr-0.01-fold-0', 'lr-0.01']],
  ["tags.`mlflow.runName` LIKE 'lr-0.0_'", ['lr-0.01', 'lr-0.03']],
  ["tags.owner = 'Zoë'", MNIST_TOP],
  ["tags.owner ILIKE 'zOË'", MNIST_TOP],
  ["tags.owner LIKE 'zoë'", []],
  ["tag.priority = 'high' and attributes.status != 'FINISHED'", ['live-training', 'vit-tiny']],
  ['tags.error IS NOT NULL', ['bad-config', 'resnet34-oom']],
  ["tags.error = 'CUDA out of memory'", ['resnet34-oom']],
  ["tags.mlflow.parentRunId = 'fcff8f3e0305430cab4fd67188dca7e8'", LR_TRIALS],
  ["tags.mlflow.parentRunId IS NULL and attributes.run_name LIKE 'lr%'", ['lr-sweep']],
  ["tags.lr_trial != '0'", ['lr-0.001', 'lr-0.003', 'lr-0.01', 'lr-0.03']],
  ["tags.`mlflow.note.content` ILIKE '%SWEEP%'", ['lr-sweep']],
  ["tags.estimator like 'log%' and metrics.test_accuracy > 0.93", ['logreg-6', 'logreg-4']],
  // metrics (latest values)
  ['metrics.test_accuracy >= 0.95', ['rf-7', 'logreg-6', 'rf-5']],
  ['metrics.test_accuracy = 0.9', ['logreg-0']],
  ['metrics.best_accuracy > 0.9', ['lr-sweep']],
  ['metric.accuracy = 0.999', ['logreg-4', 'live-training']],
  ['metrics.accuracy != 0.999', ALL.filter((n) => !['logreg-4', 'live-training', 'lr-sweep'].includes(n))],
  ['metrics.loss < 5e-2', ['logreg-2', 'bad-config']],
  ['metrics.val_loss <= -1', []],
  ['metrics.val_loss > -1E3', ALL.filter((n) => n !== 'lr-sweep')],
  ['metrics.`test_accuracy_model` > 0', ['rf-1', 'logreg-0']],
  ['metrics.accuracy > .98 and metrics.accuracy < .985', ['logreg-6', 'rf-5', 'dropout-0.5', 'baseline-cnn', 'lr-0.01-fold-0']],
  ['metrics.no_such_metric < 1e300', []],
  // attributes
  ["attributes.status = 'FAILED'", ['bad-config', 'resnet34-oom']],
  ["run.status != 'FINISHED'", ['bad-config', 'live-training', 'vit-tiny', 'resnet34-oom']],
  ["attr.run_name ILIKE 'RF-%'", ['rf-7', 'rf-5', 'rf-3', 'rf-1']],
  ["attributes.`Run Name` = 'resnet18'", ['resnet18']],
  ["attributes.`run name` LIKE '%cnn'", ['baseline-cnn']],
  [`attributes.run_id IN ('${idOf('rf-7')}', "${idOf('logreg-6')}")`, ['rf-7', 'logreg-6']],
  [`attributes.run_id IN ('${idOf('rf-7').toUpperCase()}', '${idOf('logreg-6')}',)`, ['logreg-6']],
  [`attributes.run_id not in ('${idOf('rf-7')}')`, ALL.filter((n) => n !== 'rf-7')],
  [`run_id = '${idOf('lr-sweep')}'`, ['lr-sweep']],
  ['attributes.end_time > 0', ALL.filter((n) => n !== 'live-training')],
  ['attributes.start_time >= 1795291216999', ['rf-7', 'logreg-6', 'rf-5', 'logreg-4', 'rf-3', 'logreg-2', 'rf-1']],
  ['attributes.created < 1795116617000', ['lr-sweep']],
  ['attributes.Created = 1795116616999', ['lr-sweep']],
  ["attributes.user_id = 'root'", ALL],
  ["attributes.artifact_uri LIKE '%/469638688653584371/%'", IRIS],
  // dataset inputs
  ["datasets.name = 'iris-train'", ['rf-1', 'logreg-0']],
  ["dataset.digest IN ('921a606e')", ['rf-1', 'logreg-0']],
  ["datasets.context = 'training'", ['rf-1', 'logreg-0']],
  ["datasets.name != 'iris-train'", []],
  ["datasets.name NOT IN ('mnist')", ['rf-1', 'logreg-0']],
  // layout
  ["  params.optimizer='sgd'\nAND\tmetrics.loss<0.05 ", ['bad-config']],
  ['', ALL],
  ['   ', ALL],
];

describe('search: run filters over the recorded runs', () => {
  it('starts from the 23 recorded runs', () => {
    assert.equal(runs.length, 23);
    assert.equal(new Set(ALL).size, 23, 'run names are unique, so the tables can use them');
  });

  for (const [filter, expected] of CASES) {
    it(JSON.stringify(filter), () => {
      assert.deepEqual(select(filter), [...expected].sort());
    });
  }

  it('matches every run when the filter is undefined', () => {
    assert.deepEqual(select(undefined), [...ALL].sort());
  });

  describe('a NaN metric', () => {
    const nanRuns = withNaNRun();
    const table: [string, string[], string[]][] = [
      // filter, file-store answer (IEEE), SQL-store answer (NaN stored as 0)
      ['metrics.grad_norm > 0', ['resnet18'], ['resnet18']],
      ['metrics.grad_norm = 0', [], ['resnet18-nan']],
      ['metrics.grad_norm <= 0', [], ['resnet18-nan']],
      ['metrics.grad_norm != 1', ['resnet18', 'resnet18-nan'], ['resnet18', 'resnet18-nan']],
      ['metrics.grad_norm != 0', ['resnet18', 'resnet18-nan'], ['resnet18']],
      ['metrics.grad_norm < 1e308', ['resnet18'], ['resnet18-nan', 'resnet18']],
    ];
    for (const [filter, ieee, zero] of table) {
      it(`${filter}: file store ${JSON.stringify(ieee)}, SQL store ${JSON.stringify(zero)}`, () => {
        assert.deepEqual(select(filter, nanRuns), [...ieee].sort());
        assert.deepEqual(select(filter, nanRuns, { nanAs: 'nan' }), [...ieee].sort());
        assert.deepEqual(select(filter, nanRuns, { nanAs: 'zero' }), [...zero].sort());
      });
    }
  });

  it('exposes the parsed conditions with canonical keys', () => {
    const f = parseRunFilter("attributes.created > 5 and tags.`a b` ILIKE 'x%' and metrics.m != -2.5e1 and attributes.`Run name` = 'r'");
    assert.deepEqual(f.conditions, [
      { kind: 'attribute', key: 'start_time', comparator: '>', value: 5 },
      { kind: 'tag', key: 'a b', comparator: 'ILIKE', value: 'x%' },
      { kind: 'metric', key: 'm', comparator: '!=', value: -25 },
      { kind: 'attribute', key: 'run_name', comparator: '=', value: 'r' },
    ]);
  });

  it('keeps a string constant as typed, as MLflow does (no unescaping)', () => {
    assert.deepEqual(parseRunFilter("tags.x = 'it''s'").conditions[0].value, "it''s");
    assert.deepEqual(parseRunFilter("params.x = 'a\\'b'").conditions[0].value, "a\\'b");
  });

  it('treats LIKE wildcards only: regex characters in a pattern are literal', () => {
    const run = byName.get('rf-7')!;
    assert.equal(runMatches(parseRunFilter("tags.estimator LIKE 'r.'"), run), false);
    assert.equal(runMatches(parseRunFilter("tags.estimator LIKE '(rf)|x'"), run), false);
    assert.equal(runMatches(parseRunFilter("tags.estimator LIKE 'r%'"), run), true);
    assert.equal(runMatches(parseRunFilter("tags.estimator ILIKE '_F'"), run), true);
  });

  it('tells a lazy store which keys the filter and order_by read', () => {
    const filter = parseRunFilter(
      "metrics.loss < 1 and params.lr = 'x' and tags.`mlflow.runName` LIKE 'a%' and attributes.created > 0 and datasets.name = 'd'",
    );
    const keys = referencedKeys(filter, parseOrderBy(['metrics.acc DESC', 'attributes.end_time', 'params.lr']));
    assert.deepEqual([...keys.metrics].sort(), ['acc', 'loss']);
    assert.deepEqual([...keys.params], ['lr']);
    assert.deepEqual([...keys.tags], ['mlflow.runName']);
    assert.deepEqual([...keys.attributes].sort(), ['end_time', 'start_time']);
    assert.equal(keys.datasets, true);
    const none = referencedKeys(parseRunFilter(''), []);
    assert.equal(none.metrics.size + none.params.size + none.tags.size + none.attributes.size, 0);
    assert.equal(none.datasets, false);
  });
});

describe('search: LIKE patterns', () => {
  const run = (value: string): Run => ({
    info: { run_id: 'a'.repeat(32), experiment_id: '1', status: 'FINISHED', lifecycle_stage: 'active' },
    data: { tags: [{ key: 't', value }] },
  });
  const CASES: [string, string, boolean, boolean][] = [
    // pattern, value, LIKE, ILIKE
    ['abc', 'abc', true, true],
    ['abc', 'ABC', false, true],
    ['abc', 'abcd', false, false],
    ['abc%', 'abcd', true, true],
    ['abc%', 'xabc', false, false],
    ['%abc', 'xabc', true, true],
    ['%abc', 'abcx', false, false],
    ['%b%', 'abc', true, true],
    ['%B%', 'abc', false, true],
    ['%', '', true, true],
    ['%%', 'x', true, true],
    ['a_c', 'abc', true, true],
    ['a_c', 'ac', false, false],
    ['a%c', 'a\nc', true, true],
    ['a.c', 'abc', false, false],
    ['a.c', 'a.c', true, true],
    ['(a)', '(a)', true, true],
    ['_', '\u{1F600}', true, true],
    ['', '', true, true],
    ['', 'x', false, false],
  ];
  for (const [pattern, value, like, ilike] of CASES) {
    it(`${JSON.stringify(value)} LIKE ${JSON.stringify(pattern)}: ${like}, ILIKE: ${ilike}`, () => {
      assert.equal(runMatches(parseRunFilter(`tags.t LIKE '${pattern}'`), run(value)), like);
      assert.equal(runMatches(parseRunFilter(`tags.t ILIKE '${pattern}'`), run(value)), ilike);
    });
  }
});
