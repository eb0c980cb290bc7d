/// <reference lib="dom" />
/**
 * The compare page: runs as columns, rows of attributes, params, metrics, tags and models.
 * Virtualised both ways (only the cells in view exist, so 100 runs × thousands of keys
 * scroll smoothly), with the header row and the key column pinned by placing them at the
 * scroll offset on every frame. Every store string goes in through `textContent`.
 */
import { bestColumns, columnOrder, defaultDirection, filterRows, type BestDirection, type CompareRow, type CompareTable } from '../../compare/rows';
import type { CompareFromPage, ComparePageState, CompareToPage } from '../../protocol/compare';
import { el } from '../shared/dom';
import { connectToHost } from '../shared/vscodeApi';
import '../shared/page.css';
import './compare.css';

const ROW_HEIGHT = 26;
const HEADER_HEIGHT = 48;
const KEY_WIDTH = 280;
const COLUMN_WIDTH = 180;
const SECTION_TITLES: Record<CompareRow['section'], string> = {
  attributes: 'Attributes',
  params: 'Parameters',
  metrics: 'Metrics',
  tags: 'Tags',
  models: 'Logged models',
};

type Item = { kind: 'section'; title: string; count: number } | { kind: 'row'; row: CompareRow };

let table: CompareTable | undefined;
let directions: Record<string, BestDirection> = {};
let request: ComparePageState['runs'] = [];
let storeUri = '';
let items: Item[] = [];
let order: number[] = [];
let visibleRows: CompareRow[] = [];
let frame = 0;

const host = connectToHost<CompareFromPage, CompareToPage, ComparePageState>(onMessage);
const saved = host.state();
const view = { onlyDiffs: saved?.onlyDiffs ?? false, filter: saved?.filter ?? '', sortRowId: saved?.sortRowId, sortDescending: saved?.sortDescending ?? false };

const filterInput = el('input', { className: 'filter', attrs: { type: 'search', placeholder: 'Filter rows (params.lr, loss…)', 'aria-label': 'Filter rows' } });
filterInput.value = view.filter;
const onlyDiffsBox = el('input', { attrs: { type: 'checkbox', id: 'only-diffs' } });
onlyDiffsBox.checked = view.onlyDiffs;
const countText = el('span', { className: 'count', attrs: { 'aria-live': 'polite' } });
const statusText = el('span', { className: 'status' });
const copyMarkdown = el('button', { text: 'Copy as Markdown', attrs: { type: 'button' } });
const copyCsv = el('button', { text: 'Copy as CSV', attrs: { type: 'button' } });
const cells = el('div', { className: 'cells' });
const sizer = el('div', { className: 'sizer' });
const scroller = el('div', { className: 'scroller', attrs: { tabindex: 0, role: 'grid', 'aria-label': 'Runs compared' }, children: [sizer, cells] });
const empty = el('div', { className: 'empty', text: 'Loading runs…' });

document.getElementById('root')!.append(
  el('div', {
    className: 'toolbar',
    children: [
      filterInput,
      el('label', { className: 'toggle', children: [onlyDiffsBox, document.createTextNode(' Only differences')], attrs: { for: 'only-diffs' } }),
      countText,
      statusText,
      copyMarkdown,
      copyCsv,
    ],
  }),
  empty,
  scroller,
);

filterInput.addEventListener('input', () => {
  view.filter = filterInput.value;
  update();
});
onlyDiffsBox.addEventListener('change', () => {
  view.onlyDiffs = onlyDiffsBox.checked;
  update();
});
copyMarkdown.addEventListener('click', () => copy('markdown'));
copyCsv.addEventListener('click', () => copy('csv'));
scroller.addEventListener('scroll', () => schedule());
window.addEventListener('resize', () => schedule());
scroller.addEventListener('click', (event) => {
  const target = (event.target as Element).closest('[data-action]');
  if (!target) return;
  const action = target.getAttribute('data-action');
  const value = target.getAttribute('data-value') ?? '';
  if (action === 'sort') sortBy(value);
  else if (action === 'direction') toggleDirection(value);
  else if (action === 'reveal') host.post({ type: 'reveal', runId: value });
});

