import * as assert from 'node:assert/strict';
import { CoalescingRunner } from '../../../src/extension/shared/coalescingRunner';

/** A runner over sets of names whose work waits until the test releases it. */
function gatedRunner() {
  const runs: string[][] = [];
  const gates: (() => void)[] = [];
  const runner = new CoalescingRunner<Set<string>>(
    async (names) => {
      runs.push([...names].sort());
      await new Promise<void>((resolve) => gates.push(resolve));
    },
    (a, b) => new Set([...a, ...b]),
  );
  const release = async () => {
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    gates.shift()!();
  };
  return { runner, runs, release };
}

describe('CoalescingRunner (one running, one queued)', () => {
  it('runs a request made during a run afterwards, with its own argument', async () => {
    const { runner, runs, release } = gatedRunner();
    const a = runner.run(new Set(['A']));
    const b = runner.run(new Set(['B']));
    let bDone = false;
    void b.then(() => (bDone = true));
    await release();
    await a;
    assert.equal(bDone, false, "B's promise does not settle with A's run");
    await release();
    await b;
    assert.deepEqual(runs, [['A'], ['B']]);
  });

  it('merges every request made during one run into a single queued run', async () => {
    const { runner, runs, release } = gatedRunner();
    const first = runner.run(new Set(['A']));
    const queued = [runner.run(new Set(['B'])), runner.run(new Set(['C'])), runner.run(new Set(['B']))];
    await release();
    await release();
    await Promise.all([first, ...queued]);
    assert.deepEqual(runs, [['A'], ['B', 'C']]);
    assert.equal(runner.busy, false);
  });

  it('rejects only the callers of the run that failed, and keeps going', async () => {
    let calls = 0;
    const runner = new CoalescingRunner<void>(
      async () => {
        calls++;
        if (calls === 1) throw new Error('first fails');
      },
      () => undefined,
    );
    const first = runner.run();
    const second = runner.run();
    await assert.rejects(first, /first fails/);
    await second;
    assert.equal(calls, 2);
    await runner.run();
    assert.equal(calls, 3);
  });
});
