/// <reference lib="dom" />
/**
 * The charts webview: toolbar (metric filter, x axis, log scale, smoothing, outliers,
 * CSV export, add runs), the run legend, and a grid of metric cards mounted as they
 * scroll into view. Every string from the store is set as text.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import {
  DEFAULT_SETTINGS,
  isChartSettings,
  type ChartSettings,
  type ChartsPanelState,
  type ChartsToHost,
  type FirstScreen,
  type HostToCharts,
  type PanelRun,
} from '../../protocol/chartsPanel';
import { connectToHost } from '../shared/vscodeApi';
import { el } from '../shared/dom';
import { ChartCard, type CardContext } from './chart';
import { metricFilter } from '../../charts/firstScreen';
import { buildLegend, buildToolbar, groupByChoices } from './controls';

interface PageModel {
  storeUri: string;
  title: string;
  runs: PanelRun[];
  metrics: string[];
  pinnedMetrics?: string[];
  settings: ChartSettings;
  zoom: [number, number] | null;
}

const root = document.getElementById('root')!;
const model: PageModel = { storeUri: '', title: '', runs: [], metrics: [], settings: { ...DEFAULT_SETTINGS }, zoom: null };
const cards = new Map<string, ChartCard>();
let nextRequest = 1;
const host = connectToHost<ChartsToHost, HostToCharts, ChartsPanelState>(onMessage);

const saved = host.state();
if (saved && isChartSettings(saved.settings)) model.settings = { ...DEFAULT_SETTINGS, ...saved.settings };

const status = el('div', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
const messageBox = el('div', { className: 'message hidden-element' });
const legendBox = el('div', { className: 'legend', attrs: { role: 'group', 'aria-label': 'Runs' } });
const grid = el('div', { className: 'grid' });
let toolbar: HTMLElement | undefined;
/** Measured before the first card exists (`measureFirstScreen`). */
let cardsPerRow = 1;
let firstScreenCharts = 1;
let plotColumnsCache: number | undefined;

const observer = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const metric = (entry.target as HTMLElement).dataset.metric;
      if (metric) cards.get(metric)?.mount();
    }
  },
  { rootMargin: '200px' },
);

const cardContext: CardContext = {
  runs: () => model.runs,
  settings: () => model.settings,
  zoom: () => model.zoom,
  setZoom(range) {
    model.zoom = range;
    for (const card of cards.values()) {
      card.applyZoom(range);
      if (card.mounted) requestData(card);
    }
  },
  requestData: (card) => requestData(card),
  plotColumns(plotBox) {
    // Cards share one grid column width: measuring each card would force a layout of the whole grid per card.
    if (plotColumnsCache !== undefined) return plotColumnsCache;
    const width = plotBox.clientWidth;
    // A page not laid out yet (a panel opening in the background) has no width: guess, and measure again next time.
    if (width === 0) return 540;
    plotColumnsCache = Math.max(100, Math.floor(width) - 60);
    return plotColumnsCache;
  },
  savePng: (metric, dataUrl) => host.post({ type: 'savePng', metric, dataUrl }),
  copyText: (text, what) => host.post({ type: 'copyText', text, what }),
  toggleTable(metric) {
    const tables = model.settings.tables.includes(metric) ? model.settings.tables.filter((m) => m !== metric) : [...model.settings.tables, metric];
    changeSettings({ tables }, 'data');
  },
};

function requestData(card: ChartCard): void {
  const requestId = nextRequest++;
  card.latestRequest = requestId;
  const s = model.settings;
  host.post({
    type: 'requestSeries',
    requestId,
    metric: card.metric,
    xAxis: s.xAxis,
    range: model.zoom,
    columns: card.columns(),
    smoothing: s.smoothing,
    ignoreOutliers: s.ignoreOutliers,
    withStats: s.tables.includes(card.metric),
    hiddenRuns: s.hiddenRuns,
    ...(s.groupBy ? { groupBy: s.groupBy } : {}),
  });
}

function saveState(): void {
  host.saveState({
    storeUri: model.storeUri,
    runs: model.runs.map((r) => ({ run_id: r.runId, experiment_id: r.experimentId, run_name: r.name })),
    metrics: model.pinnedMetrics,
    settings: model.settings,
  });
}

