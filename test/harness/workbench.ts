import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { docsImagesDir, screenshotsDir } from './paths';

/** Debian's Chromium; override with CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium builds a browser window's UI for every page, its omnibox popup a WebUI page in a renderer of its
 * own (chrome://omnibox-popup.top-chrome): measured here, 1.1-1.3 s of CPU in the second after each page opened, on
 * this two-core machine, while the webview or workbench under test loaded beside it. A VS Code webview has no omnibox;
 * the suites and benchmarks measure their page, not Chromium's address bar.
 */
export const DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

/**
 * Started through a script that merges repeated feature switches: Chromium reads only the last `--disable-features`,
 * and Playwright passes its own list before ours.
 */
const mergingLauncher = join(__dirname, 'chromium-merged-features.sh');

/** Starts headless Chromium. Close it (`browser.close()`) in an `after`/`finally`. */
export async function launchBrowser(): Promise<Browser> {
  // Playwright refuses --user-data-dir in args; a plain launch() already uses a fresh profile.
  return chromium.launch({
    executablePath: mergingLauncher,
    env: { ...process.env, MLFLOW_TEST_CHROMIUM: chromiumPath },
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      `--disable-features=${DISABLED_FEATURES.join(',')}`,
    ],
  });
}

export interface OpenWorkbenchOptions {
  /** The `payload` part of the URL (extension development / tests paths). */
  payload?: [string, string][];
  /** Called with the fresh page before it navigates (e.g. `page.exposeFunction`). */
  beforeNavigate?: (page: Page) => Promise<void>;
  viewport?: { width: number; height: number };
}

