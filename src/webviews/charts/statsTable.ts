/// <reference lib="dom" />
/** The step-range table under a chart: per shown run, over the zoomed range, last, min, max, where, mean and count; copy as CSV or Markdown. */
import type { PanelRun, RangeStatsRow, XAxis } from '../../protocol/chartsPanel';
import { toCsv, toMarkdown } from '../../charts/tables';
import { el } from '../shared/dom';
import { axisTitle, formatValue, formatX } from './format';

export function buildStatsTable(
  stats: readonly RangeStatsRow[],
  runs: ReadonlyMap<string, PanelRun>,
  hidden: ReadonlySet<string>,
  xAxis: XAxis,
  copyText: (text: string, what: string) => void,
): HTMLElement[] {
  const xName = axisTitle(xAxis).toLowerCase();
  const header = ['Run', 'Last', 'Min', `Min at ${xName}`, 'Max', `Max at ${xName}`, 'Mean', 'Points'];
  const rows = stats
    .filter((s) => runs.has(s.runId) && !hidden.has(s.runId))
    .map((s) => [runs.get(s.runId)!.name, s.last, s.min, s.minAt, s.max, s.maxAt, s.mean, s.count] as (string | number)[]);
  const table = el('table', {
    className: 'stats',
    children: [
      el('thead', { children: [el('tr', { children: header.map((h) => el('th', { text: h })) })] }),
      el('tbody', {
        children: rows.map((row) =>
          el('tr', {
            children: row.map((cell, i) => el('td', { text: typeof cell === 'string' ? cell : i === 3 || i === 5 ? formatX(cell, xAxis) : formatValue(cell) })),
          }),
        ),
      }),
    ],
  });
  const copyCsv = el('button', { text: 'Copy as CSV', attrs: { type: 'button' } });
  const copyMd = el('button', { text: 'Copy as Markdown', attrs: { type: 'button' } });
  copyCsv.addEventListener('click', () => copyText(toCsv(header, rows), 'table as CSV'));
  copyMd.addEventListener('click', () => copyText(toMarkdown(header, rows), 'table as Markdown'));
  return [table, el('div', { className: 'card-actions', children: [copyCsv, copyMd] })];
}
