/// <reference lib="dom" />
/**
 * One metric's card: a uPlot chart of every shown run (raw line, and the smoothed line
 * over it when smoothing is on), its tooltip, "N of M points drawn", the PNG export and
 * the step-range table. Data comes from the host already bucketed on the plot's pixel
 * columns; the card only draws it.
 */
import uPlot from 'uplot';
import type { ChartSettings, HostToCharts, PanelRun, RangeStatsRow, XAxis } from '../../protocol/chartsPanel';
import { el } from '../shared/dom';
import { canvasFont, themeColor, themeGeneration } from '../shared/theme';
import { formatCount } from '../../format/values';
import { axisTitle, fade, formatValue, formatX, padded } from './format';
import { buildStatsTable } from './statsTable';
import { straightLinePaths } from './linePaths';

export type SeriesMessage = Extract<HostToCharts, { type: 'series' }>;

/** What a card needs from the page around it. */
export interface CardContext {
  runs(): PanelRun[];
  settings(): ChartSettings;
  /** The shared zoom, applied to every chart (null: all the data). */
  zoom(): [number, number] | null;
  setZoom(range: [number, number] | null): void;
  requestData(card: ChartCard): void;
  /** The plot width in CSS pixels of a card's plot box: every card of the grid has the same, measured once per layout. */
  plotColumns(plotBox: HTMLElement): number;
  savePng(metric: string, dataUrl: string): void;
  copyText(text: string, what: string): void;
  toggleTable(metric: string): void;
}

/** What each uPlot series after x draws: a run's raw or smoothed line, or a group's mean line or band edge. */
interface SeriesEntry {
  runId: string;
  smoothed: boolean;
  group?: { label: string; color: string; runs: number };
  band?: boolean;
}

const SYNC_KEY = 'mlflow-charts';
const TOOLTIP_ROWS = 10;
const PLOT_HEIGHT = 240;
const FEW_POINTS = 3;
const MANY_RUNS = 5;

/** Many runs: lines one pixel wide, which overlap less, and which Chromium's canvas draws as hairlines, several times faster
 * to rasterise than wider strokes (with 100 runs that raster was most of the time to the first frame). */
function lineWidth(shownRuns: number): number {
  return shownRuns > MANY_RUNS ? 1 : 1.5;
}

/** A run's line (faint behind its smoothed line when smoothing); `few`: its handful of points marked. */
function runSeries(run: PanelRun, shownRuns: number, smoothing: boolean, few: boolean): uPlot.Series {
  return {
    label: run.name,
    stroke: smoothing ? fade(run.color) : run.color,
    width: smoothing ? 1 : lineWidth(shownRuns),
    spanGaps: true,
    paths: straightLinePaths,
    points: few ? { show: true, size: 7, fill: run.color, stroke: run.color } : { show: false },
  };
}

/** What a chart is built for: its data can be set into a chart built for the same, anything else builds it again. */
function structureOf(seriesRuns: SeriesEntry[], series: uPlot.Series[], logY: boolean, xAxis: XAxis, ignoreOutliers: boolean): string {
  const look = series.map((s) => [s.stroke, s.width, s.points?.show]);
  return JSON.stringify([seriesRuns, look, logY, xAxis, ignoreOutliers, themeGeneration()]);
}

/** A card's insides, built when it first scrolls into view (a run with 300 metrics builds only the few on screen). */
interface CardParts {
  plotBox: HTMLElement;
  info: HTMLElement;
  tooltip: HTMLElement;
  tableBox: HTMLElement;
}

export class ChartCard {
  readonly element: HTMLElement;
  private parts: CardParts | undefined;
  private plot: uPlot | undefined;
  private structure = '';
  private data: SeriesMessage | undefined;
  /** Run ids in series order (each run: raw, then smoothed when shown). */
  private seriesRuns: SeriesEntry[] = [];
  latestRequest = 0;
  mounted = false;
  /** The host sends this chart's first series unasked (request id 0): the page does not ask on mounting. */
  awaitingPush = false;
  private frames = 0;

