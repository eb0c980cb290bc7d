// The metric charts as a user sees them: two demo runs selected in the Runs view,
// "MLflow: Plot Metrics", the panel draws; log scale; a window reload brings it back.
// And on a tracking server: connect to it, select two of its runs, "MLflow: Plot Metrics"; the
// loss chart first draws MLflow's sample (get-history-bulk-interval), marked as a preview, then
// every point (paged get-history).
//
// The server is test/helpers/recordedMlflowServer.ts with the answers a real MLflow 3.6 gave
// over test/fixtures/file-store (test/fixtures/rest-file-store). What the charts ask that was not
// recorded is answered from the same recordings and store: runs/get of baseline-cnn with the run
// object runs/search returned for it, each full history with the metric file that server served,
// and the sample with the recorded sample of the runs asked for.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { startRecordedServer, type RecordedServer, type SeenRequest } from '../helpers/recordedMlflowServer';
import { e2e } from './setup';
import { backToAutomaticStore, connectToTrackingServer } from './trackingServer';

const MNIST = '212911124069009075';
const BASELINE = 'b8dbec4c0e2d4fb08a1491543914eef7';
const RESNET18 = 'b449d2335bae4a6ea84fa5f9f75dff1e';
const RECORDINGS = join(repoRoot, 'test', 'fixtures', 'rest-file-store');
const STORE = join(repoRoot, 'test', 'fixtures', 'file-store', 'mlruns');
/** Long enough that the preview is on screen a while before every point comes in. */
const FULL_HISTORY_DELAY_MS = 8_000;

