// The metric charts as a user sees them: two demo runs selected in the Runs view,
// "MLflow: Plot Metrics", the panel draws; log scale; a window reload brings it back.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { e2e } from './setup';

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
