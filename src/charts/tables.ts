/**
 * Text exports: CSV (RFC 4180: fields with a comma, quote or line break are quoted, quotes
 * doubled; numbers written so they read back as the same double) and Markdown tables, and
 * the per-run statistics of a step range.
 */

import type { RangeStatsRow } from '../protocol/chartsPanel';

export type Cell = string | number;

function csvField(cell: Cell): string {
  const text = typeof cell === 'number' ? formatNumber(cell) : cell;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Shortest text that parses back to the same double; NaN and infinities as MLflow writes them. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(value);
}

export function toCsv(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Reads CSV written by `toCsv` (or any RFC 4180 text) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function markdownCell(cell: Cell): string {
  const text = typeof cell === 'number' ? formatNumber(cell) : cell;
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function toMarkdown(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const lines = [`| ${header.map(markdownCell).join(' | ')} |`, `|${header.map(() => ' --- |').join('')}`];
  for (const row of rows) lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  return lines.join('\n') + '\n';
}

export type RangeStats = Omit<RangeStatsRow, 'runId'>;

/** Statistics of the points with lo <= x <= hi (x ascending); undefined when there are none. */
export function rangeStats(xs: Float64Array, ys: Float64Array, lo: number, hi: number): RangeStats | undefined {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let minAt = NaN;
  let maxAt = NaN;
  let last = NaN;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x < lo) continue;
    if (x > hi) break;
    const y = ys[i];
    count++;
    sum += y;
    last = y;
    if (y < min) {
      min = y;
      minAt = x;
    }
    if (y > max) {
      max = y;
      maxAt = x;
    }
  }
  if (count === 0) return undefined;
  return { count, last, min, max, minAt, maxAt, mean: sum / count };
}
