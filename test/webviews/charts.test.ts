import * as assert from 'node:assert/strict';
import { runColorHex } from '../../src/charts/colors';
import { INTL_USES_INIT_SCRIPT, intlUses } from './intlUses';
import { WebviewHarness, type WebviewPage } from './harness';
import { answerSeriesRequest } from '../../src/charts/series';
import { DEFAULT_SETTINGS } from '../../src/protocol/chartsPanel';
import { makeSeries, panelRun, serveCharts, type FakeRun } from './chartsHost';

/** Counts canvas pixels close to `hex` (antialiasing blends edges) in a card's plot. */
async function pixelsOfColor(view: WebviewPage, metric: string, hex: string): Promise<number> {
  return view.page.evaluate(
    ([m, h]) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`section[data-metric="${m}"] canvas`);
      if (!canvas) return -1;
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const r = parseInt(h.slice(1, 3), 16);
      const g = parseInt(h.slice(3, 5), 16);
      const b = parseInt(h.slice(5, 7), 16);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 200 && Math.abs(data[i] - r) < 24 && Math.abs(data[i + 1] - g) < 24 && Math.abs(data[i + 2] - b) < 24) count++;
      }
      return count;
    },
    [metric, hex] as const,
  );
}

/** A hash of the plot canvas, to tell whether a setting changed the drawing. */
async function canvasDigest(view: WebviewPage, metric: string): Promise<string> {
  return view.page.evaluate((m) => document.querySelector<HTMLCanvasElement>(`section[data-metric="${m}"] canvas`)!.toDataURL(), metric);
}

async function waitForDrawn(view: WebviewPage, metric: string): Promise<{ drawn: number; total: number }> {
  await view.page.waitForFunction((m) => Number(document.querySelector(`section[data-metric="${m}"] .card-info`)?.getAttribute('data-total')) > 0, metric, {
    timeout: 10_000,
  });
  return view.page.evaluate((m) => {
    const info = document.querySelector(`section[data-metric="${m}"] .card-info`)!;
    return { drawn: Number(info.getAttribute('data-drawn')), total: Number(info.getAttribute('data-total')) };
  }, metric);
}

const XSS = '<img src=x onerror="window.__xss=1">';

