/// <reference lib="dom" />
/**
 * A scatter plot on a canvas: x a param or metric, y a metric, colour a third. Hovering
 * names the nearest run in a DOM tooltip (text only), clicking a point reveals its run,
 * dragging a box selects the runs inside it.
 */
import { VALUE_BOTTOM, type Axis } from '../../compare/parallelAxes';
import { formatCount } from '../../format/values';
import { el } from '../shared/dom';
import { canvasFont, themeColor } from '../shared/theme';
import { binPaths, colorBins, fillSelection, paintBins, sizeCanvas } from './canvas';

const MARGIN = { top: 16, bottom: 40, left: 80, right: 24 };
const HIT_RADIUS = 8;

export interface ScatterHandlers {
  onSelect(count: number): void;
  onReveal(run: number): void;
  /** The tooltip's lines for a run. */
  describe(run: number): string[];
}

export class ScatterPlot {
  readonly canvas = el('canvas', { className: 'plot', attrs: { role: 'img', 'aria-label': 'Scatter plot' } });
  private readonly tooltip = el('div', { className: 'tooltip', attrs: { role: 'tooltip' } });
  /** Says how many runs a log axis cannot place (zero or negative values). */
  private readonly note = el('div', { className: 'note', attrs: { 'aria-live': 'polite' } });
  readonly element = el('div', { className: 'scatter', children: [this.note, this.canvas, this.tooltip] });
  private x: Axis | undefined;
  private y: Axis | undefined;
  private bins = new Int8Array(0);
  /** Screen positions of the runs with both values; NaN for the others. */
  private px = new Float32Array(0);
  private py = new Float32Array(0);
  selected = new Uint8Array(0);
  selectedCount = 0;
  private box: { x0: number; y0: number; x1: number; y1: number } | undefined;

