/**
 * Human-readable numbers, ages, durations and sizes, the same in the explorer's labels and tooltips,
 * the compare table and the charts' axes and tooltips. Plain module (no `vscode`, no DOM): the
 * extension host and the webview bundles import it alike.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "2 days ago"; a date after 30 days. */
export function formatAge(timestampMs: number, nowMs: number): string {
  const elapsed = nowMs - timestampMs;
  if (!Number.isFinite(elapsed)) return '';
  if (elapsed < 45 * SECOND) return 'just now';
  if (elapsed < HOUR) return `${Math.max(1, Math.round(elapsed / MINUTE))} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  if (days < 30) return days === 1 ? 'yesterday' : `${days} days ago`;
  return formatDate(timestampMs);
}

/** "850 ms", "12 s", "3 min 4 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) {
    const seconds = ms / SECOND;
    return seconds < 10 ? `${trimZeros(seconds.toFixed(1))} s` : `${Math.floor(seconds)} s`;
  }
  if (ms < HOUR) return pair(Math.floor(ms / MINUTE), 'min', Math.floor((ms % MINUTE) / SECOND), 's');
  if (ms < DAY) return pair(Math.floor(ms / HOUR), 'h', Math.floor((ms % HOUR) / MINUTE), 'min');
  return pair(Math.floor(ms / DAY), 'd', Math.floor((ms % DAY) / HOUR), 'h');
}

function pair(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

/**
 * A metric value in at most `significantDigits` digits (5 in the tree's short labels, 6 where a table or
 * chart has room); integers whole; exponent form beyond 10^(digits+1) or below 1e-4; NaN and infinities spelled out.
 */
export function formatMetricValue(value: number, significantDigits = 5): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 10 ** (significantDigits + 1) || abs < 1e-4)) {
    const [mantissa, exponent] = value.toExponential(significantDigits - 1).split('e');
    return `${trimZeros(mantissa)}e${exponent}`;
  }
  return trimZeros(value.toPrecision(significantDigits));
}

/**
 * A count with its thousands grouped by commas ("1,000,000"), as the rest of the UI's English text. Written out rather
 * than by `toLocaleString`: in a webview, the first number formatted through `Intl` loads the locale's data, 40-70 ms of
 * the page's main thread before its first chart (a page that never formats through `Intl` never pays it).
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return String(count);
  const digits = String(Math.abs(count));
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return count < 0 ? `-${grouped}` : grouped;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** "2025-11-20 14:03:12" in UTC; stable across machines, unambiguous in tooltips. */
export function formatDateTime(timestampMs: number): string {
  if (!Number.isFinite(timestampMs)) return '';
  return new Date(timestampMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

export function formatDate(timestampMs: number): string {
  return new Date(timestampMs).toISOString().slice(0, 10);
}

/** "1.2 KB", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let size = bytes / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return `${trimZeros(size.toFixed(1))} ${units[unit]}`;
}
