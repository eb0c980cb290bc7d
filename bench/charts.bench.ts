/**
 * Charts benchmark: the real host side (file store → typed arrays → per-pixel-column
 * buckets, `ChartsDataSource`) feeding the real webview bundle in headless Chromium
 * through the real HTML shell (test/webviews/harness.ts). Data: a generated `mlruns`
 * under bench/.data/ (git-ignored). Builds the production bundles first (dist/webviews/charts.js, as shipped).
 *
 * Each "first frame" is timed from the request (the panel opening: the host starts reading
 * as the page starts loading) to the start of the first animation frame in which every chart on
 * the first screen has drawn its data. The page checks that itself at every frame (the harness's
 * frame probe, armed before the page's own script), and the harness delivers messages through the
 * page's DevTools session: nothing of Playwright's runs in the page while it works (its polling
 * and argument handling, compiled in the page on first use, added 50-150 ms). The headline figures
 * are the panel's own cost: that span less the harness's transport of the messages (base64 over
 * the DevTools protocol, where VS Code hands a webview the bytes), timed again on an idle host
 * (see `transportWithin`). The harness's end-to-end figures are printed too. The floors are reading the same
 * metric files, finding their lines and parsing their numbers exactly by the fastest method (`readAndParseFloor`),
 * in the same process; the first floors (a latin1 string per file split into line strings) are printed beside them.
 *
 * Human lines on stderr, one JSON object as the last stdout line.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChartsDataSource } from '../src/charts/dataSource';
import { openFileStore } from '../src/tracking/file';
import { parseValue } from '../src/tracking/file/metricValue';
import { firstScreenRequests } from '../src/charts/firstScreen';
import { DEFAULT_SETTINGS, type FirstScreen, type SeriesRequest } from '../src/protocol/chartsPanel';
import { WebviewHarness, type WebviewPage } from '../test/webviews/harness';
import { seededRandom } from '../test/helpers/seededRandom';

const DATA = path.join(__dirname, '.data', 'charts-v1');
const ROOT = path.join(DATA, 'mlruns');
const log = (s: string) => process.stderr.write(s + '\n');
const now = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;
/** Runs per figure (the median is reported); more on a loaded machine: CHARTS_BENCH_REPEAT=7. */
const REPEAT = Number(process.env.CHARTS_BENCH_REPEAT) || 5;

interface Scenario {
  experiment: string;
  runs: number;
  metrics: number;
  points: number;
}
const SCENARIOS = {
  tenRuns: { experiment: '1', runs: 10, metrics: 1, points: 100_000 },
  oneMillion: { experiment: '2', runs: 1, metrics: 1, points: 1_000_000 },
  hundredRuns: { experiment: '3', runs: 100, metrics: 1, points: 1_000 },
  manyMetrics: { experiment: '4', runs: 1, metrics: 300, points: 1_000 },
} satisfies Record<string, Scenario>;

const runId = (experiment: string, i: number) => `e${experiment.padStart(3, '0')}${i.toString(16).padStart(28, '0')}`;
const metricKey = (m: number, metrics: number) => (metrics === 1 ? 'loss' : `metric_${String(m).padStart(3, '0')}`);

