import * as assert from 'node:assert/strict';
import { sameExperiments, sameRuns } from '../../../src/extension/explorer/model/changes';
import type { Experiment } from '../../../src/tracking/types';
import { makeRun } from './runFixtures';

const experiment = (id: string, name: string, stage = 'active'): Experiment => ({ experiment_id: id, name, lifecycle_stage: stage }) as Experiment;

describe('What a reload changed (Runs view redraws)', () => {
  it('finds nothing changed when a reload reads the same runs again (new objects, same content)', () => {
    const before = [makeRun('a', { name: 'one', metrics: { loss: 0.5 } }), makeRun('b', { name: 'two', params: { lr: '0.1' } })];
    const after = [makeRun('a', { name: 'one', metrics: { loss: 0.5 } }), makeRun('b', { name: 'two', params: { lr: '0.1' } })];
    assert.ok(sameRuns(before, after));
    assert.ok(sameRuns([], []));
  });

  it('sees a new point, a status change, a run added, removed or reordered', () => {
    const before = [makeRun('a', { metrics: { loss: 0.5 }, status: 'RUNNING' }), makeRun('b')];
    assert.equal(sameRuns(before, [makeRun('a', { metrics: { loss: 0.4 }, status: 'RUNNING' }), makeRun('b')]), false, 'a metric value');
    assert.equal(sameRuns(before, [makeRun('a', { metrics: { loss: 0.5 }, status: 'FINISHED' }), makeRun('b')]), false, 'the status');
    assert.equal(sameRuns(before, [...before, makeRun('c')]), false, 'a run added');
    assert.equal(sameRuns(before, before.slice(0, 1)), false, 'a run removed');
    assert.equal(sameRuns(before, [before[1], before[0]]), false, 'the order');
    assert.equal(sameRuns(before, [before[0], makeRun('b', { tags: { note: 'x' } })]), false, 'a tag');
  });

  it('sees experiments renamed, deleted, added; not the same list read again', () => {
    const before = [experiment('1', 'mnist'), experiment('2', 'iris')];
    assert.ok(sameExperiments(before, [experiment('1', 'mnist'), experiment('2', 'iris')]));
    assert.equal(sameExperiments(before, [experiment('1', 'mnist-v2'), experiment('2', 'iris')]), false);
    assert.equal(sameExperiments(before, [experiment('1', 'mnist', 'deleted'), experiment('2', 'iris')]), false);
    assert.equal(sameExperiments(before, [...before, experiment('3', 'new')]), false);
  });
});
