import * as assert from 'node:assert/strict';
import {
  bestColumns,
  buildCompareTable,
  columnOrder,
  defaultDirection,
  filterRows,
  formatNumber,
  toNumber,
  type CompareRunInput,
} from '../../src/compare/rows';
import { toCsv, toMarkdown } from '../../src/compare/tableText';
import type { Run } from '../../src/tracking/types';

function run(
  id: string,
  name: string,
  data: { params?: Record<string, string>; metrics?: Record<string, number>; tags?: Record<string, string> },
  info: Partial<Run['info']> = {},
): Run {
  return {
    info: {
      run_id: id,
      run_name: name,
      experiment_id: '1',
      status: 'FINISHED',
      lifecycle_stage: 'active',
      start_time: 1_700_000_000_000,
      end_time: 1_700_000_065_000,
      ...info,
    },
    data: {
      params: Object.entries(data.params ?? {}).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(data.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
      tags: Object.entries(data.tags ?? {}).map(([key, value]) => ({ key, value })),
    },
  };
}

const a = run('a'.repeat(32), 'alpha', {
  params: { lr: '0.01', optimizer: 'adam' },
  metrics: { loss: 0.5, accuracy: 0.9 },
  tags: { team: 'vision', 'mlflow.source.git.commit': 'abc1234' },
});
const b = run(
  'b'.repeat(32),
  'beta',
  { params: { lr: '0.1', optimizer: 'adam' }, metrics: { loss: 0.3, accuracy: 0.9 }, tags: { team: 'vision' } },
  { status: 'RUNNING', end_time: undefined },
);
const c = run('c'.repeat(32), 'gamma', { params: { lr: '0.001', batch: '64' }, metrics: { loss: NaN }, tags: {} });

const inputs: CompareRunInput[] = [
  { run: a, experimentName: 'mnist', metricStats: { loss: { min: 0.4, max: 2 } }, loggedModels: ['model'] },
  { run: b, experimentName: 'mnist', metricStats: { loss: { min: 0.3, max: 2.5 } } },
  { run: c, experimentName: 'mnist' },
];

describe('compare rows', () => {
  const table = buildCompareTable(inputs);
  const row = (id: string) => {
    const found = table.rows.find((r) => r.id === id);
    assert.ok(found, `row ${id} in ${table.rows.map((r) => r.id).join(', ')}`);
    return found;
  };

  it('has one column per run, named like the explorer names runs', () => {
    assert.deepEqual(
      table.columns.map((c) => c.name),
      ['alpha', 'beta', 'gamma'],
    );
    const nameless = buildCompareTable([{ run: run('d'.repeat(32), '', {}, {}) }, { run: run('e'.repeat(32), '', { tags: { 'mlflow.runName': 'tagged' } }) }]);
    assert.deepEqual(
      nameless.columns.map((c) => c.name),
      ['dddddddd', 'tagged'],
    );
  });

  it('lists attributes, params, metrics with min and max, tags and logged models, in that order', () => {
    const sections = [...new Set(table.rows.map((r) => r.section))];
    assert.deepEqual(sections, ['attributes', 'params', 'metrics', 'tags', 'models']);
    assert.deepEqual(
      table.rows.filter((r) => r.section === 'params').map((r) => r.key),
      ['batch', 'lr', 'optimizer'],
    );
    assert.deepEqual(
      table.rows.filter((r) => r.section === 'metrics').map((r) => r.id),
      ['metrics.accuracy', 'metrics.loss', 'metrics.loss.min', 'metrics.loss.max'],
    );
    assert.deepEqual(row('metrics.loss.min').values, [0.4, 0.3, undefined]);
    assert.deepEqual(row('models.logged_models').values, ['model', undefined, undefined]);
    assert.deepEqual(row('attributes.git_commit').values, ['abc1234', undefined, undefined]);
    // Shown as an attribute, so not again as a tag.
    assert.ok(!table.rows.some((r) => r.id === 'tags.mlflow.source.git.commit'));
  });

  it('formats times and durations, leaves a running run without a duration', () => {
    assert.equal(row('attributes.start_time').display[0], '2023-11-14 22:13:20 UTC');
    assert.deepEqual(row('attributes.duration').display, ['1 min 5 s', '', '1 min 5 s']);
  });

  it('marks a row as differing when any value differs, a value is missing, but not for equal NaNs', () => {
    assert.equal(row('params.lr').differs, true);
    assert.equal(row('params.optimizer').differs, true, 'missing in gamma');
    assert.equal(row('attributes.experiment').differs, false);
    const two = buildCompareTable([{ run: a }, { run: b }]);
    assert.equal(two.rows.find((r) => r.id === 'params.optimizer')!.differs, false);
    assert.equal(two.rows.find((r) => r.id === 'metrics.accuracy')!.differs, false);
    assert.equal(two.rows.find((r) => r.id === 'tags.team')!.differs, false);
    const nans = buildCompareTable([{ run: c }, { run: run('f'.repeat(32), 'f', { metrics: { loss: NaN } }) }]);
    assert.equal(nans.rows.find((r) => r.id === 'metrics.loss')!.differs, false);
  });

  it('keeps only differing rows and filters by key, case-insensitively', () => {
    const diffs = filterRows(table.rows, { onlyDiffs: true });
    assert.ok(diffs.every((r) => r.differs));
    assert.ok(diffs.some((r) => r.id === 'params.lr'));
    assert.ok(!diffs.some((r) => r.id === 'attributes.experiment'));
    assert.deepEqual(
      filterRows(table.rows, { text: 'LOSS' }).map((r) => r.id),
      ['metrics.loss', 'metrics.loss.min', 'metrics.loss.max'],
    );
    assert.deepEqual(
      filterRows(table.rows, { text: 'params.l' }).map((r) => r.id),
      ['params.lr'],
    );
    assert.deepEqual(
      filterRows(table.rows, { text: 'accuracy', onlyDiffs: true }).map((r) => r.id),
      ['metrics.accuracy'],
    );
  });

  it('marks the best metric value in either direction, skipping NaN and missing values, marking ties', () => {
    assert.deepEqual(bestColumns(row('metrics.loss'), 'lower'), [1]);
    assert.deepEqual(bestColumns(row('metrics.loss'), 'higher'), [0]);
    assert.deepEqual(bestColumns(row('metrics.accuracy'), 'higher'), [0, 1]);
    assert.deepEqual(bestColumns(row('metrics.loss.max'), 'lower'), [0]);
    assert.deepEqual(bestColumns(row('params.lr'), 'lower'), [], 'params are never marked');
    const lonely = buildCompareTable([{ run: a }, { run: c }]);
    assert.deepEqual(
      bestColumns(
        lonely.rows.find((r) => r.id === 'metrics.loss')!,
        'lower',
      ),
      [],
      'one comparable value is no contest',
    );
  });

  it('guesses the direction from the metric name', () => {
    assert.equal(defaultDirection('val_loss'), 'lower');
    assert.equal(defaultDirection('rmse'), 'lower');
    assert.equal(defaultDirection('accuracy'), 'higher');
    assert.equal(defaultDirection('f1_score'), 'higher');
  });

  it('orders columns by a row: numeric text as numbers, missing and NaN last in both directions', () => {
    assert.deepEqual(columnOrder(row('params.lr'), false), [2, 0, 1]);
    assert.deepEqual(columnOrder(row('params.lr'), true), [1, 0, 2]);
    assert.deepEqual(columnOrder(row('metrics.loss'), false), [1, 0, 2]);
    assert.deepEqual(columnOrder(row('metrics.loss'), true), [0, 1, 2]);
    assert.deepEqual(columnOrder(row('params.optimizer'), true), [0, 1, 2], 'ties keep their order, missing last');
    assert.deepEqual(columnOrder(row('attributes.name'), true), [2, 1, 0]);
  });

  it('formats numbers to six significant digits', () => {
    assert.equal(formatNumber(0.123456789), '0.123457');
    assert.equal(formatNumber(42), '42');
    assert.equal(formatNumber(1.5e-7), '1.5e-7');
    assert.equal(formatNumber(NaN), 'NaN');
  });
});

describe('compare table as text', () => {
  const xss = run('x'.repeat(32), '<img src=x onerror=alert(1)>', {
    params: { lr: '</script><script>alert(1)</script>', note: 'a|b\nc', formula: '=HYPERLINK("http://x")' },
  });
  const plain = run('y'.repeat(32), 'plain, "quoted"', { params: { lr: '0.1', note: 'same', formula: '-1' }, metrics: { loss: -0.25 } });
  const table = buildCompareTable([{ run: xss }, { run: plain }]);
  const rows = table.rows.filter((r) => r.section !== 'attributes' || r.key === 'name');

  it('writes Markdown with store text escaped', () => {
    const md = toMarkdown({ columns: table.columns, rows });
    const lines = md.trimEnd().split('\n');
    assert.equal(lines[0], '|  | &lt;img src=x onerror=alert(1)&gt; | plain, "quoted" |');
    assert.equal(lines[1], '| --- | --- | --- |');
    assert.ok(lines.includes('| params.note | a\\|b c | same |'), md);
    assert.ok(lines.includes('| params.lr | &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; | 0.1 |'), md);
    assert.ok(lines.includes('| metrics.loss |  | -0.25 |'), md);
    assert.ok(!md.includes('<'));
  });

  it('writes Markdown columns in the order shown', () => {
    const md = toMarkdown({ columns: table.columns, rows: rows.filter((r) => r.id === 'params.lr'), order: [1, 0] });
    assert.ok(md.startsWith('|  | plain, "quoted" | &lt;img'));
    assert.ok(md.includes('| params.lr | 0.1 | &lt;/script&gt;'));
  });

  it('writes RFC 4180 CSV, run ids on the second line, formulas defused, numbers untouched', () => {
    const csv = toCsv({ columns: table.columns, rows });
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'key,<img src=x onerror=alert(1)>,"plain, ""quoted"""');
    assert.equal(lines[1], `run_id,${'x'.repeat(32)},${'y'.repeat(32)}`);
    assert.ok(csv.includes('params.note,"a|b\nc",same\r\n'), csv);
    assert.ok(csv.includes(`params.formula,"'=HYPERLINK(""http://x"")",'-1\r\n`), csv);
    assert.ok(csv.includes('metrics.loss,,-0.25\r\n'), csv);
  });

  it('reads numbers from numeric text only: blanks, words and infinities are not numbers, NaN is', () => {
    assert.equal(toNumber(' 0.01 '), 0.01);
    assert.equal(toNumber('1e-3'), 0.001);
    assert.equal(toNumber('0'), 0);
    assert.equal(toNumber('-2'), -2);
    assert.equal(toNumber(3), 3);
    assert.ok(Number.isNaN(toNumber(' nan ')!));
    assert.ok(Number.isNaN(toNumber('NaN')!));
    for (const text of ['', '   ', 'adam', 'Infinity', '-Infinity', '1,5', undefined]) assert.equal(toNumber(text), undefined, JSON.stringify(text));
  });
});
