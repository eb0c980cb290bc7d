// Mocha root hooks for the UI suite: one code-server (with the packaged .vsix
// installed, as a user would) and one browser page for the whole suite, a
// screenshot of every failing test, and everything stopped at the end.
//
// In a spec:  import { e2e } from './setup';   then use e2e.workbench (see test/harness/README.md).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CodeServer, startCodeServer } from '../harness/codeServer';
import { demoWorkspace, repoRoot } from '../harness/paths';
import { launchBrowser, openWorkbench, Workbench } from '../harness/workbench';

interface E2eContext {
  /** The server, its workspace (a fresh copy of demo/) and folders. */
  server: CodeServer;
  /** The workbench page every spec drives. */
  workbench: Workbench;
}

let current: (E2eContext & { browser: Browser }) | undefined;

/** The suite's server and workbench; valid inside tests and hooks. */
export const e2e: E2eContext = {
  get server() {
    if (!current) throw new Error('e2e setup has not run');
    return current.server;
  },
  get workbench() {
    if (!current) throw new Error('e2e setup has not run');
    return current.workbench;
  },
};

/** The .vsix under test: MLFLOW_VSIX, or the one `npm run package` writes. */
export function vsixPath(): string {
  if (process.env.MLFLOW_VSIX) return process.env.MLFLOW_VSIX;
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(180_000);
    const vsix = vsixPath();
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);
    const server = await startCodeServer({ workspace: demoWorkspace, vsix, name: 'e2e' });
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const workbench = await openWorkbench(browser, server);
      current = { server, browser, workbench };
    } catch (error) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      throw error;
    }
  },

  async afterEach(this: Mocha.Context) {
    const test = this.currentTest;
    if (current && test?.state === 'failed') {
      const file = await current.workbench.screenshot(`failed-${test.fullTitle()}`).catch(() => undefined);
      if (file) console.log(`      screenshot: ${file}`);
      // The extension logs why it gave up on a request there; CI keeps only what the suite prints.
      for (const log of current.server.extensionLogs()) {
        console.log(`      ${log} (last 40 lines):\n${readFileSync(log, 'utf8').split('\n').slice(-40).join('\n')}`);
      }
      // Close whatever the failed test left open (quick input, menu, dialog) so the next test starts usable.
      await current.workbench.page.keyboard.press('Escape').catch(() => undefined);
      await current.workbench.page.keyboard.press('Escape').catch(() => undefined);
    }
  },

  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    const ending = current;
    current = undefined;
    if (!ending) return;
    await ending.browser.close().catch(() => undefined);
    await ending.server.stop();
  },
};
