/**
 * Lazy reading: a search opens only the files its filter and order need, and the whole run
 * only for the page it returns. Counted by watching the real fs.openSync calls.
 */
import * as assert from 'node:assert/strict';
import fs from 'node:fs'; // the module object itself, so that patching openSync reaches the store's calls
import { openFileStore, type FileTrackingStore } from '../../../src/tracking/file';
import { experiment, removeDir, run, tempDir } from './storeBuilder';

describe('file store: lazy reading', () => {
  let root: string;
  let store: FileTrackingStore;
  let opened: string[];
  const realOpen = fs.openSync;

  before(() => {
    root = tempDir();
    experiment(root, '1', 'e');
    for (let i = 0; i < 60; i++) {
      run(root, '1', `r${String(i).padStart(31, '0')}`, {
        start: 1700000000000 + i,
        params: { p: i % 3 === 0 ? 'x' : 'y', q: String(i) },
        metrics: { m0: `1 ${i / 60} 0\n`, m1: `1 ${1 - i / 60} 0\n`, m2: '1 0.5 0\n' },
      });
    }
  });
  after(() => removeDir(root));

  beforeEach(async () => {
    store = await openFileStore(root);
    opened = [];
    (fs as { openSync: typeof fs.openSync }).openSync = ((p: fs.PathLike, ...rest: unknown[]) => {
      opened.push(String(p));
      return (realOpen as (...a: unknown[]) => number)(p, ...rest);
    }) as typeof fs.openSync;
  });
  afterEach(() => {
    (fs as { openSync: typeof fs.openSync }).openSync = realOpen;
    store.dispose();
  });

  const count = (part: string) => opened.filter((p) => p.includes(part)).length;

  it('without filter or order: meta.yaml of every run, the other files of the page only', async () => {
    const res = await store.searchRuns({ experiment_ids: ['1'], max_results: 5 });
    assert.equal(res.runs.length, 5);
    assert.equal(count('/meta.yaml'), 60); // every run's, and not the experiment's (not needed)
    assert.equal(count('/metrics/'), 5 * 3);
    assert.equal(count('/params/'), 5 * 2);
    // The page still carries every latest metric, as the server's does.
    assert.deepEqual(
      res.runs[0].data.metrics?.map((m) => m.key),
      ['m0', 'm1', 'm2'],
    );
  });

  it('a param filter reads that param for every run, metrics for the page only', async () => {
    const res = await store.searchRuns({ experiment_ids: ['1'], filter: "params.p = 'x'", max_results: 5 });
    assert.equal(res.runs.length, 5);
    assert.equal(count('/params/p'), 60 + 5);
    assert.equal(count('/params/q'), 5);
    assert.equal(count('/metrics/'), 5 * 3);
  });

  it('a metric filter plus metric order: the order key only for the runs that pass', async () => {
    const res = await store.searchRuns({ experiment_ids: ['1'], filter: 'metrics.m0 < 0.25', order_by: ['metrics.m1 ASC'], max_results: 5 });
    assert.equal(res.runs.length, 5);
    assert.equal(count('/metrics/m0'), 60 + 5);
    assert.equal(count('/metrics/m1'), 15 + 5); // 15 runs have m0 < 0.25
    assert.equal(count('/metrics/m2'), 5);
    assert.deepEqual(
      res.runs.map((r) => r.data.metrics!.find((m) => m.key === 'm1')!.value),
      [14, 13, 12, 11, 10].map((i) => 1 - i / 60), // m0 < 0.25 keeps i = 0..14; m1 = 1 - i/60 ascending
    );
  });
});
