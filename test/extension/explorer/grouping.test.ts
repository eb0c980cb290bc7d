import * as assert from 'node:assert/strict';
import { countRuns, groupRunsByParent, type RunGroup } from '../../../src/extension/explorer/model/grouping';
import { makeRun } from './runFixtures';

function shape(groups: RunGroup[]): unknown[] {
  return groups.map((g) => (g.children.length ? { [g.run.info.run_id]: shape(g.children) } : g.run.info.run_id));
}

describe('run grouping', () => {
  it('nests runs three levels deep under their parents, keeping the given order', () => {
    const runs = [
      makeRun('sweep'),
      makeRun('lr1', { parent: 'sweep' }),
      makeRun('fold0', { parent: 'lr1' }),
      makeRun('solo'),
      makeRun('fold1', { parent: 'lr1' }),
      makeRun('lr2', { parent: 'sweep' }),
    ];
    assert.deepEqual(shape(groupRunsByParent(runs)), [{ sweep: [{ lr1: ['fold0', 'fold1'] }, 'lr2'] }, 'solo']);
  });

  it('attaches a child listed before its parent', () => {
    const runs = [makeRun('child', { parent: 'parent' }), makeRun('parent')];
    assert.deepEqual(shape(groupRunsByParent(runs)), [{ parent: ['child'] }]);
  });

  it('keeps a run whose parent is not loaded at the top, so nothing loaded is hidden', () => {
    const runs = [makeRun('a', { parent: 'not-loaded' }), makeRun('b')];
    assert.deepEqual(shape(groupRunsByParent(runs)), ['a', 'b']);
  });

  it('survives a parent cycle and a run naming itself as parent', () => {
    const runs = [makeRun('x', { parent: 'y' }), makeRun('y', { parent: 'x' }), makeRun('self', { parent: 'self' })];
    const groups = groupRunsByParent(runs);
    assert.equal(countRuns(groups), 3);
    assert.ok(groups.some((g) => g.run.info.run_id === 'self'));
  });

  it('ignores a run listed twice', () => {
    const runs = [makeRun('a'), makeRun('a')];
    assert.equal(countRuns(groupRunsByParent(runs)), 1);
  });
});
