// The run explorer as a user sees it: the Runs and Models views on the demo workspace's
// file store and on a tracking server (recorded answers of a real mlflow server).
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { startRecordedServer } from '../helpers/recordedMlflowServer';
import { BASELINE, MNIST, writeRunCopy } from './demoStore';
import { e2e } from './setup';
import { backToAutomaticStore, connectToTrackingServer } from './trackingServer';

function row(view: Locator, label: string): Locator {
  return view
    .locator('.monaco-list-row', { has: view.page().locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .first();
}

function expand(view: Locator, label: string): Promise<void> {
  return e2e.workbench.expandRow(row(view, label), `"${label}"`);
}

/** Rendered rows as "name description" (the harness's readTree joins them without a space). */
async function rowLabels(viewTitle: string, depth?: number): Promise<string[]> {
  const rows = await e2e.workbench
    .view(viewTitle)
    .locator('.monaco-list-row')
    .evaluateAll((elements) =>
      elements.map((element) => {
        const name = (element.querySelector('.label-name')?.textContent ?? '').trim();
        const description = (element.querySelector('.label-description')?.textContent ?? '').trim();
        return { text: description ? `${name} ${description}` : name, depth: Number(element.getAttribute('aria-level') ?? '1') };
      }),
    );
  return rows.filter((r) => depth === undefined || r.depth === depth).map((r) => r.text);
}

async function waitForRows(viewTitle: string, predicate: (labels: string[]) => boolean, what: string, timeoutMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let labels: string[] = [];
  while (Date.now() < deadline) {
    labels = await rowLabels(viewTitle);
    if (predicate(labels)) return labels;
    await e2e.workbench.page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for ${what}; rows: ${labels.join(' | ')}`);
}

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await e2e.workbench.page.waitForTimeout(100);
  }
}

describe('Run explorer (as a user)', function () {
  this.timeout(120_000);

  before(async () => {
    await e2e.workbench.openViewContainer('MLflow');
  });

  afterEach(async () => {
    await e2e.workbench.reset().catch(() => undefined);
    // Rows outside the pane are not rendered: start every test from a collapsed tree.
    for (const title of ['Runs', 'Models']) await e2e.workbench.collapseTree(title);
  });

  it('lists the experiments and runs of the demo store, with nested runs under their parent', async () => {
    const { workbench } = e2e;
    const runs = workbench.view('Runs');
    await waitForRows('Runs', (l) => l.includes('mnist-classifier'), 'the experiments');
    assert.deepEqual(await rowLabels('Runs', 1), ['Default', 'iris-sklearn', 'mnist-classifier']);
    await expand(runs, 'mnist-classifier');
    const labels = await waitForRows('Runs', (l) => l.some((x) => x.startsWith('baseline-cnn')), 'the runs of mnist-classifier');
    for (const name of ['live-training', 'resnet34-oom', 'baseline-cnn', 'lr-sweep'])
      assert.ok(
        labels.some((l) => l.startsWith(name)),
        `${name} in ${labels.join(' | ')}`,
      );
    assert.ok(!labels.some((l) => l.startsWith('lr-0.01')), 'the nested run is not at the top');
    await expand(runs, 'lr-sweep');
    await waitForRows('Runs', (l) => l.some((x) => x.startsWith('lr-0.01')), 'lr-0.01 under lr-sweep');
    await row(runs, 'lr-0.01').click();
    await workbench.runCommand('MLflow: Refresh');
    // Stable ids: after the refresh lr-sweep is still open and lr-0.01 still selected.
    await workbench.page.waitForTimeout(1000);
    assert.equal(await row(runs, 'lr-sweep').getAttribute('aria-expanded'), 'true');
    assert.equal(await row(runs, 'lr-0.01').getAttribute('aria-selected'), 'true');
    await workbench.screenshot('run-explorer', { readme: true });
  });

  it('expands a run to its params and metrics with their values', async () => {
    const { workbench } = e2e;
    const runs = workbench.view('Runs');
    await expand(runs, 'mnist-classifier');
    await expand(runs, 'baseline-cnn');
    // The run's tooltip is made when it is hovered (resolveTreeItem), as VS Code asks for it.
    await row(runs, 'baseline-cnn').hover();
    await workbench.page
      .locator('.monaco-hover', { hasText: `Run ID: ${BASELINE}` })
      .first()
      .waitFor({ timeout: 10_000 });
    await workbench.pointerAway();
    await expand(runs, 'Parameters');
    const lr = readFileSync(join(e2e.server.workspace, 'mlruns', MNIST, BASELINE, 'params', 'lr'), 'utf8');
    const optimizer = readFileSync(join(e2e.server.workspace, 'mlruns', MNIST, BASELINE, 'params', 'optimizer'), 'utf8');
    await waitForRows('Runs', (l) => l.includes(`lr ${lr}`) && l.includes(`optimizer ${optimizer}`), 'the params with their values');
    await expand(runs, 'Metrics');
    const labels = await waitForRows('Runs', (l) => l.some((x) => x.startsWith('final_test_accuracy')), 'the metrics');
    assert.ok(labels.includes('final_test_accuracy 0.9'), labels.join(' | '));
    await workbench.screenshot('run-explorer-run', { readme: true });
  });

  it('opens an artifact in an editor', async () => {
    const { workbench } = e2e;
    const runs = workbench.view('Runs');
    await expand(runs, 'mnist-classifier');
    await expand(runs, 'baseline-cnn');
    await expand(runs, 'Artifacts');
    await expand(runs, 'notes');
    await row(runs, 'summary.txt').click();
    await workbench.page.locator('.tabs-container .tab.active', { hasText: 'summary.txt' }).waitFor({ timeout: 15_000 });
    const expected = readFileSync(join(e2e.server.workspace, 'mlruns', MNIST, BASELINE, 'artifacts', 'notes', 'summary.txt'), 'utf8')
      .split('\n')[0]
      .trim();
    await workbench.page.locator('.editor-instance .view-lines', { hasText: expected.slice(0, 20) }).waitFor({ timeout: 10_000 });
    await workbench.screenshot('run-explorer-artifact', { readme: true });
  });

  it('narrows the runs with a metrics filter and clears it', async () => {
    const { workbench } = e2e;
    const runs = workbench.view('Runs');
    await expand(runs, 'mnist-classifier');
    await waitForRows('Runs', (l) => l.some((x) => x.startsWith('baseline-cnn')), 'all runs');
    await workbench.runCommand('MLflow: Filter Runs…');
    const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('metrics.loss <');
    await workbench.page.locator('.quick-input-message', { hasText: /column/ }).waitFor({ timeout: 10_000 });
    await input.fill('metrics.loss < 0.075');
    await input.press('Enter');
    await waitForRows('Runs', (l) => !l.some((x) => x.startsWith('baseline-cnn')) && l.some((x) => x.startsWith('live-training')), 'the filtered runs');
    try {
      const labels = (await rowLabels('Runs', 2)).map((l) => l.split(' ')[0]);
      assert.deepEqual(labels, ['live-training', 'resnet34-oom']);
      await runs.locator('.pane-header', { hasText: 'filter: metrics.loss < 0.075' }).waitFor({ timeout: 5_000 });
      await workbench.screenshot('run-explorer-filter', { readme: true });
    } finally {
      await workbench.runCommand('MLflow: Clear Run Filter');
    }
    await waitForRows('Runs', (l) => l.some((x) => x.startsWith('baseline-cnn')), 'all runs again');
  });

  it('shows a run written into the store while the view is open', async () => {
    const runs = e2e.workbench.view('Runs');
    await expand(runs, 'mnist-classifier');
    await waitForRows('Runs', (l) => l.some((x) => x.startsWith('baseline-cnn')), 'the runs');
    const target = writeRunCopy('0123456789abcdef0123456789abcdef', 'fresh-run', { start_time: Date.now() });
    try {
      await waitForRows('Runs', (l) => l.some((x) => x.startsWith('fresh-run')), 'the new run, without a refresh', 30_000);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });

  it('shows the registered models with versions and aliases', async () => {
    const models = e2e.workbench.view('Models');
    await expand(models, 'iris-classifier');
    await waitForRows('Models', (l) => l.includes('Version 2 @champion') && l.some((x) => x.startsWith('Version 1')), 'the versions');
  });

  it("shows a tracking server's runs the same way", async () => {
    const { workbench } = e2e;
    const server = await startRecordedServer({ dir: join(repoRoot, 'test', 'fixtures', 'rest-file-store') });
    // The recorded answers page runs by 5, as the explorer then asks.
    const settingsDir = join(e2e.server.workspace, '.vscode');
    mkdirSync(settingsDir, { recursive: true });
    const settingsFile = join(settingsDir, 'settings.json');
    writeFileSync(settingsFile, JSON.stringify({ 'mlflow.runs.pageSize': 5 }));
    try {
      await connectToTrackingServer(server.url);
      const runs = workbench.view('Runs');
      await waitForRows('Runs', (l) => l.includes('mnist-classifier') && l.includes('iris-sklearn'), "the server's experiments");
      // The demo file store has experiments of the same names, and its rows may still be shown
      // until the server's replace them (collapsed): the server's row is open once it was asked for runs.
      await waitUntil(async () => {
        await expand(runs, 'mnist-classifier');
        return server.requests.some((r) => r.path.endsWith('/runs/search'));
      }, "the server's mnist-classifier to open");
      await waitForRows('Runs', (l) => l.some((x) => x.startsWith('vit-tiny')) && l.includes('Load more… 5 shown'), 'the first page of runs');
      await expand(runs, 'baseline-cnn');
      await expand(runs, 'Parameters');
      const lr = readFileSync(join(e2e.server.workspace, 'mlruns', MNIST, BASELINE, 'params', 'lr'), 'utf8');
      await waitForRows('Runs', (l) => l.includes(`lr ${lr}`), 'the same params as the file store');
      // The finished "Connecting…" toast lingers in an unfocused headless window; keep it out of the picture.
      await workbench.runCommand('Notifications: Clear All Notifications');
      await workbench.screenshot('run-explorer-remote', { readme: true });
    } finally {
      await backToAutomaticStore();
      // The file only: VS Code stops watching a deleted .vscode folder for good, and later specs' settings would go unread.
      rmSync(settingsFile, { force: true });
      await server.close();
    }
    await waitForRows('Runs', (l) => l.includes('Default'), 'the demo store again');
  });
});
