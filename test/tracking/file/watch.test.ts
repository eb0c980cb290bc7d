/**
 * Change subscription on a temp copy of the reference store, and proof that reading
 * never writes into a store.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openFileStore, type FileTrackingStore } from '../../../src/tracking/file';
import type { StoreChangeEvent } from '../../../src/tracking/types';
import { STORE_ROOT } from './recorded';
import { experiment, removeDir, run, snapshot, tempDir } from './storeBuilder';

const MNIST = '212911124069009075';
const LIVE_RUN = '6afa82485fcb4fa899c67f65cbbd7850'; // RUNNING in the reference store
const FINISHED_RUN = '08fcbe1b542c478a85a0e69209d4bd03';

function nextEvent(events: StoreChangeEvent[], timeoutMs = 3000): Promise<StoreChangeEvent> {
  const start = events.length;
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = setInterval(() => {
      if (events.length > start) {
        clearInterval(tick);
        resolve(events[start]);
      } else if (Date.now() - t0 > timeoutMs) {
        clearInterval(tick);
        reject(new Error('no change event'));
      }
    }, 20);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('file store: change subscription', function () {
  this.timeout(15000);
  let dir: string;
  let root: string;
  let store: FileTrackingStore;
  let events: StoreChangeEvent[];
  let sub: { dispose(): void };

  beforeEach(async () => {
    dir = tempDir();
    root = path.join(dir, 'mlruns');
    fs.cpSync(STORE_ROOT, root, { recursive: true });
    store = await openFileStore(root);
    events = [];
    sub = store.onDidChange((e) => events.push(e));
    await sleep(50);
  });
  afterEach(() => {
    sub.dispose();
    store.dispose();
    removeDir(dir);
  });

  it('watches narrowly: root, trash, experiments, and only running runs', () => {
    // root + .trash + 4 experiment folders (0, two active, one trashed) + the one RUNNING run's folder and metrics/.
    assert.equal(store.watchCount, 2 + 4 + 2);
  });

  it('fires when a new run folder appears, and the new run is found', async () => {
    const wait = nextEvent(events);
    const newRun = 'e'.repeat(32);
    run(root, MNIST, newRun, { name: 'fresh', status: 1, metrics: { loss: '1 0.5 0\n' } });
    const e = await wait;
    assert.equal(e.experiment_id, MNIST);
    assert.equal((await store.getRun(newRun)).info.run_name, 'fresh');
    // The new run is RUNNING, so it is watched now: an appended point fires with its id.
    const wait2 = nextEvent(events);
    fs.appendFileSync(path.join(root, MNIST, newRun, 'metrics', 'loss'), '2 0.25 1\n');
    assert.deepEqual(await wait2, { experiment_id: MNIST, run_id: newRun });
  });

  it('fires once (debounced) for a burst of appended points, with the run id; the latest value follows', async () => {
    const file = path.join(root, MNIST, LIVE_RUN, 'metrics', 'loss');
    const before = (await store.getRun(LIVE_RUN)).data.metrics!.find((m) => m.key === 'loss')!;
    const wait = nextEvent(events);
    for (let i = 1; i <= 20; i++) fs.appendFileSync(file, `${before.timestamp + i} ${0.001 * i} ${before.step + i}\n`);
    const e = await wait;
    assert.deepEqual(e, { experiment_id: MNIST, run_id: LIVE_RUN });
    await sleep(400);
    assert.equal(events.length, 1, 'one event for the burst');
    const after = (await store.getRun(LIVE_RUN)).data.metrics!.find((m) => m.key === 'loss')!;
    assert.deepEqual([after.step, after.value], [before.step + 20, 0.02]);
  });

  it('fires when a running run finishes (meta.yaml rewritten)', async () => {
    const meta = path.join(root, MNIST, LIVE_RUN, 'meta.yaml');
    const wait = nextEvent(events);
    fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace(/^status: 1$/m, 'status: 3'));
    assert.equal((await wait).run_id, LIVE_RUN);
    assert.equal((await store.getRun(LIVE_RUN)).info.status, 'FINISHED');
  });

  it('fires when an experiment is created, and then watches it for new runs', async () => {
    const wait = nextEvent(events);
    experiment(root, '5', 'new-exp');
    await wait;
    assert.deepEqual((await store.getExperiment('5')).name, 'new-exp');
    const wait2 = nextEvent(events);
    run(root, '5', 'c'.repeat(32));
    assert.equal((await wait2).experiment_id, '5');
  });

  it('stops watching when the last listener is disposed', async () => {
    sub.dispose();
    assert.equal(store.watchCount, 0);
    run(root, MNIST, 'd'.repeat(32));
    await sleep(400);
    assert.deepEqual(events, []);
  });
});

describe('file store: never writes into the store', () => {
  it('leaves every file, folder and mtime as it was after reading everything', async () => {
    const dir = tempDir();
    const root = path.join(dir, 'mlruns');
    try {
      fs.cpSync(STORE_ROOT, root, { recursive: true });
      const before = snapshot(root);
      const store = await openFileStore(root);
      const sub = store.onDidChange(() => undefined);
      const exps = (await store.searchExperiments({ view_type: 'ALL' })).experiments;
      const { runs } = await store.searchRuns({ experiment_ids: exps.map((e) => e.experiment_id), run_view_type: 'ALL' });
      for (const r of runs) {
        await store.getRun(r.info.run_id);
        for (const m of r.data.metrics ?? []) await store.getMetricHistory(r.info.run_id, m.key);
        for (const f of await store.listArtifacts(r.info.run_id)) if (!f.is_dir) await store.readArtifact(r.info.run_id, f.path);
      }
      await store.searchRuns({ experiment_ids: [MNIST], filter: 'metrics.loss < 0.5', order_by: ['params.lr DESC'] });
      await store.searchRegisteredModels();
      await store.searchModelVersions();
      await store.searchLoggedModels({ experiment_ids: exps.map((e) => e.experiment_id) });
      await store.getRun(FINISHED_RUN);
      sub.dispose();
      store.dispose();
      assert.ok(runs.length >= 20);
      assert.deepEqual(snapshot(root), before);
    } finally {
      removeDir(dir);
    }
  });
});