/** `redraw`: the cards have the data; `data`: ask the host again (range, smoothing, axis changed). */
function changeSettings(patch: Partial<ChartSettings>, effect: 'redraw' | 'data' | 'layout'): void {
  if (patch.xAxis && patch.xAxis !== model.settings.xAxis) model.zoom = null;
  model.settings = { ...model.settings, ...patch };
  saveState();
  host.post({ type: 'settings', settings: model.settings });
  if (effect === 'layout') renderGrid();
  for (const card of cards.values()) {
    if (!card.mounted) continue;
    if (effect === 'data') requestData(card);
    else card.draw();
  }
  renderLegend();
}

function renderLegend(): void {
  legendBox.replaceChildren(
    ...buildLegend(model.runs, model.settings.hiddenRuns, {
      toggle(runId) {
        const { hiddenRuns } = model.settings;
        const hidden = hiddenRuns.includes(runId) ? hiddenRuns.filter((id) => id !== runId) : [...hiddenRuns, runId];
        changeSettings({ hiddenRuns: hidden }, 'data');
      },
      remove: (runId) => host.post({ type: 'removeRun', runId }),
    }),
  );
}

function wantedMetrics(): string[] {
  return model.metrics.filter(metricFilter(model.settings.filter));
}

function cardFor(metric: string): ChartCard {
  let card = cards.get(metric);
  if (!card) {
    card = new ChartCard(metric, cardContext);
    cards.set(metric, card);
    observer.observe(card.element);
  }
  return card;
}

/** Cards made with the grid: the first screen as measured before the page had any, and two rows more. */
function cardsAtOnce(): number {
  return firstScreenCharts + 2 * cardsPerRow;
}
const CARDS_PER_TASK = 50;
/** Counts renders of the grid: cards still to be placed for an older render are not. */
let gridGeneration = 0;

function renderGrid(): void {
  const generation = ++gridGeneration;
  const wanted = wantedMetrics();
  const kept = new Set(wanted);
  for (const [metric, card] of cards) {
    if (!kept.has(metric)) {
      observer.unobserve(card.element);
      card.destroy();
      cards.delete(metric);
    }
  }
  // A run with 300 metrics: the cards past the first screens that do not exist yet are made after the first frame, a
  // chunk per task, in their places, so its first charts do not wait for 300 cards to be made, styled and laid out.
  const placed: HTMLElement[] = [];
  const later: number[] = [];
  wanted.forEach((metric, i) => {
    if (i < cardsAtOnce() || cards.has(metric)) placed.push(cardFor(metric).element);
    else later.push(i);
  });
  grid.replaceChildren(...placed);
  // After the next frame: a task queued from its animation frame callbacks runs once it is drawn.
  if (later.length) requestAnimationFrame(() => window.setTimeout(() => placeLater(generation, wanted, later)));
  const noMetrics = model.runs.length === 1 ? 'This run logged no metrics.' : 'These runs logged no metrics.';
  if (model.runs.length > 0 && model.metrics.length === 0) showMessage(noMetrics);
  else if (model.metrics.length > 0 && wanted.length === 0) showMessage(`No metric matches “${model.settings.filter}”.`);
  else hideMessage();
}

/** Makes the cards of `wanted[i]` for each `i` of `later` (ascending), each before the next wanted card already placed. */
function placeLater(generation: number, wanted: string[], later: number[]): void {
  if (generation !== gridGeneration) return;
  for (const i of later.splice(0, CARDS_PER_TASK)) {
    let next: HTMLElement | null = null;
    for (let j = i + 1; j < wanted.length && !next; j++) {
      const element = cards.get(wanted[j])?.element;
      if (element?.parentNode === grid) next = element;
    }
    grid.insertBefore(cardFor(wanted[i]).element, next);
  }
  if (later.length) window.setTimeout(() => placeLater(generation, wanted, later));
}

/**
 * Mounts the cards on screen now rather than at the observer's next turn (a frame later): the first charts ask at once.
 * Only those in the window: the ones just below it (the observer's margin) mount at its first turn, after the first
 * frame, so their requests and drawing do not hold it up.
 */
function mountVisible(): void {
  const bottom = window.innerHeight;
  // Every card measured first, then mounted: a mount changes the page, so measuring between mounts would lay the grid out again per card.
  const visible: ChartCard[] = [];
  for (const card of cards.values()) {
    if (card.mounted) continue;
    const { top, height } = card.element.getBoundingClientRect();
    if (height > 0 && top <= bottom) visible.push(card);
  }
  for (const card of visible) card.mount();
}

