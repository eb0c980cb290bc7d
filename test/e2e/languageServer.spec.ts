// The MLproject language server as a user meets it in VS Code: the demo's broken project lists its
// mistakes in the Problems panel, completion offers the parameter types, hover documents keys and
// placeholders, and a quick fix declares a missing parameter. Everything is read off the screen
// (Problems rows, the suggest widget, the hover, the Quick Fix menu); the API level is covered by
// test/vscode/languageServer.test.ts.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DOCUMENTED_PARAMETER_TYPES, MLPROJECT_KEY_DOCS, PARAMETER_TYPES } from '../../src/mlflow-files/schema';
import { demoWorkspace } from '../harness/paths';
import { e2e } from './setup';

const BROKEN = 'broken-project/MLproject';
const DEMO = 'MLproject';

/** One row of the Problems panel: a file (depth 1) or one of its markers (depth 2). */
interface ProblemRow {
  depth: number;
  /** For a file row: "MLproject broken-project" (name and folder). */
  file: string;
  severity: 'error' | 'warning' | 'info' | '';
  message: string;
  source: string;
  code: string;
  /** "[Ln 12, Col 83]" as shown. */
  position: string;
}

/** A marker together with the file row it is listed under. */
type Problem = ProblemRow & { inFile: string };

async function problemRows(): Promise<Problem[]> {
  const rows: ProblemRow[] = await e2e.workbench.page.locator('.markers-panel .monaco-list-row').evaluateAll((elements) =>
    elements.map((element) => {
      // No helper functions in here: this runs in the page, which lacks the bundler's `__name`.
      const [name, folder, message, source, code, position] = [
        '.label-name',
        '.label-description',
        '.marker-message',
        '.marker-source',
        '.marker-code',
        '.marker-line',
      ].map((selector) => (element.querySelector(selector)?.textContent ?? '').trim().replace(/\s+/g, ' '));
      const icon = element.querySelector('.marker-icon')?.classList;
      return {
        depth: Number(element.getAttribute('aria-level') ?? '1'),
        file: folder ? `${name} ${folder}` : name,
        severity: icon?.contains('error') ? 'error' : icon?.contains('warning') ? 'warning' : icon?.contains('info') ? 'info' : '',
        message,
        source,
        code,
        position,
      } as ProblemRow;
    }),
  );
  const problems: Problem[] = [];
  let inFile = '';
  for (const row of rows) {
    if (row.depth === 1) inFile = row.file;
    else problems.push({ ...row, inFile });
  }
  return problems;
}

/** Polls the Problems panel until the markers of `file` satisfy `predicate`; fails with what it saw. */
async function waitForProblems(file: string, predicate: (problems: Problem[]) => boolean, what: string, timeoutMs = 30_000): Promise<Problem[]> {
  const deadline = Date.now() + timeoutMs;
  let problems: Problem[] = [];
  while (Date.now() < deadline) {
    problems = (await problemRows()).filter((p) => p.inFile === file);
    if (predicate(problems)) return problems;
    await e2e.workbench.page.waitForTimeout(200);
  }
  const seen = problems.map((p) => `${p.severity} ${p.code} ${p.position} ${p.message}`).join('\n  ');
  throw new Error(`timed out waiting for ${what} in the Problems panel (${file}); rows:\n  ${seen}`);
}

/** 1-based line and column of `needle` outside comments in a workspace file (as the status bar counts). */
function positionIn(relativePath: string, needle: string): { line: number; column: number } {
  const lines = readFileSync(join(e2e.server.workspace, relativePath), 'utf8').split('\n');
  const line = lines.findIndex((l) => !l.trimStart().startsWith('#') && l.includes(needle));
  assert.ok(line >= 0, `${needle} not in ${relativePath}`);
  return { line: line + 1, column: lines[line].indexOf(needle) + 1 };
}

