// Which stores the run explorer shows, as a user sees it: the welcome view of a folder
// without a store, one top-level node per store in a multi-root workspace, and switching
// store from the status bar. Each test opens its own window on the suite's code-server
// (a new page in the same browser), so the suite's window on demo/ stays as it was.
import * as assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { demoWorkspace, freshTempDir, repoRoot } from '../harness/paths';
import { Workbench } from '../harness/workbench';
import { generateMlflowDb } from '../helpers/generateMlflowDb';
import { e2e } from './setup';

const DOCS_URL = 'https://mlflow.org/docs/latest/ml/tracking/';
const AUTOMATIC = 'mlflow.trackingUri, else MLFLOW_TRACKING_URI, else the stores found in the workspace';
/** The status-bar item's element id: the extension's id, then the item's. */
const STORE_ITEM = '[id="mlflow-vscode.vscode-mlflow.mlflow.store"]';

// Experiments and runs read from the fixtures (demo/mlruns; test/fixtures/sqlite-store,
// see its reference_ids.sqlite.json): the same experiment names, different runs.
const EXPERIMENTS = ['Default', 'iris-sklearn', 'mnist-classifier'];
const FILE_STORE_IRIS_RUNS = ['logreg-0', 'rf-1'];
const SQLITE_IRIS_RUNS = ['logreg-0', 'logreg-2', 'logreg-4', 'logreg-6', 'rf-1', 'rf-3', 'rf-5', 'rf-7'];

/**
 * A new window on the suite's server showing a folder or a .code-workspace file, checked
 * in the Explorer. Close it when done. code-server sometimes opens a window by URL
 * without its folders (the Explorer says "No Folder Opened" and extensions see no
 * workspace folder; up to half the loads of a fresh .code-workspace here); a reload
 * then opens it. That is the test environment, not the extension: reload, and say so.
 */
async function openWindow(kind: 'folder' | 'workspace', path: string, explorerTitle: string): Promise<Workbench> {
  const browser = e2e.workbench.page.context().browser();
  if (!browser) throw new Error("the suite's page has no browser");
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    const workbench = new Workbench(page, context);
    await page.goto(`${e2e.server.baseUrl}/?${kind}=${encodeURIComponent(path)}`);
    for (let attempt = 1; ; attempt++) {
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await workbench.runCommand('View: Show Explorer');
      const titles = page.locator('.part.sidebar .pane-header h3.title');
      let shown: string[] = [];
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        shown = (await titles.allInnerTexts()).map((t) => t.trim().toLowerCase());
        if (shown.includes(explorerTitle.toLowerCase()) || shown.includes('no folder opened')) break;
        await page.waitForTimeout(100);
      }
      if (shown.includes(explorerTitle.toLowerCase())) return workbench;
      if (attempt === 4) throw new Error(`the window did not open ${path}; the Explorer shows: ${shown.join(' | ')}`);
      console.log(`      code-server opened ${basename(path)} without its folders (Explorer: ${shown.join(' | ')}); reloading`);
      await page.reload();
    }
  } catch (error) {
    await context.close();
    throw error;
  }
}

/**
 * Runs `test` in its own window and closes it afterwards. The suite screenshots only its
 * own window on failure, so this one takes `failed-<name>.png` of the test's window.
 */
async function inWindow(kind: 'folder' | 'workspace', path: string, name: string, test: (workbench: Workbench) => Promise<void>): Promise<void> {
  const workbench = await openWindow(kind, path, kind === 'folder' ? basename(path) : `${basename(path, '.code-workspace')} (Workspace)`);
  try {
    await test(workbench);
  } catch (error) {
    const file = await workbench.screenshot(`failed-${name}`).catch(() => undefined);
    if (file) console.log(`      screenshot of the test's window: ${file}`);
    throw error;
  } finally {
    await workbench.close();
  }
}

interface Row {
  index: number;
  label: string;
  description: string;
  depth: number;
  expanded: boolean | undefined;
}

