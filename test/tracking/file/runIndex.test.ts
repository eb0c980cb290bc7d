/**
 * The run index: a search over an open store answers from memory what it read before, equals
 * a cold answer for any filter and order, and sees each change MLflow makes to a store (or,
 * where README says so, after Refresh: `forgetCachedRuns`).
 */
import * as assert from 'node:assert/strict';
import fs from 'node:fs'; // the module object itself, so that patching openSync reaches the store's calls
import * as path from 'node:path';
import { openFileStore, type FileTrackingStore } from '../../../src/tracking/file';
import { StoreLayout } from '../../../src/tracking/file/layout';
import { RunIndex } from '../../../src/tracking/file/runIndex';
import { RunReader } from '../../../src/tracking/file/runs';
import { parseOrderBy, parseRunFilter, runMatches, sortRuns } from '../../../src/tracking/search';
import type { Run, SearchRunsRequest } from '../../../src/tracking/types';
import { seededRandom } from '../../helpers/seededRandom';
import { experiment, removeDir, run, settle, tempDir, write } from './storeBuilder';

const EXP = '7';
const id = (i: number) => `${i.toString(16).padStart(4, '0')}${'c0ffee'.repeat(5)}ab`.slice(0, 32);

/** A store of `n` runs with keys present or missing at random, NaN metrics, deleted, running and old (name-in-tag) runs. */
function generate(root: string, n: number, seed: number): void {
  const rand = seededRandom(seed);
  experiment(root, EXP, 'generated');
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  for (let i = 0; i < n; i++) {
    const params: Record<string, string> = {};
    const metrics: Record<string, string> = {};
    const tags: Record<string, string> = {};
    if (rand() < 0.9) params.opt = pick(['adam', 'sgd', 'Adam', 'rmsprop']);
    if (rand() < 0.8) params.lr = pick(['0.1', '0.01', '0.001', '1e-4']);
    params.seed = String(Math.floor(rand() * 50));
    for (const key of ['loss', 'acc', 'val/loss']) {
      if (rand() < 0.15) continue;
      let text = '';
      for (let s = 0; s < 3; s++) text += `${1700000000000 + s} ${rand() < 0.05 ? 'nan' : (rand() * 2).toFixed(3)} ${s}\n`;
      metrics[key] = text;
    }
    if (rand() < 0.5) tags.team = pick(['vision', 'nlp', 'Vision']);
    const name = `run-${i % 40}`;
    tags['mlflow.runName'] = name;
    // Same start times in groups of 7: the run_id tiebreak matters.
    const dir = run(root, EXP, id(i), {
      name,
      start: 1700000000000 + Math.floor(i / 7) * 1000,
      status: rand() < 0.1 ? 1 : pick([3, 3, 3, 4, 5]),
      lifecycle: rand() < 0.1 ? 'deleted' : 'active',
      params,
      metrics,
      tags,
    });
    if (i % 11 === 0) {
      // An older run: its name only in the tag.
      const meta = path.join(dir, 'meta.yaml');
      fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace(/^run_name: .*\n/m, ''));
    }
  }
}

function randomFilter(rand: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const clause = () =>
    pick([
      () => `metrics.loss ${pick(['<', '<=', '>', '>=', '=', '!='])} ${(rand() * 2).toFixed(2)}`,
      () => `metrics.\`val/loss\` < ${(rand() * 2).toFixed(2)}`,
      () => `params.opt ${pick(['=', '!=', 'LIKE', 'ILIKE'])} '${pick(['adam', 'sgd', 'ad%', '%a%'])}'`,
      () => `params.lr ${pick(['IS NULL', 'IS NOT NULL'])}`,
      () => `tags.team ${pick(['=', 'ILIKE'])} '${pick(['vision', 'nlp', 'vis%'])}'`,
      () => `attributes.status ${pick(['=', '!='])} '${pick(['RUNNING', 'FINISHED', 'FAILED'])}'`,
      () => `attributes.run_name ${pick(['=', 'LIKE'])} '${pick(['run-1', 'run-2%', '%3'])}'`,
      () => `attributes.start_time > ${1700000000000 + Math.floor(rand() * 40) * 1000}`,
    ])();
  const n = Math.floor(rand() * 3);
  return Array.from({ length: n }, clause).join(' and ');
}

