/// <reference lib="dom" />
/** Numbers and x values as the charts show them (axes, tooltips, tables). */
import type { XAxis } from '../../protocol/chartsPanel';

export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e7)) return value.toExponential(4);
  return Number(value.toPrecision(6)).toString();
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