  constructor(private readonly handlers: ScatterHandlers) {
    this.tooltip.hidden = true;
    this.canvas.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.pointerUp(e));
    this.canvas.addEventListener('pointerleave', () => (this.tooltip.hidden = true));
  }

  setData(x: Axis, y: Axis, color: Axis | undefined, runCount: number): void {
    this.x = x;
    this.y = y;
    this.bins = colorBins(color?.positions, runCount);
    this.selected = new Uint8Array(runCount);
    this.selectedCount = 0;
    const hidden = [x, y].filter((a) => a.kind === 'numeric' && a.scale === 'log' && a.nonPositiveCount > 0);
    this.note.textContent = hidden
      .map((a) => `${a.kind === 'numeric' ? formatCount(a.nonPositiveCount) : 0} runs with ${a.key} ≤ 0 have no point on its log scale`)
      .join('; ');
    this.note.hidden = hidden.length === 0;
    this.handlers.onSelect(0);
    this.draw();
  }

  draw(): void {
    const { ctx, width, height } = sizeCanvas(this.canvas);
    const { x, y } = this;
    if (!x || !y) return;
    const runCount = this.selected.length;
    const sx = (p: number) => MARGIN.left + ((p - 0.1) / 0.9) * (width - MARGIN.left - MARGIN.right);
    const sy = (p: number) => height - MARGIN.bottom - ((p - 0.1) / 0.9) * (height - MARGIN.top - MARGIN.bottom);
    this.px = new Float32Array(runCount);
    this.py = new Float32Array(runCount);
    const paths = binPaths();
    const chosen = new Path2D();
    for (let i = 0; i < runCount; i++) {
      const a = x.positions[i];
      const b = y.positions[i];
      // Below the values sit "missing" and, on a log axis, zero or negative: such a run has no point.
      if (a < VALUE_BOTTOM || b < VALUE_BOTTOM) {
        this.px[i] = this.py[i] = NaN;
        continue;
      }
      const cx = (this.px[i] = sx(a));
      const cy = (this.py[i] = sy(b));
      const path = paths[this.bins[i] + 1];
      path.moveTo(cx + 3, cy);
      path.arc(cx, cy, 3, 0, Math.PI * 2);
      if (this.selected[i]) {
        chosen.moveTo(cx + 5, cy);
        chosen.arc(cx, cy, 5, 0, Math.PI * 2);
      }
    }
    paintBins(ctx, paths, 'fill', 0.8);
    const foreground = themeColor('foreground', '#ccc');
    ctx.strokeStyle = foreground;
    ctx.stroke(chosen);

    ctx.font = canvasFont(10);
    ctx.fillStyle = foreground;
    ctx.fillRect(MARGIN.left, height - MARGIN.bottom, width - MARGIN.left - MARGIN.right, 1);
    ctx.fillRect(MARGIN.left, MARGIN.top, 1, height - MARGIN.top - MARGIN.bottom);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of x.ticks) if (t.position >= VALUE_BOTTOM) ctx.fillText(short(t.label), sx(t.position), height - MARGIN.bottom + 4);
    ctx.fillText(x.key, (MARGIN.left + width - MARGIN.right) / 2, height - 14);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of y.ticks) if (t.position >= VALUE_BOTTOM) ctx.fillText(short(t.label), MARGIN.left - 4, sy(t.position));
    ctx.save();
    ctx.translate(12, (MARGIN.top + height - MARGIN.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(y.key, 0, 0);
    ctx.restore();
    if (this.box) {
      const { x0, y0, x1, y1 } = this.box;
      fillSelection(ctx, 0.3, [{ x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) }]);
    }
  }

  /** The run whose point is nearest to (x, y), within the hit radius. */
  nearest(x: number, y: number): number | undefined {
    let best: number | undefined;
    let bestDistance = HIT_RADIUS * HIT_RADIUS;
    for (let i = 0; i < this.px.length; i++) {
      const dx = this.px[i] - x;
      const dy = this.py[i] - y;
      const d = dx * dx + dy * dy;
      if (d <= bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  /** A point's position in CSS pixels of the canvas, for tests. */
  pointOf(run: number): { x: number; y: number } | undefined {
    return Number.isNaN(this.px[run]) ? undefined : { x: this.px[run], y: this.py[run] };
  }

  private local(event: PointerEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private pointerDown(event: PointerEvent): void {
    const { x, y } = this.local(event);
    this.canvas.setPointerCapture(event.pointerId);
    this.box = { x0: x, y0: y, x1: x, y1: y };
  }

  private pointerMove(event: PointerEvent): void {
    const { x, y } = this.local(event);
    if (this.box) {
      this.box.x1 = x;
      this.box.y1 = y;
      this.draw();
      return;
    }
    const run = this.nearest(x, y);
    if (run === undefined) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.replaceChildren(...this.handlers.describe(run).map((line) => el('div', { text: line })));
    this.tooltip.hidden = false;
    // Beside the pointer, on whichever side keeps it inside the plot (a point at the right edge gets it on its left).
    const { offsetWidth: w, offsetHeight: h } = this.tooltip;
    const left = x + 12 + w > this.canvas.clientWidth ? Math.max(0, x - 12 - w) : x + 12;
    const top = y + 12 + h > this.canvas.clientHeight ? Math.max(0, y - 12 - h) : y + 12;
    this.tooltip.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  private pointerUp(event: PointerEvent): void {
    const box = this.box;
    this.box = undefined;
    if (!box) return;
    const { x, y } = this.local(event);
    if (Math.abs(x - box.x0) < 4 && Math.abs(y - box.y0) < 4) {
      const run = this.nearest(x, y);
      if (run !== undefined) this.handlers.onReveal(run);
      this.draw();
      return;
    }
    const [left, right] = [Math.min(box.x0, x), Math.max(box.x0, x)];
    const [top, bottom] = [Math.min(box.y0, y), Math.max(box.y0, y)];
    let count = 0;
    for (let i = 0; i < this.px.length; i++) {
      const inside = this.px[i] >= left && this.px[i] <= right && this.py[i] >= top && this.py[i] <= bottom;
      this.selected[i] = inside ? 1 : 0;
      if (inside) count++;
    }
    this.selectedCount = count;
    this.handlers.onSelect(count);
    this.draw();
  }
}

function short(label: string): string {
  return label.length > 12 ? `${label.slice(0, 11)}…` : label;
}
