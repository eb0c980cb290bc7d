// The run explorer's everyday commands as a user meets them on the demo store: Sort Runs…, the
// metric shown beside each run, Show or Hide Deleted Runs, Load more…, the Copy commands (read
// back from the browser's clipboard, where VS Code wrote them) and Restart Language Server.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatMetricValue } from '../../src/format/values';
import { BASELINE, MNIST, writeRunCopy } from './demoStore';
import { e2e } from './setup';

/** The top-level runs of mnist-classifier by their latest loss (lr-sweep logs none). */
const BY_LOSS_ASCENDING = ['live-training', 'resnet34-oom', 'baseline-cnn'];

/** The rows of the Runs view at `depth` as "name description". */
async function rowTexts(depth: number): Promise<string[]> {
  const rows = await e2e.workbench.readTree('Runs');
  return rows.filter((r) => r.depth === depth).map((r) => (r.description ? `${r.label} ${r.description}` : r.label));
}

async function waitForRunRows(predicate: (rows: string[]) => boolean, what: string, timeoutMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await rowTexts(2);
    if (predicate(rows)) return rows;
    await e2e.workbench.page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for ${what}; runs shown: ${rows.join(' | ')}`);
}

const names = (rows: string[]) => rows.map((r) => r.split(' ')[0]);

/** Chooses `label` in the open quick pick (typed, as a user narrows the list, then Enter on the match). */
async function pick(label: string): Promise<void> {
  const page = e2e.workbench.page;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 10_000 });
  await input.press('Enter');
}

/** Waits until the browser's clipboard (where VS Code in the browser writes) holds `expected`. */
async function waitForClipboard(expected: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await e2e.workbench.page.evaluate(() => navigator.clipboard.readText());
    if (text === expected) return;
    await e2e.workbench.page.waitForTimeout(100);
  }
  assert.equal(text, expected, 'the clipboard');
}

/** How often the extension's log (the "MLflow" output channel) says the language server started. */
function languageServerStarts(): number {
  return e2e.server.extensionLogs().reduce((n, f) => n + readFileSync(f, 'utf8').split('MLflow language server started').length - 1, 0);
}

/** Writes workspace settings (keeping the folder: VS Code stops watching a deleted .vscode for good). */
function writeSettings(settings: Record<string, unknown>): string {
  const dir = join(e2e.server.workspace, '.vscode');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'settings.json');
  writeFileSync(file, JSON.stringify(settings));
  return file;
}

describe('Run explorer commands (as a user)', function () {
  this.timeout(120_000);

  before(async () => {
    const { workbench } = e2e;
    const origin = new URL(workbench.page.url()).origin;
    await workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await workbench.openViewContainer('MLflow');
    await workbench.waitForTree('Runs', (r) => r.some((x) => x.label === 'mnist-classifier'), 'the experiments');
  });

  afterEach(async () => {
    await e2e.workbench.reset().catch(() => undefined);
    await e2e.workbench.collapseTree('Runs');
  });

  it('sorts the runs by a metric, both ways, and back by start time', async () => {
    const { workbench } = e2e;
    await workbench.expandTreeItem('Runs', 'mnist-classifier');
    await waitForRunRows((r) => names(r).includes('baseline-cnn'), 'the runs');
    // By start time (newest first) the top-level runs happen to stand in ascending loss: descending first, so each step changes the rows.
    try {
      await workbench.runCommand('MLflow: Sort Runs…');
      await pick('metric loss');
      await pick('Descending');
      let rows = await waitForRunRows((r) => names(r)[0] === 'baseline-cnn', 'the runs by loss, largest first');
      assert.deepEqual(
        names(rows).filter((n) => BY_LOSS_ASCENDING.includes(n)),
        [...BY_LOSS_ASCENDING].reverse(),
      );
      await workbench.view('Runs').locator('.pane-header', { hasText: 'sort: metric loss ↓' }).waitFor({ timeout: 5_000 });

      await workbench.runCommand('MLflow: Sort Runs…');
      await pick('metric loss');
      await pick('Ascending');
      rows = await waitForRunRows((r) => names(r)[0] === 'live-training', 'the runs by loss, smallest first');
      assert.deepEqual(
        names(rows).filter((n) => BY_LOSS_ASCENDING.includes(n)),
        BY_LOSS_ASCENDING,
      );
      assert.equal(names(rows).at(-1), 'lr-sweep', 'a run without the metric comes last');
    } finally {
      await workbench.runCommand('MLflow: Sort Runs…');
      await pick('start time');
      await pick('Descending');
    }
    await workbench.view('Runs').locator('.pane-header', { hasText: 'sort:' }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('shows a chosen metric beside each run instead of its age, and goes back', async () => {
    const { workbench } = e2e;
    await workbench.expandTreeItem('Runs', 'mnist-classifier');
    const before = await waitForRunRows((r) => names(r).includes('baseline-cnn'), 'the runs');
    assert.ok(!before.some((r) => r.includes(' loss ')), before.join(' | '));
    const lastLoss = readFileSync(join(e2e.server.workspace, 'mlruns', MNIST, BASELINE, 'metrics', 'loss'), 'utf8')
      .trim()
      .split('\n')
      .at(-1)!;
    const expected = `baseline-cnn loss ${formatMetricValue(Number(lastLoss.split(' ')[1]))}`;
    try {
      await workbench.runCommand('MLflow: Choose Metric Shown Beside Runs…');
      await pick('loss');
      const rows = await waitForRunRows((r) => r.includes(expected), `"${expected}"`);
      // lr-sweep logs no loss: it keeps its age and duration.
      assert.ok(!rows.find((r) => r.startsWith('lr-sweep'))?.includes('loss'), rows.join(' | '));
    } finally {
      await workbench.runCommand('MLflow: Choose Metric Shown Beside Runs…');
      await pick('Age and duration');
    }
    await waitForRunRows((r) => !r.some((x) => x.includes(' loss ')), 'the age and duration again');
  });

  it('shows a deleted run only while deleted runs are shown', async () => {
    const { workbench } = e2e;
    const target = writeRunCopy('deadbeef00000000deadbeef00000000', 'deleted-run', { lifecycle_stage: 'deleted' });
    try {
      await workbench.expandTreeItem('Runs', 'mnist-classifier');
      await workbench.runCommand('MLflow: Refresh');
      await waitForRunRows((r) => names(r).includes('baseline-cnn'), 'the runs');
      assert.ok(!names(await rowTexts(2)).includes('deleted-run'), 'a deleted run is hidden by default');

      await workbench.runCommand('MLflow: Show or Hide Deleted Runs');
      const rows = await waitForRunRows((r) => names(r).includes('deleted-run'), 'the deleted run');
      assert.match(
        rows.find((r) => r.startsWith('deleted-run'))!,
        /deleted$/,
      );
      await workbench.view('Runs').locator('.pane-header', { hasText: 'with deleted' }).waitFor({ timeout: 5_000 });
      await workbench.runCommand('MLflow: Show or Hide Deleted Runs');
      await waitForRunRows((r) => !names(r).includes('deleted-run') && names(r).includes('baseline-cnn'), 'the deleted run hidden again');
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });

  it('loads runs a page at a time with Load more…, nesting a child under its parent once the parent is loaded', async () => {
    const { workbench } = e2e;
    // mnist-classifier has six runs (pages of at least 5): the sweep's parent is the oldest, on the second page.
    const settings = writeSettings({ 'mlflow.runs.pageSize': 5 });
    try {
      await workbench.runCommand('MLflow: Refresh');
      await workbench.expandTreeItem('Runs', 'mnist-classifier');
      const first = await waitForRunRows((r) => r.includes('Load more… 5 shown'), 'the first page and Load more…');
      assert.ok(!names(first).includes('lr-sweep'), first.join(' | '));
      assert.ok(names(first).includes('lr-0.01'), 'a child whose parent is not loaded yet is shown at the top');
      await workbench.treeItem('Runs', 'Load more…').click();
      const second = await waitForRunRows((r) => names(r).includes('lr-sweep'), 'the second page');
      assert.deepEqual(
        [...names(second)].sort(),
        ['baseline-cnn', 'live-training', 'lr-sweep', 'resnet34-oom'],
        'the parent loaded, its child moves under it; no run twice, no Load more…',
      );
    } finally {
      rmSync(settings, { force: true });
    }
  });

  it('copies a run ID, an artifact URI, a model URI and a param value', async () => {
    const { workbench } = e2e;
    await workbench.expandTreeItem('Runs', 'mnist-classifier');
    const run = workbench.treeItem('Runs', 'baseline-cnn');
    await workbench.contextMenu(run, 'Copy Run ID');
    await waitForClipboard(BASELINE);

    // The store was written elsewhere (meta.yaml names /home/ana/…) and copied here: the URI copied is where the artifacts are.
    await workbench.contextMenu(run, 'Copy Artifact URI');
    await waitForClipboard(pathToFileURL(join(e2e.server.workspace, 'mlruns', MNIST, BASELINE, 'artifacts')).href);

    await workbench.expandTreeItem('Runs', 'baseline-cnn');
    await workbench.expandTreeItem('Runs', 'Parameters');
    const lr = readFileSync(join(e2e.server.workspace, 'mlruns', MNIST, BASELINE, 'params', 'lr'), 'utf8');
    await workbench.contextMenu(workbench.treeItem('Runs', 'lr'), 'Copy Value');
    await waitForClipboard(lr);

    const models = workbench.view('Models');
    await workbench.expandTreeItem('Models', 'iris-classifier');
    const version = models.locator('.monaco-list-row', { has: workbench.page.locator('.label-name', { hasText: /^Version 2$/ }) }).first();
    await workbench.contextMenu(version, 'Copy Model URI');
    await waitForClipboard('models:/iris-classifier/2');
    await workbench.collapseTree('Models');
  });

  it('restarts the language server, whose diagnostics come back', async () => {
    const { workbench } = e2e;
    await workbench.openFile('broken-project/MLproject');
    const problems = workbench.page.locator('.squiggly-error');
    await problems.first().waitFor({ timeout: 30_000 });
    const starts = languageServerStarts();
    assert.ok(starts >= 1, 'the server has started once');
    await workbench.runCommand('MLflow: Restart Language Server');
    const deadline = Date.now() + 30_000;
    while (languageServerStarts() === starts && Date.now() < deadline) await workbench.page.waitForTimeout(200);
    assert.equal(languageServerStarts(), starts + 1, 'a new server started');
    // The new server publishes the file's problems again.
    await problems.first().waitFor({ timeout: 30_000 });
    await workbench.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const markers = workbench.page.locator('.markers-panel .monaco-list-row');
    await markers.first().waitFor({ timeout: 10_000 });
    assert.ok((await markers.count()) > 0);
    await workbench.runCommand('View: Hide Panel');
  });
  it("reveals a run's folder in the Explorer view (the browser's window has no file manager of the server's)", async () => {
    const { workbench } = e2e;
    const { page } = workbench;
    await workbench.expandTreeItem('Runs', 'mnist-classifier');
    const run = workbench.treeItem('Runs', 'baseline-cnn');
    await workbench.pointerAway();
    await run.click({ button: 'right' });
    await page.locator('.monaco-menu .action-label', { hasText: 'Reveal Run Folder in Explorer View' }).waitFor({ timeout: 10_000 });
    const entries = await page.locator('.monaco-menu .action-item .action-label').allInnerTexts();
    assert.ok(!entries.some((e) => e.includes('in File Manager')), `no file-manager entry in a browser window: ${entries.join(' | ')}`);
    await page.keyboard.press('Escape');
    await workbench.contextMenu(run, 'Reveal Run Folder in Explorer View');
    const folderRow = page.locator('.explorer-folders-view .monaco-list-row.selected', { hasText: BASELINE });
    await folderRow.waitFor({ timeout: 20_000 });
    // Leave the Explorer as found: its own Collapse Folders action.
    const header = page.locator('.pane', { has: page.locator('.explorer-folders-view') }).locator('.pane-header');
    await header.hover();
    await header.locator('.action-label[aria-label^="Collapse Folders"]').click({ timeout: 5_000 });
    await workbench.openViewContainer('MLflow');
  });
});