  constructor(
    readonly metric: string,
    private readonly context: CardContext,
  ) {
    // Until mounted: only the frame and the title, so the grid has its layout and the key shows.
    this.element = el('section', {
      className: 'card',
      attrs: { 'data-metric': metric },
      children: [el('div', { className: 'card-header', children: [el('span', { className: 'card-title', text: metric })] })],
    });
  }

  private build(): CardParts {
    const metric = this.metric;
    const info = el('span', { className: 'card-info', text: '' });
    const pngButton = el('button', { text: 'PNG', attrs: { title: 'Save this chart as a PNG image', type: 'button' } });
    pngButton.addEventListener('click', () => this.exportPng());
    const tableButton = el('button', { text: 'Table', attrs: { title: 'Show last, min, max and mean per run over the zoomed steps', type: 'button' } });
    tableButton.addEventListener('click', () => this.context.toggleTable(metric));
    const plotBox = el('div', { className: 'plot', attrs: { role: 'img', 'aria-label': `Chart of ${metric}` } });
    const tooltip = el('div', { className: 'tooltip' });
    const tableBox = el('div', { className: 'table-box' });
    this.element.replaceChildren(
      el('div', {
        className: 'card-header',
        children: [el('span', { className: 'card-title', text: metric }), info, el('span', { className: 'card-actions', children: [tableButton, pngButton] })],
      }),
      plotBox,
      tableBox,
    );
    plotBox.append(tooltip);
    return { plotBox, info, tooltip, tableBox };
  }