host.post({ type: 'ready' });

function onMessage(message: CompareToPage): void {
  if (message.type === 'error') {
    empty.textContent = message.message;
    empty.hidden = false;
    scroller.hidden = true;
    return;
  }
  const started = performance.now();
  table = message.table;
  directions = message.directions;
  request = message.request.runs;
  storeUri = message.request.storeUri;
  statusText.textContent = [message.loadingStats ? 'Reading metric histories for min and max…' : '', message.live ? '● Live' : ''].filter(Boolean).join('  ');
  update();
  // How long the page took from the table to its cells on screen (read by the benchmark).
  document.body.dataset.renderMs = (performance.now() - started).toFixed(2);
}

/** Rows, order and sizes after a change of data, filter or sort; then a redraw. */
function update(): void {
  if (!table) return;
  host.saveState({ storeUri, runs: request, ...view });
  visibleRows = filterRows(table.rows, { onlyDiffs: view.onlyDiffs, text: view.filter });
  items = [];
  let section: CompareRow['section'] | undefined;
  for (const row of visibleRows) {
    if (row.section !== section) {
      section = row.section;
      items.push({ kind: 'section', title: SECTION_TITLES[section], count: visibleRows.filter((r) => r.section === section).length });
    }
    items.push({ kind: 'row', row });
  }
  const sortRow = view.sortRowId ? table.rows.find((r) => r.id === view.sortRowId) : undefined;
  order = sortRow ? columnOrder(sortRow, view.sortDescending) : table.columns.map((_, i) => i);
  const differing = table.rows.filter((r) => r.differs).length;
  countText.textContent = `${table.columns.length} runs · ${visibleRows.length} of ${table.rows.length} rows · ${differing} differ`;
  empty.hidden = visibleRows.length > 0;
  if (visibleRows.length === 0) empty.textContent = view.onlyDiffs ? 'No rows differ (or none match the filter).' : 'No rows match the filter.';
  scroller.hidden = false;
  sizer.style.width = `${KEY_WIDTH + table.columns.length * COLUMN_WIDTH}px`;
  sizer.style.height = `${HEADER_HEIGHT + items.length * ROW_HEIGHT}px`;
  draw();
}

function schedule(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    draw();
  });
}

function place(node: HTMLElement, x: number, y: number, width: number, height: number): HTMLElement {
  node.style.transform = `translate(${x}px, ${y}px)`;
  node.style.width = `${width}px`;
  node.style.height = `${height}px`;
  return node;
}