function row(view: Locator, label: string): Locator {
  return view
    .locator('.monaco-list-row', { has: view.page().locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .first();
}

/** The charts page inside VS Code's webview frames (outer `iframe.webview`, inner `#active-frame`). */
function chartsFrame(): FrameLocator {
  return e2e.workbench.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** How many pixels of the loss chart's canvas are not transparent. */
async function drawnPixels(frame: FrameLocator): Promise<number> {
  return frame.locator('section[data-metric="loss"] canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

describe('Metric charts (as a user)', function () {
  // A window reload included: minutes on a loaded 2-core machine.
  this.timeout(360_000);

  after(async () => {
    await e2e.workbench.reset().catch(() => undefined);
  });

  it('plots two selected runs, switches to log scale, and comes back after a window reload', async () => {
    const { workbench } = e2e;
    const page = workbench.page;
    // The activity-bar entry appears when the extension's contributions are read; slow on a loaded machine.
    await workbench.activityBarItem('MLflow').waitFor({ timeout: 60_000 });
    await workbench.openViewContainer('MLflow');
    const runs = workbench.view('Runs');
    await workbench.expandRow(row(runs, 'mnist-classifier'), '"mnist-classifier"', 60_000);
    await row(runs, 'baseline-cnn').waitFor({ timeout: 60_000 });
    await row(runs, 'baseline-cnn').click();
    await row(runs, 'live-training').click({ modifiers: ['Control'] });
    await workbench.runCommand('MLflow: Plot Metrics');

    let frame = chartsFrame();
    await frame.locator('section[data-metric="loss"] canvas').waitFor({ timeout: 60_000 });
    assert.deepEqual(await frame.locator('.legend-name').allTextContents(), ['baseline-cnn', 'live-training']);
    assert.deepEqual(await frame.locator('.card-title').allTextContents(), ['accuracy', 'final_test_accuracy', 'loss', 'val_loss']);
    await frame.locator('section[data-metric="loss"] .card-info[data-total="1300"]').waitFor({ timeout: 30_000 });
    const linear = await frame.locator('section[data-metric="loss"] canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
    assert.ok((await drawnPixels(frame)) > 500, 'the loss chart has drawn lines');
    await workbench.screenshot('charts', { readme: true });

    await frame.locator('input[name="logY"]').check();
    const deadline = Date.now() + 10_000;
    while ((await frame.locator('section[data-metric="loss"] canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL())) === linear) {
      if (Date.now() > deadline) throw new Error('log scale did not change the drawing');
      await page.waitForTimeout(100);
    }

    await workbench.runCommand('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    frame = chartsFrame();
    await frame.locator('section[data-metric="loss"] canvas').waitFor({ timeout: 90_000 });
    assert.deepEqual(await frame.locator('.legend-name').allTextContents(), ['baseline-cnn', 'live-training']);
    assert.equal(await frame.locator('input[name="logY"]').isChecked(), true, 'log scale is restored');
    await frame.locator('section[data-metric="loss"] .card-info[data-total="1300"]').waitFor({ timeout: 30_000 });
    assert.ok((await drawnPixels(frame)) > 500, 'the restored chart draws');
    const tabs = await page.locator('.tabs-container .tab .label-name').allTextContents();
    assert.ok(
      tabs.some((t) => t.startsWith('Metrics: baseline-cnn, live-training')),
      `tabs: ${tabs.join(' | ')}`,
    );
  });
});

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await e2e.workbench.page.waitForTimeout(100);
  }
}

const recording = (file: string): any => JSON.parse(readFileSync(join(RECORDINGS, file), 'utf8'));

/** The answers the charts need beyond the recordings, from the recordings and the store the server served. */
function answerTheCharts(server: RecordedServer): void {
  const baseline = recording('runs_search_page1_max5.json').runs.find((r: any) => r.info.run_id === BASELINE);
  server.addAnswer({ match: (req) => req.path.endsWith('/runs/get') && req.query.get('run_id') === BASELINE, body: { run: baseline } });
  for (const runId of [BASELINE, RESNET18]) {
    const dir = join(STORE, MNIST, runId, 'metrics');
    for (const key of readdirSync(dir)) {
      const text = readFileSync(join(dir, key), 'utf8');
      if (/nan|inf/i.test(text)) continue; // not JSON numbers: those histories are recorded (grad_norm)
      // MLflow's JSON, the values as the file has them (Python's float repr is a JSON number).
      const points = text
        .trim()
        .split('\n')
        .map((line) => line.split(' '))
        .map(([timestamp, value, step]) => `{"key":${JSON.stringify(key)},"value":${value},"timestamp":${timestamp},"step":${step},"run_id":"${runId}"}`);
      server.addAnswer({
        match: (req) => req.path.endsWith('/metrics/get-history') && req.query.get('run_id') === runId && req.query.get('metric_key') === key,
        body: `{"metrics":[${points.join(',')}]}`,
        contentType: 'application/json',
      });
    }
  }
  const sample = recording('metrics_get_history_bulk_interval_ajax.json').metrics as { run_id: string }[];
  const sampled = (req: SeenRequest) => req.path.endsWith('/metrics/get-history-bulk-interval') && req.query.get('metric_key') === 'loss';
  server.addAnswer({
    match: (req) => sampled(req) && req.query.getAll('run_ids').includes(BASELINE),
    body: { metrics: sample.filter((m) => m.run_id === BASELINE) },
  });
  server.addFault({ kind: 'slow', match: /\/metrics\/get-history\?/, delayMs: FULL_HISTORY_DELAY_MS });
}

describe('Metric charts of a tracking server (as a user)', function () {
  this.timeout(240_000);

  it('draws MLflow’s sample of two selected server runs first, then every point', async () => {
    const { workbench } = e2e;
    await workbench.activityBarItem('MLflow').waitFor({ timeout: 60_000 });
    await workbench.openViewContainer('MLflow');
    const server = await startRecordedServer({ dir: RECORDINGS });
    answerTheCharts(server);
    // The recorded answers page runs by 5, as the explorer then asks.
    const settingsFile = join(e2e.server.workspace, '.vscode', 'settings.json');
    mkdirSync(join(e2e.server.workspace, '.vscode'), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify({ 'mlflow.runs.pageSize': 5 }));
    try {
      await connectToTrackingServer(server.url);
      const runs = workbench.view('Runs');
      // The demo store has an experiment of the same name whose row may linger until the server's replaces it.
      await waitUntil(async () => {
        await workbench.expandRow(row(runs, 'mnist-classifier'), '"mnist-classifier"', 60_000);
        return server.requests.some((r) => r.path.endsWith('/runs/search'));
      }, "the server's mnist-classifier to open");
      await row(runs, 'vit-tiny').waitFor({ timeout: 30_000 });
      await row(runs, 'baseline-cnn').click();
      await row(runs, 'resnet18').click({ modifiers: ['Control'] });
      await workbench.runCommand('MLflow: Plot Metrics');

      const frame = chartsFrame();
      const info = frame.locator('section[data-metric="loss"] .card-info');
      // MLflow's sample first, said to be one, while every point is read.
      await frame.locator('section[data-metric="loss"] .card-info.sampled').waitFor({ timeout: 60_000 });
      assert.match((await info.textContent()) ?? '', /^Preview of \d+ sampled points/);
      assert.deepEqual(await frame.locator('.legend-name').allTextContents(), ['baseline-cnn', 'resnet18']);
      const asked = server.requests.find((r) => r.path.endsWith('/metrics/get-history-bulk-interval') && r.query.get('metric_key') === 'loss');
      assert.deepEqual(asked?.query.getAll('run_ids').sort(), [BASELINE, RESNET18].sort());

      // Then every point of both runs: 1,000 of baseline-cnn and 800 of resnet18.
      await frame.locator('section[data-metric="loss"] .card-info[data-total="1800"]:not(.sampled)').waitFor({ timeout: 60_000 });
      assert.match((await info.textContent()) ?? '', /of 1,800 points drawn$/);
      const drawn = await drawnPixels(frame);
      assert.ok(drawn > 500, `the loss chart has drawn lines (${drawn} pixels)`);
      for (const runId of [BASELINE, RESNET18]) {
        assert.ok(
          server.requests.some((r) => r.path.endsWith('/metrics/get-history') && r.query.get('run_id') === runId && r.query.get('metric_key') === 'loss'),
          `every point of ${runId}'s loss was asked for`,
        );
      }
    } finally {
      await workbench.reset().catch(() => undefined);
      await backToAutomaticStore();
      // The file only: VS Code stops watching a deleted .vscode folder for good, and later specs' settings would go unread.
      rmSync(settingsFile, { force: true });
      await server.close();
    }
    // The demo store again, for the specs after this one.
    await row(workbench.view('Runs'), 'Default').waitFor({ timeout: 30_000 });
  });
});
