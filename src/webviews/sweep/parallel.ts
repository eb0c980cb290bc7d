/// <reference lib="dom" />
/**
 * Parallel coordinates on a canvas: one vertical axis per key, one polyline per run,
 * coloured by the last axis (the metric). Dragging along an axis keeps a range; runs
 * outside any range are drawn faint underneath. Axis titles are DOM text above the canvas.
 */
import { applyBrushes, type Axis, type Brush } from '../../compare/parallelAxes';
import { el } from '../shared/dom';
import { canvasFont, themeColor } from '../shared/theme';
import { colorBins, colorRamp, COLOR_BINS, sizeCanvas } from './canvas';

const MARGIN = { top: 16, bottom: 16, left: 70, right: 90 };
/** How far from an axis (in CSS pixels) a drag still starts a brush on it. */
const GRAB = 14;

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

  constructor(private readonly onKeptChange: (count: number) => void) {
    this.canvas.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.pointerUp(e));
  }

  setData(axes: Axis[], runCount: number): void {
    const keys = this.axes.map((a) => a.key);
    this.axes = axes;
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
    this.onKeptChange(this.keptCount);
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
    this.titles.replaceChildren(
      ...axes.map((a, i) => {
        const title = el('div', { className: 'axis-title', text: a.key, attrs: { title: a.key } });
        title.style.transform = `translateX(${xs[i] - 60}px)`;
        return title;
      }),
    );
    if (n === 0) return;
    const ramp = colorRamp(ctx);
    const runCount = this.kept.length;
    const polyline = (path: Path2D, run: number) => {
      path.moveTo(xs[0], this.y(axes[0].positions[run], height));
      for (let a = 1; a < n; a++) path.lineTo(xs[a], this.y(axes[a].positions[run], height));
    };
    // Filtered-out runs first, faint; then the kept ones, one path per colour bin.
    const faded = new Path2D();
    const paths = Array.from({ length: COLOR_BINS + 1 }, () => new Path2D());
    for (let run = 0; run < runCount; run++) {
      if (this.kept[run]) polyline(paths[this.bins[run] + 1], run);
      else polyline(faded, run);
    }
    ctx.lineWidth = 1;
    ctx.globalAlpha = 0.08;
    ctx.strokeStyle = themeColor('disabledForeground', '#888');
    ctx.stroke(faded);
    ctx.globalAlpha = runCount > 2000 ? 0.25 : 0.7;
    ctx.strokeStyle = themeColor('descriptionForeground', '#999');
    ctx.stroke(paths[0]);
    for (let b = 0; b < COLOR_BINS; b++) {
      ctx.strokeStyle = ramp[b];
      ctx.stroke(paths[b + 1]);
    }
    ctx.globalAlpha = 1;

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
    ctx.fillStyle = themeColor('editor-selectionBackground', 'rgba(38, 79, 120, 0.6)');
    ctx.globalAlpha = 0.5;
    for (const b of this.brushes) ctx.fillRect(xs[b.axis] - 8, this.y(b.high, height), 16, this.y(b.low, height) - this.y(b.high, height));
    ctx.globalAlpha = 1;
    this.lastDrawMs = performance.now() - started;
    document.body.dataset.drawMs = this.lastDrawMs.toFixed(2);
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
