/// <reference lib="dom" />
/**
 * Canvas helpers shared by the two sweep views: a canvas sized for the device's pixel
 * ratio, and a colour ramp between two theme colours, in bins so thousands of lines or
 * points are drawn with a dozen strokes instead of one per run.
 */
import { themeColor } from '../shared/theme';

const COLOR_BINS = 12;

export interface SizedCanvas {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
}

/** Resizes the canvas's backing store to its CSS size × devicePixelRatio; drawing stays in CSS pixels. */
export function sizeCanvas(canvas: HTMLCanvasElement): SizedCanvas {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { canvas, ctx, width, height };
}

function rgb(ctx: CanvasRenderingContext2D, color: string): [number, number, number] {
  ctx.fillStyle = '#000';
  ctx.fillStyle = color;
  const normalized = ctx.fillStyle;
  if (normalized.startsWith('#')) return [1, 3, 5].map((i) => parseInt(normalized.slice(i, i + 2), 16)) as [number, number, number];
  const parts = normalized.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0];
  return [parts[0], parts[1], parts[2]];
}

/** `COLOR_BINS` colours from the theme's blue (low values) to its orange (high). */
function colorRamp(ctx: CanvasRenderingContext2D): string[] {
  const low = rgb(ctx, themeColor('charts-blue', '#3794ff'));
  const high = rgb(ctx, themeColor('charts-orange', '#d18616'));
  return Array.from({ length: COLOR_BINS }, (_, i) => {
    const t = i / (COLOR_BINS - 1);
    const c = low.map((l, k) => Math.round(l + (high[k] - l) * t));
    return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  });
}

/** The bin of each run's colour value (a position in [0, 1]); -1 for runs without one. */
export function colorBins(positions: Float32Array | undefined, count: number): Int8Array<ArrayBuffer> {
  const bins = new Int8Array(count).fill(-1);
  if (!positions) return bins;
  for (let i = 0; i < count; i++) {
    const p = positions[i];
    // Position 0 is the axis's "missing" tick; values lie in [0.1, 1].
    if (p > 0) bins[i] = Math.min(COLOR_BINS - 1, Math.floor(((p - 0.1) / 0.9) * COLOR_BINS));
  }
  return bins;
}

/** One path per colour bin after one (index 0) for runs without a colour value; fill them and `paintBins` draws them. */
export function binPaths(): Path2D[] {
  return Array.from({ length: COLOR_BINS + 1 }, () => new Path2D());
}

/** Strokes (lines) or fills (points) the bins' paths: runs without a colour value in the theme's dim text colour, the others along the ramp. */
export function paintBins(ctx: CanvasRenderingContext2D, paths: readonly Path2D[], mode: 'stroke' | 'fill', alpha: number): void {
  const ramp = colorRamp(ctx);
  const paint = (path: Path2D, color: string) => {
    if (mode === 'stroke') {
      ctx.strokeStyle = color;
      ctx.stroke(path);
    } else {
      ctx.fillStyle = color;
      ctx.fill(path);
    }
  };
  ctx.globalAlpha = alpha;
  paint(paths[0], themeColor('descriptionForeground', '#999'));
  for (let b = 0; b < COLOR_BINS; b++) paint(paths[b + 1], ramp[b]);
  ctx.globalAlpha = 1;
}

/** A brush range or a selection box: the theme's selection colour, see-through. */
export function fillSelection(ctx: CanvasRenderingContext2D, alpha: number, rects: readonly { x: number; y: number; width: number; height: number }[]): void {
  ctx.globalAlpha = alpha;
  ctx.fillStyle = themeColor('editor-selectionBackground', 'rgba(38, 79, 120, 0.6)');
  for (const r of rects) ctx.fillRect(r.x, r.y, r.width, r.height);
  ctx.globalAlpha = 1;
}
