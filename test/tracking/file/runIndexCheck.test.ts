/**
 * The background check of the run index: a burst of searches pays for one pass over the runs,
 * a search during a pass gets a pass of its own after it (a run the pass had already checked may
 * have changed before that search), and a stopped check checks nothing more.
 */
import * as assert from 'node:assert/strict';
import { BackgroundRunCheck } from '../../../src/tracking/file/runIndexCheck';
import type { IndexedRun } from '../../../src/tracking/file/runIndexEntry';

/** Runs that are only counted: the check calls `check` once per run per pass. */
function countedRuns(n: number, changedOn: (pass: number, i: number) => boolean = () => false) {
  const entries = Array.from({ length: n }, (_, i) => ({ i }) as unknown as IndexedRun);
  const state = { checks: 0, passes: 0, changed: [] as string[], onPassStart: () => undefined as void };
  const runs = {
    entries: (dir: string) => {
      if (dir === 'gone') return undefined;
      state.passes++;
      state.onPassStart();
      return entries;
    },
    check: (entry: IndexedRun) => {
      state.checks++;
      return changedOn(state.passes, (entry as unknown as { i: number }).i);
    },
    changed: (dir: string) => void state.changed.push(dir),
  };
  return { runs, state };
}

describe('file store: run index background check', () => {
  it('checks once after a burst of searches, and tells of a change', async () => {
    const { runs, state } = countedRuns(50, (_pass, i) => i === 7);
    const check = new BackgroundRunCheck(runs, 20);
    for (let i = 0; i < 5; i++) check.ask('exp');
    await check.settled();
    assert.equal(state.passes, 1);
    assert.equal(state.checks, 50);
    assert.deepEqual(state.changed, ['exp']);
  });

  it('tells no one when nothing changed, and skips an experiment no longer indexed', async () => {
    const { runs, state } = countedRuns(10);
    const check = new BackgroundRunCheck(runs, 0);
    check.ask('exp');
    check.ask('gone');
    await check.settled();
    assert.equal(state.checks, 10);
    assert.deepEqual(state.changed, []);
  });

  it('a search during a pass gets another pass after it', async () => {
    const { runs, state } = countedRuns(20);
    const check = new BackgroundRunCheck(runs, 0);
    state.onPassStart = () => {
      if (state.passes === 1) check.ask('exp');
    };
    check.ask('exp');
    await check.settled();
    assert.equal(state.passes, 2);
    assert.equal(state.checks, 40);
  });

  it('checks nothing once stopped', async () => {
    const { runs, state } = countedRuns(10);
    const check = new BackgroundRunCheck(runs, 10);
    check.ask('exp');
    check.stop();
    await check.settled();
    check.ask('exp');
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(state.checks, 0);
    assert.equal(check.busy, false);
  });
});