  /** Called when the card first scrolls into view. */
  mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    this.parts = this.build();
    if (this.awaitingPush) this.draw();
    else this.context.requestData(this);
    // Once the current task is done: data that came with it (the first screen's, pushed with `init`) is drawn at once.
    if (!this.data) window.setTimeout(() => this.prebuild());
  }

  /** Plot width in CSS pixels: the number of columns the host buckets for. */
  columns(): number {
    return this.context.plotColumns(this.parts?.plotBox ?? this.element);
  }

  receive(message: SeriesMessage): void {
    if (message.requestId < this.latestRequest) return;
    this.data = message;
    this.draw();
  }

  /** Redraws from the data it has (settings that need no new data: hidden runs, theme, log scale). */
  draw(): void {
    const message = this.data;
    const parts = this.parts;
    if (!message || !parts) return;
    const settings = this.context.settings();
    const runs = new Map(this.context.runs().map((r) => [r.runId, r]));
    const hidden = new Set(settings.hiddenRuns);
    const smoothing = settings.smoothing > 0 && (message.runs.some((r) => r.smooth) || (message.groups ?? []).some((g) => g.smoothMean));
    const shown = message.runs.filter((r) => runs.has(r.runId) && !hidden.has(r.runId));
    const groups = message.groups ?? [];
    const logY = settings.logY;
    // Only the slots some shown line has a point in become x values (uPlot wants one x array).
    // Indexed loops: this runs once per answer, before the JIT has optimised it (for…of over typed arrays is slow there).
    const used = new Uint8Array(message.slots.length);
    const mark = (slots: Uint32Array) => {
      for (let k = 0; k < slots.length; k++) used[slots[k]] = 1;
    };
    for (const slice of shown) {
      mark(slice.slots);
      if (smoothing && slice.smooth) mark(slice.smooth.slots);
    }
    for (const group of groups) mark(group.slots);
    const position = new Int32Array(message.slots.length);
    const xs: number[] = [];
    for (let i = 0; i < used.length; i++) {
      if (!used[i]) continue;
      position[i] = xs.length;
      xs.push(message.slots[i]);
    }
    // A line with a point at every x (runs logged at the same steps, no more points than the plot has room for) is drawn
    // from the host's array itself. Any other line gets an array with holes where it has no point (uPlot reads a hole as
    // undefined: a gap), of unboxed doubles: filled with nulls, each value would be a boxed number, and with 100 runs
    // building and collecting those was most of the time between the data's arrival and uPlot's draw.
    const whole = (values: Float64Array) => {
      if (!logY) return true;
      for (let k = 0; k < values.length; k++) if (values[k] <= 0) return false;
      return true;
    };
    const toColumn = (slots: Uint32Array, values: Float64Array): (number | undefined)[] | Float64Array => {
      if (slots.length === xs.length && whole(values)) return values;
      const out = new Array<number | undefined>(xs.length);
      for (let k = 0; k < slots.length; k++) {
        const v = values[k];
        if (!(logY && v <= 0)) out[position[slots[k]]] = v;
      }
      return out;
    };
    const data: uPlot.AlignedData = [xs];
    const series: uPlot.Series[] = [{ label: axisTitle(message.xAxis) }];
    const bands: uPlot.Band[] = [];
    this.seriesRuns = [];
    for (const group of groups) {
      // The band between the group's min and max (edges not stroked), then its mean line over it.
      const info = { label: group.label, color: group.color, runs: group.runIds.length };
      // With smoothing, the raw mean stays faint behind the smoothed one, as a run's raw line does; the band stays raw.
      const smoothMean = smoothing ? group.smoothMean : undefined;
      data.push(toColumn(group.slots, group.max), toColumn(group.slots, group.min), toColumn(group.slots, group.mean));
      const first = series.length;
      series.push(
        { label: `${group.label} max`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } },
        { label: `${group.label} min`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } },
        {
          label: group.label,
          stroke: smoothMean ? fade(group.color) : group.color,
          width: smoothMean ? 1 : 2,
          spanGaps: true,
          points: { show: group.slots.length <= FEW_POINTS, size: 7, fill: group.color },
        },
      );
      bands.push({ series: [first, first + 1], fill: `${group.color}33` });
      this.seriesRuns.push(
        { runId: '', smoothed: false, group: info, band: true },
        { runId: '', smoothed: false, group: info, band: true },
        { runId: '', smoothed: false, group: info },
      );
      if (smoothMean) {
        data.push(toColumn(group.slots, smoothMean));
        series.push({ label: `${group.label} (smoothed)`, stroke: group.color, width: 2, spanGaps: true, points: { show: false } });
        this.seriesRuns.push({ runId: '', smoothed: true, group: info });
      }
    }
    for (const slice of shown) {
      const run = runs.get(slice.runId)!;
      data.push(toColumn(slice.slots, slice.y));
      // A run with a handful of points (a final score) has no line to speak of: mark its points.
      series.push(runSeries(run, shown.length, smoothing, slice.inRange <= FEW_POINTS));
      this.seriesRuns.push({ runId: slice.runId, smoothed: false });
      if (smoothing && slice.smooth) {
        data.push(toColumn(slice.smooth.slots, slice.smooth.y));
        series.push({ label: `${run.name} (smoothed)`, stroke: run.color, width: 2, spanGaps: true, paths: straightLinePaths, points: { show: false } });
        this.seriesRuns.push({ runId: slice.runId, smoothed: true });
      }
    }
    const runLineWidth = lineWidth(shown.length);
    this.element.dataset.groups = String(groups.length);
    this.element.dataset.lineWidth = String(runLineWidth);
    // A tracking server's sample may miss spikes: say so until every point is in.
    parts.info.textContent = message.sampled
      ? `Preview of ${formatCount(message.drawn)} sampled points; reading every point…`
      : `${formatCount(message.drawn)} of ${formatCount(message.total)} points drawn`;
    parts.info.classList.toggle('sampled', !!message.sampled);
    parts.info.setAttribute('data-drawn', String(message.drawn));
    parts.info.setAttribute('data-total', String(message.total));
    const structure = structureOf(this.seriesRuns, series, logY, message.xAxis, settings.ignoreOutliers);
    const [lo, hi] = message.range ?? [message.slots[0], message.slots[message.slots.length - 1]];
    if (this.plot && structure === this.structure) {
      // Setting the x scale redraws everything, y ranged again on the new data (a redraw after it would put the x scale
      // back to the one shown: a running run's new steps past it, or a chart built before its data, would not show).
      this.plot.setData(data, false);
      this.plot.setScale('x', { min: lo, max: hi });
    } else {
      this.plot?.destroy();
      this.structure = structure;
      this.plot = new uPlot(this.options(series, message.xAxis, logY, settings.ignoreOutliers, bands), data, parts.plotBox);
      this.plot.setScale('x', { min: lo, max: hi });
    }
    this.renderTable(message.stats, runs);
  }

  /**
   * While the host reads the data (a long history, a tracking server), builds the chart for what it will most likely
   * show, every shown run with a line, so that the data, when it comes, is only set and drawn: uPlot's set-up, and the
   * first compilation of its code in a new page, are then off the way to the first frame. Not for groups or smoothing
   * (their lines depend on the data); a guess the data proves wrong is built again, as a change of settings is.
   */
  private prebuild(): void {
    const parts = this.parts;
    const settings = this.context.settings();
    if (this.data || this.plot || !parts || settings.groupBy || settings.smoothing > 0) return;
    const hidden = new Set(settings.hiddenRuns);
    const shown = this.context.runs().filter((run) => !hidden.has(run.runId));
    if (shown.length === 0) return;
    const series: uPlot.Series[] = [{ label: axisTitle(settings.xAxis) }, ...shown.map((run) => runSeries(run, shown.length, false, false))];
    const seriesRuns = shown.map((run) => ({ runId: run.runId, smoothed: false }));
    this.seriesRuns = seriesRuns;
    this.structure = structureOf(seriesRuns, series, settings.logY, settings.xAxis, settings.ignoreOutliers);
    const empty: uPlot.AlignedData = [[], ...shown.map((): number[] => [])];
    this.plot = new uPlot(this.options(series, settings.xAxis, settings.logY, settings.ignoreOutliers, []), empty, parts.plotBox);
  }

  /** The y range: uPlot's own, or with "ignore outliers" the host's 5th-95th percentile range of the data drawn now. */
  private yRange(logY: boolean, min: number | null, max: number | null): uPlot.Range.MinMax {
    const clip = this.data?.clip;
    if (clip && !logY) return padded(clip);
    if (clip && logY && clip[0] > 0) return clip;
    if (min === null || max === null) return [null, null];
    return logY ? uPlot.rangeLog(min, max, 10, false) : uPlot.rangeNum(min, max, 0.1, true);
  }

  private options(series: uPlot.Series[], xAxis: XAxis, logY: boolean, ignoreOutliers: boolean, bands: uPlot.Band[]): uPlot.Options {
    const foreground = themeColor('foreground', '#cccccc');
    const grid = themeColor('editorWidget-border', 'rgba(128,128,128,0.25)');
    const font = canvasFont(11);
    const axis = (side: 'x' | 'y'): uPlot.Axis => ({
      stroke: foreground,
      font,
      labelFont: font,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      ...(side === 'x'
        ? { values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatX(t, xAxis)) }
        : { values: (_u: uPlot, ticks: number[]) => ticks.map(formatValue), size: 60 }),
    });
    return {
      width: this.columns() + 60,
      height: PLOT_HEIGHT,
      series,
      bands,
      legend: { show: false },
      scales: {
        x: { time: false, auto: false },
        y: {
          distr: logY ? 3 : 1,
          log: 10,
          // Read at each draw: a live run's new points move the percentiles without changing the chart's structure.
          ...(ignoreOutliers ? { range: (_u: uPlot, min: number | null, max: number | null) => this.yRange(logY, min, max) } : {}),
        },
      },
      axes: [axis('x'), axis('y')],
      cursor: {
        sync: { key: SYNC_KEY, setSeries: false, scales: ['x', null] },
        drag: { x: true, y: false, setScale: false },
        points: { show: false },
        focus: { prox: -1 },
        hover: { skip: [null, undefined] },
        bind: {
          dblclick: () => () => {
            this.context.setZoom(null);
            return null;
          },
        },
      },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            if (max > min) this.context.setZoom([min, max]);
          },
        ],
        setCursor: [(u) => this.updateTooltip(u)],
        // Frames drawn and whether the last one shows a zoom: read by the tests and benchmarks.
        draw: [
          (u) => {
            // Frames with data only (a chart built before its data arrived draws its empty axes first).
            if (!this.data) return;
            this.frames++;
            this.element.dataset.frames = String(this.frames);
            this.element.dataset.zoomed = String(this.data.zoomed);
            this.element.dataset.xRange = `${u.scales.x.min},${u.scales.x.max}`;
            this.element.dataset.yRange = `${u.scales.y.min},${u.scales.y.max}`;
          },
        ],
      },
    };
  }

  /** The window was resized: the plot takes the grid's new width, and the host buckets for it. */
  resize(): void {
    if (!this.mounted) return;
    this.plot?.setSize({ width: this.columns() + 60, height: PLOT_HEIGHT });
    this.context.requestData(this);
  }

  /** Applies the shared zoom at once (the host's full-resolution answer follows). */
  applyZoom(range: [number, number] | null): void {
    if (this.plot && range) this.plot.setScale('x', { min: range[0], max: range[1] });
  }

  private updateTooltip(u: uPlot): void {
    const idx = u.cursor.idx;
    const message = this.data;
    const parts = this.parts;
    if (!parts) return;
    const { tooltip } = parts;
    if (idx == null || !message || u.cursor.left == null || u.cursor.left < 0) {
      tooltip.classList.remove('shown');
      return;
    }
    const runs = new Map(this.context.runs().map((r) => [r.runId, r]));
    const rows: { name: string; color: string; value: number }[] = [];
    const idxs = u.cursor.idxs ?? [];
    const smoothing = this.seriesRuns.some((s) => s.smoothed);
    this.seriesRuns.forEach((s, i) => {
      // With smoothing, the tooltip gives the smoothed values (of runs and of group means).
      if (s.band || (smoothing && !s.smoothed)) return;
      const at = idxs[i + 1];
      if (at == null) return;
      const value = u.data[i + 1][at];
      if (value == null) return;
      if (s.group) {
        const what = `mean of ${s.group.runs} run${s.group.runs === 1 ? '' : 's'}${s.smoothed ? ', smoothed' : ''}`;
        rows.push({ name: `${s.group.label} (${what})`, color: s.group.color, value });
        return;
      }
      const run = runs.get(s.runId);
      if (run) rows.push({ name: run.name, color: run.color, value });
    });
    rows.sort((a, b) => b.value - a.value);
    const x = u.data[0][idx];
    const children: Node[] = [el('div', { className: 'x', text: `${axisTitle(message.xAxis)} ${formatX(x, message.xAxis)}` })];
    for (const row of rows.slice(0, TOOLTIP_ROWS)) {
      const swatch = el('span', { className: 'swatch' });
      swatch.style.background = row.color;
      children.push(
        el('div', {
          className: 'tooltip-row',
          children: [swatch, el('span', { className: 'name', text: row.name }), el('span', { className: 'value', text: formatValue(row.value) })],
        }),
      );
    }
    if (rows.length > TOOLTIP_ROWS) children.push(el('div', { className: 'more', text: `+${rows.length - TOOLTIP_ROWS} more` }));
    tooltip.replaceChildren(...children);
    tooltip.classList.add('shown');
    const left = u.cursor.left + 70;
    const maxLeft = parts.plotBox.clientWidth - tooltip.offsetWidth - 4;
    tooltip.style.left = `${Math.max(0, left > maxLeft ? u.cursor.left - tooltip.offsetWidth - 10 : left)}px`;
    tooltip.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
  }

  private renderTable(stats: RangeStatsRow[] | undefined, runs: Map<string, PanelRun>): void {
    const settings = this.context.settings();
    const tableBox = this.parts?.tableBox;
    if (!tableBox) return;
    if (!settings.tables.includes(this.metric) || !stats || !this.data) {
      tableBox.replaceChildren();
      return;
    }
    tableBox.replaceChildren(...buildStatsTable(stats, runs, new Set(settings.hiddenRuns), this.data.xAxis, this.context.copyText));
  }

  private exportPng(): void {
    const canvas = this.plot?.ctx.canvas;
    if (!canvas) return;
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = themeColor('editor-background', '#1e1e1e');
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    this.context.savePng(this.metric, out.toDataURL('image/png'));
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.element.remove();
  }
}