function generate(): void {
  if (fs.existsSync(path.join(DATA, 'complete'))) return;
  log(`generating the charts store under ${DATA} (once) ...`);
  fs.rmSync(DATA, { recursive: true, force: true });
  const random = seededRandom(15);
  for (const s of Object.values(SCENARIOS)) {
    const exp = path.join(ROOT, s.experiment);
    fs.mkdirSync(exp, { recursive: true });
    fs.writeFileSync(
      path.join(exp, 'meta.yaml'),
      `artifact_location: file://${exp}\nexperiment_id: '${s.experiment}'\nlifecycle_stage: active\nname: bench-${s.experiment}\n`,
    );
    for (let r = 0; r < s.runs; r++) {
      const id = runId(s.experiment, r);
      const dir = path.join(exp, id);
      fs.mkdirSync(path.join(dir, 'metrics'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'params'));
      fs.mkdirSync(path.join(dir, 'tags'));
      fs.writeFileSync(
        path.join(dir, 'meta.yaml'),
        `artifact_uri: file://${dir}/artifacts\nend_time: 1700003600000\nexperiment_id: '${s.experiment}'\nlifecycle_stage: active\n` +
          `run_id: ${id}\nrun_name: run-${r}\nsource_type: 4\nstart_time: 1700000000000\nstatus: 3\ntags: []\nuser_id: bench\n`,
      );
      fs.writeFileSync(path.join(dir, 'params', 'lr'), String(0.001 * (r + 1)));
      for (let m = 0; m < s.metrics; m++) {
        const lines: string[] = [];
        let t = 1700000000000;
        for (let i = 0; i < s.points; i++) {
          t += 10 + Math.floor(random() * 5);
          lines.push(`${t} ${(2 * Math.exp(-i / (s.points / 5)) + random() * 0.1).toPrecision(17)} ${i}`);
        }
        fs.writeFileSync(path.join(dir, 'metrics', metricKey(m, s.metrics)), lines.join('\n') + '\n');
      }
    }
  }
  fs.writeFileSync(path.join(DATA, 'complete'), '');
}

/** The floor as first written: each file read as one latin1 string and split into line strings. */
function stringSplitFloor(files: string[]): number {
  const t = now();
  let lines = 0;
  for (const f of files) lines += fs.readFileSync(f, 'latin1').split('\n').length;
  if (lines < 0) log('');
  return now() - t;
}

/**
 * Floor: the least any reader must do, by the fastest method we know. Each file read in 1 MB
 * chunks into one reused buffer (one big read of a whole file is slower: a fresh 40 MB
 * allocation), each line's three numbers parsed straight from the bytes (the integers digit by
 * digit, the value by `parseValue`, exact as `Number`) and summed rather than kept: no strings, no
 * arrays, no checks of the line's shape, no turns of the event loop. The panel's reader does all
 * of this and more. (The first floor, a latin1 string per file split into line strings, is
 * slower than the panel's reader, so it was no floor: it is printed beside.)
 */
function readAndParseFloor(files: string[]): number {
  const t = now();
  for (const _ of readAndParseChunks(files));
  return now() - t;
}

/** The floor's work, one chunk per step: run whole by `readAndParseFloor`, or with turns of the event loop between. */
function* readAndParseChunks(files: string[]): Generator<void> {
  const chunk = Buffer.allocUnsafe(1 << 20);
  let sum = 0;
  for (const f of files) {
    const fd = fs.openSync(f, 'r');
    let carry = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, carry, chunk.length - carry, null);
      const end = carry + n;
      let ls = 0;
      for (let i = chunk.indexOf(10, 0); i >= 0 && i < end; i = chunk.indexOf(10, i + 1)) {
        // `<timestamp> <value> <step>`
        let j = ls;
        let ts = 0;
        for (; chunk[j] !== 32; j++) ts = ts * 10 + chunk[j] - 48;
        const vs = ++j;
        while (chunk[j] !== 32) j++;
        const value = parseValue(chunk, vs, j) ?? 0;
        let step = 0;
        for (j++; j < i; j++) step = step * 10 + chunk[j] - 48;
        sum += ts + value + step;
        ls = i + 1;
      }
      carry = end - ls;
      chunk.copy(chunk, 0, ls, end);
      if (n === 0) break;
      yield;
    }
    fs.closeSync(fd);
  }
  if (sum < 0) log('');
}

/**
 * Serves the page from a fresh store and data source, as a new panel does: the runs and the
 * first charts' histories are read from the moment the panel opens, while the page loads.
 */