/** Moves the cursor with Go to Line/Column (Ctrl+G) and waits until the status bar shows it there. */
async function goTo(position: { line: number; column: number }): Promise<void> {
  const { page } = e2e.workbench;
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${position.line}:${position.column}`);
  await input.press('Enter');
  // The status bar already follows the preview while typing: also wait for the editor to have the keyboard back.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 10_000 });
  await page.locator('[id="status.editor.selection"]', { hasText: `Ln ${position.line}, Col ${position.column}` }).waitFor({ timeout: 10_000 });
}

/** The text of the rendered editor line containing `needle` (Monaco renders spaces as no-break spaces). */
async function editorLine(needle: string): Promise<string | undefined> {
  const lines = await e2e.workbench.page.locator('.editor-group-container.active .editor-instance .view-line').allTextContents();
  return lines.map((l) => l.replace(/\u00a0/g, ' ')).find((l) => l.includes(needle));
}

async function waitForEditorLine(needle: string, what: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const line = await editorLine(needle);
    if (line !== undefined) return line;
    await e2e.workbench.page.waitForTimeout(100);
  }
  throw new Error(`the editor never showed ${what} (a line with "${needle}")`);
}

/** The visible hover's text once it contains `text`. */
async function hoverWith(text: string): Promise<{ text: string; links: { text: string; href: string }[] }> {
  const hover = e2e.workbench.page.locator('.monaco-hover:not(.hidden) .rendered-markdown', { hasText: text }).first();
  await hover.waitFor({ timeout: 15_000 });
  return {
    text: (await hover.innerText()).replace(/\s+/g, ' ').trim(),
    links: await hover
      .locator('a')
      .evaluateAll((anchors) =>
        anchors.map((a) => ({ text: (a.textContent ?? '').trim(), href: a.getAttribute('data-href') ?? a.getAttribute('href') ?? '' })),
      ),
  };
}

/**
 * Puts the active editor's file back as it was. VS Code for the web saves edits after a second
 * (files.autoSave defaults to afterDelay there), so the edit may already be on disk: discard the
 * editor's changes (which also cancels a pending save), then rewrite the file, which the editor reloads.
 */
async function restoreActiveFile(relativePath: string, original: string): Promise<void> {
  await e2e.workbench.page.keyboard.press('Escape');
  await e2e.workbench.runCommand('File: Revert File');
  writeFileSync(join(e2e.server.workspace, relativePath), original);
  // The same non-empty lines as the original, no more, no fewer (rendered lines need not be in order).
  const expected = new Set(original.split('\n').filter((l) => l.trim()));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const lines = await e2e.workbench.page.locator('.editor-group-container.active .editor-instance .view-line').allTextContents();
    const shown = new Set(lines.map((l) => l.replace(/\u00a0/g, ' ')).filter((l) => l.trim()));
    const dirty = await e2e.workbench.page.locator('.tabs-container .tab.active.dirty').count();
    if (!dirty && shown.size === expected.size && [...expected].every((l) => shown.has(l))) return;
    await e2e.workbench.page.waitForTimeout(100);
  }
  throw new Error(`${relativePath} was not restored in its editor`);
}

describe('MLproject language server (as a user)', function () {
  this.timeout(60_000);

  before(() => {
    // Tests edit files; they must be editing the harness's copy, never demo/ itself.
    assert.notEqual(resolve(e2e.server.workspace), resolve(demoWorkspace));
  });

  // Reset before (not after) each test, so a failing test's screenshot shows what it left on screen.
  beforeEach(async () => {
    await e2e.workbench.reset();
  });

  after(async () => {
    await e2e.workbench.reset().catch(() => undefined);
    await e2e.workbench.runCommand('View: Hide Panel');
  });

  it('lists the broken demo project’s mistakes in the Problems panel', async () => {
    const { workbench } = e2e;
    await workbench.openFile(BROKEN);
    await workbench.expectEditorLanguage('MLproject');
    await workbench.runCommand('Problems: Focus on Problems View');
    const file = 'MLproject broken-project';
    const problems = await waitForProblems(
      file,
      (p) => p.some((x) => x.code === 'undeclared-placeholder') && p.filter((x) => x.code === 'malformed-parameter-key').length === 2,
      'the broken project’s diagnostics',
    );
    // The demo's two deliberate mistakes, and nothing else.
    assert.deepEqual(problems.map((p) => p.code).sort(), ['malformed-parameter-key', 'malformed-parameter-key', 'undeclared-placeholder']);
    for (const p of problems) assert.equal(p.source, 'mlflow', `source of ${p.code}`);

    const placeholder = problems.find((p) => p.code === 'undeclared-placeholder')!;
    const at = positionIn(BROKEN, '{batch_size}');
    assert.equal(placeholder.severity, 'error');
    assert.equal(placeholder.position, `[Ln ${at.line}, Col ${at.column}]`);
    assert.match(placeholder.message, /'\{batch_size\}' names no declared parameter of 'main'/);
    assert.match(placeholder.message, /KeyError: 'batch_size'/);

    const malformed = problems.filter((p) => p.code === 'malformed-parameter-key');
    for (const [key, fixed] of [
      ['type:int', 'type: int'],
      ['default:10', 'default: 10'],
    ]) {
      const warning = malformed.find((p) => p.message.startsWith(`'${key}'`));
      assert.ok(warning, `a warning about '${key}' in: ${malformed.map((p) => p.message).join(' | ')}`);
      const keyAt = positionIn(BROKEN, `${key}`);
      assert.equal(warning.severity, 'warning');
      assert.equal(warning.position, `[Ln ${keyAt.line}, Col ${keyAt.column}]`);
      assert.ok(warning.message.includes(`not '${fixed}'`), warning.message);
      assert.match(warning.message, /space after the colon/);
    }
    await workbench.screenshot('language-server-problems', { readme: true });
  });

  it('offers the parameter types at a parameter’s type, and inserts the chosen one', async () => {
    const { workbench } = e2e;
    const { page } = workbench;
    await workbench.openFile(DEMO);
    await workbench.expectEditorLanguage('MLproject');
    const original = readFileSync(join(e2e.server.workspace, DEMO), 'utf8');
    const at = positionIn(DEMO, 'alpha: {type: float');
    await goTo({ line: at.line, column: at.column + 'alpha: {type: '.length });
    try {
      // Type over the value: select "float", delete it, ask for suggestions.
      await page.keyboard.press('Control+Shift+ArrowRight');
      await page.keyboard.press('Backspace');
      await waitForEditorLine('alpha: {type: , default', 'the emptied type');
      await page.keyboard.press('Control+Space');
      const rows = page.locator('.suggest-widget.visible .monaco-list-row');
      await rows.first().waitFor({ timeout: 15_000 });
      const labels = await rows.locator('.label-name').allTextContents();
      assert.deepEqual([...labels].map((l) => l.trim()).sort(), [...DOCUMENTED_PARAMETER_TYPES].sort(), `suggestions: ${labels.join(', ')}`);
      // The focused type's documentation, in the details pane (Ctrl+Space again opens it).
      const details = page.locator('.suggest-details-container .suggest-details .docs');
      if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
      await details.filter({ hasText: PARAMETER_TYPES[labels[0].trim()].description.replace(/`/g, '') }).waitFor({ timeout: 10_000 });
      await workbench.screenshot('language-server-completion', { readme: true });
      // Narrow the list by typing, as a user would, and accept.
      await page.keyboard.type('pa');
      await page.locator('.suggest-widget.visible .monaco-list-row.focused', { hasText: 'path' }).waitFor({ timeout: 5_000 });
      await page.keyboard.press('Enter');
      await page
        .locator('.suggest-widget.visible')
        .waitFor({ state: 'detached', timeout: 5_000 })
        .catch(() => undefined);
      const line = await waitForEditorLine('alpha: {type: path', 'the accepted suggestion');
      assert.equal(line.trim(), 'alpha: {type: path, default: 0.1}');
    } finally {
      await restoreActiveFile(DEMO, original);
    }
  });

  it('documents a top-level key and a placeholder on hover, with a link to MLflow’s docs', async () => {
    const { workbench } = e2e;
    const { page } = workbench;
    await workbench.openFile(DEMO);
    await workbench.expectEditorLanguage('MLproject');
    const editor = page.locator('.editor-group-container.active .editor-instance');
    await editor
      .locator('.view-line span span', { hasText: /^entry_points$/ })
      .first()
      .hover();
    const key = await hoverWith('entry_points');
    const doc = MLPROJECT_KEY_DOCS.entry_points;
    // The rendered Markdown: the key's documentation without its backticks.
    assert.ok(key.text.includes(doc.description.replace(/`/g, '')), `hover text: ${key.text}`);
    assert.deepEqual(key.links, [{ text: 'MLflow documentation', href: doc.url }]);
    assert.match(doc.url, /^https:\/\/mlflow\.org\/docs\//);
    // Let the hover finish fading in before the picture.
    await page
      .locator('.monaco-hover:not(.hidden)')
      .first()
      .evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((animation: { finished: Promise<unknown> }) => animation.finished)));
    await workbench.screenshot('language-server-hover', { readme: true });

    // A {placeholder} in the command: its parameter's type and default.
    const command = editor.locator('.view-line', { hasText: '{l1_ratio}' });
    await command
      .locator('span span', { hasText: /^l1_ratio$/ })
      .first()
      .hover();
    const placeholder = await hoverWith('{l1_ratio}');
    assert.match(placeholder.text, /parameter of entry point main/);
    assert.match(placeholder.text, /Type: float/);
    assert.match(placeholder.text, /Default: 0\.5/);
    await page.mouse.move(0, 0);
  });

  it('fixes the undeclared placeholder with a quick fix, and the error leaves the Problems panel', async () => {
    const { workbench } = e2e;
    const { page } = workbench;
    const file = 'MLproject broken-project';
    await workbench.openFile(BROKEN);
    await workbench.expectEditorLanguage('MLproject');
    await workbench.runCommand('Problems: Focus on Problems View');
    await waitForProblems(file, (p) => p.some((x) => x.code === 'undeclared-placeholder'), 'the undeclared placeholder error');
    const original = readFileSync(join(e2e.server.workspace, BROKEN), 'utf8');
    const at = positionIn(BROKEN, '{batch_size}');
    await goTo({ line: at.line, column: at.column + 1 });
    try {
      await page.keyboard.press('Control+.');
      const actions = page.locator('.action-widget .monaco-list-row.action');
      await actions.first().waitFor({ timeout: 15_000 });
      const titles = (await actions.locator('.title').allTextContents()).map((t) => t.trim());
      assert.ok(titles.includes("Declare parameter 'batch_size'"), `quick fixes: ${titles.join(' | ')}`);
      assert.ok(titles.includes('Escape the braces (literal text)'), `quick fixes: ${titles.join(' | ')}`);
      await actions.filter({ has: page.locator('.title', { hasText: "Declare parameter 'batch_size'" }) }).click();
      await page
        .locator('.action-widget')
        .waitFor({ state: 'hidden', timeout: 5_000 })
        .catch(() => undefined);

      // Declared under the other parameters, at their indentation.
      const declared = await waitForEditorLine('batch_size: {type: string}', 'the declared parameter');
      const sibling = await editorLine('learning_rate: {type: float');
      assert.equal(declared.match(/^ */)![0], sibling?.match(/^ */)![0], 'the declaration is indented like its siblings');
      // The error goes; the two warnings stay (and nothing new appears).
      const problems = await waitForProblems(file, (p) => !p.some((x) => x.code === 'undeclared-placeholder') && p.length > 0, 'the error to disappear');
      assert.deepEqual(
        problems.map((p) => p.code),
        ['malformed-parameter-key', 'malformed-parameter-key'],
      );
      await workbench.screenshot('language-server-quick-fix');
    } finally {
      await restoreActiveFile(BROKEN, original);
    }
    // Restoring the file brings the mistake, and its error, back.
    await waitForProblems(file, (p) => p.some((x) => x.code === 'undeclared-placeholder'), 'the error once the file is restored');
  });
});