/** The rendered rows of a tree view in list order (by `data-index`, not DOM order). */
async function rows(workbench: Workbench, viewTitle: string): Promise<Row[]> {
  const found = await workbench
    .view(viewTitle)
    .locator('.monaco-list-row')
    .evaluateAll((elements) =>
      elements.map((element) => {
        const expanded = element.getAttribute('aria-expanded');
        return {
          index: Number(element.getAttribute('data-index')),
          label: (element.querySelector('.label-name')?.textContent ?? '').trim(),
          description: (element.querySelector('.label-description')?.textContent ?? '').trim(),
          depth: Number(element.getAttribute('aria-level') ?? '1'),
          expanded: expanded === null ? undefined : expanded === 'true',
        };
      }),
    );
  return found.sort((a, b) => a.index - b.index);
}

async function waitForRows(workbench: Workbench, viewTitle: string, predicate: (rows: Row[]) => boolean, what: string, timeoutMs = 20_000): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  let seen: Row[] = [];
  while (Date.now() < deadline) {
    seen = await rows(workbench, viewTitle).catch(() => []);
    if (predicate(seen)) return seen;
    await workbench.page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for ${what} in ${viewTitle}; rows: ${seen.map((r) => `${'  '.repeat(r.depth - 1)}${r.label}`).join(' | ')}`);
}

/** Labels of the rows one level below the row at `index`, up to that row's next sibling. */
function childrenOf(all: Row[], index: number): string[] {
  const start = all.findIndex((r) => r.index === index);
  if (start < 0) return [];
  const parent = all[start];
  const children: string[] = [];
  for (const row of all.slice(start + 1)) {
    if (row.depth <= parent.depth) break;
    if (row.depth === parent.depth + 1) children.push(row.label);
  }
  return children;
}

/** Top-level rows with the labels of the rows under each. */
function topLevel(all: Row[]): { label: string; description: string; expanded: boolean | undefined; children: string[] }[] {
  return all
    .filter((r) => r.depth === 1)
    .map((r) => ({ label: r.label, description: r.description, expanded: r.expanded, children: childrenOf(all, r.index) }));
}

/** Waits until the Runs view's top-level rows are exactly `expected`, in any order. */
async function waitForTopLevel(workbench: Workbench, expected: string[], what: string): Promise<void> {
  await waitForRows(
    workbench,
    'Runs',
    (r) =>
      sameMembers(
        r.filter((x) => x.depth === 1).map((x) => x.label),
        expected,
      ),
    what,
  );
}

function sameMembers(actual: string[], expected: string[]): boolean {
  return actual.length === expected.length && [...actual].sort().join('\n') === [...expected].sort().join('\n');
}

/**
 * Clicks the `nth` row labelled `label` at `depth` open (again, if a refresh replaced it
 * with a collapsed one) until the rows under it are exactly `children`, in any order.
 */
async function expandTo(workbench: Workbench, label: string, depth: number, nth: number, children: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  let seen: Row[] = [];
  let under: string[] = [];
  while (Date.now() < deadline) {
    seen = await rows(workbench, 'Runs').catch(() => []);
    const target = seen.filter((r) => r.label === label && r.depth === depth)[nth];
    if (target?.expanded === false) {
      await workbench.view('Runs').locator(`.monaco-list-row[data-index="${target.index}"]`).click();
      await workbench.page.waitForTimeout(500);
      continue;
    }
    under = target ? childrenOf(seen, target.index) : [];
    if (target?.expanded && sameMembers(under, children)) return;
    await workbench.page.waitForTimeout(200);
  }
  throw new Error(
    `under "${label}" expected ${children.join(', ')}; got ${under.join(', ') || 'nothing'}; rows: ${seen.map((r) => `${'  '.repeat(r.depth - 1)}${r.label}`).join(' | ')}`,
  );
}

/** Clicks the first row labelled `label` at `depth` until it is expanded (or collapsed). */
async function toggle(workbench: Workbench, label: string, depth: number, expanded: boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const target = (await rows(workbench, 'Runs')).find((r) => r.label === label && r.depth === depth);
    if (target?.expanded === expanded) return;
    if (target) await workbench.view('Runs').locator(`.monaco-list-row[data-index="${target.index}"]`).click();
    await workbench.page.waitForTimeout(500);
  }
  throw new Error(`"${label}" did not ${expanded ? 'expand' : 'collapse'}`);
}

/** Waits until no view in the side bar shows its progress bar (for a clean screenshot). */
async function progressDone(workbench: Workbench): Promise<void> {
  const busy = workbench.page.locator('.part.sidebar .monaco-progress-container.active');
  const deadline = Date.now() + 10_000;
  while ((await busy.count()) > 0 && Date.now() < deadline) await workbench.page.waitForTimeout(100);
}

/** The status-bar item's text without its icon. */
async function storeItemText(workbench: Workbench): Promise<string> {
  return (await workbench.page.locator(STORE_ITEM).innerText()).trim();
}

async function waitForStoreItem(workbench: Workbench, text: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let shown = '';
  while (Date.now() < deadline) {
    shown = await storeItemText(workbench).catch(() => '');
    if (shown === text) return;
    await workbench.page.waitForTimeout(200);
  }
  throw new Error(`the MLflow status-bar item shows "${shown}", expected "${text}"`);
}

interface PickItem {
  label: string;
  description: string;
  /** The second line ('' when none). */
  detail: string;
  /** The heading of the group this item starts ('' when none). */
  group: string;
}

/** The items of the open quick pick, in list order. */
async function quickPickItems(workbench: Workbench): Promise<PickItem[]> {
  const list = workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await list.first().waitFor({ timeout: 10_000 });
  const found = await list.evaluateAll((elements) =>
    elements.map((element) => ({
      index: Number(element.getAttribute('data-index')),
      label: (element.querySelector('.quick-input-list-row .label-name')?.textContent ?? '').trim(),
      description: (element.querySelector('.quick-input-list-row .label-description')?.textContent ?? '').trim(),
      // Hidden parts of a reused row may still hold the text of an earlier pick.
      detail: element.querySelector('.quick-input-list-label-meta .label-name')?.checkVisibility()
        ? (element.querySelector('.quick-input-list-label-meta .label-name')?.textContent ?? '').trim()
        : '',
      group: element.querySelector('.quick-input-list-separator')?.checkVisibility()
        ? (element.querySelector('.quick-input-list-separator')?.textContent ?? '').trim()
        : '',
    })),
  );
  return found.sort((a, b) => a.index - b.index).map(({ label, description, detail, group }) => ({ label, description, detail, group }));
}

/** Clicks the quick-pick item with exactly this label and waits for the quick pick to close. */
async function pick(workbench: Workbench, label: string): Promise<void> {
  const item = workbench.page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({
      has: workbench.page.locator('.quick-input-list-row .label-name', { hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }),
    })
    .first();
  await item.click({ timeout: 10_000 });
  await workbench.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The quick pick's items, each with the heading of the group it sits in. */
function inGroups(items: PickItem[]): PickItem[] {
  let group = '';
  return items.map((item) => {
    group = item.group || group;
    return { ...item, group };
  });
}

/**
 * "Open an mlruns Folder or mlflow.db…" from the welcome view, through VS Code's own file
 * dialog (the web one): type the path, wait for the dialog to list it, then "Open Store".
 */
async function openStoreWithDialog(workbench: Workbench, target: string, folderShownFirst: string): Promise<void> {
  const page = workbench.page;
  await workbench.view('Runs').locator('.welcome-view-content .monaco-button', { hasText: 'Open mlruns Folder or mlflow.db' }).click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open an MLflow Store' }).waitFor({ timeout: 10_000 });
  // The dialog fills in the workspace folder a moment after it shows: type after that.
  const path = page.locator('.quick-input-widget .quick-input-box input');
  const deadline = Date.now() + 10_000;
  while (!(await path.inputValue()).includes(folderShownFirst) && Date.now() < deadline) await page.waitForTimeout(100);
  await path.fill(target);
  // It then lists the typed folder's parent; a click while it is still busy is ignored.
  await page.locator(`.quick-input-widget .quick-input-list .monaco-list-row[aria-label="${basename(target)}"]`).waitFor({ timeout: 10_000 });
  const openStore = page.locator('.quick-input-widget .quick-input-action .monaco-button', { hasText: 'Open Store' });
  for (let attempt = 0; attempt < 5 && (await openStore.isVisible()); attempt++) {
    await openStore.click().catch(() => undefined);
    await page
      .locator('.quick-input-widget')
      .waitFor({ state: 'hidden', timeout: 2_000 })
      .catch(() => undefined);
  }
}

/** Clicks the first row of a view with exactly this label. */
async function clickRow(workbench: Workbench, viewTitle: string, label: string): Promise<void> {
  const target = (await waitForRows(workbench, viewTitle, (r) => r.some((x) => x.label === label), `"${label}"`)).find((r) => r.label === label)!;
  await workbench.view(viewTitle).locator(`.monaco-list-row[data-index="${target.index}"]`).click();
}

/** The label of the selected row of a view, once one is selected. */
async function waitForSelectedRow(workbench: Workbench, viewTitle: string, label: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let selected: string[] = [];
  while (Date.now() < deadline) {
    selected = await workbench
      .view(viewTitle)
      .locator('.monaco-list-row[aria-selected="true"] .label-name')
      .allInnerTexts()
      .catch(() => []);
    if (selected.map((t) => t.trim()).includes(label)) return;
    await workbench.page.waitForTimeout(200);
  }
  throw new Error(`expected "${label}" selected in ${viewTitle}; selected: ${selected.join(', ') || 'nothing'}`);
}

/**
 * A SQLite store of `runs` generated runs in one experiment, with a registered model whose
 * version 1 comes from the oldest run whose `lr` is not 0.1: the last run of the Runs view's
 * default order (newest first). Returns that run's name and how many runs are listed before it.
 */
async function writeDeepStore(db: string, runs: number): Promise<{ runName: string; runsBefore: number }> {
  await generateMlflowDb(db, { runs, experiments: 1, historySteps: 1 });
  const init = require('sql.js') as (config: object) => Promise<SqlJsStatic>;
  const SQL = await init({ locateFile: (file: string) => require.resolve(`sql.js/dist/${file}`) });
  const store = new SQL.Database(readFileSync(db));
  try {
    const [[runId, runName, start]] = store.exec(
      "SELECT r.run_uuid, r.name, r.start_time FROM runs r JOIN params p ON p.run_uuid = r.run_uuid AND p.key = 'lr' WHERE r.lifecycle_stage = 'active' AND p.value != '0.1' ORDER BY r.start_time LIMIT 1",
    )[0].values as [[string, string, number]];
    const [[runsBefore]] = store.exec(`SELECT COUNT(*) FROM runs WHERE lifecycle_stage = 'active' AND start_time > ${start}`)[0].values as [[number]];
    store.run("INSERT INTO registered_models (name, creation_time, last_updated_time) VALUES ('deep-model', 1790000000000, 1790000000000)");
    store.run(
      `INSERT INTO model_versions (name, version, creation_time, last_updated_time, current_stage, source, run_id, status) VALUES ('deep-model', 1, 1790000000000, 1790000000000, 'None', 'runs:/${runId}/model', '${runId}', 'READY')`,
    );
    writeFileSync(db, store.export());
    return { runName, runsBefore };
  } finally {
    store.close();
  }
}

describe('Workspaces and stores (as a user)', function () {
  this.timeout(180_000);
  let root = '';
  let emptyFolder = '';
  let fileStoreFolder = '';
  let workspaceFile = '';

  before(() => {
    root = freshTempDir('workspaces');
    emptyFolder = join(root, 'no-store');
    mkdirSync(emptyFolder);
    // Folder A: a copy of the demo's file store; folder B: the SQLite store with its artifacts.
    fileStoreFolder = join(root, 'project-a');
    cpSync(join(demoWorkspace, 'mlruns'), join(fileStoreFolder, 'mlruns'), { recursive: true });
    const sqliteFolder = join(root, 'project-b');
    mkdirSync(sqliteFolder);
    copyFileSync(join(repoRoot, 'test', 'fixtures', 'sqlite-store', 'mlflow.db'), join(sqliteFolder, 'mlflow.db'));
    cpSync(join(repoRoot, 'test', 'fixtures', 'sqlite-store', 'mlruns'), join(sqliteFolder, 'mlruns'), { recursive: true });
    workspaceFile = join(root, 'two-stores.code-workspace');
    writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'project-a' }, { path: 'project-b' }], settings: {} }, null, 2));
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  });

  it('shows a welcome view with ways to open a store when the folder has none', async () => {
    await inWindow('folder', emptyFolder, 'welcome', async (workbench) => {
      await workbench.openViewContainer('MLflow');
      const welcome = workbench.view('Runs').locator('.welcome-view-content');
      await welcome.waitFor({ timeout: 20_000 });
      await waitForStoreItem(workbench, 'MLflow: no store');
      await progressDone(workbench);
      await workbench.screenshot('run-explorer-welcome', { readme: true });

      // The documentation entry opens the tracking docs (VS Code asks before opening an outside site).
      await welcome.getByRole('button', { name: /documentation/i }).click();
      const dialog = workbench.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 10_000 });
      try {
        assert.ok((await dialog.innerText()).includes(DOCS_URL), await dialog.innerText());
      } finally {
        await workbench.page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      }

      // As the issue puts it: a message and three buttons (pick a store, connect, documentation).
      const text = (await welcome.locator('p').first().innerText()).trim();
      const buttons = (await welcome.locator('.monaco-button').allInnerTexts()).map((t) => t.trim());
      assert.deepEqual(
        { text, buttons: buttons.map((label, i) => (i === 2 && /documentation/i.test(label) ? '<a documentation button>' : label)) },
        {
          text: 'No MLflow runs found: no mlruns folder or mlflow.db in this workspace, and no tracking URI set.',
          buttons: ['Open mlruns Folder or mlflow.db', 'Connect to Tracking Server', '<a documentation button>'],
        },
      );
    });
  });

  it("opens a store with the welcome view's buttons and goes back to the welcome view", async () => {
    await inWindow('folder', emptyFolder, 'welcome-buttons', async (workbench) => {
      const page = workbench.page;
      await workbench.openViewContainer('MLflow');
      const welcome = workbench.view('Runs').locator('.welcome-view-content');
      await welcome.waitFor({ timeout: 20_000 });

      await welcome.locator('.monaco-button', { hasText: 'Connect to Tracking Server' }).click();
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Connect to MLflow Tracking Server' }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });

      await openStoreWithDialog(workbench, join(fileStoreFolder, 'mlruns'), basename(emptyFolder));
      await waitForStoreItem(workbench, 'project-a/mlruns');
      await waitForTopLevel(workbench, EXPERIMENTS, "the picked store's experiments");
      assert.equal(await welcome.isVisible(), false);

      // Back to "Automatic": nothing in this folder, so the welcome view again.
      await page.locator(STORE_ITEM).click();
      const items = inGroups(await quickPickItems(workbench));
      // No store is found in the folder itself: the one opened from outside it is listed once, as a recent store.
      assert.deepEqual(
        items.filter((i) => i.label.includes('project-')).map((i) => [i.group, i.label, i.description]),
        [['Recent stores', 'project-a/mlruns', `in ${root} · current`]],
        items.map((i) => `${i.group}: ${i.label}`).join(' | '),
      );
      await pick(workbench, 'Automatic');
      await welcome.waitFor({ timeout: 20_000 });
      await waitForStoreItem(workbench, 'MLflow: no store');
    });
  });

  it('lists a store opened from outside the workspace under Recent stores, and switches back to it from Select Store', async () => {
    await inWindow('folder', emptyFolder, 'recent-stores', async (workbench) => {
      const page = workbench.page;
      const sqliteFolder = join(root, 'project-b');
      const storeEntries = async () =>
        inGroups(await quickPickItems(workbench))
          .filter((i) => i.label === 'project-b/mlflow.db')
          .map((i) => [i.group, i.description]);
      await workbench.openViewContainer('MLflow');
      const welcome = workbench.view('Runs').locator('.welcome-view-content');
      await welcome.waitFor({ timeout: 20_000 });
      // The project folder, not the database: the store inside it opens.
      await openStoreWithDialog(workbench, sqliteFolder, basename(emptyFolder));
      await waitForStoreItem(workbench, 'project-b/mlflow.db');

      await page.locator(STORE_ITEM).click();
      const first = inGroups(await quickPickItems(workbench)).find((i) => i.group === 'Recent stores');
      assert.deepEqual(
        first && [first.label, first.description],
        ['project-b/mlflow.db', `in ${root} · current`],
        'the store just opened heads the recent stores',
      );
      assert.deepEqual(await storeEntries(), [['Recent stores', `in ${root} · current`]]);
      await pick(workbench, 'Automatic');
      await welcome.waitFor({ timeout: 20_000 });
      await waitForStoreItem(workbench, 'MLflow: no store');

      await page.locator(STORE_ITEM).click();
      assert.deepEqual(await storeEntries(), [['Recent stores', `in ${root}`]]);
      await pick(workbench, 'project-b/mlflow.db');
      await waitForStoreItem(workbench, 'project-b/mlflow.db');
      await waitForTopLevel(workbench, EXPERIMENTS, "the SQLite store's experiments");
      await expandTo(workbench, 'iris-sklearn', 1, 0, SQLITE_IRIS_RUNS);

      await page.locator(STORE_ITEM).click();
      await quickPickItems(workbench);
      await pick(workbench, 'Automatic');
      await waitForStoreItem(workbench, 'MLflow: no store');
    });
  });

  it("reveals a model version's run from beyond the first hundred pages, and offers to clear a filter that hides it", async () => {
    const folder = join(root, 'deep-store');
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    // 600 runs shown 5 at a time: the version's run is on page 100-odd, where the search used to give up.
    writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'mlflow.runs.pageSize': 5 }));
    const { runName, runsBefore } = await writeDeepStore(join(folder, 'mlflow.db'), 600);
    assert.ok(runsBefore >= 500, `only ${runsBefore} runs before ${runName}`);
    await inWindow('folder', folder, 'reveal-deep-run', async (workbench) => {
      await workbench.openViewContainer('MLflow');
      await waitForTopLevel(workbench, ['Default', 'experiment-1'], 'the experiments');
      await toggle(workbench, 'experiment-1', 1, true);
      await waitForRows(workbench, 'Runs', (r) => r.some((x) => x.label === 'Load more…' && x.description === '5 shown'), 'a first page of 5 runs');
      await clickRow(workbench, 'Models', 'deep-model');
      await clickRow(workbench, 'Models', 'Version 1');
      await clickRow(workbench, 'Models', 'Source run');
      await waitForSelectedRow(workbench, 'Runs', runName);

      await workbench.runCommand('MLflow: Filter Runs…');
      const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
      await input.fill("params.lr = '0.1'");
      await input.press('Enter');
      await workbench.view('Runs').locator('.pane-header', { hasText: "filter: params.lr = '0.1'" }).waitFor({ timeout: 10_000 });
      await clickRow(workbench, 'Models', 'Source run');
      const message = `Run "${runName}" is hidden by the runs filter "params.lr = '0.1'".`;
      const toast = workbench.page.locator('.notification-toast', { hasText: message });
      await toast.waitFor({ timeout: 20_000 });
      await toast.locator('.monaco-button', { hasText: 'Clear Filter' }).click();
      await waitForSelectedRow(workbench, 'Runs', runName);
      assert.equal(await workbench.view('Runs').locator('.pane-header', { hasText: 'filter:' }).count(), 0, 'the filter is cleared');
    });
  });

  it("shows each workspace folder's store as a top-level node with its own experiments", async () => {
    await inWindow('workspace', workspaceFile, 'multi-root', async (workbench) => {
      await workbench.openViewContainer('MLflow');
      const all = await waitForRows(
        workbench,
        'Runs',
        (r) => topLevel(r).length === 2 && topLevel(r).every((t) => t.children.length === EXPERIMENTS.length),
        'two stores with their experiments',
      );
      assert.deepEqual(topLevel(all), [
        { label: 'project-a/mlruns', description: 'mlruns', expanded: true, children: EXPERIMENTS },
        { label: 'project-b/mlflow.db', description: 'SQLite', expanded: true, children: EXPERIMENTS },
      ]);
      await waitForStoreItem(workbench, '2 stores');
      await progressDone(workbench);
      await workbench.screenshot('run-explorer-multi-root');

      // The same experiment names, but each node reads its own store: different runs.
      await expandTo(workbench, 'iris-sklearn', 2, 0, FILE_STORE_IRIS_RUNS);
      await toggle(workbench, 'project-a/mlruns', 1, false);
      const folded = await rows(workbench, 'Runs');
      assert.deepEqual(childrenOf(folded, folded[0].index), [], 'the first store folds away');
      await expandTo(workbench, 'iris-sklearn', 2, 0, SQLITE_IRIS_RUNS);
    });
  });

  it('shows the current store in the status bar and switches store from it', async () => {
    await inWindow('workspace', workspaceFile, 'status-bar', async (workbench) => {
      const item = workbench.page.locator(STORE_ITEM);
      // Servers that other specs connected to are remembered for every window: leave them out.
      const storeItems = async () => (await quickPickItems(workbench)).filter((i) => !/^https?:/.test(i.label));
      await workbench.openViewContainer('MLflow');
      await waitForTopLevel(workbench, ['project-a/mlruns', 'project-b/mlflow.db'], 'both stores');
      await waitForStoreItem(workbench, '2 stores');

      await item.click();
      assert.deepEqual(await storeItems(), [
        { label: 'Automatic', description: AUTOMATIC, detail: 'current', group: 'Workspace and settings' },
        { label: 'project-a/mlruns', description: 'in project-a · current', detail: '', group: '' },
        { label: 'project-b/mlflow.db', description: 'in project-b · current', detail: '', group: '' },
        { label: 'Open an mlruns Folder or mlflow.db…', description: '', detail: '', group: '' },
        { label: 'Connect to Tracking Server…', description: '', detail: '', group: '' },
        { label: 'Connect to a PostgreSQL or MySQL Database…', description: '', detail: '', group: '' },
        { label: 'Connect to Databricks…', description: '', detail: '', group: '' },
      ]);
      await workbench.screenshot('run-explorer-select-store');
      await pick(workbench, 'project-b/mlflow.db');
      await waitForStoreItem(workbench, 'project-b/mlflow.db');
      // One store: its experiments are the top level.
      await waitForTopLevel(workbench, EXPERIMENTS, "the SQLite store's experiments at the top");
      await expandTo(workbench, 'iris-sklearn', 1, 0, SQLITE_IRIS_RUNS);

      await item.click();
      assert.deepEqual(
        (await storeItems()).slice(0, 3).map((i) => [i.label, i.description, i.detail]),
        [
          ['Automatic', AUTOMATIC, ''],
          ['project-a/mlruns', 'in project-a', ''],
          ['project-b/mlflow.db', 'in project-b · current', ''],
        ],
      );
      await pick(workbench, 'project-a/mlruns');
      await waitForStoreItem(workbench, 'project-a/mlruns');
      await expandTo(workbench, 'iris-sklearn', 1, 0, FILE_STORE_IRIS_RUNS);

      await item.click();
      await quickPickItems(workbench);
      await pick(workbench, 'Automatic');
      await waitForStoreItem(workbench, '2 stores');
      await waitForTopLevel(workbench, ['project-a/mlruns', 'project-b/mlflow.db'], 'both stores again');
    });
  });
});