/** Opens the workspace in a new browser page and waits for the workbench to render. */
export async function openWorkbench(browser: Browser, server: CodeServer, options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await options.beforeNavigate?.(page);
    // A loaded machine (two suites at once, a busy CI host) can take longer than Playwright's default 30 s.
    await page.goto(server.workbenchUrl(options.payload), { timeout: 120_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return new Workbench(page, context);
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** One row of a tree view, as the user sees it. */
export interface TreeRow {
  /** The item's label (its name). */
  label: string;
  /** The dimmer text after the label ('' when none). */
  description: string;
  /** `label` and `description` as shown: "label description". */
  text: string;
  /** 1 for top-level rows. */
  depth: number;
  /** undefined for leaves. */
  expanded: boolean | undefined;
}

/** A VS Code workbench in a browser page, driven as a user would: keyboard, mouse, reading the screen. */
export class Workbench {
  constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
  ) {}

  /** Runs a command from the palette by its title as shown there, e.g. "MLflow: Refresh". */
  async runCommand(title: string): Promise<void> {
    const input = await this.findCommand(title, 10_000);
    await input.press('Enter');
    // Done when the palette closed, or when the command opened a quick input of its own in its place.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (!(await input.isVisible())) return;
      if ((await input.inputValue({ timeout: 1_000 }).catch(() => '')) !== `>${title}`) return;
      await this.page.waitForTimeout(50);
    }
  }

  /**
   * Opens the palette with `title` typed and waits until it lists that command; leaves the palette open
   * and returns its input. The palette lists the commands known when its text last changed, and right
   * after the workbench loads (a slow CI host) the extensions' contributions may not be registered yet:
   * so it types the title again until the command shows, within `timeoutMs`.
   */
  async findCommand(title: string, timeoutMs = 60_000): Promise<Locator> {
    const input = await this.openQuickInput('F1');
    const row = this.quickPickRow(title);
    const deadline = Date.now() + timeoutMs;
    const step = () => Math.max(1, Math.min(3_000, deadline - Date.now()));
    for (;;) {
      try {
        // The palette closes when something else takes the focus as it opens (seen once in CI, right after a Refresh:
        // its input inert, then gone); a user opens it again.
        if (!(await input.isVisible())) await this.openQuickInput('F1');
        await input.fill(`>${title}`, { timeout: step() });
        await row.waitFor({ timeout: step() });
        return input;
      } catch (error) {
        if (Date.now() >= deadline) {
          await this.closeQuickInputOnError(Promise.reject(error), `no command "${title}" in the palette`);
        }
        await input.fill('>', { timeout: step() }).catch(() => undefined);
      }
    }
  }

  /**
   * Opens a workspace file through Quick Open (Ctrl+P, type the path, pick the
   * result in that folder) and waits for its editor. `relativePath` may be a
   * path's tail, e.g. "artifacts/MLmodel", when that is unambiguous.
   */
  async openFile(relativePath: string): Promise<void> {
    const parts = relativePath.split('/');
    const name = parts.pop() ?? relativePath;
    const folder = parts.pop();
    const input = await this.openQuickInput('Control+P');
    await input.fill(relativePath);
    // File results read "<name> <folder path>, file results"; files at the root "<name>, ...".
    const quoted = (text: string) => JSON.stringify(text);
    const row = this.page
      .locator(
        folder === undefined
          ? `.quick-input-list .monaco-list-row[aria-label^=${quoted(`${name},`)}]`
          : `.quick-input-list .monaco-list-row[aria-label^=${quoted(`${name} `)}][aria-label*=${quoted(folder)}]`,
      )
      .first();
    await this.closeQuickInputOnError(row.waitFor({ timeout: 15_000 }), `Quick Open found no "${relativePath}"`);
    await row.click();
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
    if (folder !== undefined) {
      await this.page.locator('.editor-group-container.active .breadcrumbs-control', { hasText: folder }).waitFor({ timeout: 15_000 });
    }
  }

  /** The language name the status bar shows for the active editor (e.g. "MLproject"). */
  async editorLanguage(): Promise<string> {
    const item = this.page.locator('[id="status.editor.mode"]');
    await item.waitFor({ timeout: 10_000 });
    return (await item.innerText()).trim();
  }

  /**
   * Waits until the status bar shows `language` for the active editor (it updates
   * a moment after the tab opens); fails with the language it does show.
   */
  async expectEditorLanguage(language: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let shown = '';
    while (Date.now() < deadline) {
      shown = await this.editorLanguage().catch(() => '');
      if (shown === language) return;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`the status bar shows the language "${shown}", expected "${language}"`);
  }

  /** The activity-bar entry with this title (e.g. "MLflow"). */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
  }

  /** Opens a view container from the activity bar (a click, or nothing if it is already open). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.activityBarItem(title);
    // A new window shows the container once its extension host has scanned the extensions:
    // seconds on a quiet machine, more under load (a second window in the same server).
    await item.waitFor({ timeout: 60_000 });
    const checked = await item
      .locator('xpath=..')
      .getAttribute('aria-selected')
      .catch(() => null);
    if (checked !== 'true' && !(await this.sideBarTitleIs(title))) await item.click();
    await this.page.locator('.part.sidebar .composite.title', { hasText: title }).first().waitFor({ timeout: 10_000 });
  }

  /** The pane (view) whose header shows `title`, e.g. "Runs". */
  view(title: string): Locator {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header h3.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`, 'i') }) })
      .first();
  }

  /** The visible rows of a tree view, top to bottom (only rendered rows: expand what you need first). */
  async readTree(viewTitle: string): Promise<TreeRow[]> {
    const rows = this.view(viewTitle).locator('.monaco-list-row');
    return rows.evaluateAll((elements) =>
      elements.map((element) => {
        // No helper functions in here: this runs in the page, where the bundler's
        // helpers (`__name`) do not exist.
        const expanded = element.getAttribute('aria-expanded');
        const name = element.querySelector('.label-name') ?? element.querySelector('.monaco-tl-contents');
        const label = (name?.textContent ?? '').trim().replace(/\s+/g, ' ');
        const description = (element.querySelector('.label-description')?.textContent ?? '').trim().replace(/\s+/g, ' ');
        return {
          label,
          description,
          text: description ? `${label} ${description}` : label,
          depth: Number(element.getAttribute('aria-level') ?? '1'),
          expanded: expanded === null ? undefined : expanded === 'true',
        };
      }),
    );
  }

  /** Polls `readTree` until `predicate` holds; fails with the rows it last saw. */
  async waitForTree(viewTitle: string, predicate: (rows: TreeRow[]) => boolean, what: string, timeoutMs = 20_000): Promise<TreeRow[]> {
    const deadline = Date.now() + timeoutMs;
    let rows: TreeRow[] = [];
    while (Date.now() < deadline) {
      rows = await this.readTree(viewTitle).catch(() => []);
      if (predicate(rows)) return rows;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`timed out waiting for ${what} in ${viewTitle}; rows: ${rows.map((row) => row.text).join(' | ')}`);
  }

  /** The row of a tree view whose label is exactly `label`. */
  treeItem(viewTitle: string, label: string): Locator {
    return this.view(viewTitle)
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
      .first();
  }

  /** Expands a collapsed tree item (a click on it) and waits until it is expanded. */
  async expandTreeItem(viewTitle: string, label: string): Promise<void> {
    await this.expandRow(this.treeItem(viewTitle, label), `"${label}" in ${viewTitle}`);
  }

  /**
   * Clicks a collapsed tree row open and waits until it says so. A click can land on a row
   * the tree is about to replace (its data changed, e.g. another store took over with new
   * item ids), and the replacement comes back collapsed: then it clicks the new row.
   */
  async expandRow(row: Locator, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await row.waitFor({ timeout: timeoutMs });
    let clickedAt = Number.NEGATIVE_INFINITY;
    while (Date.now() < deadline) {
      const expanded = await row.getAttribute('aria-expanded', { timeout: 1_000 }).catch(() => undefined);
      if (expanded === 'true') {
        // The pointer left resting on the row opens its hover, which can cover the rows below and take
        // the next click (fresh-clone CI: an experiment's tooltip over its first run).
        if (clickedAt > Number.NEGATIVE_INFINITY) await this.pointerAway();
        return;
      }
      if (expanded === 'false' && Date.now() - clickedAt > 2_000) {
        await row.click({ timeout: 2_000 }).catch(() => undefined);
        clickedAt = Date.now();
      }
      await this.page.waitForTimeout(100);
    }
    throw new Error(`${what} did not expand`);
  }

  /** Collapses every item of a tree view (its header's Collapse All), so the next test finds the rows it expands rendered. */
  async collapseTree(viewTitle: string): Promise<void> {
    const view = this.view(viewTitle);
    await view
      .locator('.pane-header')
      .hover()
      .catch(() => undefined);
    await view
      .locator('.pane-header .action-label[aria-label^="Collapse All"]')
      .click({ timeout: 5_000 })
      .catch(() => undefined);
  }

  /** Moves the pointer off everything and waits for a hover to go (a tree row's tooltip covers the rows below it). */
  async pointerAway(): Promise<void> {
    await this.page.mouse.move(1, 1);
    await this.page.waitForTimeout(600);
  }

  /**
   * Right-clicks `target` (a tree row, an editor, …) and chooses the entry labelled `item`,
   * as a user does: the pointer leaves any hover first, then moves onto the entry and clicks
   * once the entry has taken focus. A click the instant the menu appears can be dropped by
   * VS Code's menu (the command never runs and nothing is shown).
   */
  async contextMenu(target: Locator, item: string): Promise<void> {
    await this.pointerAway();
    await target.click({ button: 'right' });
    const label = this.page.locator('.action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(item)}\\s*$`) });
    const entry = this.page.locator('.monaco-menu .action-item', { has: label }).first();
    try {
      await entry.waitFor({ timeout: 10_000 });
      await entry.hover();
      await this.page.locator('.monaco-menu .action-item.focused', { has: label }).first().waitFor({ timeout: 5_000 });
    } catch (error) {
      const shown = await this.page
        .locator('.monaco-menu .action-item .action-label')
        .allInnerTexts()
        .catch(() => []);
      await this.page.keyboard.press('Escape').catch(() => undefined);
      throw new Error(`no context-menu entry "${item}"; the menu shows: [${shown.filter((t) => t.trim()).join(' | ')}]`, { cause: error });
    }
    await entry.click();
  }

  /** Messages of the notifications currently shown (toasts and the notification centre). */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-list-item-message').allInnerTexts();
  }

  /**
   * Saves a screenshot to test-results/screenshots/<name>.png; with `readme`, also
   * to docs/images/<name>.png when UPDATE_SCREENSHOTS=1.
   */
  async screenshot(name: string, options: { readme?: boolean } = {}): Promise<string> {
    mkdirSync(screenshotsDir, { recursive: true });
    const file = join(screenshotsDir, `${safeFileName(name)}.png`);
    await this.page.screenshot({ path: file });
    if (options.readme && process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(docsImagesDir, { recursive: true });
      copyFileSync(file, join(docsImagesDir, `${safeFileName(name)}.png`));
    }
    return file;
  }

  /** Closes every editor and any open quick input, so the next test starts clean. */
  async reset(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  private async openQuickInput(key: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.keyboard.press(key);
      if (await input.isVisible().catch(() => false)) return input;
      try {
        await input.waitFor({ state: 'visible', timeout: 3_000 });
        return input;
      } catch {
        // The workbench may not take keys yet right after loading: try again.
      }
    }
    throw new Error(`pressing ${key} did not open the quick input`);
  }

  /** A failed pick must not leave the quick input open over the next test. */
  private async closeQuickInputOnError(waiting: Promise<void>, message: string): Promise<void> {
    try {
      await waiting;
    } catch (error) {
      await this.page.keyboard.press('Escape').catch(() => undefined);
      throw new Error(`${message}: ${error instanceof Error ? error.message.split('\n')[0] : error}`, { cause: error });
    }
  }

  private quickPickRow(title: string): Locator {
    return this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  }

  private async sideBarTitleIs(title: string): Promise<boolean> {
    const text = await this.page
      .locator('.part.sidebar .composite.title')
      .first()
      .innerText()
      .catch(() => '');
    return text.trim().toLowerCase().startsWith(title.toLowerCase());
  }
}

export function safeFileName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'screenshot'
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
