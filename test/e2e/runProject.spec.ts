// Run Project and Serve Model as a user meets them: the "Run" lenses above the demo MLproject's entry
// points, the terminal, the "Run … started" notification that reveals the run, the prompts of "Run with
// parameters…", and Serve Model → Send Request on the demo's logged model. `mlflow` is a stand-in
// (test/fixtures/fake-mlflow/mlflow) that records its arguments, prints MLflow's real log lines, writes
// the run into the workspace's copy of the demo store, and serves a fake scoring server.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { BASELINE, MNIST } from './demoStore';
import { e2e } from './setup';

const MODEL_DIR = 'mlruns/469638688653584371/models/m-6a58aba182b84bb88ff00d0496e3b19b/artifacts';
/** A project made by the tests: entry point "good", and "bad" whose command uses a placeholder no parameter declares. */
const CHECKS_DIR = 'e2e-run-checks';
const CHECKS_MLPROJECT = [
  'name: run-checks',
  '',
  'entry_points:',
  '  good:',
  '    command: "python train.py"',
  '  bad:',
  '    parameters:',
  '      epochs: {type: int, default: 3}',
  '    command: "python train.py --epochs {epochs} --batch-size {batch_size}"',
  '',
].join('\n');

describe('Run Project and Serve Model (as a user)', function () {
  this.timeout(120_000);
  let dir: string;
  let settingsFile: string;
  let settingsBefore: string | undefined;

  const calls = (): string[][] =>
    readdirSync(dir)
      .filter((f) => f.startsWith('mlflow.call-'))
      .sort((a, b) => Number(a.slice(12)) - Number(b.slice(12)))
      .map((f) => readFileSync(join(dir, f), 'utf8').split('\0').slice(0, -1));
  const clearCalls = () => {
    for (const f of readdirSync(dir)) if (f.startsWith('mlflow.call-')) rmSync(join(dir, f));
  };
  const waitForCall = async (predicate: (args: string[]) => boolean, what: string): Promise<string[]> => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const found = calls().find(predicate);
      if (found) return found;
      await e2e.workbench.page.waitForTimeout(200);
    }
    throw new Error(`timed out waiting for ${what}; calls: ${JSON.stringify(calls())}`);
  };
  const lens = (title: string): Locator => e2e.workbench.page.locator('.codelens-decoration a', { hasText: new RegExp(`^${title}$`) });
  const toast = (text: string | RegExp): Locator => e2e.workbench.page.locator('.notification-toast', { hasText: text });
  const quickInput = () => e2e.workbench.page.locator('.quick-input-widget');
  /** Waits for the quick input titled so (one step of a prompt). */
  const step = (title: string) => quickInput().locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 20_000 });
  const onPath = (tool: string) => (process.env.PATH ?? '').split(delimiter).some((folder) => folder && existsSync(join(folder, tool)));
  /** Quick Open may not find files yet when this spec runs first on a cold workbench: one more try. */
  const openFile = async (relativePath: string) => {
    try {
      await e2e.workbench.openFile(relativePath);
    } catch {
      await e2e.workbench.page.keyboard.press('Escape');
      await e2e.workbench.openFile(relativePath);
    }
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "e2e fake mlflow $HOME 'q' "));
    for (const file of ['mlflow', 'fake_scoring_server.py']) copyFileSync(join(repoRoot, 'test', 'fixtures', 'fake-mlflow', file), join(dir, file));
    // Workspace settings: mlflow.executable is machine-overridable, so in a remote window such as
    // code-server's the user settings cannot set it. VS Code reads this file only while it watches the
    // .vscode folder: a spec that deletes the folder (rather than its settings.json) stops that for good
    // ("Watcher shutdown because watched path got deleted" in the server's log).
    mkdirSync(join(e2e.server.workspace, '.vscode'), { recursive: true });
    settingsFile = join(e2e.server.workspace, '.vscode', 'settings.json');
    settingsBefore = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
    const settings = {
      ...(settingsBefore ? (JSON.parse(settingsBefore) as Record<string, unknown>) : {}),
      'mlflow.executable': join(dir, 'mlflow'),
      'mlflow.run.envManager': 'local',
      // Shell integration can take several seconds to come up on a loaded test machine; wait for it, as the outcome's exit code comes from it.
      'mlflow.terminal.shellIntegrationTimeout': 60,
    };
    writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      // What the workbench showed before the cleanup below changes it (the suite's hook prints the extension's log).
      await e2e.workbench.screenshot(`failed-before-cleanup-${this.currentTest.title.slice(0, 40)}`).catch(() => undefined);
    }
    // Each test leaves no terminal, editor or quick input behind for the next one (or the next spec).
    await e2e.workbench.runCommand('Terminal: Kill All Terminals').catch(() => undefined);
    await e2e.workbench.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
    await e2e.workbench.reset().catch(() => undefined);
    rmSync(join(dir, 'run-seconds'), { force: true });
  });

  after(() => {
    rmSync(join(e2e.server.workspace, CHECKS_DIR), { recursive: true, force: true });
    // The settings as found; the .vscode folder stays, so that VS Code keeps watching it.
    if (settingsBefore === undefined) rmSync(settingsFile, { force: true });
    else writeFileSync(settingsFile, settingsBefore);
    rmSync(dir, { recursive: true, force: true });
  });

  it('"Run" above an entry point runs it in a terminal; "Run … started" reveals the run; the outcome comes with the exit code', async () => {
    const { workbench } = e2e;
    await openFile('MLproject');
    await lens('Run').first().waitFor({ timeout: 90_000 });
    assert.equal(await lens('Run').count(), 2, 'one "Run" lens per entry point (main, validate)');
    assert.equal(await lens('Run with parameters…').count(), 2);
    clearCalls();
    // A run that ends within a second or so: the reveal lands while the Runs view refreshes for the run's end.
    writeFileSync(join(dir, 'run-seconds'), '1');
    await lens('Run').first().click();
    const args = await waitForCall((a) => a[0] === 'run', 'mlflow run');
    assert.deepEqual(args, ['run', e2e.server.workspace, '-e', 'main', '--env-manager', 'local']);

    const started = toast(/Run fake-run-\w+ started/);
    await started.waitFor({ timeout: 30_000 });
    const runName = /Run (fake-run-\w+) started/.exec(await started.innerText())![1];
    await started.getByRole('button', { name: 'Reveal in Runs View' }).click();
    await workbench.waitForTree('Runs', (rows) => rows.some((r) => r.label === runName), `run ${runName} in the Runs view`);
    const selected = workbench.page.locator('.pane', { hasText: 'Runs' }).locator('.monaco-list-row.selected', { hasText: runName });
    await selected.first().waitFor({ timeout: 10_000 });

    await toast(new RegExp(`Run ${runName} succeeded \\(exit code 0\\)`)).waitFor({ timeout: 30_000 });
    await workbench.screenshot('run-project', { readme: true });
  });

  it('"Run with parameters…" asks for each parameter; a hostile value reaches mlflow as one argument and runs nothing', async () => {
    const { workbench, server } = e2e;
    const { page } = workbench;
    await openFile('MLproject');
    await lens('Run with parameters…').first().waitFor({ timeout: 30_000 });
    clearCalls();
    const marker = join(tmpdir(), `pwned-${process.pid}-${Date.now()}`);
    const hostile = `a b; touch ${marker}`;
    await lens('Run with parameters…').first().click();
    // One input per parameter, titled with its name and type; wait for each before typing.
    const input = quickInput().locator('input');
    await step('alpha (float)');
    // A value that is not a number is refused as you type.
    await input.fill('abc');
    await quickInput().locator('.quick-input-message', { hasText: 'is not a number' }).waitFor({ timeout: 10_000 });
    await input.fill('0.5');
    await page.keyboard.press('Enter');
    await step('l1_ratio (float)');
    await page.keyboard.press('Enter'); // its default
    await step('epochs (int)');
    await input.fill(hostile);
    await page.keyboard.press('Enter');
    await step('Run demo-elasticnet · main');
    await quickInput().locator('.monaco-list-row', { hasText: 'Run' }).first().waitFor();
    await page.keyboard.press('Enter'); // "Run" with the remembered options
    const args = await waitForCall((a) => a[0] === 'run', 'mlflow run with parameters');
    assert.deepEqual(args, ['run', server.workspace, '-e', 'main', '-P', 'alpha=0.5', '-P', `epochs=${hostile}`, '--env-manager', 'local']);
    await toast(/succeeded \(exit code 0\)/)
      .first()
      .waitFor({ timeout: 30_000 });
    assert.equal(existsSync(marker), false, 'the value ran no command');
  });

  it('"Serve model" serves the logged model on a free port; "Send Request" shows the answer beside it', async () => {
    const { workbench, server } = e2e;
    const { page } = workbench;
    await workbench.reset();
    await openFile(`${MODEL_DIR}/MLmodel`);
    clearCalls();
    await lens('Serve model').first().waitFor({ timeout: 30_000 });
    await lens('Serve model').first().click();
    const args = await waitForCall((a) => a[0] === 'models', 'mlflow models serve');
    assert.deepEqual(args.slice(0, 6), ['models', 'serve', '-m', join(server.workspace, MODEL_DIR), '-h', '127.0.0.1']);
    const served = toast(/Model served at http:\/\/127\.0\.0\.1:\d+/);
    await served.waitFor({ timeout: 30_000 });
    assert.match(await served.innerText(), new RegExp(`127\\.0\\.0\\.1:${args[7]}`));
    await served.getByRole('button', { name: 'Send Request' }).click();
    await quickInput().locator('.monaco-list-row', { hasText: 'serving_input_example.json' }).click();
    const answer = page.locator('.editor-group-container .view-lines', { hasText: '"predictions"' });
    await answer.first().waitFor({ timeout: 20_000 });
    assert.match(await answer.first().innerText(), /"predictions":\s*\[/);
    await page.mouse.move(5, 5);
    await workbench.screenshot('serve-model', { readme: true });
    // The status bar lists what this window serves; stopping closes its terminal.
    await page.locator('.statusbar-item', { hasText: '1 served' }).click();
    await quickInput().locator('.monaco-list-row').first().click();
    await quickInput().locator('.monaco-list-row', { hasText: 'Stop' }).click();
    await page.locator('.statusbar-item', { hasText: 'served' }).waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it('"Run Project from Git…" passes the URL with its #subfolder and the -v version; a "." in the subfolder is refused as you type', async () => {
    const { workbench } = e2e;
    const { page } = workbench;
    clearCalls();
    writeFileSync(join(dir, 'run-seconds'), '0');
    await workbench.runCommand('MLflow: Run Project from Git…');
    const input = quickInput().locator('input');
    await step('Run MLflow Project from Git (1/3)');
    await input.fill('https://github.com/mlflow/mlflow-example.git#examples/../sklearn');
    await quickInput().locator('.quick-input-message', { hasText: 'MLflow does not allow "."' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter'); // refused: the box stays
    await step('Run MLflow Project from Git (1/3)');
    await input.fill('https://github.com/mlflow/mlflow-example.git#examples/sklearn');
    await quickInput().locator('.quick-input-message', { hasText: 'MLflow does not allow' }).waitFor({ state: 'hidden', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await step('Run MLflow Project from Git (2/3)');
    assert.equal(await input.inputValue(), 'main');
    await page.keyboard.press('Enter');
    await step('Run MLflow Project from Git (3/3)');
    await quickInput().locator('.monaco-list-row', { hasText: 'Git version (-v)' }).click();
    await step('Git commit, branch or tag (-v)');
    await input.fill('v1.2');
    await page.keyboard.press('Enter');
    await step('Run MLflow Project from Git (3/3)');
    await quickInput().locator('.monaco-list-row', { hasText: 'v1.2' }).waitFor({ timeout: 10_000 });
    await quickInput().locator('.monaco-list-row', { hasText: 'with these options' }).click();
    const args = await waitForCall((a) => a[0] === 'run', 'mlflow run from git');
    assert.deepEqual(args, ['run', 'https://github.com/mlflow/mlflow-example.git#examples/sklearn', '-e', 'main', '--env-manager', 'local', '-v', 'v1.2']);
    await toast(/succeeded \(exit code 0\)/)
      .first()
      .waitFor({ timeout: 30_000 });
  });

  it('a problem in one entry point does not stop another; running the broken one asks first ("Show Problem", "Run Anyway")', async () => {
    const { workbench, server } = e2e;
    const { page } = workbench;
    const project = join(server.workspace, CHECKS_DIR);
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'MLproject'), CHECKS_MLPROJECT);
    writeFileSync(join(dir, 'run-seconds'), '0');
    await openFile(`${CHECKS_DIR}/MLproject`);
    await lens('Run').nth(1).waitFor({ timeout: 60_000 });
    // The language server has flagged {batch_size} (MLflow's KeyError when "bad" runs).
    await page.locator('.view-overlays .squiggly-error').first().waitFor({ timeout: 30_000 });

    clearCalls();
    await lens('Run').nth(0).click();
    assert.deepEqual(await waitForCall((a) => a[0] === 'run', 'mlflow run -e good'), ['run', project, '-e', 'good', '--env-manager', 'local']);
    await toast(/succeeded \(exit code 0\)/)
      .first()
      .waitFor({ timeout: 30_000 });

    clearCalls();
    const dialog = page.locator('.monaco-dialog-box');
    await lens('Run').nth(1).click();
    await dialog.waitFor({ timeout: 20_000 });
    assert.match(await dialog.innerText(), /Entry point "bad" has a problem: .*batch_size/);
    await dialog.getByRole('button', { name: 'Show Problem' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    // The cursor is on the problem: line 9, the command with {batch_size}.
    await page.locator('.statusbar-item', { hasText: /Ln 9, Col \d+/ }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1000);
    assert.deepEqual(calls(), [], 'nothing ran');

    await lens('Run').nth(1).click();
    await dialog.waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Run Anyway' }).click();
    assert.deepEqual(await waitForCall((a) => a[0] === 'run', 'mlflow run -e bad'), ['run', project, '-e', 'bad', '--env-manager', 'local']);
    await toast(/succeeded \(exit code 0\)/)
      .first()
      .waitFor({ timeout: 30_000 });
  });

  it('an environment manager whose tool is not on PATH is caught before the run, with the local environment offered', async () => {
    const { workbench, server } = e2e;
    const { page } = workbench;
    const missing = ['virtualenv', 'uv'].find((tool) => !onPath(tool));
    assert.ok(missing, 'this test needs a machine where virtualenv or uv is not on PATH');
    const project = join(server.workspace, CHECKS_DIR);
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'MLproject'), CHECKS_MLPROJECT);
    writeFileSync(join(dir, 'run-seconds'), '0');
    await openFile(`${CHECKS_DIR}/MLproject`);
    await lens('Run with parameters…').first().waitFor({ timeout: 60_000 });
    clearCalls();
    await lens('Run with parameters…').first().click(); // "good": no parameters, straight to the options
    await step('Run run-checks · good');
    await quickInput().locator('.monaco-list-row', { hasText: 'Environment manager' }).click();
    await step('Environment manager (--env-manager)');
    await quickInput().getByRole('option', { name: missing, exact: true }).click();
    await step('Run run-checks · good');
    await quickInput().locator('.monaco-list-row', { hasText: 'with these options' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 20_000 });
    assert.match(await dialog.innerText(), new RegExp(`"${missing}" needs ${missing}, which is not on PATH`));
    await page.waitForTimeout(500);
    assert.deepEqual(calls(), [], 'nothing runs while the question is open');
    await dialog.getByRole('button', { name: 'Use Local Environment' }).click();
    assert.deepEqual(await waitForCall((a) => a[0] === 'run', 'mlflow run with the local environment'), [
      'run',
      project,
      '-e',
      'good',
      '--env-manager',
      'local',
    ]);
    await toast(/succeeded \(exit code 0\)/)
      .first()
      .waitFor({ timeout: 30_000 });
  });

  it('"Build Docker Image for Model…" runs mlflow models build-docker with the model and the image name', async () => {
    const { workbench, server } = e2e;
    const { page } = workbench;
    await openFile(`${MODEL_DIR}/MLmodel`);
    clearCalls();
    await workbench.runCommand('MLflow: Build Docker Image for Model…');
    await step('Docker image name');
    const input = quickInput().locator('input');
    await input.fill('Not Valid');
    await quickInput().locator('.quick-input-message', { hasText: 'Lowercase letters' }).waitFor({ timeout: 10_000 });
    await input.fill('e2e-model:1');
    await page.keyboard.press('Enter');
    const args = await waitForCall((a) => a[0] === 'models', 'mlflow models build-docker');
    assert.deepEqual(args, ['models', 'build-docker', '-m', join(server.workspace, MODEL_DIR), '-n', 'e2e-model:1']);
  });
  it('"Recent Project Runs…" runs a project again with the parameters it had', async () => {
    const { workbench, server } = e2e;
    const { page } = workbench;
    await openFile('MLproject');
    await lens('Run with parameters…').first().waitFor({ timeout: 30_000 });
    writeFileSync(join(dir, 'run-seconds'), '1');
    clearCalls();
    await lens('Run with parameters…').first().click();
    const input = quickInput().locator('input');
    await step('alpha (float)');
    await input.fill('0.25');
    await page.keyboard.press('Enter');
    await step('l1_ratio (float)');
    await page.keyboard.press('Enter');
    await step('epochs (int)');
    await input.fill('7');
    await page.keyboard.press('Enter');
    await step('Run demo-elasticnet · main');
    await page.keyboard.press('Enter');
    const first = await waitForCall((a) => a[0] === 'run', 'the first run');
    await toast(/succeeded \(exit code 0\)/)
      .first()
      .waitFor({ timeout: 30_000 });
    await workbench.runCommand('Notifications: Clear All Notifications');
    await workbench.runCommand('Terminal: Kill All Terminals');
    clearCalls();

    await workbench.runCommand('MLflow: Recent Project Runs…');
    await step('Run an MLflow project again');
    const entry = quickInput().locator('.monaco-list-row', { hasText: 'demo-elasticnet · main' }).filter({ hasText: 'alpha=0.25 epochs=7' });
    await entry.first().waitFor({ timeout: 10_000 });
    await entry.first().click();
    const again = await waitForCall((a) => a[0] === 'run', 'the run again');
    assert.deepEqual(again, first);
    assert.deepEqual(again, ['run', server.workspace, '-e', 'main', '-P', 'alpha=0.25', '-P', 'epochs=7', '--env-manager', 'local']);
    await toast(/succeeded \(exit code 0\)/)
      .first()
      .waitFor({ timeout: 30_000 });
  });
  it('"Open Run in MLflow UI" on a local store starts mlflow ui for that store in a terminal, then opens the run\'s page', async () => {
    const { workbench, server } = e2e;
    const { page } = workbench;
    await workbench.openViewContainer('MLflow');
    await workbench.expandTreeItem('Runs', 'mnist-classifier');
    clearCalls();
    try {
      await workbench.contextMenu(workbench.treeItem('Runs', 'baseline-cnn'), 'Open Run in MLflow UI');
      const offer = toast(/is a local store\. Start `?mlflow ui`? for it in a terminal/);
      await offer.waitFor({ timeout: 20_000 });
      await offer.getByRole('button', { name: 'Start MLflow UI' }).click();
      const args = await waitForCall((a) => a[0] === 'ui', 'mlflow ui');
      assert.deepEqual(args, ['ui', '--backend-store-uri', pathToFileURL(join(server.workspace, 'mlruns')).href]);
      await page.locator('.terminal-tab, .single-terminal-tab, .tabs-list .monaco-list-row', { hasText: 'MLflow UI' }).first().waitFor({ timeout: 20_000 });
      const open = toast('When the MLflow UI has started, open the run.');
      await open.waitFor({ timeout: 20_000 });
      const popup = page
        .context()
        .waitForEvent('page', { timeout: 20_000 })
        .catch(() => undefined);
      await open.getByRole('button', { name: 'Open Run' }).click();
      // The UI's port on the machine code-server runs on: VS Code opens it through code-server's port forwarding.
      const opened = await popup;
      assert.equal(opened?.url(), `${new URL(page.url()).origin}/proxy/5000/#/experiments/${MNIST}/runs/${BASELINE}`);
      await opened?.close();
    } finally {
      await workbench.collapseTree('Runs');
    }
  });
});
