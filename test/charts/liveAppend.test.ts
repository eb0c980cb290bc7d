/**
 * Charts of a running run grow by what the store appended: the file store reads a metric
 * file from where it stopped (an unfinished last line is read once finished), the data
 * source merges the new points into its typed arrays, and runs are read without reading
 * every metric file for its latest value.
 */
import * as assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChartsDataSource } from '../../src/charts/dataSource';
import { appendColumns, seriesFromColumns } from '../../src/charts/series';
import type { SeriesRequest } from '../../src/protocol/chartsPanel';
import { openFileStore, type FileTrackingStore } from '../../src/tracking/file';
import { openSqliteStore, type SqliteTrackingStore } from '../../src/tracking/sqlite';
import type { MetricReadPosition } from '../../src/tracking/types';
import { experiment, removeDir, run, tempDir } from '../tracking/file/storeBuilder';
import { editedCopy } from '../tracking/sqlite/fixtures';

const columns = (steps: number[], values: number[] = steps.map((s) => s * 10)) => ({
  steps: Float64Array.from(steps),
  timestamps: Float64Array.from(steps, (s) => 1000 + s),
  values: Float64Array.from(values),
});

const request = (metric = 'loss'): SeriesRequest => ({
  type: 'requestSeries',
  requestId: 1,
  metric,
  xAxis: 'step',
  range: null,
  columns: 100,
  smoothing: 0,
  ignoreOutliers: false,
  withStats: false,
  hiddenRuns: [],
});

describe('Appending points to a series', () => {
  it('adds points at or after the last step at the end', () => {
    const grown = appendColumns(seriesFromColumns(columns([0, 1, 2])), columns([2, 3]));
    assert.deepEqual(Array.from(grown.steps), [0, 1, 2, 2, 3]);
    assert.deepEqual(Array.from(grown.values), [0, 10, 20, 20, 30]);
    assert.deepEqual(Array.from(grown.times), [1000, 1001, 1002, 1002, 1003]);
  });

  it('merges points logged for earlier steps in step order, the points held first among equal steps', () => {
    const grown = appendColumns(seriesFromColumns(columns([0, 2, 4], [0, 1, 2])), columns([1, 2, 5], [7, 8, 9]));
    assert.deepEqual(Array.from(grown.steps), [0, 1, 2, 2, 4, 5]);
    assert.deepEqual(Array.from(grown.values), [0, 7, 1, 8, 2, 9]);
  });

  it('counts appended non-finite values without drawing them', () => {
    const grown = appendColumns(seriesFromColumns(columns([0])), columns([1, 2], [NaN, 5]));
    assert.deepEqual(Array.from(grown.steps), [0, 2]);
    assert.equal(grown.nonFinite, 1);
    const onlyNaN = appendColumns(grown, columns([3], [Infinity]));
    assert.equal(onlyNaN.steps.length, 2);
    assert.equal(onlyNaN.nonFinite, 2);
  });
});

