// Compare runs, diffs and sweeps as a user reaches them: from the Runs view's context
// menus, on the demo store (plus an artifact and git-sourced runs written at test time).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import {
  GIT_FIXTURE_RUN_NAME,
  GIT_FIXTURE_SECOND_RUN_NAME,
  makeGitSourceFixture,
  removeGitSourceFixture,
  type GitSourceFixture,
} from '../helpers/gitSourceFixture';
import { e2e } from './setup';

const MNIST = '212911124069009075';
const BASELINE = 'b8dbec4c0e2d4fb08a1491543914eef7';
const RESNET = 'fc6699f6126947e687f841d7c605e9d6';

const row = (label: string): Locator => e2e.workbench.treeItem('Runs', label);
const expand = (label: string) => e2e.workbench.expandTreeItem('Runs', label);

async function select(target: Locator, modifiers: ('Control' | 'Shift')[] = []): Promise<void> {
  await e2e.workbench.pointerAway();
  await target.click({ modifiers });
}

/** Right-clicks a row (a selected row keeps the selection; another becomes the selection) and chooses a context-menu item. */
const contextMenu = (target: Locator, item: string) => e2e.workbench.contextMenu(target, item);

/** What the workbench says when a command shows nothing: the notifications, for an error message. */
async function shown(): Promise<string> {
  const notes = await e2e.workbench.notifications().catch(() => []);
  const tabs = await e2e.workbench.page
    .locator('.tabs-container .tab .label-name')
    .allTextContents()
    .catch(() => []);
  return `notifications: [${notes.join(' | ')}]; tabs: [${tabs.join(' | ')}]`;
}

