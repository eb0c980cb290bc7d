/// <reference lib="dom" />
/**
 * The sweep page: an experiment's runs as parallel coordinates or a scatter plot, with
 * pickers for the axes and buttons that send the kept runs on (Compare, Plot Metrics, the
 * Runs view). Keys and run names are store strings: they reach the page only as text.
 */
import { buildAxisFromColumn, type Axis } from '../../compare/parallelAxes';
import { defaultAxes, defaultMetric } from '../../compare/sweepData';
import { formatCount } from '../../format/values';
import type { SweepFromPage, SweepPageState, SweepToPage } from '../../protocol/compare';
import { el } from '../shared/dom';
import { connectToHost } from '../shared/vscodeApi';
import { ParallelCoordinates } from './parallel';
import { ScatterPlot } from './scatter';
import '../shared/page.css';
import './sweep.css';

type Data = Extract<SweepToPage, { type: 'data' }>;

let data: Data | undefined;
let runs: { runId: string; name: string }[] = [];
const axisCache = new Map<string, Axis>();

const host = connectToHost<SweepFromPage, SweepToPage, SweepPageState>(onMessage);
let state: SweepPageState | undefined = host.state();

const heading = el('div', { className: 'heading', text: 'Loading runs…' });
const controls = el('div', { className: 'controls toolbar' });
const count = el('span', { className: 'count', attrs: { 'aria-live': 'polite' } });
const compareButton = el('button', { text: 'Compare', attrs: { type: 'button', title: 'Open the kept runs in Compare (2 to 100 runs)' } });
const plotButton = el('button', { text: 'Plot Metrics', attrs: { type: 'button' } });
const selectButton = el('button', { text: 'Show in Runs View', attrs: { type: 'button', title: 'Filter the Runs view to the kept runs' } });
const clearButton = el('button', { text: 'Clear', attrs: { type: 'button' } });
const actions = el('div', { className: 'actions toolbar', children: [count, compareButton, plotButton, selectButton, clearButton] });
const stage = el('div', { className: 'stage' });
document.getElementById('root')!.append(heading, controls, actions, stage);

const parallel = new ParallelCoordinates({ onKeptChange: (n) => showCount(n), onToggleScale: (key) => toggleLog(key) });
const scatter = new ScatterPlot({
  onSelect: (n) => showCount(n),
  onReveal: (run) => host.post({ type: 'reveal', runId: runs[run].runId }),
  describe: (run) => {
    const keys = [state?.x, state?.y, state?.color].filter((k): k is string => !!k);
    return [runs[run].name, ...keys.map((k) => `${k}: ${data?.columns[k]?.[run] ?? '—'}`)];
  },
});

function keptIds(): string[] {
  const mask = state?.mode === 'scatter' ? (scatter.selectedCount > 0 ? scatter.selected : undefined) : parallel.kept;
  return runs.filter((_, i) => !mask || mask[i]).map((r) => r.runId);
}

compareButton.addEventListener('click', () => host.post({ type: 'compare', runIds: keptIds() }));
plotButton.addEventListener('click', () => host.post({ type: 'plot', runIds: keptIds() }));
selectButton.addEventListener('click', () => host.post({ type: 'select', runIds: keptIds() }));
clearButton.addEventListener('click', () =>
  state?.mode === 'scatter'
    ? scatter.setData(axis(state.x!), axis(state.y!), state.color ? axis(state.color) : undefined, runs.length)
    : parallel.clearBrushes(),
);
window.addEventListener('resize', () => (state?.mode === 'scatter' ? scatter.draw() : parallel.draw()));

host.post({ type: 'ready' });
warmUp();

/**
 * One-time set-up that does not depend on the runs, done while the extension reads them
 * instead of between their arrival and the first frame: the first canvas drawing sets up the
 * rasteriser (tens of ms on a busy machine). Counts are grouped by `formatCount`, not in the
 * page's locale, so no locale data is loaded at all.
 */
function warmUp(): void {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  canvas.getContext('2d')?.fillRect(0, 0, 1, 1);
}

function onMessage(message: SweepToPage): void {
  if (message.type === 'error') {
    heading.textContent = message.message;
    return;
  }
  if (message.type === 'theme') {
    if (state?.mode === 'scatter') scatter.draw();
    else parallel.draw();
    return;
  }
  const started = performance.now();
  data = message;
  axisCache.clear();
  runs = message.runIds.map((runId, i) => ({ runId, name: message.runNames[i] }));
  const keys = Object.keys(message.columns);
  const metric = defaultMetric(message.columns);
  const saved = state && state.experimentId === message.experimentId ? state : undefined;
  // The axes built to tell numeric columns apart are the ones drawn: each column is parsed once.
  let chosen: string[] | undefined;
  const defaults = () => (chosen ??= defaultAxes(message.columns, metric, undefined, (key) => axis(key).kind === 'numeric'));
  const firstParam = () => (defaults()[0] !== metric ? defaults()[0] : undefined);
  state = {
    storeUri: message.storeUri,
    experimentId: message.experimentId,
    mode: message.mode,
    axes: saved?.axes?.filter((k) => keys.includes(k)) ?? defaults(),
    x: saved?.x && keys.includes(saved.x) ? saved.x : (firstParam() ?? keys[0]),
    y: saved?.y && keys.includes(saved.y) ? saved.y : metric,
    color: saved?.color && keys.includes(saved.color) ? saved.color : undefined,
    logAxes: saved?.logAxes?.filter((k) => keys.includes(k)) ?? [],
  };
  const filtered = message.filter ? ` matching ${message.filter}` : '';
  heading.textContent = `${message.experimentName}: ${formatCount(message.runIds.length)} runs${filtered}${message.truncated ? ' (the first 10,000)' : ''}`;
  buildControls(keys);
  render();
  // How long the page took from the data to the first frame (read by the benchmark).
  document.body.dataset.renderMs = (performance.now() - started).toFixed(2);
}