/** Builds only the cells in view: the pinned header and key column sit at the scroll offset. */
function draw(): void {
  if (!table) return;
  const { scrollTop, scrollLeft, clientWidth, clientHeight } = scroller;
  const firstItem = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 2);
  const lastItem = Math.min(items.length - 1, Math.ceil((scrollTop + clientHeight - HEADER_HEIGHT) / ROW_HEIGHT) + 2);
  const firstSlot = Math.max(0, Math.floor(scrollLeft / COLUMN_WIDTH) - 1);
  const lastSlot = Math.min(order.length - 1, Math.ceil((scrollLeft + clientWidth - KEY_WIDTH) / COLUMN_WIDTH) + 1);
  const nodes: HTMLElement[] = [];

  for (let i = firstItem; i <= lastItem; i++) {
    const item = items[i];
    const y = HEADER_HEIGHT + i * ROW_HEIGHT;
    if (item.kind === 'section') {
      nodes.push(
        place(
          el('div', { className: 'cell section', text: `${item.title} (${item.count})`, attrs: { role: 'rowheader' } }),
          scrollLeft,
          y,
          clientWidth,
          ROW_HEIGHT,
        ),
      );
      continue;
    }
    const { row } = item;
    const best = new Set(row.section === 'metrics' ? bestColumns(row, directions[row.key] ?? defaultDirection(row.key)) : []);
    const rowClass = row.differs ? ' differs' : '';
    for (let slot = firstSlot; slot <= lastSlot; slot++) {
      const column = order[slot];
      const text = row.display[column];
      const classes = `cell value${rowClass}${best.has(column) ? ' best' : ''}${text === '' ? ' missing' : ''}`;
      const cell = el('div', {
        className: classes,
        text,
        attrs: { role: 'gridcell', title: text || 'no value', 'data-row': row.id, 'data-run': table.columns[column].runId },
      });
      nodes.push(place(cell, KEY_WIDTH + slot * COLUMN_WIDTH, y, COLUMN_WIDTH, ROW_HEIGHT));
    }
    nodes.push(place(keyCell(row, rowClass), scrollLeft, y, KEY_WIDTH, ROW_HEIGHT));
  }

  for (let slot = firstSlot; slot <= lastSlot; slot++) {
    const column = table.columns[order[slot]];
    const header = el('div', {
      className: 'cell header',
      attrs: { role: 'columnheader', 'data-run': column.runId },
      children: [
        el('span', { className: 'run-name', text: column.name, attrs: { title: `${column.name}\n${column.runId}` } }),
        el('span', { className: 'run-status', text: column.status.toLowerCase() }),
        el('button', {
          className: 'link',
          text: 'Reveal',
          attrs: { type: 'button', 'data-action': 'reveal', 'data-value': column.runId, title: 'Reveal in the Runs view' },
        }),
      ],
    });
    nodes.push(place(header, KEY_WIDTH + slot * COLUMN_WIDTH, scrollTop, COLUMN_WIDTH, HEADER_HEIGHT));
  }
  nodes.push(
    place(el('div', { className: 'cell header corner', text: 'Key', attrs: { role: 'columnheader' } }), scrollLeft, scrollTop, KEY_WIDTH, HEADER_HEIGHT),
  );
  cells.replaceChildren(...nodes);
}

function keyCell(row: CompareRow, rowClass: string): HTMLElement {
  const sorted = view.sortRowId === row.id ? (view.sortDescending ? ' ▼' : ' ▲') : '';
  const children: HTMLElement[] = [
    el('button', {
      className: 'key-label',
      text: row.label + sorted,
      attrs: { type: 'button', 'data-action': 'sort', 'data-value': row.id, title: `${row.section}: ${row.label}\nClick to sort the runs by this row` },
    }),
  ];
  if (row.section === 'metrics') {
    const direction = directions[row.key] ?? defaultDirection(row.key);
    children.push(
      el('button', {
        className: 'direction',
        text: direction === 'lower' ? 'lower is better' : 'higher is better',
        attrs: { type: 'button', 'data-action': 'direction', 'data-value': row.key, title: 'Which value of this metric is best; click to switch' },
      }),
    );
  }
  return el('div', { className: `cell key${rowClass}`, attrs: { role: 'rowheader', 'data-row': row.id }, children });
}

/** Unsorted → ascending → descending → unsorted. */
function sortBy(rowId: string): void {
  if (view.sortRowId !== rowId) {
    view.sortRowId = rowId;
    view.sortDescending = false;
  } else if (!view.sortDescending) {
    view.sortDescending = true;
  } else {
    view.sortRowId = undefined;
    view.sortDescending = false;
  }
  update();
}

function toggleDirection(metric: string): void {
  const next: BestDirection = (directions[metric] ?? defaultDirection(metric)) === 'lower' ? 'higher' : 'lower';
  directions = { ...directions, [metric]: next };
  host.post({ type: 'setDirection', metric, direction: next });
  draw();
}

function copy(format: 'markdown' | 'csv'): void {
  host.post({ type: 'copy', format, rowIds: visibleRows.map((r) => r.id), order });
}
