/// <reference lib="dom" />
/** The toolbar and the run legend of the charts page. */
import type { ChartSettings, PanelRun, XAxis } from '../../protocol/chartsPanel';
import { el } from '../shared/dom';

export interface ToolbarActions {
  change(patch: Partial<ChartSettings>, effect: 'redraw' | 'data' | 'layout'): void;
  exportCsv(): void;
  addRuns(): void;
}

/** The params and tags the runs can be grouped by, as `param:<key>` / `tag:<key>` (system tags are not offered). */
export function groupByChoices(runs: readonly PanelRun[]): string[] {
  const params = new Set<string>();
  const tags = new Set<string>();
  for (const run of runs) {
    for (const [key] of run.params) params.add(key);
    for (const [key] of run.tags) tags.add(key);
  }
  // Compared without `localeCompare`: its first use in a page loads the locale's collation data (tens of ms) while the first
  // charts are being built. Case-insensitive, then by code unit, so "Batch" and "batch" stay apart in a stable order.
  const byText = (a: string, b: string) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  };
  const sorted = (keys: Set<string>) => [...keys].sort(byText);
  return [...sorted(params).map((k) => `param:${k}`), ...sorted(tags).map((k) => `tag:${k}`)];
}

export function buildToolbar(settings: ChartSettings, actions: ToolbarActions, groupChoices: readonly string[] = []): HTMLElement {
  const filter = el('input', {
    attrs: { type: 'search', placeholder: 'Filter metrics (text or /regex/)', 'aria-label': 'Filter metrics', value: settings.filter },
  });
  let filterTimer: number | undefined;
  filter.addEventListener('input', () => {
    window.clearTimeout(filterTimer);
    filterTimer = window.setTimeout(() => actions.change({ filter: filter.value }, 'layout'), 120);
  });

  const xAxis = el('select', {
    attrs: { 'aria-label': 'X axis' },
    children: (
      [
        ['step', 'Step'],
        ['time', 'Wall time'],
        ['relative', 'Relative time'],
      ] as const
    ).map(([value, label]) => el('option', { text: label, attrs: { value, selected: settings.xAxis === value } })),
  });
  xAxis.addEventListener('change', () => actions.change({ xAxis: xAxis.value as XAxis }, 'data'));

  const checkbox = (label: string, checked: boolean, name: string, onChange: (value: boolean) => void) => {
    const input = el('input', { attrs: { type: 'checkbox', checked, name } });
    input.addEventListener('change', () => onChange(input.checked));
    return el('label', { children: [input, el('span', { text: label })] });
  };
  const logY = checkbox('Log scale', settings.logY, 'logY', (value) => actions.change({ logY: value }, 'redraw'));
  const outliers = checkbox('Ignore outliers', settings.ignoreOutliers, 'ignoreOutliers', (value) => actions.change({ ignoreOutliers: value }, 'data'));

  const smoothing = el('input', {
    attrs: { type: 'range', min: 0, max: 0.99, step: 0.01, value: settings.smoothing, 'aria-label': 'Smoothing', name: 'smoothing' },
  });
  const smoothingValue = el('span', { className: 'smoothing-value', text: settings.smoothing.toFixed(2) });
  let smoothTimer: number | undefined;
  smoothing.addEventListener('input', () => {
    smoothingValue.textContent = Number(smoothing.value).toFixed(2);
    window.clearTimeout(smoothTimer);
    smoothTimer = window.setTimeout(() => actions.change({ smoothing: Number(smoothing.value) }, 'data'), 80);
  });

  // Store strings (param and tag keys) go in as option text and values, never as markup.
  const current = settings.groupBy ?? '';
  const choices = current && !groupChoices.includes(current) ? [...groupChoices, current] : groupChoices;
  const groupBy = el('select', {
    attrs: { 'aria-label': 'Group runs by', name: 'groupBy' },
    children: [
      el('option', { text: 'None', attrs: { value: '', selected: current === '' } }),
      ...choices.map((choice) =>
        el('option', {
          text: choice.startsWith('param:') ? `param ${choice.slice(6)}` : `tag ${choice.slice(4)}`,
          attrs: { value: choice, selected: choice === current },
        }),
      ),
    ],
  });
  groupBy.addEventListener('change', () => actions.change({ groupBy: groupBy.value }, 'data'));

  const csv = el('button', { text: 'Export CSV', attrs: { type: 'button', title: 'Every point of the shown runs and metrics' } });
  csv.addEventListener('click', () => actions.exportCsv());
  const add = el('button', { text: 'Add Runs…', attrs: { type: 'button' } });
  add.addEventListener('click', () => actions.addRuns());

  return el('div', {
    className: 'toolbar',
    attrs: { role: 'toolbar', 'aria-label': 'Chart settings' },
    children: [
      filter,
      el('label', { children: [el('span', { text: 'X axis' }), xAxis] }),
      logY,
      el('label', { children: [el('span', { text: 'Smoothing' }), smoothing, smoothingValue] }),
      outliers,
      el('label', { children: [el('span', { text: 'Group by' }), groupBy] }),
      csv,
      add,
    ],
  });
}

export interface LegendActions {
  toggle(runId: string): void;
  remove(runId: string): void;
}

const LEGEND_SEARCH_FROM = 8;
let legendQuery = '';

/** One button per run (click or Enter toggles it), its full name as text, its params on hover. */
export function buildLegend(runs: readonly PanelRun[], hiddenRuns: readonly string[], actions: LegendActions): HTMLElement[] {
  const hidden = new Set(hiddenRuns);
  const items = runs.map((run) => {
    const swatch = el('span', { className: 'swatch' });
    swatch.style.background = run.color;
    const params = [...run.params.map(([k, v]) => `${k} = ${v}`), ...run.tags.map(([k, v]) => `tag ${k} = ${v}`)].join('\n');
    const item = el('button', {
      className: `legend-item${hidden.has(run.runId) ? ' hidden' : ''}`,
      attrs: {
        type: 'button',
        'data-run-id': run.runId,
        'aria-pressed': !hidden.has(run.runId) ? 'true' : 'false',
        title: `${run.name}\n${run.runId} · ${run.status}${params ? `\n\n${params}` : ''}`,
      },
      children: [swatch, el('span', { className: 'legend-name', text: run.name })],
    });
    item.addEventListener('click', () => actions.toggle(run.runId));
    const remove = el('button', {
      className: 'remove',
      text: '×',
      attrs: { type: 'button', title: `Remove ${run.name} from the charts`, 'aria-label': `Remove ${run.name}` },
    });
    remove.addEventListener('click', () => actions.remove(run.runId));
    const wrapper = el('span', { className: 'legend-entry', children: [item, remove] });
    wrapper.dataset.name = run.name.toLowerCase();
    return wrapper;
  });
  const apply = () => {
    for (const item of items) item.classList.toggle('hidden-element', !!legendQuery && !item.dataset.name!.includes(legendQuery));
  };
  if (runs.length < LEGEND_SEARCH_FROM) return items;
  const search = el('input', { attrs: { type: 'search', placeholder: 'Find a run', 'aria-label': 'Find a run in the legend', value: legendQuery } });
  search.addEventListener('input', () => {
    legendQuery = search.value.trim().toLowerCase();
    apply();
  });
  apply();
  return [search, ...items];
}