function serve(view: WebviewPage, s: Scenario): unknown[] {
  const posted: unknown[] = [];
  const post = (message: unknown) => {
    posted.push(message);
    return view.post(message);
  };
  const reading = (async () => {
    const data = new ChartsDataSource(await openFileStore(ROOT));
    const loaded = await data.load(Array.from({ length: s.runs }, (_, i) => runId(s.experiment, i)));
    void data.prefetch(9); // as the panel does (FIRST_SCREEN_CHARTS)
    return { data, ...loaded };
  })();
  view.onMessage(async (message) => {
    const { data, runs, metrics } = await reading;
    if (message.type === 'ready') {
      // As the panel does: the first screen's series follow `init` unasked.
      const screen = message.firstScreen as FirstScreen | undefined;
      const pushed = screen
        ? firstScreenRequests(
            DEFAULT_SETTINGS,
            metrics,
            runs.map((r) => r.runId),
            screen,
          )
        : [];
      // As the panel does: the pushed charts whose histories are read already come with `init`; the rest
      // follow in one `seriesBatch` once read (one `series` when it is only one).
      const ready = pushed.filter((request) => data.isRead(request));
      const rest = pushed.filter((request) => !ready.includes(request));
      const series = await Promise.all(ready.map((request) => data.answer(request)));
      const init = { type: 'init', title: 'bench', storeUri: `file://${ROOT}`, runs, metrics, settings: DEFAULT_SETTINGS };
      const initPosted = post(
        screen ? { ...init, pushed: { metrics: pushed.map((r) => r.metric), columns: screen.columns }, ...(series.length ? { series } : {}) } : init,
      );
      // As the panel does: the rest are answered while `init` crosses, and posted after it.
      const restPosted =
        rest.length > 1
          ? Promise.all(rest.map((request) => data.answer(request))).then((answers) => post({ type: 'seriesBatch', series: answers }))
          : Promise.all(rest.map(async (request) => post(await data.answer(request))));
      await Promise.all([initPosted, restPosted]);
    } else if (message.type === 'requestSeries') {
      await post(await data.answer(message as SeriesRequest));
    }
  });
  return posted;
}

interface FirstFrame {
  view: WebviewPage;
  /** Everything the harness does, from creating the browser context to the frame. */
  harnessMs: number;
  /** The panel's own cost: see `panelCost`. */
  ms: number;
  transportMs: number;
  wireMs: number;
  posted: unknown[];
}

const epochNow = () => performance.timeOrigin + performance.now();

/**
 * The harness's transport of the messages delivered within [from, to] (epoch ms), which VS Code
 * does as a binary transfer: base64-encoding their typed arrays in Node, decoding them in the
 * page, and their trip over the DevTools protocol. The trip is timed again once the host is idle,
 * by sending each of those messages once more wrapped in a type the page ignores: a delivery's
 * span during the measurement also holds waits for the host, busy reading, which are the panel's.
 */
async function transportWithin(view: WebviewPage, posted: readonly unknown[], from: number, to: number): Promise<{ ms: number; wireMs: number }> {
  let ms = 0;
  let wireMs = 0;
  const delivered = view.deliveries.slice(0, posted.length);
  for (let i = 0; i < delivered.length; i++) {
    const d = delivered[i];
    if (d.startedAt < from || d.endedAt > to) continue;
    wireMs += Math.max(0, d.endedAt - d.startedAt - d.handleMs - d.encodeMs - d.decodeMs);
    await view.post({ type: 'benchEcho', payload: posted[i] });
    const echo = view.deliveries[view.deliveries.length - 1];
    ms += d.encodeMs + d.decodeMs + Math.max(0, echo.endedAt - echo.startedAt - echo.handleMs - echo.encodeMs - echo.decodeMs);
  }
  return { ms, wireMs };
}

/**
 * Done when every chart on the first screen (in the viewport, even in part) has drawn a frame with data. Checked by the
 * page at the start of each animation frame from its start (the harness's frame probe): the time is that frame's.
 * Until a chart has drawn, one query answers (the probe's own cost in the frames while the page loads).
 */
