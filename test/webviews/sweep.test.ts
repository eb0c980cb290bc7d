/**
 * The sweep page in real headless Chromium under its real CSP: parallel coordinates of
 * 10,000 runs (drawn, brushed, the kept runs counted and sent on) and a scatter plot
 * (hover names a run, click reveals it), with store strings shaped like XSS attacks.
 */
import * as assert from 'node:assert/strict';
import type { SweepToPage } from '../../src/protocol/compare';
import { sweepData, XSS_KEY, XSS_NAME } from '../helpers/sweepFixture';
import { WebviewHarness, type WebviewPage } from './harness';
import { INTL_USES_INIT_SCRIPT, intlUses } from './intlUses';

describe('Sweep page (Chromium)', function () {
  this.timeout(90_000);
  let harness: WebviewHarness;
  before(async () => (harness = await WebviewHarness.start()));
  after(() => harness?.stop());

  async function open(message: SweepToPage, state?: unknown, initScript?: string): Promise<WebviewPage> {
    const page = await harness.open('sweep', { state, viewport: { width: 1200, height: 800 }, initScript });
    await page.waitForMessage((m) => m.type === 'ready', 'ready');
    await page.post(message);
    return page;
  }

  const paintedPixels = (page: WebviewPage) =>
    page.page.$eval('canvas.plot', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return painted;
    });

  it('draws parallel coordinates of 10,000 runs with one axis per param and the metric last', async () => {
    const page = await open(sweepData(10_000, 'parallel'));
    try {
      await page.page.waitForSelector('body[data-kept="10000"]');
      const titles = await page.page.$$eval('.axis-title', (nodes) => nodes.map((n) => n.textContent));
      assert.equal(titles[titles.length - 1], 'metrics.loss');
      assert.ok(titles.includes(XSS_KEY), 'a key shaped like markup is an axis title, as text');
      assert.ok((await paintedPixels(page)) > 50_000, 'lines were drawn');
      assert.equal(await page.page.textContent('.count'), '10,000 of 10,000 runs kept');
      assert.match((await page.page.textContent('.heading')) ?? '', /^lr-search: 10,000 runs matching params\.optimizer != 'rmsprop'$/);
      assert.deepEqual(await page.violations(), []);
      assert.deepEqual(await page.pageErrors(), []);
    } finally {
      await page.close();
    }
  });

  it('keeps the runs inside a dragged range, combines axes, and sends the kept runs on to Plot Metrics', async () => {
    const page = await open(sweepData(10_000, 'parallel'));
    try {
      await page.page.waitForSelector('body[data-kept="10000"]');
      const box = (await page.page.locator('canvas.plot').boundingBox())!;
      const kept = async () => Number(await page.page.getAttribute('body', 'data-kept'));
      // The first axis sits 70 px in from the left; drag over its top third.
      await page.page.mouse.move(box.x + 70, box.y + 2);
      await page.page.mouse.down();
      await page.page.mouse.move(box.x + 70, box.y + box.height / 3, { steps: 5 });
      await page.page.mouse.up();
      const one = await kept();
      assert.ok(one > 0 && one < 10_000, `kept ${one}`);
      assert.equal(await page.page.textContent('.count'), `${one.toLocaleString('en-US')} of 10,000 runs kept`);

      const lastAxisX = box.width - 90;
      await page.page.mouse.move(box.x + lastAxisX, box.y + box.height - 30);
      await page.page.mouse.down();
      await page.page.mouse.move(box.x + lastAxisX, box.y + box.height / 2, { steps: 5 });
      await page.page.mouse.up();
      const two = await kept();
      assert.ok(two < one, `a second axis narrows: ${two} < ${one}`);

      await page.page.click('button:text-is("Plot Metrics")');
      const plot = await page.waitForMessage((m) => m.type === 'plot', 'plot');
      assert.equal(plot.runIds.length, two);

      // A click on an axis without dragging clears its range.
      await page.page.mouse.click(box.x + lastAxisX, box.y + box.height / 2);
      assert.equal(await kept(), one);
      await page.page.click('button:text-is("Clear")');
      assert.equal(await kept(), 10_000);
      assert.equal(await page.page.isDisabled('button:text-is("Compare")'), false);
    } finally {
      await page.close();
    }
  });

  it('names the run under the pointer in a text tooltip and reveals it on click', async () => {
    const page = await open(sweepData(2_000, 'scatter'), {
      storeUri: 'file:///sweep/mlruns',
      experimentId: '7',
      mode: 'scatter',
      x: 'params.lr',
      y: 'metrics.loss',
    });
    try {
      await page.page.waitForSelector('canvas.plot');
      const box = (await page.page.locator('canvas.plot').boundingBox())!;
      assert.ok((await paintedPixels(page)) > 1000, 'points were drawn');
      // Run 0 has the largest x and y: the top-right corner of the plot area (margins 24 right, 16 top).
      const corner = { x: box.x + box.width - 24, y: box.y + 16 };
      await page.page.mouse.move(corner.x, corner.y);
      await page.page.waitForSelector('.tooltip:not([hidden])');
      const lines = await page.page.$$eval('.tooltip div', (nodes) => nodes.map((n) => n.textContent));
      assert.equal(lines[0], XSS_NAME);
      assert.deepEqual(lines.slice(1), ['params.lr: 0.5', 'metrics.loss: 10']);
      await page.page.mouse.down();
      await page.page.mouse.up();
      assert.deepEqual(await page.waitForMessage((m) => m.type === 'reveal', 'reveal'), { type: 'reveal', runId: '0'.repeat(32) });

      // A box over the left part (lr is spread over 1e-4 to 0.1, run 0 alone at 0.5) selects some runs.
      await page.page.mouse.move(box.x + 85, box.y + box.height / 2);
      await page.page.mouse.down();
      await page.page.mouse.move(box.x + box.width * 0.2, box.y + box.height - 45, { steps: 4 });
      await page.page.mouse.up();
      const selected = Number(await page.page.getAttribute('body', 'data-kept'));
      assert.ok(selected > 0 && selected < 2000, `selected ${selected}`);
      await page.page.click('button:text-is("Compare")');
      assert.equal((await page.waitForMessage((m) => m.type === 'compare', 'compare')).runIds.length, selected);

      assert.equal(await page.page.$$eval('img', (nodes) => nodes.length), 0);
      assert.equal(await page.page.evaluate(() => (window as any).__ran), undefined);
      assert.deepEqual(await page.violations(), []);
      assert.deepEqual(await page.pageErrors(), []);
    } finally {
      await page.close();
    }
  });

  it('switches a numeric axis to a log scale and back, remembered with the page', async () => {
    const page = await open(sweepData(2_000, 'parallel'));
    try {
      await page.page.waitForSelector('body[data-kept="2000"]');
      const toggle = page.page.locator('.axis-scale[data-key="params.lr"]');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      assert.equal(await page.page.locator('.axis-scale[data-key="params.optimizer"]').count(), 0, 'a categorical axis has no scale');
      const linear = await page.page.$eval('canvas.plot', (c) => (c as HTMLCanvasElement).toDataURL());
      await toggle.click();
      await page.page.waitForSelector('.axis-scale[data-key="params.lr"][aria-pressed="true"]');
      const log = await page.page.$eval('canvas.plot', (c) => (c as HTMLCanvasElement).toDataURL());
      assert.notEqual(log, linear, 'the lines are drawn again on the log axis');
      assert.equal(await page.page.textContent('.count'), '2,000 of 2,000 runs kept');
      assert.deepEqual(((await page.savedState()) as { logAxes?: string[] }).logAxes, ['params.lr']);
      await page.page.click('.axis-scale[data-key="params.lr"]');
      await page.page.waitForSelector('.axis-scale[data-key="params.lr"][aria-pressed="false"]');
      assert.equal(await page.page.$eval('canvas.plot', (c) => (c as HTMLCanvasElement).toDataURL()), linear, 'back to the linear drawing');
      assert.deepEqual(await page.violations(), []);
      assert.deepEqual(await page.pageErrors(), []);
    } finally {
      await page.close();
    }
  });

  it('puts a scatter axis on a log scale, and says how many runs have no point there (zero or negative values)', async () => {
    const data = sweepData(2_000, 'scatter');
    for (let i = 1; i <= 30; i++) data.columns['params.lr'][i] = i % 2 ? '0' : '-0.5';
    const page = await open(data, { storeUri: 'file:///sweep/mlruns', experimentId: '7', mode: 'scatter', x: 'params.lr', y: 'metrics.loss' });
    try {
      await page.page.waitForSelector('canvas.plot');
      assert.equal(await page.page.isHidden('.scatter .note'), true);
      const linear = await page.page.$eval('canvas.plot', (c) => (c as HTMLCanvasElement).toDataURL());
      await page.page.check('input[name="logX"]');
      await page.page.waitForSelector('.scatter .note:not([hidden])');
      assert.equal(await page.page.textContent('.scatter .note'), '30 runs with params.lr ≤ 0 have no point on its log scale');
      assert.notEqual(await page.page.$eval('canvas.plot', (c) => (c as HTMLCanvasElement).toDataURL()), linear);
      assert.equal(await page.page.isChecked('input[name="logX"]'), true);
      assert.equal(await page.page.isDisabled('input[name="logY"]'), false, 'the loss metric is numeric');
      await page.page.selectOption('select[aria-label="X"]', 'params.optimizer');
      assert.equal(await page.page.isDisabled('input[name="logX"]'), true, 'a categorical axis has no log scale');
      assert.equal(await page.page.isHidden('.scatter .note'), true);
      assert.deepEqual(await page.violations(), []);
      assert.deepEqual(await page.pageErrors(), []);
    } finally {
      await page.close();
    }
  });

  it('counts its runs without formatting numbers through Intl (which loads the locale data first), grouped all the same', async () => {
    const data = sweepData(12_345, 'scatter');
    for (let i = 1; i <= 1_500; i++) data.columns['params.lr'][i] = '0';
    const page = await open(
      data,
      { storeUri: 'file:///sweep/mlruns', experimentId: '7', mode: 'scatter', x: 'params.lr', y: 'metrics.loss' },
      INTL_USES_INIT_SCRIPT,
    );
    try {
      await page.page.waitForSelector('canvas.plot');
      assert.match((await page.page.textContent('.heading')) ?? '', /: 12,345 runs/);
      await page.page.check('input[name="logX"]');
      await page.page.waitForSelector('.scatter .note:not([hidden])');
      assert.equal(await page.page.textContent('.scatter .note'), '1,500 runs with params.lr ≤ 0 have no point on its log scale');
      // The categories' natural order takes a collator, made once as the page starts, while it waits for its runs.
      assert.deepEqual(
        (await intlUses(page)).filter((use) => use !== 'Intl.Collator'),
        [],
      );
    } finally {
      await page.close();
    }
  });
});
