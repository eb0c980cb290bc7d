/// <reference lib="dom" />
/** Numbers and x values as the charts show them (axes, tooltips, tables). */
import { formatMetricValue } from '../../format/values';
import type { XAxis } from '../../protocol/chartsPanel';

/** Six significant digits, as the compare table shows them. uPlot hands a log axis `null` for the ticks it leaves unlabelled. */
export function formatValue(value: number | null): string {
  return value === null || value === undefined ? '' : formatMetricValue(value, 6);
}

export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = s < 10 && (h || m) ? `0${s.toFixed(s % 1 ? 1 : 0)}` : s.toFixed(s % 1 ? 1 : 0);
  if (h) return `${sign}${h}:${String(m).padStart(2, '0')}:${sec}`;
  if (m) return `${sign}${m}:${sec}`;
  return `${sign}${sec}s`;
}

export function formatX(value: number, axis: XAxis): string {
  if (!Number.isFinite(value)) return '';
  if (axis === 'step') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  if (axis === 'relative') return formatDuration(value);
  return new Date(value * 1000).toLocaleString();
}

export function axisTitle(axis: XAxis): string {
  return axis === 'step' ? 'Step' : axis === 'time' ? 'Wall time' : 'Time since run start';
}

export function padded([lo, hi]: [number, number]): [number, number] {
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
  return [lo - pad, hi + pad];
}

/** The raw line behind a smoothed one: the run's colour, faint. */
export function fade(hex: string): string {
  return `${hex}55`;
}
