/**
 * The compare table as text for the clipboard: a Markdown table (for notes, issues,
 * pull requests) and CSV (for spreadsheets). Cells keep full precision; the columns
 * follow the order shown. Plain module, no `vscode`.
 */
import type { CellValue, CompareColumn, CompareRow } from './rows';

export interface TableTextInput {
  columns: readonly CompareColumn[];
  rows: readonly CompareRow[];
  /** Column indexes in the order shown; all columns in table order when omitted. */
  order?: readonly number[];
}

function exact(value: CellValue): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? String(value) : value;
}

function cells(row: CompareRow, order: readonly number[]): string[] {
  return order.map((i) => {
    const value = row.values[i];
    // Times and durations read better as shown; everything else exactly as stored.
    if (row.section === 'attributes' && typeof value === 'number') return row.display[i];
    return exact(value);
  });
}

function rowKey(row: CompareRow): string {
  return row.section === 'attributes' ? row.label : `${row.section}.${row.label}`;
}

/**
 * A GitHub-flavoured Markdown table. Store strings stay text: `|` and `\` are escaped,
 * HTML's `<`, `>` and `&` become entities, line breaks become spaces.
 */
export function toMarkdown(input: TableTextInput): string {
  const order = input.order ?? input.columns.map((_, i) => i);
  const line = (parts: string[]) => `| ${parts.join(' | ')} |`;
  const out = [line(['', ...order.map((i) => escapeMarkdownCell(input.columns[i].name))]), line(['---', ...order.map(() => '---')])];
  for (const row of input.rows) out.push(line([escapeMarkdownCell(rowKey(row)), ...cells(row, order).map(escapeMarkdownCell)]));
  return out.join('\n') + '\n';
}

function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, ' ');
}

/**
 * RFC 4180 CSV with a header of run names and the run ids on the second line. Text
 * a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`;
 * numbers are left as they are.
 */
export function toCsv(input: TableTextInput): string {
  const order = input.order ?? input.columns.map((_, i) => i);
  const out = [
    ['key', ...order.map((i) => input.columns[i].name)].map(csvText).join(','),
    ['run_id', ...order.map((i) => input.columns[i].runId)].map(csvText).join(','),
  ];
  for (const row of input.rows) {
    const values = cells(row, order).map((text, k) => (typeof row.values[order[k]] === 'number' ? csvField(text) : csvText(text)));
    out.push([csvText(rowKey(row)), ...values].join(','));
  }
  return out.join('\r\n') + '\r\n';
}

function csvText(text: string): string {
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}
