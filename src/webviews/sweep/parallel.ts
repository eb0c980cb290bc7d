/// <reference lib="dom" />
/**
 * Parallel coordinates on a canvas: one vertical axis per key, one polyline per run,
 * coloured by the last axis (the metric). Dragging along an axis keeps a range; runs
 * outside any range are drawn faint underneath. Axis titles are DOM text above the canvas.
 */
import { applyBrushes, type Axis, type Brush } from '../../compare/parallelAxes';
import { el } from '../shared/dom';
import { canvasFont, themeColor } from '../shared/theme';
import { binPaths, colorBins, fillSelection, paintBins, sizeCanvas } from './canvas';

const MARGIN = { top: 16, bottom: 16, left: 70, right: 90 };
/** How far from an axis (in CSS pixels) a drag still starts a brush on it. */
const GRAB = 14;

export interface ParallelHandlers {
  onKeptChange(count: number): void;
  /** The user asked for the other scale (linear or log) on a numeric axis. */
  onToggleScale(key: string): void;
}

export class ParallelCoordinates {
  readonly canvas = el('canvas', { className: 'plot', attrs: { role: 'img', 'aria-label': 'Parallel coordinates' } });
  private readonly titles = el('div', { className: 'axis-titles' });
  readonly element = el('div', { className: 'parallel', children: [this.titles, this.canvas] });
  private axes: Axis[] = [];
  private bins = new Int8Array(0);
  private brushes: Brush[] = [];
  kept = new Uint8Array(0);
  keptCount = 0;
  /** How long the last draw took, in ms (read by the benchmark). */
  lastDrawMs = 0;
  private drag: { axis: number; start: number } | undefined;
  private frame = 0;
  /** Every run's line, faint, drawn once per data, size and theme: a brush step redraws only the kept runs over it. */
  private background: { canvas: HTMLCanvasElement; key: string } | undefined;
  /** What the axis titles were laid out for; a brush step leaves them alone. */
  private titlesKey = '';
  /** Bumped by `setData`, so layers made for other axes are not reused. */
  private dataVersion = 0;

