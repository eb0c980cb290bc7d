/**
 * The tests' and benchmarks' Chromium (`launchBrowser`): Chromium's own browser UI is kept out (no omnibox popup page
 * beside the page under test), and Playwright's list of disabled features is kept with ours (Chromium reads only the
 * last of a repeated `--disable-features`, so a second one on the command line would drop the first).
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { DISABLED_FEATURES, launchBrowser } from './workbench';

/** The command lines of the browser processes this process started (Chromium's main process: no `--type`). */
function ownBrowserCommandLines(): string[][] {
  const lines: string[][] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (Number(/^PPid:\s*(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.includes('--remote-debugging-pipe') && !argv.some((arg) => arg.startsWith('--type='))) lines.push(argv);
    } catch {
      // Gone meanwhile.
    }
  }
  return lines;
}

describe('Test browser (Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  before(async () => (browser = await launchBrowser()));
  after(() => browser?.close());

  it("starts with one list of disabled features, Playwright's and ours", () => {
    const commandLines = ownBrowserCommandLines();
    assert.ok(commandLines.length >= 1, 'the browser is a child of this process');
    for (const argv of commandLines) {
      const switches = argv.filter((arg) => arg.startsWith('--disable-features='));
      assert.equal(switches.length, 1, `one --disable-features in ${argv.join(' ')}`);
      const features = switches[0].slice('--disable-features='.length).split(',');
      for (const feature of DISABLED_FEATURES) assert.ok(features.includes(feature), `${feature} is disabled`);
      assert.ok(features.length > DISABLED_FEATURES.length, `Playwright's own features are disabled too: ${features.join(',')}`);
    }
  });

  it('opens a page without the omnibox popup page Chromium would build beside it', async () => {
    const context = await browser!.newContext();
    try {
      const page = await context.newPage();
      await page.goto('data:text/html,<p>hi</p>');
      const session = await browser!.newBrowserCDPSession();
      const { targetInfos } = await session.send('Target.getTargets');
      const urls = targetInfos.map((target) => target.url);
      assert.ok(urls.includes('data:text/html,<p>hi</p>'), urls.join(' '));
      assert.deepEqual(
        urls.filter((url) => url.startsWith('chrome://')),
        [],
      );
    } finally {
      await context.close();
    }
  });
});
