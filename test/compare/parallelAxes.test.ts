import * as assert from 'node:assert/strict';
import {
  applyBrushes,
  buildAxes,
  buildAxis,
  buildAxisFromColumn,
  describeBrush,
  MISSING_LABEL,
  MISSING_POSITION,
  NON_POSITIVE_LABEL,
  NON_POSITIVE_POSITION,
  type SweepRun,
} from '../../src/compare/parallelAxes';

const runs: SweepRun[] = [
  { runId: '1', name: 'one', values: { 'params.lr': '0.1', 'params.optimizer': 'sgd', 'metrics.loss': 0.5, 'params.layers': '10' } },
  { runId: '2', name: 'two', values: { 'params.lr': '0.01', 'params.optimizer': 'adam', 'metrics.loss': 0.25, 'params.layers': '2' } },
  { runId: '3', name: 'three', values: { 'params.lr': '0.001', 'metrics.loss': NaN, 'params.layers': 'deep' } },
  { runId: '4', name: 'four', values: { 'params.lr': '0.1', 'params.optimizer': 'adamw', 'metrics.loss': 1 } },
];

describe('parallel coordinates axes', () => {
  it('scales a numeric axis (numeric text included) between its min and max', () => {
    const axis = buildAxis(runs, 'params.lr');
    assert.equal(axis.kind, 'numeric');
    if (axis.kind !== 'numeric') return;
    assert.equal(axis.min, 0.001);
    assert.equal(axis.max, 0.1);
    assert.equal(axis.positions[0], 1);
    assert.ok(Math.abs(axis.positions[2] - 0.1) < 1e-6, 'the minimum sits at the bottom of the value range');
    assert.ok(axis.positions[1] > axis.positions[2] && axis.positions[1] < axis.positions[0]);
    assert.equal(axis.missingCount, 0);
    assert.ok(!axis.ticks.some((t) => t.label === MISSING_LABEL));
    assert.deepEqual(
      axis.ticks.map((t) => t.label),
      ['0.025', '0.05', '0.075', '0.1'],
    );
    for (const t of axis.ticks) assert.ok(t.position >= 0.1 && t.position <= 1 + 1e-6);
  });

  it('puts NaN and missing metric values on their own tick below the values', () => {
    const axis = buildAxis(runs, 'metrics.loss');
    assert.equal(axis.kind, 'numeric');
    assert.equal(axis.positions[2], MISSING_POSITION);
    assert.equal(axis.missingCount, 1);
    assert.deepEqual(axis.ticks[0], { position: MISSING_POSITION, label: MISSING_LABEL });
    assert.ok(axis.positions[1] > MISSING_POSITION && axis.positions[1] < axis.positions[0]);
  });

  it('makes a text axis categorical, in natural order, with a missing tick', () => {
    const axis = buildAxis(runs, 'params.optimizer');
    assert.equal(axis.kind, 'categorical');
    if (axis.kind !== 'categorical') return;
    assert.deepEqual(axis.categories, ['adam', 'adamw', 'sgd']);
    assert.deepEqual(
      axis.ticks.map((t) => t.label),
      [MISSING_LABEL, 'adam', 'adamw', 'sgd'],
    );
    assert.equal(axis.positions[2], MISSING_POSITION);
    assert.ok(axis.positions[1] < axis.positions[3] && axis.positions[3] < axis.positions[0]);
  });

  it('turns a mostly numeric param with one text value into ordered categories (2 before 10)', () => {
    const axis = buildAxis(runs, 'params.layers');
    assert.equal(axis.kind, 'categorical');
    if (axis.kind !== 'categorical') return;
    assert.deepEqual(axis.categories, ['2', '10', 'deep']);
    assert.equal(axis.missingCount, 1);
  });

  it('centres a constant axis and an axis with a single category', () => {
    const same = buildAxis(runs.slice(0, 1), 'params.lr');
    assert.ok(Math.abs(same.positions[0] - 0.55) < 1e-6);
    assert.equal(same.ticks.length, 1);
    const one = buildAxis(runs.slice(0, 1), 'params.optimizer');
    assert.ok(Math.abs(one.positions[0] - 0.55) < 1e-6);
  });

  it('handles an axis nobody has a value for', () => {
    const axis = buildAxis(runs, 'params.absent');
    assert.equal(axis.missingCount, 4);
    assert.deepEqual(
      axis.ticks.map((t) => t.label),
      [MISSING_LABEL],
    );
  });
});