  constructor(private readonly handlers: ParallelHandlers) {
    this.canvas.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.pointerUp(e));
  }

  setData(axes: Axis[], runCount: number): void {
    const keys = this.axes.map((a) => a.key);
    this.axes = axes;
    this.dataVersion++;
    // Brushes stay on axes that are still shown.
    this.brushes = this.brushes.flatMap((b) => {
      const index = axes.findIndex((a) => a.key === keys[b.axis]);
      return index >= 0 ? [{ ...b, axis: index }] : [];
    });
    this.bins = colorBins(axes[axes.length - 1]?.positions, runCount);
    this.kept = new Uint8Array(runCount);
    this.refilter();
    this.draw();
  }

  clearBrushes(): void {
    this.brushes = [];
    this.refilter();
    this.draw();
  }

  /** Sets a brush as a drag would (positions 0 bottom, 1 top); used by tests and the benchmark. */
  brush(axis: number, low: number, high: number): void {
    this.brushes = [...this.brushes.filter((b) => b.axis !== axis), { axis, low, high }];
    this.refilter();
    this.draw();
  }

  private refilter(): void {
    this.keptCount = applyBrushes(this.axes, this.brushes, this.kept);
    this.handlers.onKeptChange(this.keptCount);
  }

  private axisX(i: number, width: number): number {
    const n = this.axes.length;
    return n === 1 ? width / 2 : MARGIN.left + (i * (width - MARGIN.left - MARGIN.right)) / (n - 1);
  }

  private y(p: number, height: number): number {
    return MARGIN.top + (1 - p) * (height - MARGIN.top - MARGIN.bottom);
  }

  draw(): void {
    const started = performance.now();
    const { ctx, width, height } = sizeCanvas(this.canvas);
    const axes = this.axes;
    const n = axes.length;
    const xs = axes.map((_, i) => this.axisX(i, width));
    this.layOutTitles(xs, width);
    if (n === 0) return;
    const runCount = this.kept.length;
    if (this.keptCount < runCount) {
      // Filtered-out runs: the faint layer of every run, under the kept ones.
      const layer = this.backgroundLayer(width, height, xs);
      ctx.drawImage(layer, 0, 0, width, height);
    }
    // The kept runs, one path per colour bin.
    const paths = binPaths();
    this.trace(paths, xs, height, this.bins, this.kept);
    ctx.lineWidth = 1;
    paintBins(ctx, paths, 'stroke', runCount > 2000 ? 0.25 : 0.7);

    const foreground = themeColor('foreground', '#ccc');
    ctx.font = canvasFont(10);
    ctx.textBaseline = 'middle';
    for (let a = 0; a < n; a++) {
      ctx.strokeStyle = foreground;
      ctx.beginPath();
      ctx.moveTo(xs[a], this.y(1, height));
      ctx.lineTo(xs[a], this.y(0, height));
      ctx.stroke();
      ctx.fillStyle = foreground;
      for (const tick of axes[a].ticks) {
        const y = this.y(tick.position, height);
        ctx.fillRect(xs[a] - 3, y, 6, 1);
        ctx.fillText(tick.label.length > 14 ? `${tick.label.slice(0, 13)}…` : tick.label, xs[a] + 6, y);
      }
    }
    fillSelection(
      ctx,
      0.5,
      this.brushes.map((b) => ({ x: xs[b.axis] - 8, y: this.y(b.high, height), width: 16, height: this.y(b.low, height) - this.y(b.high, height) })),
    );
    this.lastDrawMs = performance.now() - started;
    document.body.dataset.drawMs = this.lastDrawMs.toFixed(2);
  }

  /**
   * Adds the runs' lines: to `paths[bins[run] + 1]` (a run's colour bin) when `bins` is given,
   * else to `paths[0]`; only the kept runs when `kept` is given. The hot loop of a frame: the
   * axes' columns and the scale are locals, nothing is called per point.
   */
  private trace(paths: readonly Path2D[], xs: readonly number[], height: number, bins?: Int8Array, kept?: Uint8Array): void {
    const columns = this.axes.map((a) => a.positions);
    const n = columns.length;
    const bottom = height - MARGIN.bottom;
    const span = height - MARGIN.top - MARGIN.bottom;
    const runCount = this.kept.length;
    for (let run = 0; run < runCount; run++) {
      if (kept && !kept[run]) continue;
      const path = paths[bins ? bins[run] + 1 : 0];
      path.moveTo(xs[0], bottom - columns[0][run] * span);
      for (let a = 1; a < n; a++) path.lineTo(xs[a], bottom - columns[a][run] * span);
    }
  }

  /** Axis titles are DOM text: rebuilt when the axes or the width change, not on every brush step. */
  private layOutTitles(xs: readonly number[], width: number): void {
    const key = `${this.dataVersion}|${width}`;
    if (key === this.titlesKey) return;
    this.titlesKey = key;
    this.titles.replaceChildren(
      ...this.axes.flatMap((a, i) => {
        const title = el('div', { className: 'axis-title', text: a.key, attrs: { title: a.key } });
        title.style.transform = `translateX(${xs[i] - 60}px)`;
        if (a.kind !== 'numeric') return [title];
        // A scale toggle beside each numeric axis's title; on a log scale zero and negative values get a tick of their own.
        const log = a.scale === 'log';
        const toggle = el('button', {
          className: 'axis-scale',
          text: 'log',
          attrs: { type: 'button', 'data-key': a.key, 'aria-pressed': String(log), title: log ? `Linear scale for ${a.key}` : `Log scale for ${a.key}` },
        });
        toggle.style.transform = `translateX(${xs[i] + 60}px)`;
        toggle.addEventListener('click', () => this.handlers.onToggleScale(a.key));
        return [title, toggle];
      }),
    );
  }

  /** Every run's line, faint, on a canvas of its own; made again only when the data, size or theme changed. */
  private backgroundLayer(width: number, height: number, xs: readonly number[]): HTMLCanvasElement {
    const ratio = window.devicePixelRatio || 1;
    const color = themeColor('disabledForeground', '#888');
    const key = `${this.dataVersion}|${width}x${height}@${ratio}|${color}`;
    if (this.background?.key === key) return this.background.canvas;
    const canvas = this.background?.canvas ?? document.createElement('canvas');
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const all = new Path2D();
    this.trace([all], xs, height);
    ctx.lineWidth = 1;
    ctx.globalAlpha = 0.08;
    ctx.strokeStyle = color;
    ctx.stroke(all);
    this.background = { canvas, key };
    return canvas;
  }

  /** Makes the faint layer when a drag starts, so the first brush step does not pay for it. */
  private prepareBackground(): void {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    this.backgroundLayer(
      width,
      height,
      this.axes.map((_, i) => this.axisX(i, width)),
    );
  }

  private position(event: PointerEvent): { x: number; p: number } {
    const rect = this.canvas.getBoundingClientRect();
    const height = rect.height;
    const p = 1 - (event.clientY - rect.top - MARGIN.top) / (height - MARGIN.top - MARGIN.bottom);
    return { x: event.clientX - rect.left, p: Math.max(0, Math.min(1, p)) };
  }

  private pointerDown(event: PointerEvent): void {
    const { x, p } = this.position(event);
    const width = this.canvas.clientWidth;
    const axis = this.axes.findIndex((_, i) => Math.abs(this.axisX(i, width) - x) <= GRAB);
    if (axis < 0) return;
    this.canvas.setPointerCapture(event.pointerId);
    this.drag = { axis, start: p };
    this.prepareBackground();
  }

  private pointerMove(event: PointerEvent): void {
    if (!this.drag) return;
    const { p } = this.position(event);
    const { axis, start } = this.drag;
    this.brushes = [...this.brushes.filter((b) => b.axis !== axis), { axis, low: Math.min(start, p), high: Math.max(start, p) }];
    this.refilter();
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
    }
  }

  private pointerUp(event: PointerEvent): void {
    if (!this.drag) return;
    const { p } = this.position(event);
    const { axis, start } = this.drag;
    this.drag = undefined;
    // A click without a drag clears that axis's range.
    if (Math.abs(p - start) < 0.01) this.brushes = this.brushes.filter((b) => b.axis !== axis);
    this.refilter();
    this.draw();
  }
}