/** The webview frame showing `selector` (webviews are nested iframes in the workbench). */
async function webviewFrame(selector: string, timeoutMs = 40_000): Promise<Frame> {
  const { page } = e2e.workbench;
  const deadline = Date.now() + timeoutMs;
  let headings: string[] = [];
  while (Date.now() < deadline) {
    headings = [];
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      if (await frame.$(selector).catch(() => null)) return frame;
      const heading = await frame.$eval('.heading', (h) => h.textContent ?? '').catch(() => undefined);
      if (heading !== undefined) headings.push(heading);
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview shows ${selector}; page headings: [${headings.join(' | ')}]; ${await shown()}`);
}

async function activeTabTitle(text: string | RegExp): Promise<void> {
  try {
    await e2e.workbench.page.locator('.tabs-container .tab.active', { hasText: text }).waitFor({ timeout: 20_000 });
  } catch (error) {
    throw new Error(`no active tab "${text}"; ${await shown()}`, { cause: error });
  }
}

/** How many pixels of a webview's canvas are painted. */
function paintedPixels(frame: Frame): Promise<number> {
  return frame.$eval('canvas.plot', (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

/** The demo experiment's run names, read from the store the workbench shows. */
function demoRunNames(): string[] {
  const experiment = join(e2e.server.workspace, 'mlruns', MNIST);
  return readdirSync(experiment)
    .filter((id) => existsSync(join(experiment, id, 'meta.yaml')))
    .map((id) => /^run_name: (.*)$/m.exec(readFileSync(join(experiment, id, 'meta.yaml'), 'utf8'))?.[1] ?? id);
}

describe('Compare runs, diffs and sweeps (as a user)', function () {
  this.timeout(150_000);

  before(async () => {
    // When this spec runs first, the workbench may still be loading the extension.
    await e2e.workbench.activityBarItem('MLflow').waitFor({ timeout: 60_000 });
    await e2e.workbench.openViewContainer('MLflow');
  });

  afterEach(async () => {
    await e2e.workbench.reset().catch(() => undefined);
    await e2e.workbench.collapseTree('Runs');
  });

  it('compares two selected runs: both names, the differing param highlighted, an equal one not', async () => {
    const { workbench } = e2e;
    await expand('mnist-classifier');
    await select(row('baseline-cnn'));
    await select(row('resnet34-oom'), ['Control']);
    await contextMenu(row('resnet34-oom'), 'Compare Selected Runs');
    const frame = await webviewFrame('.cell.header[data-run]');
    const names = await frame.$$eval('.cell.header .run-name', (nodes) => nodes.map((n) => n.textContent));
    assert.deepEqual([...names].sort(), ['baseline-cnn', 'resnet34-oom']);
    const param = (run: string, key: string) => readFileSync(join(e2e.server.workspace, 'mlruns', MNIST, run, 'params', key), 'utf8');
    assert.notEqual(param(BASELINE, 'lr'), param(RESNET, 'lr'), 'the demo runs differ in lr');
    assert.equal(param(BASELINE, 'epochs'), param(RESNET, 'epochs'), 'and agree on epochs');
    const classes = (rowId: string) => frame.$$eval(`.cell.value[data-row="${rowId}"]`, (nodes) => nodes.map((n) => n.className));
    const lr = await classes('params.lr');
    assert.equal(lr.length, 2);
    assert.ok(
      lr.every((c) => c.includes('differs')),
      lr.join(' | '),
    );
    const epochs = await classes('params.epochs');
    assert.ok(epochs.length === 2 && epochs.every((c) => !c.includes('differs')), epochs.join(' | '));
    await workbench.screenshot('compare-runs', { readme: true });
  });

  it('compares an artifact with the same artifact of another run in the diff editor', async () => {
    const { workbench } = e2e;
    const source = join(e2e.server.workspace, 'mlruns', MNIST, BASELINE, 'artifacts', 'config', 'hparams.json');
    const artifacts = join(e2e.server.workspace, 'mlruns', MNIST, RESNET, 'artifacts');
    mkdirSync(join(artifacts, 'config'), { recursive: true });
    writeFileSync(join(artifacts, 'config', 'hparams.json'), readFileSync(source, 'utf8').replace(/\d+/, '7'));
    try {
      await expand('mnist-classifier');
      await expand('baseline-cnn');
      await expand('Artifacts');
      await expand('config');
      // A right-click selects the row without opening the file (a left click opens it, and the editor would take the focus from the menu).
      await contextMenu(row('hparams.json'), 'Compare with the Same Artifact of Another Run…');
      const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
      try {
        await input.waitFor({ timeout: 20_000 });
      } catch (error) {
        throw new Error(`no run picker; ${await shown()}`, { cause: error });
      }
      await input.fill('resnet34-oom');
      await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'resnet34-oom' }).first().waitFor({ timeout: 15_000 });
      await input.press('Enter');
      await activeTabTitle('hparams.json (resnet34-oom ↔ baseline-cnn)');
      await workbench.page.locator('.monaco-diff-editor').first().waitFor({ timeout: 15_000 });
    } finally {
      rmSync(artifacts, { recursive: true, force: true });
    }
  });

  describe('in a git repository made for the test', () => {
    let fixture: GitSourceFixture;
    let settings: string;
    let settingsBefore: string | undefined;

    before(() => {
      const workspace = e2e.server.workspace;
      // The harness turns git off; users have it on. Workspace settings override the user's;
      // whatever the workspace had there is put back afterwards.
      settings = join(workspace, '.vscode', 'settings.json');
      settingsBefore = existsSync(settings) ? readFileSync(settings, 'utf8') : undefined;
      mkdirSync(join(workspace, '.vscode'), { recursive: true });
      writeFileSync(settings, JSON.stringify({ ...(settingsBefore ? JSON.parse(settingsBefore) : {}), 'git.enabled': true }));
      fixture = makeGitSourceFixture(workspace);
    });

    after(() => {
      if (fixture) removeGitSourceFixture(fixture);
      // The file only: VS Code stops watching a deleted .vscode folder for good, and later specs' settings would go unread.
      if (settingsBefore === undefined) rmSync(settings, { force: true });
      else writeFileSync(settings, settingsBefore);
    });

    it("compares a run's source with the workspace", async () => {
      const { workbench } = e2e;
      await expand('mnist-classifier');
      await row(GIT_FIXTURE_RUN_NAME).waitFor({ timeout: 30_000 });
      await contextMenu(row(GIT_FIXTURE_RUN_NAME), "Compare Run's Source with Workspace");
      await activeTabTitle(`train.py (${fixture.commit.slice(0, 8)} ↔ Working Tree)`);
      const diff = workbench.page.locator('.monaco-diff-editor').first();
      await diff.locator('.view-lines', { hasText: 'changed after the run' }).first().waitFor({ timeout: 40_000 });
      await workbench.screenshot('compare-run-source', { readme: true });
    });

    it('compares the code of two runs made at different commits', async () => {
      const { workbench } = e2e;
      await expand('mnist-classifier');
      await row(GIT_FIXTURE_SECOND_RUN_NAME).waitFor({ timeout: 30_000 });
      await select(row(GIT_FIXTURE_RUN_NAME));
      await select(row(GIT_FIXTURE_SECOND_RUN_NAME), ['Control']);
      await contextMenu(row(GIT_FIXTURE_SECOND_RUN_NAME), 'Compare Code of Two Runs');
      const [first, second] = [fixture.commit.slice(0, 8), fixture.secondCommit.slice(0, 8)];
      const a = `${GIT_FIXTURE_RUN_NAME} ${first}`;
      const b = `${GIT_FIXTURE_SECOND_RUN_NAME} ${second}`;
      // Either run may be the left side (the order of the selection); each side is its own commit's file.
      await activeTabTitle(new RegExp(`^train\\.py \\((${a} ↔ ${b}|${b} ↔ ${a})\\)`));
      const diff = workbench.page.locator('.monaco-diff-editor').first();
      await diff.locator('.editor.original .view-lines').first().waitFor({ timeout: 40_000 });
      // The editor renders spaces as no-break spaces.
      const sides = async () =>
        [await diff.locator('.editor.original .view-lines').first().innerText(), await diff.locator('.editor.modified .view-lines').first().innerText()].map(
          (t) => t.replace(/\u00a0/g, ' '),
        );
      const deadline = Date.now() + 30_000;
      let texts = await sides();
      while (!texts.every((t) => /lr = 0\.0\d+/.test(t)) && Date.now() < deadline) {
        await workbench.page.waitForTimeout(250);
        texts = await sides();
      }
      const values = texts.map((t) => /lr = (0\.0\d+)/.exec(t)?.[1]).sort();
      assert.deepEqual(values, ['0.005', '0.01'], texts.join(' ‖ '));
      assert.ok(!texts.some((t) => t.includes('changed after the run')), 'neither side is the working tree');
    });
  });

  it('draws parallel coordinates of the demo experiment', async () => {
    const { workbench } = e2e;
    // A right-click selects the experiment without expanding it (a left click would).
    await contextMenu(row('mnist-classifier'), 'Show Parallel Coordinates');
    await activeTabTitle('Parallel Coordinates');
    const frame = await webviewFrame('body[data-kept]');
    const count = await frame.textContent('.count');
    assert.match(count ?? '', /^(\d+) of \1 runs kept$/);
    const titles = await frame.$$eval('.axis-title', (nodes) => nodes.map((n) => n.textContent));
    assert.ok(titles.length >= 2 && titles[titles.length - 1]!.startsWith('metrics.'), titles.join(', '));
    const painted = await paintedPixels(frame);
    assert.ok(painted > 1000, `painted ${painted} pixels`);
    await workbench.screenshot('parallel-coordinates', { readme: true });
  });

  it('draws a scatter plot of the demo experiment, names the run under the pointer, and reveals it on click', async () => {
    const { workbench } = e2e;
    await contextMenu(row('mnist-classifier'), 'Show Scatter Plot');
    await activeTabTitle('Scatter');
    const frame = await webviewFrame('body[data-kept]');
    const names = demoRunNames();
    assert.equal(await frame.textContent('.count'), `${names.length} runs`);
    assert.match(await frame.$eval('select[aria-label="Y"]', (s) => (s as HTMLSelectElement).value), /^metrics\./);
    // The learning rate across, coloured by accuracy: what a user looks at after a sweep.
    await frame.selectOption('select[aria-label="X"]', 'params.lr');
    await frame.selectOption('select[aria-label="Colour"]', 'metrics.accuracy');
    assert.ok((await paintedPixels(frame)) > 20, 'points were drawn');
    // A painted pixel inside the plot area (margins: 80 left, 24 right, 16 top, 40 bottom) is a run's point.
    const point = await frame.$eval('canvas.plot', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const ratio = c.width / c.clientWidth;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let y = Math.ceil(20 * ratio); y < c.height - 44 * ratio; y++) {
        for (let x = Math.ceil(84 * ratio); x < c.width - 24 * ratio; x++) {
          if (data[(y * c.width + x) * 4 + 3] > 0) return { x: x / ratio, y: y / ratio };
        }
      }
      return undefined;
    });
    assert.ok(point, 'a point inside the plot area');
    const box = (await (await frame.$('canvas.plot'))!.boundingBox())!;
    await workbench.page.mouse.move(box.x + point.x, box.y + point.y + 1);
    await frame.waitForSelector('.tooltip:not([hidden])', { timeout: 10_000 });
    const lines = await frame.$$eval('.tooltip div', (nodes) => nodes.map((n) => n.textContent ?? ''));
    assert.ok(names.includes(lines[0]), `the tooltip names a demo run: ${lines.join(' | ')}`);
    await workbench.screenshot('scatter-plot', { readme: true });
    // A click on the point reveals its run in the Runs view, selected.
    await workbench.page.mouse.down();
    await workbench.page.mouse.up();
    const revealed = row(lines[0]);
    const deadline = Date.now() + 20_000;
    while ((await revealed.getAttribute('aria-selected', { timeout: 1_000 }).catch(() => null)) !== 'true') {
      if (Date.now() > deadline) throw new Error(`"${lines[0]}" was not revealed in the Runs view; ${await shown()}`);
      await workbench.page.waitForTimeout(200);
    }
  });
});