/** Axes are built once per key and scale, and reused when the choice changes. */
function axis(key: string): Axis {
  const scale = state?.logAxes?.includes(key) ? 'log' : 'linear';
  const cacheKey = `${scale}:${key}`;
  let built = axisCache.get(cacheKey);
  if (!built) {
    built = buildAxisFromColumn(key, data?.columns[key] ?? [], scale);
    axisCache.set(cacheKey, built);
  }
  return built;
}

/** Switches a numeric axis between a linear and a log scale (remembered with the page's state). */
function toggleLog(key: string): void {
  if (!state) return;
  const logAxes = state.logAxes ?? [];
  state.logAxes = logAxes.includes(key) ? logAxes.filter((k) => k !== key) : [...logAxes, key];
  if (state.mode === 'scatter') buildControls(Object.keys(data?.columns ?? {}));
  render();
}

function render(): void {
  if (!state || !data) return;
  host.saveState(state);
  if (state.mode === 'parallel') {
    stage.replaceChildren(parallel.element);
    parallel.setData((state.axes ?? []).map(axis), runs.length);
  } else {
    stage.replaceChildren(scatter.element);
    if (state.x && state.y) scatter.setData(axis(state.x), axis(state.y), state.color ? axis(state.color) : undefined, runs.length);
  }
}

function showCount(n: number): void {
  const total = runs.length;
  count.textContent =
    state?.mode === 'scatter'
      ? n > 0
        ? `${formatCount(n)} of ${formatCount(total)} runs selected`
        : `${formatCount(total)} runs`
      : `${formatCount(n)} of ${formatCount(total)} runs kept`;
  document.body.dataset.kept = String(n);
  const sending = state?.mode === 'scatter' && n === 0 ? total : n;
  compareButton.disabled = sending < 2;
  plotButton.disabled = sending < 1;
  selectButton.disabled = sending < 1;
}

function select(label: string, keys: string[], value: string | undefined, allowNone: boolean, onChange: (key: string | undefined) => void): HTMLElement {
  const picker = el('select', { attrs: { 'aria-label': label } });
  if (allowNone) picker.append(el('option', { text: '(none)', attrs: { value: '' } }));
  for (const key of keys) picker.append(el('option', { text: key, attrs: { value: key } }));
  picker.value = value ?? '';
  picker.addEventListener('change', () => onChange(picker.value || undefined));
  return el('label', { children: [document.createTextNode(`${label} `), picker] });
}

/** A "Log" checkbox for a scatter axis; disabled when the axis is not numeric. */
function logToggle(which: 'X' | 'Y', key: string | undefined): HTMLElement {
  const box = el('input', { attrs: { type: 'checkbox', name: `log${which}`, 'aria-label': `Log scale for ${which}` } });
  box.checked = !!key && !!state?.logAxes?.includes(key);
  box.disabled = !key || axis(key).kind !== 'numeric';
  box.addEventListener('change', () => key && toggleLog(key));
  return el('label', { className: 'log-toggle', children: [box, document.createTextNode(' Log')] });
}

function buildControls(keys: string[]): void {
  if (!state) return;
  const current = state;
  const metrics = keys.filter((k) => k.startsWith('metrics.'));
  if (current.mode === 'scatter') {
    controls.replaceChildren(
      select('X', keys, current.x, false, (k) => ((current.x = k), buildControls(keys), render())),
      logToggle('X', current.x),
      select('Y', [...metrics, ...keys.filter((k) => !k.startsWith('metrics.'))], current.y, false, (k) => ((current.y = k), buildControls(keys), render())),
      logToggle('Y', current.y),
      select('Colour', keys, current.color, true, (k) => ((current.color = k), render())),
    );
    return;
  }
  // Parallel coordinates: a checkbox per key; the checked metric(s) go last, coloured by the last one.
  const boxes = keys.map((key) => {
    const box = el('input', { attrs: { type: 'checkbox', value: key } });
    box.checked = current.axes?.includes(key) ?? false;
    box.addEventListener('change', () => {
      const chosen = keys.filter((k) => (k === key ? box.checked : current.axes?.includes(k)));
      current.axes = [...chosen.filter((k) => !k.startsWith('metrics.')), ...chosen.filter((k) => k.startsWith('metrics.'))];
      render();
    });
    return el('label', { className: 'axis-choice', children: [box, document.createTextNode(` ${key}`)] });
  });
  controls.replaceChildren(el('details', { children: [el('summary', { text: 'Axes' }), el('div', { className: 'axis-list', children: boxes })] }));
}