describe('parallel coordinates brushing', () => {
  const axes = buildAxes(runs, ['params.lr', 'params.optimizer', 'metrics.loss']);
  const kept = new Uint8Array(runs.length);

  it('keeps everything without brushes', () => {
    assert.equal(applyBrushes(axes, [], kept), 4);
    assert.deepEqual([...kept], [1, 1, 1, 1]);
  });

  it('keeps the runs inside a range on one axis', () => {
    assert.equal(applyBrushes(axes, [{ axis: 0, low: 0.9, high: 1 }], kept), 2);
    assert.deepEqual([...kept], [1, 0, 0, 1]);
  });

  it('combines brushes on several axes', () => {
    const sgd = axes[1].ticks.find((t) => t.label === 'sgd')!.position;
    assert.equal(
      applyBrushes(
        axes,
        [
          { axis: 0, low: 0.9, high: 1 },
          { axis: 1, low: sgd - 0.01, high: sgd + 0.01 },
        ],
        kept,
      ),
      1,
    );
    assert.deepEqual([...kept], [1, 0, 0, 0]);
  });

  it('can keep only the runs with a missing value', () => {
    assert.equal(applyBrushes(axes, [{ axis: 2, low: 0, high: 0.05 }], kept), 1);
    assert.deepEqual([...kept], [0, 0, 1, 0]);
  });

  it('describes what a brush keeps', () => {
    assert.equal(describeBrush(axes[0], { axis: 0, low: 0.9, high: 1 }), '0.089 – 0.1');
    assert.equal(describeBrush(axes[1], { axis: 1, low: 0, high: 0.6 }), `${MISSING_LABEL}, adam, adamw`);
    assert.equal(describeBrush(axes[2], { axis: 2, low: 0, high: 0.05 }), MISSING_LABEL);
  });

  describe('on a log scale', () => {
    it('places values by their logarithm, with a tick at each power of ten', () => {
      const axis = buildAxisFromColumn('params.lr', ['0.1', '0.01', '0.001', '0.1'], 'log');
      assert.ok(axis.kind === 'numeric' && axis.scale === 'log');
      assert.equal(axis.positions[0], 1);
      assert.ok(Math.abs(axis.positions[2] - 0.1) < 1e-6);
      assert.ok(Math.abs(axis.positions[1] - 0.55) < 1e-6, '0.01 halfway between 0.001 and 0.1, unlike a linear axis');
      assert.deepEqual(
        axis.ticks.map((t) => t.label),
        ['0.001', '0.01', '0.1'],
      );
      const linear = buildAxisFromColumn('params.lr', ['0.1', '0.01', '0.001', '0.1']);
      assert.ok(linear.kind === 'numeric' && linear.scale === 'linear' && linear.positions[1] < 0.2);
    });

    it('puts zero and negative values on a tick of their own, apart from missing ones, and says so when brushed', () => {
      const axis = buildAxisFromColumn('metrics.gain', [10, 0, -3, null, 1000, NaN], 'log');
      assert.ok(axis.kind === 'numeric');
      assert.equal(axis.nonPositiveCount, 2);
      assert.equal(axis.missingCount, 2);
      assert.deepEqual(
        [...axis.positions].map((p) => +p.toFixed(3)),
        [0.1, NON_POSITIVE_POSITION, NON_POSITIVE_POSITION, MISSING_POSITION, 1, MISSING_POSITION],
      );
      assert.deepEqual(
        axis.ticks.map((t) => t.label),
        [MISSING_LABEL, NON_POSITIVE_LABEL, '10', '100', '1000'],
      );
      assert.equal(axis.min, 10);
      assert.equal(axis.max, 1000);
      assert.equal(describeBrush(axis, { axis: 0, low: 0.02, high: 0.55 }), `${NON_POSITIVE_LABEL}, 10 – 100`);
      const kept = new Uint8Array(6);
      assert.equal(applyBrushes([axis], [{ axis: 0, low: 0.04, high: 0.06 }], kept), 2, 'a brush over the tick keeps the two');
    });

    it('labels a range narrower than two powers of ten by its ends, and copes with no positive value', () => {
      const narrow = buildAxisFromColumn('params.lr', ['0.02', '0.05'], 'log');
      assert.deepEqual(
        narrow.ticks.map((t) => t.label),
        ['0.02', '0.05'],
      );
      const none = buildAxisFromColumn('params.delta', ['0', '-1'], 'log');
      assert.ok(none.kind === 'numeric');
      assert.equal(none.nonPositiveCount, 2);
      assert.ok(Number.isNaN(none.min));
      assert.deepEqual(
        none.ticks.map((t) => t.label),
        [NON_POSITIVE_LABEL],
      );
    });
  });
});