function randomOrder(rand: () => number): string[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const keys = ['metrics.loss', 'metrics.acc', 'params.opt', 'params.seed', 'tags.team', 'attributes.run_name', 'attributes.start_time', 'attributes.status'];
  return Array.from({ length: Math.floor(rand() * 3) }, () => `${pick(keys)} ${pick(['ASC', 'DESC', ''])}`.trim());
}

/** Every page of a search, by its tokens. */
async function allPages(store: FileTrackingStore, req: SearchRunsRequest): Promise<Run[]> {
  const out: Run[] = [];
  let token: string | undefined;
  do {
    const page = await store.searchRuns({ ...req, page_token: token });
    out.push(...page.runs);
    token = page.next_page_token;
  } while (token);
  return out;
}

/** Every run of the experiment read whole with getRun (no search, no index). */
async function everyRun(root: string): Promise<Run[]> {
  const store = await openFileStore(root);
  try {
    const names = fs.readdirSync(path.join(root, EXP)).filter((n) => n !== 'meta.yaml' && n !== 'tags');
    return await Promise.all(names.map((n) => store.getRun(n)));
  } finally {
    store.dispose();
  }
}

/** The answer worked out from whole runs: filtered and sorted by the search module alone. */
function reference(all: Run[], req: SearchRunsRequest): Run[] {
  const view = req.run_view_type ?? 'ACTIVE_ONLY';
  const inView = all.filter((r) => view === 'ALL' || (view === 'ACTIVE_ONLY') === (r.info.lifecycle_stage === 'active'));
  const filter = parseRunFilter(req.filter);
  return sortRuns(
    inView.filter((r) => runMatches(filter, r)),
    parseOrderBy(req.order_by),
  );
}

const ids = (runs: Run[]) => runs.map((r) => r.info.run_id);