function showMessage(text: string, error = false, retry = false): void {
  const children: Node[] = [el('span', { text })];
  if (retry) {
    const button = el('button', { className: 'primary', text: 'Retry', attrs: { type: 'button' } });
    button.addEventListener('click', () => {
      showMessage('Loading…');
      host.post({ type: 'retry' });
    });
    children.push(el('span', { text: ' ' }), button);
  }
  messageBox.replaceChildren(...children);
  messageBox.className = `message${error ? ' error' : ''}`;
  messageBox.setAttribute('role', error ? 'alert' : 'status');
}

function hideMessage(): void {
  messageBox.className = 'message hidden-element';
}

function onMessage(message: HostToCharts): void {
  switch (message.type) {
    case 'init': {
      model.storeUri = message.storeUri;
      model.title = message.title;
      model.runs = message.runs;
      model.metrics = message.metrics;
      model.pinnedMetrics = message.pinnedMetrics;
      if (!saved?.settings) model.settings = { ...DEFAULT_SETTINGS, ...message.settings };
      model.settings.hiddenRuns = model.settings.hiddenRuns.filter((id) => message.runs.some((r) => r.runId === id));
      saveState();
      toolbar?.remove();
      toolbar = buildToolbar(
        model.settings,
        {
          change: changeSettings,
          exportCsv: () => host.post({ type: 'exportCsv', metrics: wantedMetrics() }),
          addRuns: () => host.post({ type: 'addRuns' }),
        },
        groupByChoices(model.runs),
      );
      root.prepend(toolbar);
      renderLegend();
      renderGrid();
      const pushed = message.pushed;
      if (
        pushed &&
        pushed.columns === plotColumnsCache &&
        sameDataSettings(model.settings, {
          ...message.settings,
          hiddenRuns: message.settings.hiddenRuns.filter((id) => message.runs.some((r) => r.runId === id)),
        })
      ) {
        for (const metric of pushed.metrics) {
          const card = cards.get(metric);
          if (card && !card.mounted) card.awaitingPush = true;
        }
      }
      for (const card of cards.values()) if (card.mounted) requestData(card);
      mountVisible();
      for (const series of message.series ?? []) cards.get(series.metric)?.receive(series);
      break;
    }
    case 'series':
      cards.get(message.metric)?.receive(message);
      break;
    case 'seriesBatch':
      for (const series of message.series) cards.get(series.metric)?.receive(series);
      break;
    case 'metricsChanged':
      model.metrics = message.metrics;
      model.runs = message.runs;
      renderLegend();
      renderGrid();
      break;
    case 'dataChanged':
      for (const metric of message.metrics) {
        const card = cards.get(metric);
        if (card?.mounted) requestData(card);
      }
      break;
    case 'progress':
      status.textContent = message.message ?? '';
      break;
    case 'error':
      showMessage(message.message, true, message.retry);
      break;
    case 'theme':
      for (const card of cards.values()) card.draw();
      break;
  }
}

let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => {
    const before = plotColumnsCache;
    plotColumnsCache = undefined;
    const first = [...cards.values()].find((card) => card.mounted);
    if (!first || first.columns() === before) return;
    for (const card of cards.values()) card.resize();
  }, 150);
});

/**
 * The first screen, before any chart exists: a card's plot width (every card has the grid's column
 * width) and how many cards fit the window, so the host can send their series with `init`.
 */
function measureFirstScreen(): FirstScreen {
  const plot = el('div', { className: 'plot' });
  const probe = el('section', { className: 'card', children: [plot] });
  grid.append(probe);
  const columns = cardContext.plotColumns(plot);
  const perRow = Math.max(1, getComputedStyle(grid).gridTemplateColumns.split(' ').length);
  const rows = Math.ceil(Math.max(0, window.innerHeight - probe.getBoundingClientRect().top) / Math.max(1, probe.offsetHeight));
  probe.remove();
  cardsPerRow = perRow;
  firstScreenCharts = perRow * Math.max(1, rows);
  return { columns, charts: firstScreenCharts };
}

/** Whether the host bucketed its unasked series with what this page shows (after a reload the page keeps its own settings). */
function sameDataSettings(a: ChartSettings, b: ChartSettings): boolean {
  const data = (s: ChartSettings) => [s.xAxis, s.smoothing, s.ignoreOutliers, s.filter, [...s.hiddenRuns].sort(), s.tables, s.groupBy ?? ''];
  return JSON.stringify(data(a)) === JSON.stringify(data(b));
}

root.append(legendBox, status, messageBox, grid);
showMessage('Loading…');
host.post({ type: 'ready', firstScreen: measureFirstScreen() });