const FIRST_SCREEN_DRAWN = `() => {
  if (!document.querySelector('section[data-frames]')) return false;
  const visible = Array.from(document.querySelectorAll('section[data-metric]')).filter((card) => {
    const rect = card.getBoundingClientRect();
    return rect.height > 0 && rect.top < window.innerHeight && rect.bottom > 0;
  });
  return visible.length > 0 && visible.every((card) => Number(card.querySelector('.card-info')?.getAttribute('data-total')) > 0 && Number(card.dataset.frames) > 0);
}`;

/**
 * Opens the page and waits until every chart on its first screen has drawn a frame with data.
 * The panel's own cost runs from the request (the host starting to serve, just before the page
 * navigates: its HTML, script and stylesheet loading included) to that frame, less the harness's
 * encoding of messages; creating the browser context before it is the harness's (VS Code creates the webview).
 */
async function firstFrame(harness: WebviewHarness, s: Scenario): Promise<FirstFrame> {
  const t = now();
  let requestAt = 0;
  let posted: unknown[] = [];
  const view = await harness.open('charts', {
    viewport: { width: 1400, height: 900 },
    firstFrameProbe: FIRST_SCREEN_DRAWN,
    beforeNavigate: (page) => {
      requestAt = epochNow();
      posted = serve(page, s);
    },
  });
  const drawnAt = (await view.frame('first', 120_000)).at;
  const harnessMs = now() - t;
  const transport = await transportWithin(view, posted, requestAt, drawnAt);
  return { view, posted, harnessMs, ms: drawnAt - requestAt - transport.ms, transportMs: transport.ms, wireMs: transport.wireMs };
}

/**
 * Floor of the page side: an empty page (the same HTML shell, policy and nonce, an empty stylesheet and a
 * one-line script), opened by the same harness and timed the same way, from the request to the first
 * animation frame after its script ran. No chart can show before Chromium has started a page.
 *
 * With `files`, the floor of a first frame as a whole: the empty page opened while the host reads and parses those
 * metric files by the floor's method (`readAndParseChunks`, from the request on, as the panel overlaps them), until
 * both are done. On two cores the page's loading and the reading share the machine: neither takes less together.
 */
const EMPTY_PAGE = 'bench-empty-page';
async function emptyPageFloor(harness: WebviewHarness, files: string[] = []): Promise<number> {
  let requestAt = 0;
  let reading: Promise<number> = Promise.resolve(0);
  const view = await harness.open(EMPTY_PAGE, {
    viewport: { width: 1400, height: 900 },
    firstFrameProbe: '() => window.scriptRan',
    beforeNavigate: () => {
      requestAt = epochNow();
      // A turn of the event loop after each megabyte, as the panel's reader takes: read in one go, it would also hold up
      // Playwright's answers to Chromium (a new renderer waits for its go-ahead), and the page would start after it.
      if (files.length) {
        reading = (async () => {
          for (const _ of readAndParseChunks(files)) await new Promise<void>((resolve) => setImmediate(resolve));
          return epochNow();
        })();
      }
    },
  });
  const frameAt = (await view.frame('first', 30_000)).at;
  const readAt = await reading;
  await view.close();
  return Math.max(frameAt, readAt) - requestAt;
}