describe('file store: run index', function () {
  this.timeout(60_000);
  let root: string;

  afterEach(() => {
    if (root) removeDir(root);
  });

  it('answers random filters and orders on one open store as a cold store and as a reference does', async () => {
    root = tempDir();
    generate(root, 160, 19);
    const rand = seededRandom(1919);
    const all = await everyRun(root);
    const warm = await openFileStore(root);
    try {
      for (let i = 0; i < 30; i++) {
        // Now and then with every run read whole (the background read done), else mid-way.
        if (i % 5 === 4) await warm.runIndexSettled();
        const req: SearchRunsRequest = {
          experiment_ids: [EXP],
          filter: randomFilter(rand),
          order_by: randomOrder(rand),
          run_view_type: (['ACTIVE_ONLY', 'ALL', 'DELETED_ONLY'] as const)[i % 3],
          max_results: [7, 50, 1000][i % 3],
        };
        const what = JSON.stringify(req);
        const fromIndex = await allPages(warm, req);
        const cold = await openFileStore(root);
        const fromCold = await allPages(cold, req).finally(() => cold.dispose());
        assert.deepEqual(fromIndex, fromCold, what);
        assert.deepEqual(ids(fromIndex), ids(reference(all, req)), what);
      }
    } finally {
      warm.dispose();
    }
  });

  it('answers searches running at the same time as one at a time, while runs change', async () => {
    root = tempDir();
    generate(root, 120, 23);
    const rand = seededRandom(2323);
    // The running runs: what a search checks at once (a finished run's meta.yaml is checked after the searches pause).
    const running = fs
      .readdirSync(path.join(root, EXP))
      .filter((n) => n !== 'meta.yaml' && n !== 'tags' && /^status: 1$/m.test(fs.readFileSync(path.join(root, EXP, n, 'meta.yaml'), 'utf8')));
    assert.ok(running.length >= 6, 'the generated store has enough running runs');
    const store = await openFileStore(root);
    try {
      for (let round = 0; round < 6; round++) {
        // A change between rounds: a run finished (meta.yaml rewritten), a metric appended.
        const dir = path.join(root, EXP, running[round]);
        const meta = path.join(dir, 'meta.yaml');
        const text = fs.readFileSync(meta, 'utf8');
        fs.writeFileSync(meta, text.replace(/^status: .*$/m, 'status: 3').replace(/^end_time: .*$/m, `end_time: ${1800000000000 + round}`));
        write(path.join(dir, 'metrics', 'loss'), `9 ${round / 10} 99\n`);
        const reqs: SearchRunsRequest[] = Array.from({ length: 4 }, () => ({
          experiment_ids: [EXP],
          filter: randomFilter(rand),
          order_by: randomOrder(rand),
          max_results: 20,
        }));
        const together = await Promise.all(reqs.map((r) => store.searchRuns(r)));
        const cold = await openFileStore(root);
        try {
          for (let i = 0; i < reqs.length; i++) assert.deepEqual(together[i], await cold.searchRuns(reqs[i]), JSON.stringify(reqs[i]));
        } finally {
          cold.dispose();
        }
      }
    } finally {
      store.dispose();
    }
  });

  describe('sees the changes MLflow makes', () => {
    let store: FileTrackingStore;
    const search = async (filter?: string, order_by?: string[], run_view_type?: SearchRunsRequest['run_view_type']) =>
      ids((await store.searchRuns({ experiment_ids: [EXP], filter, order_by, run_view_type })).runs);
    /**
     * A finished run's meta.yaml rewritten off the page: a search, then the background check it
     * starts, which tells the store's listeners (a view then asks again). Returns whether it did.
     */
    const searchAndCheck = async (filter?: string, run_view_type?: SearchRunsRequest['run_view_type']) => {
      const told: (string | undefined)[] = [];
      const listening = store.onDidChange((e) => told.push(e.experiment_id));
      try {
        await search(filter, undefined, run_view_type);
        await store.runIndexSettled();
      } finally {
        listening.dispose();
      }
      return told.includes(EXP);
    };
    const runDir = (i: number) => path.join(root, EXP, id(i));

    beforeEach(async () => {
      root = tempDir();
      experiment(root, EXP, 'e');
      for (let i = 0; i < 6; i++) {
        run(root, EXP, id(i), {
          start: 1700000000000 + i * 1000,
          status: i === 0 ? 1 : 3,
          params: { p: i % 2 ? 'odd' : 'even' },
          tags: { t: 'a' },
          metrics: { m: `1 ${i} 0\n` },
        });
      }
      store = await openFileStore(root);
      // Index the columns the checks below filter on.
      await search("metrics.m >= 0 and params.p != 'x' and tags.t = 'a'", ['metrics.m DESC']);
    });
    afterEach(() => store.dispose());

    it('a run added', async () => {
      run(root, EXP, id(9), { start: 1700000100000, params: { p: 'odd' }, metrics: { m: '1 0.5 0\n' } });
      assert.deepEqual(await search("params.p = 'odd'"), [id(9), id(5), id(3), id(1)]);
      assert.deepEqual((await search(undefined, ['metrics.m ASC'])).slice(0, 2), [id(0), id(9)]);
    });

    it('a run on the page deleted (meta.yaml rewritten): at once; restored (off the page): after the check; its folder removed: at once', async () => {
      const meta = path.join(runDir(3), 'meta.yaml');
      const text = fs.readFileSync(meta, 'utf8');
      fs.writeFileSync(meta, text.replace('lifecycle_stage: active', 'lifecycle_stage: deleted'));
      assert.deepEqual(await search("params.p = 'odd'"), [id(5), id(1)]);
      assert.deepEqual(await search("params.p = 'odd'", undefined, 'DELETED_ONLY'), [id(3)]);
      fs.writeFileSync(meta, text);
      assert.equal(await searchAndCheck("params.p = 'odd'"), true, 'the check tells the listeners');
      assert.deepEqual(await search("params.p = 'odd'"), [id(5), id(3), id(1)]);
      fs.rmSync(runDir(5), { recursive: true });
      assert.deepEqual(await search("params.p = 'odd'"), [id(3), id(1)]);
    });

    it('the experiment moved to .trash', async () => {
      fs.mkdirSync(path.join(root, '.trash'));
      fs.renameSync(path.join(root, EXP), path.join(root, '.trash', EXP));
      assert.deepEqual(await search("params.p = 'odd'", undefined, 'ALL'), [id(5), id(3), id(1)]);
      fs.rmSync(path.join(root, '.trash', EXP, id(3)), { recursive: true });
      assert.deepEqual(await search("params.p = 'odd'", undefined, 'ALL'), [id(5), id(1)]);
    });

    it('a metric line appended to a running run, a new metric, a param and a tag logged', async () => {
      fs.appendFileSync(path.join(runDir(0), 'metrics', 'm'), '2 10 1\n');
      assert.deepEqual(await search(undefined, ['metrics.m DESC']), [id(0), id(5), id(4), id(3), id(2), id(1)]);
      assert.deepEqual(await search('metrics.m > 9'), [id(0)]);
      write(path.join(runDir(0), 'metrics', 'n'), '1 1 0\n');
      assert.deepEqual(await search('metrics.n = 1'), [id(0)]);
      write(path.join(runDir(0), 'params', 'q'), 'new');
      write(path.join(runDir(0), 'tags', 't'), 'bb');
      assert.deepEqual(await search("params.q = 'new' and tags.t = 'bb'"), [id(0)]);
      const page = (await store.searchRuns({ experiment_ids: [EXP], filter: "params.q = 'new'" })).runs;
      assert.deepEqual(page[0].data.tags, [{ key: 't', value: 'bb' }]);
      assert.deepEqual(
        page[0].data.metrics?.map((m) => [m.key, m.value]),
        [
          ['m', 10],
          ['n', 1],
        ],
      );
    });

    it('a run finished, and renamed', async () => {
      fs.appendFileSync(path.join(runDir(0), 'metrics', 'm'), '3 7 2\n');
      const meta = path.join(runDir(0), 'meta.yaml');
      fs.writeFileSync(
        meta,
        fs
          .readFileSync(meta, 'utf8')
          .replace('status: 1', 'status: 3')
          .replace(/^end_time: .*$/m, 'end_time: 1800000000000'),
      );
      assert.deepEqual(await search("attributes.status = 'RUNNING'"), []);
      assert.deepEqual(await search('metrics.m = 7'), [id(0)]);
      // Finished now, renamed off the page: after the check.
      fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace(/^run_name: .*$/m, 'run_name: renamed-run'));
      assert.equal(await searchAndCheck("attributes.run_name = 'renamed-run'"), true);
      assert.deepEqual(await search("attributes.run_name = 'renamed-run'"), [id(0)]);
      const page = (await store.searchRuns({ experiment_ids: [EXP], filter: "attributes.run_name = 'renamed-run'" })).runs;
      assert.equal(page[0].info.status, 'FINISHED');
      assert.equal(page[0].info.end_time, 1800000000000);
    });

    it('a meta.yaml rewritten in the same clock tick as its stat (same mtime, same size): after the check', async () => {
      const meta = path.join(runDir(3), 'meta.yaml');
      // Whole milliseconds, which utimes sets back exactly, as a coarse file-system clock leaves them.
      const mtime = new Date(Date.now());
      fs.utimesSync(meta, mtime, mtime);
      await searchAndCheck();
      fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace('status: 3', 'status: 4'));
      fs.utimesSync(meta, mtime, mtime);
      assert.equal(await searchAndCheck("attributes.status = 'FAILED'"), true, 'the check tells the listeners');
      assert.deepEqual(await search("attributes.status = 'FAILED'"), [id(3)]);
    });

    it('a tag added to a finished run in the same clock tick as the page read it (same folder mtime): on the next page', async () => {
      const tags = path.join(runDir(2), 'tags');
      const mtime = new Date(Date.now()); // whole milliseconds, which utimes sets back exactly
      fs.utimesSync(tags, mtime, mtime);
      const tagsOf = async () =>
        (await store.searchRuns({ experiment_ids: [EXP], filter: "params.p = 'even'" })).runs.find((r) => r.info.run_id === id(2))?.data.tags;
      assert.deepEqual(await tagsOf(), [{ key: 't', value: 'a' }]);
      write(path.join(tags, 'u'), 'b');
      fs.utimesSync(tags, mtime, mtime);
      assert.deepEqual(await tagsOf(), [
        { key: 't', value: 'a' },
        { key: 'u', value: 'b' },
      ]);
    });

    it('a tag or param added to a finished run: on the page at once, in filters after Refresh', async () => {
      write(path.join(runDir(2), 'tags', 'late'), 'yes');
      write(path.join(runDir(2), 'params', 'late'), 'p');
      // The page is checked against the run's key folders, so the new keys are shown ...
      const page = (await store.searchRuns({ experiment_ids: [EXP], filter: "params.p = 'even'" })).runs;
      const two = page.find((r) => r.info.run_id === id(2))!;
      assert.deepEqual(
        two.data.tags?.map((t) => t.key),
        ['late', 't'],
      );
      assert.deepEqual(
        two.data.params?.map((t) => t.key),
        ['late', 'p'],
      );
      // ... a filter on a key not indexed before reads it ...
      assert.deepEqual(await search("tags.late = 'yes'"), [id(2)]);
      // ... a key indexed before is not read again until Refresh (README: Refresh).
      write(path.join(runDir(4), 'tags', 'late'), 'yes');
      assert.deepEqual(await search("tags.late = 'yes'"), [id(2)]);
      store.forgetCachedRuns();
      assert.deepEqual(await search("tags.late = 'yes'"), [id(4), id(2)]);
    });

    it('a tag rewritten in place on a finished run: after Refresh', async () => {
      fs.writeFileSync(path.join(runDir(3), 'tags', 't'), 'z');
      assert.deepEqual(await search("tags.t = 'z'"), []);
      store.forgetCachedRuns();
      assert.deepEqual(await search("tags.t = 'z'"), [id(3)]);
      assert.deepEqual((await store.searchRuns({ experiment_ids: [EXP], filter: "tags.t = 'z'" })).runs[0].data.tags, [{ key: 't', value: 'z' }]);
    });

    it('a finished run resumed (RUNNING again) off the page: after the check, then its appended metrics at once', async () => {
      const meta = path.join(runDir(2), 'meta.yaml');
      fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace('status: 3', 'status: 1'));
      assert.equal(await searchAndCheck("params.p = 'odd'"), true);
      assert.deepEqual(await search("attributes.status = 'RUNNING'"), [id(2), id(0)]);
      fs.appendFileSync(path.join(runDir(2), 'metrics', 'm'), '5 42 1\n');
      assert.deepEqual(await search('metrics.m = 42'), [id(2)]);
    });

    it('a finished run not changed: the check tells no one', async () => {
      assert.equal(await searchAndCheck("params.p = 'odd'"), false);
    });

    it('a meta.yaml broken, then repaired', async () => {
      const meta = path.join(runDir(4), 'meta.yaml');
      const text = fs.readFileSync(meta, 'utf8');
      fs.writeFileSync(meta, 'status: [');
      assert.deepEqual(await search("params.p = 'even'"), [id(2), id(0)]);
      fs.writeFileSync(meta, text);
      assert.deepEqual(await search("params.p = 'even'"), [id(4), id(2), id(0)]);
    });
  });

  it('once the background read is done, answers new filters, orders and pages without opening a file', async () => {
    root = tempDir();
    generate(root, 120, 7);
    // Written a while ago: files changed in the last seconds are read again (fsRead.changedJustNow).
    settle(root);
    const store = await openFileStore(root);
    const realOpen = fs.openSync;
    const opened: string[] = [];
    // Only the running runs are read again (their files may grow).
    const runningRuns = reference(await everyRun(root), { experiment_ids: [EXP], filter: "attributes.status = 'RUNNING'", run_view_type: 'ALL' });
    const running = new Set(ids(runningRuns));
    assert.ok(running.size > 0, 'the generated store has running runs');
    const runOf = (p: string) => path.relative(path.join(root, EXP), p).split(path.sep)[0];
    try {
      const req = { experiment_ids: [EXP], filter: "metrics.loss < 1 and params.opt = 'adam'", order_by: ['metrics.acc DESC'], max_results: 10 };
      await store.searchRuns(req);
      await store.runIndexSettled();
      (fs as { openSync: typeof fs.openSync }).openSync = ((p: fs.PathLike, ...rest: unknown[]) => {
        opened.push(String(p));
        return (realOpen as (...a: unknown[]) => number)(p, ...rest);
      }) as typeof fs.openSync;
      const refined = await store.searchRuns({ ...req, filter: "metrics.loss < 1.5 and params.opt = 'adam'" });
      const order_by = ['tags.team DESC', 'metrics.loss ASC'];
      const reordered = await store.searchRuns({ ...req, filter: "metrics.loss < 1.5 and params.opt = 'adam'", order_by });
      const next = await store.searchRuns({ ...req, filter: 'metrics.`val/loss` > 0.2', page_token: reordered.next_page_token });
      assert.equal(refined.runs.length, 10);
      assert.equal(next.runs.length, 10);
      assert.deepEqual(
        opened.filter((p) => !running.has(runOf(p))),
        [],
      );
    } finally {
      (fs as { openSync: typeof fs.openSync }).openSync = realOpen;
      store.dispose();
    }
  });

  it("a watched store's first search takes the infos its watcher read, and sees what changed since", async () => {
    root = tempDir();
    generate(root, 120, 11);
    settle(root);
    const before = await everyRun(root);
    const finished = reference(before, { experiment_ids: [EXP], filter: "attributes.status != 'RUNNING'" });
    const running = new Set(ids(reference(before, { experiment_ids: [EXP], filter: "attributes.status = 'RUNNING'", run_view_type: 'ALL' })));
    const store = await openFileStore(root);
    const told: (string | undefined)[] = [];
    // What a view does when it opens a store: listen, which starts the watcher (it reads every meta.yaml).
    const listening = store.onDidChange((e) => told.push(e.experiment_id));
    const realOpen = fs.openSync;
    const opened: string[] = [];
    try {
      // Changed after the watcher read them, unseen by it (a finished run's folder is not watched):
      // one run of the first page renamed, one run far off the page deleted.
      const onPage = finished[2].info.run_id;
      const offPage = finished[finished.length - 3].info.run_id;
      const rewrite = (runId: string, from: RegExp, to: string) => {
        const meta = path.join(root, EXP, runId, 'meta.yaml');
        fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace(from, to));
      };
      rewrite(onPage, /^run_name: .*$/m, 'run_name: renamed-meanwhile');
      rewrite(offPage, /^lifecycle_stage: active$/m, 'lifecycle_stage: deleted');
      const after = await everyRun(root);
      const firstPage = { experiment_ids: [EXP], max_results: 10 };
      (fs as { openSync: typeof fs.openSync }).openSync = ((p: fs.PathLike, ...rest: unknown[]) => {
        opened.push(String(p));
        return (realOpen as (...a: unknown[]) => number)(p, ...rest);
      }) as typeof fs.openSync;
      const page = (await store.searchRuns(firstPage)).runs;
      (fs as { openSync: typeof fs.openSync }).openSync = realOpen;
      const expected = reference(after, firstPage).slice(0, 10);
      assert.deepEqual(ids(page), ids(expected));
      assert.equal(page.find((r) => r.info.run_id === onPage)?.info.run_name, 'renamed-meanwhile', 'the page shows the rename at once');
      const runOf = (p: string) => path.relative(path.join(root, EXP), p).split(path.sep)[0];
      const metaRead = new Set(opened.filter((p) => p.endsWith('meta.yaml')).map(runOf));
      const pageIds = new Set(ids(page));
      assert.deepEqual(
        [...metaRead].filter((r) => !pageIds.has(r) && !running.has(r)),
        [],
        'no meta.yaml read again but those of the page and of running runs',
      );
      // The run deleted off the page: the check after the search finds it and tells the listeners.
      await store.runIndexSettled();
      assert.ok(told.includes(EXP), 'the check announced the deleted run');
      assert.deepEqual(ids(await allPages(store, { experiment_ids: [EXP] })), ids(reference(after, { experiment_ids: [EXP] })));
      assert.ok(!ids(await allPages(store, { experiment_ids: [EXP] })).includes(offPage));
    } finally {
      (fs as { openSync: typeof fs.openSync }).openSync = realOpen;
      listening.dispose();
      store.dispose();
    }
  });

  it('drops an experiment not searched for a while, and everything on dispose', async () => {
    root = tempDir();
    generate(root, 10, 3);
    const layout = new StoreLayout(root, () => undefined);
    const index = new RunIndex(layout, new RunReader(() => undefined), () => undefined, 30);
    index.runsOf(layout.experiment(EXP)!);
    assert.equal(index.experimentCount, 1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(index.experimentCount, 0);
    // Not dropped while its runs are being read in the background (slow on a busy machine), nor right after.
    const exp = layout.experiment(EXP)!;
    index.runsOf(exp);
    index.prefetch(exp.dir);
    await index.settled();
    assert.equal(index.experimentCount, 1);
    index.dispose();
    assert.equal(index.experimentCount, 0);
  });
});