describe('File store: reading a growing metric file from where it stopped', () => {
  let root: string;
  let store: FileTrackingStore;
  let file: string;
  beforeEach(async () => {
    root = tempDir('charts-live-');
    experiment(root, '1', 'live');
    const dir = run(root, '1', 'run1', { status: 'RUNNING', metrics: { loss: '1000 0.5 0\n1001 0.4 1\n' } });
    file = join(dir, 'metrics', 'loss');
    store = await openFileStore(root);
  });
  afterEach(() => {
    store.dispose();
    removeDir(root);
  });

  it('returns only the appended lines, and an unfinished last line once its newline is written', async () => {
    const first = await store.getMetricColumnsAfter('run1', 'loss', undefined);
    assert.equal(first.restart, true);
    assert.deepEqual(Array.from(first.columns.steps), [0, 1]);

    appendFileSync(file, '1002 0.3 2\n1003 0.2');
    const second = await store.getMetricColumnsAfter('run1', 'loss', first.position);
    assert.equal(second.restart, false);
    assert.deepEqual(Array.from(second.columns.steps), [2], 'the line without newline (step 3, maybe 30) is not a point yet');

    appendFileSync(file, '5 30\n');
    const third = await store.getMetricColumnsAfter('run1', 'loss', second.position);
    assert.deepEqual(Array.from(third.columns.steps), [30]);
    assert.deepEqual(Array.from(third.columns.values), [0.25]);

    const none = await store.getMetricColumnsAfter('run1', 'loss', third.position);
    assert.equal(none.columns.steps.length, 0);
  });

  it('reads a file that shrank (rewritten) again whole', async () => {
    const first = await store.getMetricColumnsAfter('run1', 'loss', undefined);
    writeFileSync(file, '1000 9 0\n');
    const again = await store.getMetricColumnsAfter('run1', 'loss', first.position);
    assert.equal(again.restart, true);
    assert.deepEqual(Array.from(again.columns.values), [9]);
  });

  it('lists a run and its metric keys without reading metric values', async () => {
    const outline = await store.getRunOutline('run1');
    assert.deepEqual(outline.metricKeys, ['loss']);
    assert.equal(outline.run.data.metrics, undefined);
    assert.equal(outline.run.info.run_id, 'run1');
  });

  it('a data source reads the first charts ahead of the page asking, once', async () => {
    run(root, '1', 'run1', { status: 'RUNNING', metrics: { acc: '1000 1 0\n', zeta: '1000 2 0\n' } });
    const reads: string[] = [];
    const after = store.getMetricColumnsAfter.bind(store);
    store.getMetricColumnsAfter = (runId, key, position) => {
      reads.push(key);
      return after(runId, key, position);
    };
    const data = new ChartsDataSource(store);
    await data.load(['run1']);
    await data.prefetch(2);
    assert.deepEqual(reads, ['acc', 'loss'], 'the first two keys, in the order the grid shows them');
    assert.equal((await data.answer(request())).total, 2);
    assert.deepEqual(reads, ['acc', 'loss'], 'the answer used what was read ahead');
  });

  it('a data source follows the run: appended points are read from the last offset and answered', async () => {
    const offsets: (MetricReadPosition | undefined)[] = [];
    const after = store.getMetricColumnsAfter.bind(store);
    store.getMetricColumnsAfter = (runId, key, position) => {
      offsets.push(position);
      return after(runId, key, position);
    };
    store.getRun = () => Promise.reject(new Error('getRun reads every metric file; the charts must not call it'));
    const data = new ChartsDataSource(store);
    const { metrics } = await data.load(['run1']);
    assert.deepEqual(metrics, ['loss']);
    assert.equal((await data.answer(request())).total, 2);

    appendFileSync(file, '1002 0.3 2\n1003 0.2 3\n');
    run(root, '1', 'run1', { status: 'RUNNING', metrics: { acc: '1000 1 0\n' } }); // a new metric appears (the old files stay)
    assert.deepEqual(await data.refreshRun('run1'), ['acc', 'loss']);
    const grown = await data.answer(request());
    assert.equal(grown.total, 4);
    assert.deepEqual(Array.from(grown.runs[0].y).slice(-2), [0.3, 0.2]);
    assert.equal(offsets.length, 2);
    assert.equal(offsets[0], undefined);
    assert.ok(offsets[1] && offsets[1].offset > 0, 'the second read starts where the first stopped');
    assert.equal((await data.answer(request('acc'))).total, 1);
  });
});

describe('SQLite store: points logged after the last read', () => {
  const RUN = '63b900d056ac49a986bc423b0b1e7025';
  let copy: Awaited<ReturnType<typeof editedCopy>>;
  let store: SqliteTrackingStore;
  before(async () => {
    copy = await editedCopy();
    store = await openSqliteStore(copy.db, { backend: 'sql.js' });
  });
  after(() => {
    store.dispose();
    removeDir(copy.dir);
  });

  const insert = (ts: number, step: number, value: number) =>
    `INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES ('loss', ${value}, ${ts}, '${RUN}', ${step}, 0)`;

  it('reads only rows with a later timestamp, and everything again when an older one appeared', async () => {
    const first = await store.getMetricColumnsAfter(RUN, 'loss', undefined);
    assert.equal(first.restart, true);
    assert.equal(first.columns.steps.length, 1000);
    const latest = Math.max(...first.columns.timestamps);

    await copy.edit([insert(latest + 10, 1000, 0.125), insert(latest + 20, 1001, 0.0625)]);
    const second = await store.getMetricColumnsAfter(RUN, 'loss', first.position);
    assert.equal(second.restart, false);
    assert.deepEqual(Array.from(second.columns.steps), [1000, 1001]);
    assert.deepEqual(Array.from(second.columns.values), [0.125, 0.0625]);

    const none = await store.getMetricColumnsAfter(RUN, 'loss', second.position);
    assert.equal(none.columns.steps.length, 0);

    // Logged in the same millisecond as the last point read: the count at or before it changes.
    await copy.edit([insert(latest + 20, 1002, 1)]);
    const again = await store.getMetricColumnsAfter(RUN, 'loss', none.position);
    assert.equal(again.restart, true);
    assert.equal(again.columns.steps.length, 1003);
  });
});