async function main(): Promise<void> {
  generate();
  // The page users get: the production build (minified, as `npm run package` ships it), whatever
  // build dist/ held before (a development build starts its script 30-50 ms later).
  const build = spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build.mjs'), '--production'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the production build failed:\n${build.stderr}`);
  const bundle = path.join(__dirname, '..', 'dist', 'webviews', 'charts.js');
  // The pages are served from a worker thread: this process plays the extension host, busy reading.
  const harness = await WebviewHarness.start({ serverInWorker: true });
  const emptyPage = path.join(path.dirname(bundle), EMPTY_PAGE);
  fs.writeFileSync(`${emptyPage}.js`, 'window.scriptRan = true;\n');
  fs.writeFileSync(`${emptyPage}.css`, '');
  try {
    const files = (s: Scenario) =>
      Array.from({ length: s.runs }, (_, r) =>
        Array.from({ length: s.metrics }, (_, m) => path.join(ROOT, s.experiment, runId(s.experiment, r), 'metrics', metricKey(m, s.metrics))),
      ).flat();

    // Warm-up: the browser, the page cache, the JIT.
    (await firstFrame(harness, SCENARIOS.hundredRuns)).view.close();

    // Per figure: the panel's own cost, and what the harness measured end to end with its transport.
    const figures = new Map<string, { panel: number[]; harness: number[]; transport: number[]; wire: number[] }>();
    const record = (name: string, f: { ms: number; harnessMs: number; transportMs: number; wireMs?: number }) => {
      const entry = figures.get(name) ?? { panel: [], harness: [], transport: [], wire: [] };
      entry.panel.push(f.ms);
      entry.harness.push(f.harnessMs);
      entry.transport.push(f.transportMs);
      entry.wire.push(f.wireMs ?? 0);
      figures.set(name, entry);
    };
    const emptyPageFloors: number[] = [];
    const tenFloor: number[] = [];
    const millionFloor: number[] = [];
    const tenStringFloor: number[] = [];
    const millionStringFloor: number[] = [];
    const tenTogetherFloor: number[] = [];
    const millionTogetherFloor: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      emptyPageFloors.push(await emptyPageFloor(harness));
      tenStringFloor.push(stringSplitFloor(files(SCENARIOS.tenRuns)));
      tenFloor.push(readAndParseFloor(files(SCENARIOS.tenRuns)));
      tenTogetherFloor.push(await emptyPageFloor(harness, files(SCENARIOS.tenRuns)));
      const a = await firstFrame(harness, SCENARIOS.tenRuns);
      record('10x100k', a);
      await a.view.close();

      millionStringFloor.push(stringSplitFloor(files(SCENARIOS.oneMillion)));
      millionFloor.push(readAndParseFloor(files(SCENARIOS.oneMillion)));
      millionTogetherFloor.push(await emptyPageFloor(harness, files(SCENARIOS.oneMillion)));
      const b = await firstFrame(harness, SCENARIOS.oneMillion);
      record('1x1M', b);
      // Zoom into 1 % of the series by dragging across 1 % of the plot, until the zoomed data is drawn.
      const over = (await b.view.page.locator('section[data-metric="loss"] .u-over').boundingBox())!;
      const frames = Number(await b.view.page.locator('section[data-metric="loss"]').getAttribute('data-frames'));
      await b.view.page.mouse.move(over.x + over.width * 0.5, over.y + over.height / 2);
      await b.view.page.mouse.down();
      await b.view.page.mouse.move(over.x + over.width * 0.51, over.y + over.height / 2, { steps: 2 });
      await b.view.armFrame(
        'zoomed',
        `() => { const card = document.querySelector('section[data-metric="loss"]'); return Number(card.dataset.frames) > ${frames} && card.dataset.zoomed === 'true'; }`,
      );
      const tz = epochNow();
      await b.view.page.mouse.up();
      const zoomedAt = (await b.view.frame('zoomed', 30_000)).at;
      const harnessZoomMs = epochNow() - tz;
      const zoomTransport = await transportWithin(b.view, b.posted, tz, zoomedAt);
      record('zoom', { ms: zoomedAt - tz - zoomTransport.ms, harnessMs: harnessZoomMs, transportMs: zoomTransport.ms, wireMs: zoomTransport.wireMs });
      await b.view.close();

      const c = await firstFrame(harness, SCENARIOS.hundredRuns);
      record('100runs', c);
      await c.view.close();

      // 300 metrics: every chart of the first screen drawn (the grid mounts only those and the next few).
      const d = await firstFrame(harness, SCENARIOS.manyMetrics);
      record('300metrics', d);
      const mounted = await d.view.page.locator('section[data-metric] canvas').count();
      const visible = await d.view.page.evaluate(
        () =>
          Array.from(document.querySelectorAll('section[data-metric]')).filter((c) => {
            const rect = c.getBoundingClientRect();
            return rect.top < window.innerHeight && rect.bottom > 0;
          }).length,
      );
      if (i === 0) log(`  300 metrics: ${visible} charts on the first screen, ${mounted} mounted`);
      await d.view.close();
    }
    const panel = (name: string) => median(figures.get(name)!.panel);
    const harnessMs = (name: string) => round(median(figures.get(name)!.harness));
    const transport = (name: string) => round(median(figures.get(name)!.transport));
    const wire = (name: string) => round(median(figures.get(name)!.wire));

    // What ships: the production build's script and stylesheet.
    const bundleBytes = fs.statSync(bundle).size + fs.statSync(bundle.replace(/\.js$/, '.css')).size;

    const result = {
      chartFirstFrame10x100kMs: round(panel('10x100k')),
      chartReadFloor10x100kMs: round(median(tenFloor)),
      chartFirstFrameRatio: round(panel('10x100k') / median(tenFloor)),
      // The empty page and the floor's reading at once, as the panel overlaps them: the first frame's own floor.
      chartPageAndReadFloor10x100kMs: round(median(tenTogetherFloor)),
      chartFirstFramePageAndReadRatio: round(panel('10x100k') / median(tenTogetherFloor)),
      chartFirstFrame1x1MMs: round(panel('1x1M')),
      chartReadFloor1x1MMs: round(median(millionFloor)),
      chartFirstFrame1x1MRatio: round(panel('1x1M') / median(millionFloor)),
      chartPageAndReadFloor1x1MMs: round(median(millionTogetherFloor)),
      chartFirstFrame1x1MPageAndReadRatio: round(panel('1x1M') / median(millionTogetherFloor)),
      // The floors as first written (one latin1 string per file, split into line strings): above the panel's own reader.
      chartStringSplitFloor10x100kMs: round(median(tenStringFloor)),
      chartStringSplitFloor1x1MMs: round(median(millionStringFloor)),
      chartZoomMs: round(panel('zoom')),
      chart100RunsFirstFrameMs: round(panel('100runs')),
      chart300MetricsOpenMs: round(panel('300metrics')),
      chartWebviewBundleKb: round(bundleBytes / 1024),
      // The page side's floor: an empty page from the same harness, request to its first frame.
      chartEmptyPageFloorMs: round(median(emptyPageFloors)),
      // The harness's own figures: end to end, browser context creation and transport included.
      chartHarnessFirstFrame10x100kMs: harnessMs('10x100k'),
      chartHarnessTransport10x100kMs: transport('10x100k'),
      chartHarnessWire10x100kMs: wire('10x100k'),
      chartHarnessFirstFrame1x1MMs: harnessMs('1x1M'),
      chartHarnessZoomMs: harnessMs('zoom'),
      chartHarness100RunsFirstFrameMs: harnessMs('100runs'),
      chartHarnessTransport100RunsMs: transport('100runs'),
      chartHarnessWire100RunsMs: wire('100runs'),
      chartHarnessWire300MetricsMs: wire('300metrics'),
      chartHarness300MetricsOpenMs: harnessMs('300metrics'),
    };
    // Each of the panel's figures with the spread of its runs beside the median: on a shared two-core machine one run of a
    // figure can be 30 % off another, more than most single changes.
    const spreads: Partial<Record<keyof typeof result, number[]>> = {
      chartFirstFrame10x100kMs: figures.get('10x100k')!.panel,
      chartFirstFrame1x1MMs: figures.get('1x1M')!.panel,
      chartZoomMs: figures.get('zoom')!.panel,
      chart100RunsFirstFrameMs: figures.get('100runs')!.panel,
      chart300MetricsOpenMs: figures.get('300metrics')!.panel,
      chartEmptyPageFloorMs: emptyPageFloors,
      chartPageAndReadFloor10x100kMs: tenTogetherFloor,
      chartPageAndReadFloor1x1MMs: millionTogetherFloor,
    };
    const spread = (key: keyof typeof result) => {
      const runs = spreads[key];
      return runs ? ` (${Math.round(Math.min(...runs))}-${Math.round(Math.max(...runs))})` : '';
    };
    const line = (what: string, key: keyof typeof result, least: string) =>
      log(`  ${what.padEnd(36)} ${String(result[key]).padStart(7)} ms${spread(key).padEnd(12)} ${least}`);
    log(
      `charts (headless Chromium, file store); the panel's own cost (host + page), less the harness's transport (timed on an idle host); median (min-max) of ${REPEAT} runs:`,
    );
    line(
      '10 runs x 100k points, first frame',
      'chartFirstFrame10x100kMs',
      `floor (read+parse) ${result.chartReadFloor10x100kMs} ms, ratio ${result.chartFirstFrameRatio}; least 500 ms, aim 1.5x`,
    );
    line(
      '1 run x 1M points, first frame',
      'chartFirstFrame1x1MMs',
      `floor (read+parse) ${result.chartReadFloor1x1MMs} ms, ratio ${result.chartFirstFrame1x1MRatio}; least 600 ms`,
    );
    line(
      'floor: empty page while 10 x 100k read',
      'chartPageAndReadFloor10x100kMs',
      `the first frame is ${result.chartFirstFramePageAndReadRatio}x this; 1 x 1M: ${result.chartPageAndReadFloor1x1MMs} ms, ${result.chartFirstFrame1x1MPageAndReadRatio}x`,
    );
    log(
      `  (the floors as first written, a latin1 string split into lines: 10 x 100k ${result.chartStringSplitFloor10x100kMs} ms, 1 x 1M ${result.chartStringSplitFloor1x1MMs} ms)`,
    );
    line('zoom to 1 % at full resolution', 'chartZoomMs', 'least 50 ms');
    line('100 runs x 1,000 points', 'chart100RunsFirstFrameMs', `floor (empty page) ${result.chartEmptyPageFloorMs} ms; least 300 ms`);
    line('300 metrics, first screen drawn', 'chart300MetricsOpenMs', `floor (empty page) ${result.chartEmptyPageFloorMs} ms; least 300 ms`);
    line('an empty page, request to first frame', 'chartEmptyPageFloorMs', 'the floor of every first frame above');
    log(`  webview bundle (minified JS + CSS)   ${result.chartWebviewBundleKb} KB`);
    log('the harness end to end (browser context, base64 over the DevTools protocol included):');
    line(
      '10 runs x 100k points',
      'chartHarnessFirstFrame10x100kMs',
      `transport (subtracted) ${result.chartHarnessTransport10x100kMs} ms; deliveries took ${result.chartHarnessWire10x100kMs} ms`,
    );
    line('1 run x 1M points', 'chartHarnessFirstFrame1x1MMs', '');
    line('zoom', 'chartHarnessZoomMs', '');
    line(
      '100 runs x 1,000 points',
      'chartHarness100RunsFirstFrameMs',
      `transport (subtracted) ${result.chartHarnessTransport100RunsMs} ms; deliveries took ${result.chartHarnessWire100RunsMs} ms`,
    );
    line('300 metrics', 'chartHarness300MetricsOpenMs', `deliveries took ${result.chartHarnessWire300MetricsMs} ms`);
    log(`  load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await harness.stop();
    fs.rmSync(`${emptyPage}.js`, { force: true });
    fs.rmSync(`${emptyPage}.css`, { force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
