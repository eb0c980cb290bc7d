/**
 * The compare page in real headless Chromium, under its real CSP, fed with runs read from
 * the demo store (written by real MLflow 3.6) plus one run named like an XSS attack.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadCompareRuns, loadMetricStats } from '../../src/compare/loadRuns';
import { buildCompareTable, type CompareRunInput } from '../../src/compare/rows';
import type { CompareToPage } from '../../src/protocol/compare';
import { openTrackingStore } from '../../src/tracking';
import type { Run } from '../../src/tracking/types';
import { repoRoot } from '../harness/paths';
import { WebviewHarness, type WebviewPage } from './harness';

const BASELINE = 'b8dbec4c0e2d4fb08a1491543914eef7'; // baseline-cnn: epochs 20
const LR = 'b62d314b62134ce2add0969fb1babc49'; // lr-0.01: epochs 10
const XSS_NAME = '<img src=x onerror=alert(1)>';
const XSS_PARAM = '</script><script>window.__ran = 1</script>';

const xssRun: Run = {
  info: { run_id: 'f'.repeat(32), run_name: XSS_NAME, experiment_id: '1', status: 'FINISHED', lifecycle_stage: 'active' },
  data: { params: [{ key: 'epochs', value: XSS_PARAM }], metrics: [{ key: 'loss', value: 0.01, timestamp: 0, step: 0 }], tags: [] },
};

describe('Compare page (Chromium)', function () {
  this.timeout(60_000);
  let harness: WebviewHarness;
  let inputs: CompareRunInput[];

  before(async () => {
    harness = await WebviewHarness.start();
    const store = await openTrackingStore(path.join(repoRoot, 'demo/mlruns'));
    try {
      const loaded = await loadCompareRuns(store, [BASELINE, LR]);
      assert.deepEqual(loaded.problems, []);
      const stats = await loadMetricStats(
        store,
        loaded.inputs.map((i) => i.run),
      );
      inputs = loaded.inputs.map((input, i) => ({ ...input, metricStats: stats[i] }));
    } finally {
      store.dispose();
    }
  });
  after(() => harness?.stop());

  async function open(runs: CompareRunInput[], state?: unknown): Promise<WebviewPage> {
    const page = await harness.open('compare', { state });
    await page.waitForMessage((m) => m.type === 'ready', 'ready');
    const message: CompareToPage = {
      type: 'table',
      request: {
        storeUri: 'file:///demo/mlruns',
        runs: runs.map((i) => ({ run_id: i.run.info.run_id, experiment_id: i.run.info.experiment_id, run_name: i.run.info.run_name ?? '' })),
      },
      table: buildCompareTable(runs),
      directions: {},
      loadingStats: false,
      live: false,
    };
    await page.post(message);
    await page.page.waitForSelector('.cell.header[data-run]');
    return page;
  }

  const headers = (page: WebviewPage) => page.page.$$eval('.cell.header[data-run] .run-name', (nodes) => nodes.map((n) => n.textContent));
  const rowCells = (page: WebviewPage, rowId: string) =>
    page.page.$$eval(`.cell[data-row="${rowId}"]`, (nodes) => nodes.map((n) => ({ text: n.textContent, className: n.className })));

  it('shows both runs and highlights a differing param, but not an equal one', async () => {
    const page = await open(inputs);
    try {
      assert.deepEqual(await headers(page), ['baseline-cnn', 'lr-0.01']);
      const epochs = await rowCells(page, 'params.epochs');
      assert.deepEqual(
        epochs.filter((c) => c.className.includes('value')).map((c) => c.text),
        ['20', '10'],
      );
      assert.ok(
        epochs.every((c) => c.className.includes('differs')),
        JSON.stringify(epochs),
      );
      const lr = await rowCells(page, 'params.lr');
      assert.ok(lr.length > 0 && lr.every((c) => !c.className.includes('differs')), JSON.stringify(lr));
      const count = await page.page.textContent('.count');
      assert.match(count ?? '', /^2 runs · \d+ of \d+ rows · \d+ differ$/);
      assert.deepEqual(await page.violations(), []);
      assert.deepEqual(await page.pageErrors(), []);
    } finally {
      await page.close();
    }
  });

  it('shows only the differing rows when asked, and filters by key', async () => {
    const page = await open(inputs);
    try {
      await page.page.check('#only-diffs');
      const rows = await page.page.$$eval('.cell.key', (nodes) => nodes.map((n) => n.getAttribute('data-row')));
      assert.ok(rows.includes('params.epochs'));
      assert.ok(!rows.includes('params.lr'), rows.join(', '));
      await page.page.uncheck('#only-diffs');
      await page.page.fill('.filter', 'batch');
      assert.deepEqual(await page.page.$$eval('.cell.key', (nodes) => nodes.map((n) => n.getAttribute('data-row'))), ['params.batch_size']);
      await page.page.fill('.filter', 'no such key');
      assert.equal(await page.page.isVisible('.empty'), true);
      const state = (await page.savedState()) as { filter: string };
      assert.equal(state.filter, 'no such key', 'the filter survives a reload');
    } finally {
      await page.close();
    }
  });

  it('sorts the runs by a row, marks the best value and switches the direction', async () => {
    const page = await open(inputs);
    try {
      await page.page.click('.cell.key[data-row="params.epochs"] .key-label');
      assert.deepEqual(await headers(page), ['lr-0.01', 'baseline-cnn'], 'ascending: 10 before 20');
      await page.page.click('.cell.key[data-row="params.epochs"] .key-label');
      assert.deepEqual(await headers(page), ['baseline-cnn', 'lr-0.01'], 'descending');
      assert.match((await page.page.textContent('.cell.key[data-row="params.epochs"] .key-label')) ?? '', /▼$/);

      const best = async () => (await rowCells(page, 'metrics.accuracy')).filter((c) => c.className.includes('best')).length;
      assert.equal(await best(), 1);
      const bestRun = await page.page.getAttribute('.cell.best[data-row="metrics.accuracy"]', 'data-run');
      await page.page.click('.cell.key[data-row="metrics.accuracy"] .direction');
      const message = await page.waitForMessage((m) => m.type === 'setDirection', 'setDirection');
      assert.deepEqual(message, { type: 'setDirection', metric: 'accuracy', direction: 'lower' });
      const other = await page.page.getAttribute('.cell.best[data-row="metrics.accuracy"]', 'data-run');
      assert.notEqual(other, bestRun);
    } finally {
      await page.close();
    }
  });

  it('asks the extension to copy the rows and run order shown, and to reveal a run', async () => {
    const page = await open(inputs);
    try {
      await page.page.fill('.filter', 'epochs');
      await page.page.click('text=Copy as CSV');
      const copy = await page.waitForMessage((m) => m.type === 'copy', 'copy');
      assert.deepEqual(copy, { type: 'copy', format: 'csv', rowIds: ['params.epochs'], order: [0, 1] });
      await page.page.click(`.cell.header[data-run="${LR}"] button`);
      assert.deepEqual(await page.waitForMessage((m) => m.type === 'reveal', 'reveal'), { type: 'reveal', runId: LR });
    } finally {
      await page.close();
    }
  });

  it('renders a run named like markup and a param holding a script as text; nothing runs', async () => {
    const page = await open([inputs[0], { run: xssRun }]);
    try {
      assert.deepEqual(await headers(page), ['baseline-cnn', XSS_NAME]);
      const epochs = await rowCells(page, 'params.epochs');
      assert.ok(
        epochs.some((c) => c.text === XSS_PARAM),
        JSON.stringify(epochs),
      );
      assert.equal(await page.page.$$eval('img, script:not([nonce])', (nodes) => nodes.length), 0);
      assert.equal(await page.page.evaluate(() => (window as any).__ran), undefined);
      assert.deepEqual(await page.pageErrors(), []);
    } finally {
      await page.close();
    }
  });

  it('keeps only the cells in view with 100 runs and 500 keys, and scrolls to the last', async () => {
    const many: CompareRunInput[] = Array.from({ length: 100 }, (_, r) => ({
      run: {
        info: { run_id: r.toString(16).padStart(32, '0'), run_name: `run-${r}`, experiment_id: '1', status: 'FINISHED', lifecycle_stage: 'active' },
        data: { params: Array.from({ length: 500 }, (_, k) => ({ key: `p${String(k).padStart(3, '0')}`, value: String((r * k) % 7) })) },
      },
    }));
    const page = await open(many);
    try {
      const count = await page.page.$$eval('.cell', (nodes) => nodes.length);
      assert.ok(count < 1500, `${count} cells for 100 × 500`);
      await page.page.$eval('.scroller', (s) => s.scrollTo(s.scrollWidth, s.scrollHeight));
      await page.page.waitForSelector('.cell.header[data-run="00000000000000000000000000000063"]');
      await page.page.waitForSelector('.cell.key[data-row="params.p499"]');
    } finally {
      await page.close();
    }
  });
});