describe('Charts webview (headless Chromium)', function () {
  this.timeout(60_000);
  let harness: WebviewHarness;
  let view: WebviewPage;
  const runs: FakeRun[] = [
    {
      runId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      name: 'brave-owl-1',
      params: [['lr', '0.01']],
      metrics: { loss: makeSeries(500, (i) => 2 * Math.exp(-i / 100) + 0.1), acc: makeSeries(500, (i) => 1 - Math.exp(-i / 80)) },
    },
    {
      runId: '0f9e8d7c6b5a49382716f5e4d3c2b1a0',
      name: XSS,
      params: [['lr', '<b>0.1</b>']],
      metrics: { loss: makeSeries(500, (i) => 1.5 * Math.exp(-i / 60) + 0.2) },
    },
  ];

  before(async () => {
    harness = await WebviewHarness.start();
  });
  after(async () => {
    await harness?.stop();
  });
  afterEach(async () => {
    await view?.close();
  });

  async function open(fakeRuns: FakeRun[], state?: unknown) {
    view = await harness.open('charts', { state });
    const served = serveCharts(view, fakeRuns);
    await view.page.waitForSelector('section[data-metric] canvas', { timeout: 10_000 });
    return served;
  }

  it('draws every run in its own colour, lists the runs in the legend, and runs under the CSP without violations', async () => {
    await open(runs);
    await waitForDrawn(view, 'loss');
    for (const run of runs) assert.ok((await pixelsOfColor(view, 'loss', runColorHex(run.runId))) > 50, `${run.name} is drawn in its colour`);
    const legend = await view.page.locator('.legend-name').allTextContents();
    assert.deepEqual(
      legend,
      runs.map((r) => r.name),
    );
    assert.deepEqual(await view.violations(), []);
    assert.deepEqual(await view.pageErrors(), []);
    const titles = await view.page.locator('.card-title').allTextContents();
    assert.deepEqual(titles, ['acc', 'loss']);
  });

  it('draws the lines of more than five runs one pixel wide (hairlines, cheap to rasterise), and of five or fewer 1.5 pixels', async () => {
    const many: FakeRun[] = Array.from({ length: 8 }, (_, r) => ({
      runId: `${r.toString(16).padStart(2, '0')}${'ab'.repeat(15)}`,
      name: `run-${r}`,
      metrics: { loss: makeSeries(300, (i) => (r + 1) * Math.exp(-i / 50)) },
    }));
    await open(many);
    await waitForDrawn(view, 'loss');
    const card = view.page.locator('section[data-metric="loss"]');
    assert.equal(await card.getAttribute('data-line-width'), '1');
    // Hiding three runs in the legend leaves five: the wider lines again.
    for (let i = 0; i < 3; i++) {
      await view.page.locator('.legend-item').nth(i).click();
      await view.waitForMessage((m) => m.type === 'requestSeries' && m.hiddenRuns.length === i + 1, `a request with ${i + 1} hidden runs`);
    }
    await view.page.waitForFunction(() => document.querySelector('section[data-metric="loss"]')?.getAttribute('data-line-width') === '1.5', undefined, {
      timeout: 10_000,
    });
    assert.ok((await pixelsOfColor(view, 'loss', runColorHex(many[7].runId))) > 50, 'a shown run is drawn in its colour');
  });

  it('draws its charts, legend and tooltip without formatting or comparing through Intl (which loads the locale data first)', async () => {
    const initScript = INTL_USES_INIT_SCRIPT;
    const withParams: FakeRun[] = runs.map((run, i) => ({
      ...run,
      params: [
        ['lr', String(0.01 * (i + 1))],
        ['Batch', '32'],
        ['batch', '64'],
      ],
    }));
    view = await harness.open('charts', { initScript });
    serveCharts(view, withParams);
    await waitForDrawn(view, 'loss');
    assert.deepEqual(await intlUses(view), [], 'a page of runs with params (the group-by choices are sorted)');
    // The count is in a thousands-grouped number all the same.
    const big: FakeRun[] = [{ runId: 'f'.repeat(32), name: 'long', metrics: { loss: makeSeries(12_345, (i) => Math.sin(i / 50)) } }];
    await view.close();
    view = await harness.open('charts', { initScript });
    serveCharts(view, big);
    await waitForDrawn(view, 'loss');
    assert.match((await view.page.locator('section[data-metric="loss"] .card-info').textContent()) ?? '', /of 12,345 points drawn$/);
    const over = (await view.page.locator('section[data-metric="loss"] .u-over').boundingBox())!;
    await view.page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
    await view.page.locator('section[data-metric="loss"] .tooltip.shown').waitFor();
    assert.deepEqual(await intlUses(view), [], 'a page of 12,345 points, with its tooltip shown');
  });

  it('makes the cards past the first screens after the first frame, every one in its place; export and the filter see them all', async () => {
    const keys = Array.from({ length: 120 }, (_, m) => `metric_${String(m).padStart(3, '0')}`);
    const wide: FakeRun[] = [
      { runId: 'c'.repeat(32), name: 'wide', metrics: Object.fromEntries(keys.map((k, m) => [k, makeSeries(50, (i) => m + Math.sin(i))])) },
    ];
    view = await harness.open('charts');
    const served = serveCharts(view, wide, {}, 'withInit');
    await waitForDrawn(view, keys[0]);
    // The first screens at once, the rest in later tasks: all there soon after, in the metrics' order.
    await view.page.waitForFunction((n) => document.querySelectorAll('section[data-metric]').length === n, keys.length, { timeout: 10_000 });
    assert.deepEqual(await view.page.locator('.card-title').allTextContents(), keys);
    // A card made later mounts and asks for its data when scrolled to.
    await view.page.locator(`section[data-metric="${keys[119]}"]`).scrollIntoViewIfNeeded();
    await waitForDrawn(view, keys[119]);
    assert.ok(served.requests.some((r) => r.metric === keys[119]));
    await view.page.getByRole('button', { name: /CSV/ }).click();
    const exported = await view.waitForMessage((m) => m.type === 'exportCsv', 'the CSV export');
    assert.deepEqual(exported.metrics, keys);
    await view.page.getByLabel('Filter metrics').fill('/metric_1[01][0-9]$/');
    await view.page.waitForFunction(() => document.querySelectorAll('section[data-metric]').length === 20, undefined, { timeout: 10_000 });
    assert.deepEqual(await view.page.locator('.card-title').allTextContents(), keys.slice(100, 120));
  });

  it("follows a theme change: the grid is drawn in the new theme's colour", async () => {
    await open(runs);
    await waitForDrawn(view, 'loss');
    assert.equal(await pixelsOfColor(view, 'loss', '#00ff00'), 0, 'no green before the theme change');
    // What VS Code does on a theme change: new variables on <html>, then the panel tells the page.
    await view.page.evaluate(() => document.documentElement.style.setProperty('--vscode-editorWidget-border', '#00ff00'));
    await view.post({ type: 'theme', kind: 'dark' });
    await view.page.waitForFunction(
      () => {
        const canvas = document.querySelector<HTMLCanvasElement>('section[data-metric="loss"] canvas')!;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 0; i < data.length; i += 4) if (data[i] < 24 && data[i + 1] > 230 && data[i + 2] < 24 && data[i + 3] > 200) return true;
        return false;
      },
      undefined,
      { timeout: 10_000 },
    );
    assert.ok((await pixelsOfColor(view, 'loss', '#00ff00')) > 50, 'the grid lines are green');
  });

  it('shows a run named like markup as that text, in the legend, its params and the tooltip, and runs none of it', async () => {
    await open(runs);
    await waitForDrawn(view, 'loss');
    assert.equal(await view.page.locator('img').count(), 0);
    assert.equal(await view.page.locator('.legend-name').nth(1).textContent(), XSS);
    assert.match((await view.page.locator('.legend-item').nth(1).getAttribute('title')) ?? '', /lr = <b>0\.1<\/b>/);
    const box = (await view.page.locator('section[data-metric="loss"] .u-over').boundingBox())!;
    await view.page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
    await view.page.waitForSelector('section[data-metric="loss"] .tooltip.shown');
    const names = await view.page.locator('section[data-metric="loss"] .tooltip .name').allTextContents();
    assert.ok(names.includes(XSS), `tooltip names: ${names}`);
    assert.equal(await view.page.evaluate(() => (window as any).__xss), undefined);
    assert.equal(await view.page.locator('img').count(), 0);
  });

  it('blocks an inline script and an inline style attribute (the CSP of the real shell)', async () => {
    await open(runs);
    await view.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.body.append(script);
      const div = document.createElement('div');
      div.setAttribute('style', 'color: red');
      div.id = 'styled';
      document.body.append(div);
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await view.page.evaluate(() => (window as any).__inline), undefined);
    assert.notEqual(await view.page.evaluate(() => getComputedStyle(document.getElementById('styled')!).color), 'rgb(255, 0, 0)');
    const directives = (await view.violations()).map((v) => v.directive);
    assert.ok(
      directives.some((d) => d.startsWith('script-src')),
      `violations: ${directives}`,
    );
    assert.ok(
      directives.some((d) => d.startsWith('style-src')),
      `violations: ${directives}`,
    );
  });

  it('shows a single one-point spike among 1,000,000 points', async () => {
    const flat = makeSeries(1_000_000, (i) => (i === 712_345 ? 100 : 1 + (i % 7) * 0.001));
    await open([{ runId: 'ffffeeeeddddccccbbbbaaaa99998888', name: 'long', metrics: { loss: flat } }]);
    const { drawn, total } = await waitForDrawn(view, 'loss');
    assert.equal(total, 1_000_000);
    assert.ok(drawn < 20_000, `drawn ${drawn}`);
    // The spike reaches the top of the plot: some run-coloured pixels are in the top tenth of the canvas.
    const top = await view.page.evaluate((hex) => {
      const canvas = document.querySelector<HTMLCanvasElement>('section[data-metric="loss"] canvas')!;
      const { data, width } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, Math.floor(canvas.height / 5));
      const r = parseInt(hex.slice(1, 3), 16);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && Math.abs(data[i] - r) < 24) count++;
      return { count, width };
    }, runColorHex('ffffeeeeddddccccbbbbaaaa99998888'));
    assert.ok(top.count > 3, `spike pixels at the top: ${top.count}`);
  });

  it('redraws for log scale and for smoothing (smoothing asks the host again)', async () => {
    const served = await open(runs);
    await waitForDrawn(view, 'loss');
    const before = await canvasDigest(view, 'loss');
    await view.page.locator('input[name="logY"]').check();
    await view.page.waitForFunction((d) => document.querySelector<HTMLCanvasElement>('section[data-metric="loss"] canvas')!.toDataURL() !== d, before);
    const logDigest = await canvasDigest(view, 'loss');
    assert.notEqual(logDigest, before);
    const requestsBefore = served.requests.length;
    await view.page.locator('input[name="smoothing"]').fill('0.9');
    await view.page.waitForFunction((d) => document.querySelector<HTMLCanvasElement>('section[data-metric="loss"] canvas')!.toDataURL() !== d, logDigest);
    const smoothRequest = served.requests.slice(requestsBefore).find((r) => r.metric === 'loss');
    assert.equal(smoothRequest?.smoothing, 0.9);
    const state = (await view.savedState()) as any;
    assert.equal(state.settings.logY, true);
    assert.equal(state.settings.smoothing, 0.9);
  });

  it('zooming by drag re-requests every chart for the zoomed range, and double-click resets', async () => {
    const served = await open(runs);
    await waitForDrawn(view, 'loss');
    const before = served.requests.length;
    const box = (await view.page.locator('section[data-metric="loss"] .u-over').boundingBox())!;
    await view.page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await view.page.mouse.down();
    await view.page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 5 });
    await view.page.mouse.up();
    await view.waitForMessage((m) => m.type === 'requestSeries' && m.range !== null && m.metric === 'acc', 'a zoomed request for the other chart');
    const zoomed = served.requests.slice(before).filter((r) => r.range !== null);
    assert.deepEqual(new Set(zoomed.map((r) => r.metric)), new Set(['acc', 'loss']));
    const [lo, hi] = zoomed[0].range;
    assert.ok(lo > 50 && hi < 250 && hi > lo, `range ${lo}..${hi}`);
    const count = served.requests.length;
    await view.page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await view.waitForMessage(
      (m) => m.type === 'requestSeries' && m.range === null && view.posted.indexOf(m) > 0 && served.requests.length > count,
      'a reset request',
    );
  });

  it("a running run's new steps past the chart's right edge come into view, and its percentiles with ignore outliers", async () => {
    const live: FakeRun[] = [{ runId: 'd'.repeat(32), name: 'live', metrics: { loss: makeSeries(200, (i) => 1 + Math.sin(i / 7)) } }];
    await open(live);
    const card = view.page.locator('section[data-metric="loss"]');
    await view.page.waitForFunction(() => document.querySelector<HTMLElement>('section[data-metric="loss"]')?.dataset.xRange === '0,199', undefined, {
      timeout: 10_000,
    });
    // The run logs 200 more steps; the store reports it, the page asks again.
    live[0].metrics.loss = makeSeries(400, (i) => (i < 200 ? 1 + Math.sin(i / 7) : 10 + Math.sin(i / 7)));
    await view.post({ type: 'dataChanged', metrics: ['loss'] });
    await view.page.waitForFunction(() => document.querySelector<HTMLElement>('section[data-metric="loss"]')?.dataset.xRange === '0,399', undefined, {
      timeout: 10_000,
    });
    assert.equal(await card.locator('.card-info').getAttribute('data-total'), '400');
    // With ignore outliers, the y range is the new data's percentiles: the new steps at 10 are on the chart.
    await view.page.getByLabel('Ignore outliers').check();
    await view.waitForMessage((m) => m.type === 'requestSeries' && m.ignoreOutliers, 'a request ignoring outliers');
    const before = await canvasDigest(view, 'loss');
    live[0].metrics.loss = makeSeries(600, (i) => (i < 200 ? 1 + Math.sin(i / 7) : i < 400 ? 10 + Math.sin(i / 7) : 30 + Math.sin(i / 7)));
    await view.post({ type: 'dataChanged', metrics: ['loss'] });
    await view.page.waitForFunction(() => document.querySelector<HTMLElement>('section[data-metric="loss"]')?.dataset.xRange === '0,599', undefined, {
      timeout: 10_000,
    });
    assert.notEqual(await canvasDigest(view, 'loss'), before);
    assert.ok((await pixelsOfColor(view, 'loss', runColorHex(live[0].runId))) > 50, 'the line is drawn');
    // A third of the points is now near 30: the 95th percentile is there (the first data's was near 11).
    const yMax = Number((await card.getAttribute('data-y-range'))!.split(',')[1]);
    assert.ok(yMax > 25, `y range up to ${yMax}`);
  });

  it('builds a chart while the host reads its data, and draws the data into it when it comes', async () => {
    view = await harness.open('charts');
    const answers: (() => Promise<void>)[] = [];
    const metrics = ['loss'];
    view.onMessage(async (message) => {
      if (message.type === 'ready') {
        await view.post({ type: 'init', title: 'test', storeUri: 'file:///tmp/mlruns', runs: runs.map(panelRun), metrics, settings: DEFAULT_SETTINGS });
      } else if (message.type === 'requestSeries') {
        const shown = runs.map((r) => ({ runId: r.runId, series: r.metrics.loss, params: r.params ?? [] }));
        answers.push(() => view.post(answerSeriesRequest(message, shown)));
      }
    });
    // Asked, not answered yet: the chart is there, with no frame of data.
    await view.waitForMessage((m) => m.type === 'requestSeries', 'the request');
    await view.page.locator('section[data-metric="loss"] canvas').waitFor();
    assert.equal(await view.page.locator('section[data-metric="loss"]').getAttribute('data-frames'), null);
    await answers[0]();
    await waitForDrawn(view, 'loss');
    for (const run of runs) assert.ok((await pixelsOfColor(view, 'loss', runColorHex(run.runId))) > 50, `${run.name} is drawn in its colour`);
    assert.equal(await view.page.locator('section[data-metric="loss"]').getAttribute('data-frames'), '1');
    assert.equal(await view.page.locator('section[data-metric="loss"] canvas').count(), 1, 'the chart built before its data was used, not built again');
  });

  /** Opens the page with the host pushing the first screen (`push`): both charts drawn in the runs' colours, neither asked for. */
  async function openWithPushedFirstScreen(push: 'withInit' | 'batch'): Promise<void> {
    view = await harness.open('charts');
    const served = serveCharts(view, runs, {}, push);
    await waitForDrawn(view, 'loss');
    await waitForDrawn(view, 'acc');
    assert.deepEqual(served.requests, [], 'the pushed charts were not asked for');
    for (const run of runs) assert.ok((await pixelsOfColor(view, 'loss', runColorHex(run.runId))) > 50, `${run.name} is drawn in its colour`);
  }

  it('draws the first screen from the series the host sends with init, without asking; asks when its settings differ', async () => {
    await openWithPushedFirstScreen('withInit');
    const ready = view.posted.find((m) => m.type === 'ready');
    assert.ok(ready.firstScreen.columns >= 100 && ready.firstScreen.charts >= 2, JSON.stringify(ready.firstScreen));
    // The plots were bucketed for the width they have.
    const plotWidth = await view.page.locator('section[data-metric="loss"] .plot').evaluate((p) => p.clientWidth);
    assert.equal(ready.firstScreen.columns, Math.max(100, plotWidth - 60));
    await view.close();

    // After a reload the page keeps its own settings: when they are not the host's, it asks.
    view = await harness.open('charts', {
      state: { storeUri: 'file:///tmp/mlruns', runs: [], settings: { ...DEFAULT_SETTINGS, xAxis: 'relative' } },
    });
    const again = serveCharts(view, runs, {}, 'withInit');
    await waitForDrawn(view, 'loss');
    assert.ok(
      again.requests.some((r) => r.metric === 'loss' && r.xAxis === 'relative'),
      'the page asked with its own x axis',
    );
  });

  it('draws the first screen from one batch the host sends after init (histories still being read then), without asking', async () => {
    await openWithPushedFirstScreen('batch');
    // Both charts drawn from what was delivered: init, then one seriesBatch (recorded once its delivery returns).
    for (let i = 0; i < 100 && view.deliveries.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(view.deliveries.length, 2, 'init, then one seriesBatch for the first screen');
  });

  it('follows the window width: the charts take the new width and ask for as many columns', async () => {
    const served = await open(runs);
    await waitForDrawn(view, 'loss');
    const first = served.requests.find((r) => r.metric === 'loss');
    const canvasWidth = () => view.page.locator('section[data-metric="loss"] canvas').evaluate((c) => c.getBoundingClientRect().width);
    const before = await canvasWidth();
    await view.page.setViewportSize({ width: 600, height: 800 });
    const again = await view.waitForMessage(
      (m) => m.type === 'requestSeries' && m.metric === 'loss' && m.columns !== first.columns,
      'a request for the new width',
    );
    assert.ok(again.columns < first.columns, `${again.columns} columns after narrowing, ${first.columns} before`);
    await view.page.waitForFunction((w) => {
      const canvas = document.querySelector('section[data-metric="loss"] canvas');
      return canvas !== null && canvas.getBoundingClientRect().width < w;
    }, before);
    assert.ok((await canvasWidth()) <= again.columns + 60);
  });

  it('comes back with the saved settings, and hides a run from the legend by keyboard', async () => {
    await open(runs, {
      storeUri: 'file:///tmp/mlruns',
      runs: [],
      settings: { xAxis: 'relative', logY: true, smoothing: 0.5, ignoreOutliers: false, filter: 'lo', hiddenRuns: [], tables: [] },
    });
    await waitForDrawn(view, 'loss');
    assert.deepEqual(await view.page.locator('.card-title').allTextContents(), ['loss']);
    assert.equal(await view.page.locator('input[name="logY"]').isChecked(), true);
    assert.equal(await view.page.locator('select[aria-label="X axis"]').inputValue(), 'relative');
    await view.page.locator('.legend-item').first().focus();
    await view.page.keyboard.press('Enter');
    await view.waitForMessage((m) => m.type === 'requestSeries' && m.hiddenRuns.length === 1, 'a request without the hidden run');
    assert.equal(await view.page.locator('.legend-item').first().getAttribute('aria-pressed'), 'false');
  });

  it('shows the step-range table for the zoomed range and copies it as CSV with the names as text', async () => {
    await open(runs);
    await waitForDrawn(view, 'loss');
    await view.page.locator('section[data-metric="loss"] button', { hasText: 'Table' }).click();
    await view.page.waitForSelector('section[data-metric="loss"] table.stats tbody tr');
    const cells = await view.page.locator('section[data-metric="loss"] table.stats tbody tr').first().locator('td').allTextContents();
    assert.equal(cells[0], 'brave-owl-1');
    // loss of brave-owl-1 falls from 2.1 at step 0 to its minimum at the last step, 499.
    assert.equal(cells[2], String(Number((2 * Math.exp(-499 / 100) + 0.1).toPrecision(6))));
    assert.equal(cells[3], '499');
    assert.equal(cells[5], '0');
    assert.equal(await view.page.locator('section[data-metric="loss"] table.stats tbody tr').nth(1).locator('td').first().textContent(), XSS);
    await view.page.locator('section[data-metric="loss"] button', { hasText: 'Copy as CSV' }).click();
    const copied = await view.waitForMessage((m) => m.type === 'copyText', 'the copied table');
    assert.match(copied.text, /^Run,Last,Min,Min at step,Max,Max at step,Mean,Points\r\n/);
    assert.ok(copied.text.includes(`"${XSS.replace(/"/g, '""')}"`), copied.text);
  });

  it('marks the point of a metric logged once, and says when runs logged no metrics or the store failed', async () => {
    await open([{ runId: 'abababababababababababababababab', name: 'final', metrics: { score: makeSeries(1, () => 0.93) } }]);
    await waitForDrawn(view, 'score');
    assert.ok((await pixelsOfColor(view, 'score', runColorHex('abababababababababababababababab'))) > 10, 'the single point is drawn');
    await view.post({ type: 'metricsChanged', metrics: [], runs: [] });
    await view.post({
      type: 'init',
      title: 't',
      storeUri: 'file:///x',
      runs: [{ runId: 'r', experimentId: '1', name: 'r', color: '#123456', status: 'FINISHED', params: [], tags: [] }],
      metrics: [],
      settings: {},
    });
    assert.equal((await view.page.locator('.message').textContent())?.trim(), 'This run logged no metrics.');
    await view.post({ type: 'error', message: 'Could not read the runs from the store: connect ECONNREFUSED 127.0.0.1:5000', retry: true });
    assert.match((await view.page.locator('.message.error').textContent()) ?? '', /ECONNREFUSED/);
    await view.page.locator('.message.error button', { hasText: 'Retry' }).click();
    await view.waitForMessage((m) => m.type === 'retry', 'a retry');
  });

  it('groups runs by a param: one mean line and a min–max band per group, in the group colours, with the values as text', async () => {
    const grouped: FakeRun[] = [0, 1, 2, 3].map((i) => ({
      runId: `${i}`.repeat(32),
      name: `run-${i}`,
      params: [['optimizer', i < 2 ? XSS : 'sgd']],
      metrics: { loss: makeSeries(300 + 100 * i, (k) => (i < 2 ? 1 : 3) + i * 0.5 + Math.sin(k / 10) * 0.1) },
    }));
    const served = await open(grouped);
    await waitForDrawn(view, 'loss');
    const groupBy = view.page.locator('select[name="groupBy"]');
    assert.deepEqual(await groupBy.locator('option').allTextContents(), ['None', `param optimizer`]);
    await groupBy.selectOption('param:optimizer');
    await view.page.waitForFunction(() => document.querySelector<HTMLElement>('section[data-metric="loss"]')?.dataset.groups === '2');
    const request = served.requests[served.requests.length - 1];
    assert.equal(request.groupBy, 'param:optimizer');

    const colorOf = (label: string) => runColorHex(`param:optimizer=${label}`);
    assert.ok((await pixelsOfColor(view, 'loss', colorOf(XSS))) > 50, 'the first group has its mean line');
    assert.ok((await pixelsOfColor(view, 'loss', colorOf('sgd'))) > 50, 'the second group has its mean line');
    assert.equal(await pixelsOfColor(view, 'loss', runColorHex(grouped[0].runId)), 0, 'runs are not drawn one by one');

    // Hovering shows each group's mean, labelled by its value as text.
    const over = (await view.page.locator('section[data-metric="loss"] .u-over').boundingBox())!;
    await view.page.mouse.move(over.x + over.width * 0.2, over.y + over.height / 2);
    const tooltip = view.page.locator('section[data-metric="loss"] .tooltip');
    await tooltip.waitFor({ state: 'visible' });
    const names = await tooltip.locator('.name').allTextContents();
    assert.deepEqual(names.sort(), [`${XSS} (mean of 2 runs)`, 'sgd (mean of 2 runs)'].sort());
    assert.equal(await view.page.evaluate(() => (window as any).__xss), undefined);

    // The band: pixels of the group's fill (its colour, translucent) between the runs' lines.
    const bandPixels = await view.page.evaluate((hex) => {
      const canvas = document.querySelector<HTMLCanvasElement>('section[data-metric="loss"] canvas')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const r = parseInt(hex.slice(1, 3), 16);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 20 && data[i + 3] < 120 && Math.abs(data[i] - r) < 40) count++;
      return count;
    }, colorOf('sgd'));
    assert.ok(bandPixels > 200, `a translucent band is filled (${bandPixels} pixels)`);

    // Smoothing applies to the group means: the tooltip gives the smoothed mean, and the drawing changes.
    const rawMeans = await tooltip.locator('.value').allTextContents();
    const unsmoothed = await canvasDigest(view, 'loss');
    await view.page.locator('input[name="smoothing"]').fill('0.95');
    await view.waitForMessage((m) => m.type === 'requestSeries' && m.smoothing === 0.95 && m.groupBy === 'param:optimizer', 'a smoothed grouped request');
    await view.page.waitForFunction(
      (before) => document.querySelector<HTMLCanvasElement>('section[data-metric="loss"] canvas')!.toDataURL() !== before,
      unsmoothed,
    );
    await view.page.mouse.move(over.x + over.width * 0.2 + 1, over.y + over.height / 2);
    await view.page.waitForFunction(() => document.querySelector('section[data-metric="loss"] .tooltip .name')?.textContent?.includes('smoothed'));
    const smoothedNames = await tooltip.locator('.name').allTextContents();
    assert.deepEqual(smoothedNames.sort(), [`${XSS} (mean of 2 runs, smoothed)`, 'sgd (mean of 2 runs, smoothed)'].sort());
    assert.notDeepEqual(await tooltip.locator('.value').allTextContents(), rawMeans, 'the smoothed means differ from the raw ones');
    assert.ok((await pixelsOfColor(view, 'loss', colorOf('sgd'))) > 50, 'the smoothed mean is drawn in the group colour');
    await view.page.locator('input[name="smoothing"]').fill('0');

    await groupBy.selectOption('');
    await view.page.waitForFunction(() => document.querySelector<HTMLElement>('section[data-metric="loss"]')?.dataset.groups === '0');
    assert.ok((await pixelsOfColor(view, 'loss', runColorHex(grouped[3].runId))) > 50, 'ungrouped, each run has its line again');
    assert.deepEqual(await view.pageErrors(), []);
    assert.deepEqual(await view.violations(), []);
  });

  it("says a tracking server's sample is a preview until every point is in", async () => {
    view = await harness.open('charts');
    const [run] = runs;
    view.onMessage(async (message) => {
      if (message.type === 'ready') {
        await view.post({ type: 'init', title: 't', storeUri: 'http://127.0.0.1:5000', runs: [panelRun(run)], metrics: ['loss'], settings: DEFAULT_SETTINGS });
      } else if (message.type === 'requestSeries') {
        const sample = makeSeries(20, (i) => 2 - i / 10);
        await view.post({ ...answerSeriesRequest(message, [{ runId: run.runId, series: sample }]), sampled: true });
      }
    });
    const info = view.page.locator('section[data-metric="loss"] .card-info');
    await info.filter({ hasText: 'Preview of 20 sampled points; reading every point…' }).waitFor();
    const request = view.posted.find((m) => m.type === 'requestSeries');
    await view.post(answerSeriesRequest(request, [{ runId: run.runId, series: run.metrics.loss }]));
    await info.filter({ hasText: '500 of 500 points drawn' }).waitFor();
    assert.equal(await info.evaluate((e) => e.classList.contains('sampled')), false);
  });
});
