/**
 * Compare and sweep benchmark, in real headless Chromium with the built webviews
 * (`npm run build` first): the compare table of 100 runs × 500 keys from the extension's
 * message to cells on screen; parallel coordinates of 10,000 runs × 8 axes from the
 * message to the first frame; one brush step (re-filter and redraw of 10,000 runs).
 * Floors, timed in the same page: handing the same message to the page without handling it
 * (compare), and plain canvas code stroking the same 10,000 polylines (parallel, brush). Canvas
 * times are the page's own (drawing calls), without the rasterisation the browser does after.
 *
 * Human lines on stderr, one JSON object as the last stdout line.
 */
import { buildCompareTable, type CompareRunInput } from '../src/compare/rows';
import type { CompareToPage } from '../src/protocol/compare';
import { sweepData } from '../test/helpers/sweepFixture';
import { WebviewHarness, type WebviewPage } from '../test/webviews/harness';

const log = (s: string) => process.stderr.write(s + '\n');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeIt(repeat: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

function compareInputs(): CompareRunInput[] {
  return Array.from({ length: 100 }, (_, r) => ({
    run: {
      info: {
        run_id: r.toString(16).padStart(32, '0'),
        run_name: `run-${r}`,
        experiment_id: '1',
        status: 'FINISHED',
        lifecycle_stage: 'active',
        start_time: 1.7e12 + r,
        end_time: 1.7e12 + r + 60_000,
      },
      data: {
        params: Array.from({ length: 300 }, (_, k) => ({ key: `p${k}`, value: String((r * k) % 11) })),
        metrics: Array.from({ length: 150 }, (_, k) => ({ key: `m${k}`, value: Math.sin(r + k), timestamp: 0, step: 0 })),
        tags: Array.from({ length: 50 }, (_, k) => ({ key: `t${k}`, value: k % 2 ? 'a' : `v${r}` })),
      },
    },
  }));
}

/** Plain canvas: the same polylines as the page's parallel coordinates, one stroke, nothing else. */
async function canvasFloor(page: WebviewPage, runs: number, axes: number): Promise<number> {
  return page.page.evaluate(
    ({ runs, axes }) => {
      const canvas = document.createElement('canvas');
      canvas.width = 1200;
      canvas.height = 700;
      document.body.append(canvas);
      const ctx = canvas.getContext('2d')!;
      const ys = new Float32Array(runs * axes);
      for (let i = 0; i < ys.length; i++) ys[i] = (i * 7919) % 700;
      const times: number[] = [];
      for (let repeat = 0; repeat < 7; repeat++) {
        const started = performance.now();
        ctx.clearRect(0, 0, 1200, 700);
        const path = new Path2D();
        for (let r = 0; r < runs; r++) {
          path.moveTo(70, ys[r * axes]);
          for (let a = 1; a < axes; a++) path.lineTo(70 + a * 150, ys[r * axes + a]);
        }
        ctx.stroke(path);
        times.push(performance.now() - started);
      }
      canvas.remove();
      return times.sort((a, b) => a - b)[3];
    },
    { runs, axes },
  );
}

// Page-side code as strings: tsx would wrap named functions in a helper the page lacks.
const COMPARE_FLOOR = `({ table, cells }) => {
  const times = [];
  for (let repeat = 0; repeat < 5; repeat++) {
    const started = performance.now();
    const copy = structuredClone(table);
    const root = document.createElement('div');
    for (let i = 0; i < cells; i++) {
      const cell = document.createElement('div');
      cell.textContent = copy.rows[i % copy.rows.length].display[i % copy.columns.length];
      root.append(cell);
    }
    document.body.append(root);
    root.getBoundingClientRect();
    root.remove();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2];
}`;

const BRUSH_STEPS = `(async () => {
  const canvas = document.querySelector('canvas.plot');
  const rect = canvas.getBoundingClientRect();
  const at = (type, y) => canvas.dispatchEvent(new PointerEvent(type, { clientX: rect.left + 70, clientY: rect.top + y, pointerId: 1, bubbles: true }));
  at('pointerdown', 20);
  const times = [];
  for (let step = 0; step < 15; step++) {
    const started = performance.now();
    at('pointermove', 100 + step * 20);
    const filterMs = performance.now() - started;
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    times.push(filterMs + Number(document.body.dataset.drawMs));
  }
  at('pointerup', 400);
  return times;
})()`;

async function main(): Promise<void> {
  const harness = await WebviewHarness.start();
  try {
    // Compare: 100 runs × 500 keys (300 params, 150 metrics, 50 tags).
    const inputs = compareInputs();
    const buildMs = await timeIt(5, async () => buildCompareTable(inputs));
    const table = buildCompareTable(inputs);
    const message: CompareToPage = { type: 'table', request: { storeUri: 'file:///bench', runs: [] }, table, directions: {}, loadingStats: false, live: false };
    const compare = await harness.open('compare');
    await compare.waitForMessage((m) => m.type === 'ready', 'ready');
    // The page builds the rows and draws the cells in view while handling the message, and notes how long that took.
    const pageTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      await compare.post(message);
      pageTimes.push(Number(await compare.page.getAttribute('body', 'data-render-ms')));
    }
    const showMs = median(pageTimes);
    const cells = await compare.page.$$eval('.cell', (n) => n.length);
    // Floor: what any page must do with this table: receive a structured clone of it (as postMessage does) and create the cells in view.
    const compareFloorMs = (await compare.page.evaluate(`(${COMPARE_FLOOR})(${JSON.stringify({ table, cells })})`)) as number;
    await compare.close();
    const compareMs = buildMs + showMs;
    log(
      `compare: 100 runs × ${table.rows.length} rows: build ${buildMs.toFixed(1)} ms + page ${showMs.toFixed(1)} ms (${cells} cells in view) = ${compareMs.toFixed(1)} ms; floor (clone + ${cells} cells) ${compareFloorMs.toFixed(1)} ms, ×${(compareMs / compareFloorMs).toFixed(2)}`,
    );

    // Parallel coordinates: 10,000 runs × 8 axes (7 params and the metric).
    const sweep = sweepData(10_000, 'parallel');
    const parallelTimes: number[] = [];
    let page: WebviewPage | undefined;
    for (let i = 0; i < 3; i++) {
      await page?.close();
      page = await harness.open('sweep', { viewport: { width: 1200, height: 800 } });
      await page.waitForMessage((m) => m.type === 'ready', 'ready');
      await page.post(sweep);
      await page.page.waitForSelector('body[data-kept="10000"]');
      parallelTimes.push(Number(await page.page.getAttribute('body', 'data-render-ms')));
    }
    const parallelMs = median(parallelTimes);
    const axes = await page!.page.$$eval('.axis-title', (n) => n.length);
    const parallelFloorMs = await canvasFloor(page!, 10_000, axes);
    log(
      `parallel coordinates: 10,000 runs × ${axes} axes, message to first frame ${parallelMs.toFixed(1)} ms; floor (plain canvas, same polylines) ${parallelFloorMs.toFixed(1)} ms, ×${(parallelMs / parallelFloorMs).toFixed(2)}`,
    );

    // One brush step: a pointer move on the first axis re-filters (synchronously) and redraws (next frame).
    const brushTimes = (await page!.page.evaluate(BRUSH_STEPS)) as number[];
    const brushMs = median(brushTimes.slice(2));
    log(
      `brush: one step over 10,000 runs (filter + redraw) ${brushMs.toFixed(1)} ms; floor (plain canvas redraw) ${parallelFloorMs.toFixed(1)} ms, ×${(brushMs / parallelFloorMs).toFixed(2)}`,
    );
    await page!.close();

    process.stdout.write(
      JSON.stringify({
        compare100RunsOpenMs: +compareMs.toFixed(1),
        compare100RunsOpenFloorMs: +compareFloorMs.toFixed(1),
        compare100RunsOpenRatio: +(compareMs / compareFloorMs).toFixed(2),
        parallelCoords10kMs: +parallelMs.toFixed(1),
        parallelCoords10kFloorMs: +parallelFloorMs.toFixed(1),
        parallelCoords10kRatio: +(parallelMs / parallelFloorMs).toFixed(2),
        brush10kMs: +brushMs.toFixed(1),
        brush10kFloorMs: +parallelFloorMs.toFixed(1),
        brush10kRatio: +(brushMs / parallelFloorMs).toFixed(2),
      }) + '\n',
    );
  } finally {
    await harness.stop();
  }
}

void main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
