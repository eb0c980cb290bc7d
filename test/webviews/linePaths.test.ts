import * as assert from 'node:assert/strict';
import { buildSync } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../harness/workbench';
import { repoRoot } from '../harness/paths';

/**
 * `straightLinePaths` against uPlot's own `linear` builder, in real Chromium: the same data and options drawn both
 * ways must give the same pixels, on a linear and a log scale, with holes (a run without a point at some x).
 */
describe("The charts' line paths (headless Chromium)", function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    // uPlot and the builder bundled for the page, exposing one function that draws a chart with a given builder.
    const bundle = buildSync({
      stdin: {
        contents: `
          import uPlot from 'uplot';
          import { straightLinePaths } from './src/webviews/charts/linePaths';
          window.drawWith = async (builder, data, logY, width, dpr) => {
            const box = document.createElement('div');
            document.body.append(box);
            const series = [{}, ...data.slice(1).map((_, i) => ({
              stroke: ['#e41a1c', '#377eb8', '#4daf4a'][i % 3], width: 1.5, spanGaps: true,
              points: { show: false }, ...(builder === 'ours' ? { paths: straightLinePaths } : {}),
            }))];
            const plot = new uPlot({ width, height: 240, pxRatio: dpr, series, legend: { show: false },
              scales: { x: { time: false }, y: { distr: logY ? 3 : 1, log: 10 } }, axes: [{ show: false }, { show: false }] }, data, box);
            // uPlot draws in a microtask after it is built.
            await new Promise((resolve) => setTimeout(resolve));
            return plot.ctx.canvas.toDataURL();
          };
        `,
        resolveDir: repoRoot,
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      write: false,
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
  });
  after(async () => {
    await browser?.close();
  });

  function seriesWithHoles(n: number, seed: number): { x: number[]; ys: (number | undefined)[][] } {
    let s = seed;
    const random = () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
    const x: number[] = [];
    for (let i = 0, at = 0; i < n; i++) x.push((at += 0.5 + random() * 3));
    const ys = [0, 1, 2].map((k) =>
      x.map((_, i) => (random() < 0.15 ? undefined : (k + 1) * Math.exp(-i / (n / 4)) + 0.05 + random() * 0.3 + (i === n >> 1 ? 4 : 0))),
    );
    return { x, ys };
  }

  for (const [what, logY, dpr] of [
    ['a linear scale', false, 1],
    ['a log scale', true, 1],
    ['a linear scale at two device pixels per CSS pixel', false, 2],
  ] as const) {
    it(`draws the same pixels as uPlot's linear builder on ${what}, holes included`, async () => {
      const { x, ys } = seriesWithHoles(700, 42);
      const data = [x, ...ys];
      const draw = (builder: 'ours' | 'uplot') =>
        page.evaluate(([b, d, log, r]) => (window as unknown as { drawWith: (...a: unknown[]) => Promise<string> }).drawWith(b, d, log, 400, r), [
          builder,
          data,
          logY,
          dpr,
        ] as const);
      const blank = await page.evaluate(() => {
        const canvas = document.createElement('canvas');
        canvas.width = 400;
        canvas.height = 240;
        return canvas.toDataURL();
      });
      const ours = await draw('ours');
      const theirs = await draw('uplot');
      assert.ok(ours.length > 4 * blank.length, 'the lines were drawn');
      assert.equal(ours, theirs);
    });
  }

  it('carries the line across a hole, as uPlot does with spanGaps', async () => {
    const data = [
      [1, 2, 3, 4, 5],
      [1, undefined, undefined, undefined, 5],
    ];
    const ours = await page.evaluate((d) => (window as unknown as { drawWith: (...a: unknown[]) => Promise<string> }).drawWith('ours', d, false, 300, 1), data);
    const straight = await page.evaluate(
      (d) => (window as unknown as { drawWith: (...a: unknown[]) => Promise<string> }).drawWith('uplot', d, false, 300, 1),
      [
        [1, 5],
        [1, 5],
      ],
    );
    assert.equal(ours, straight);
  });
});
