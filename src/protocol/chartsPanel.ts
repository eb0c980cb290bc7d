/**
 * Messages between the charts panel (extension host) and its webview. Both sides import
 * this module; it has no `vscode` import. Series data travels as typed arrays (VS Code
 * transfers their bytes), already cut to what the chart's pixel width can show.
 */

import { isFiniteNumber, isString, isStringList, messageFields } from './guards';
export const CHARTS_VIEW_TYPE = 'mlflow.charts';

export type XAxis = 'step' | 'time' | 'relative';

export interface ChartSettings {
  xAxis: XAxis;
  logY: boolean;
  /** The EMA weight, 0 (off) to 0.99. */
  smoothing: number;
  ignoreOutliers: boolean;
  /** Over metric keys: a substring, or `/regex/`. */
  filter: string;
  /** Runs the user hid from the legend. */
  hiddenRuns: string[];
  /** Metric keys whose step-range table is shown. */
  tables: string[];
  /** `param:<key>` or `tag:<key>`: one line (mean) and a min–max band per group of runs; absent or empty: one line per run. */
  groupBy?: string;
}

export const DEFAULT_SETTINGS: ChartSettings = {
  xAxis: 'step',
  logY: false,
  smoothing: 0,
  ignoreOutliers: false,
  filter: '',
  hiddenRuns: [],
  tables: [],
};

export interface PanelRun {
  runId: string;
  experimentId: string;
  name: string;
  /** `#rrggbb`, from the run id (`src/charts/colors.ts`). */
  color: string;
  status: string;
  startTime?: number;
  params: [string, string][];
  tags: [string, string][];
}

/** What the page saves with `setState`, and the panel serializer gets back after a reload. */
export interface ChartsPanelState {
  storeUri: string;
  runs: { run_id: string; experiment_id: string; run_name: string }[];
  /** When opened from a metric node: only these keys. */
  metrics?: string[];
  settings: ChartSettings;
}

/** One run's kept points on the chart's slot grid (only the slots it has a point in). */
export interface SeriesSlice {
  runId: string;
  /** Slot index of each kept point, ascending. */
  slots: Uint32Array;
  /** Values of those points (at the edge slots: the line's value at the range's edge). */
  y: Float64Array;
  /** The smoothed line, bucketed on the same grid, when smoothing is on. */
  smooth?: { slots: Uint32Array; y: Float64Array };
  /** Points of this run in the range, and non-finite values not drawn. */
  inRange: number;
  nonFinite: number;
}

/** A group of runs (same value of the grouping param or tag), aggregated per pixel column (`src/charts/groups.ts`). */
export interface GroupSlice {
  /** The value the runs share, or "(none)". */
  label: string;
  runIds: string[];
  /** `#rrggbb`, from the label. */
  color: string;
  /** One slot per column that has a value, ascending. */
  slots: Uint32Array;
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** When smoothing is on: the mean of the runs' smoothed lines, on the same slots (the band stays raw). */
  smoothMean?: Float64Array;
}

/** A run's statistics over the zoomed range. */
export interface RangeStatsRow {
  runId: string;
  count: number;
  last: number;
  min: number;
  max: number;
  /** The x (step or time) where the min and the max are first reached. */
  minAt: number;
  maxAt: number;
  mean: number;
}

/** The page's first screen, measured before it has any chart: its plot width in CSS pixels, and how many charts fit its window. */
export interface FirstScreen {
  columns: number;
  charts: number;
}

export type HostToCharts =
  | {
      type: 'init';
      title: string;
      runs: PanelRun[];
      metrics: string[];
      settings: ChartSettings;
      storeUri: string;
      pinnedMetrics?: string[];
      /** Charts whose series follow unasked (request id 0; one `seriesBatch`, or a `series` each), bucketed for `columns` (`src/charts/firstScreen.ts`). */
      pushed?: { metrics: string[]; columns: number };
      /** Those of the pushed charts' series the host had read already: drawn with the page's layout, no message later. */
      series?: ChartSeries[];
    }
  | ChartSeries
  /** The first screen's charts answered unasked, in one message: one delivery and one frame for them all. */
  | { type: 'seriesBatch'; series: ChartSeries[] }
  | { type: 'metricsChanged'; metrics: string[]; runs: PanelRun[] }
  | { type: 'dataChanged'; metrics: string[] }
  | { type: 'progress'; message: string | null }
  | { type: 'error'; message: string; retry: boolean }
  | { type: 'theme'; kind: string };

/** One chart's series: every shown run bucketed on the chart's pixel columns. */
interface ChartSeries {
  type: 'series';
  requestId: number;
  metric: string;
  xAxis: XAxis;
  /** The x range the slots cover (the zoom, or all the data). */
  range: [number, number] | null;
  zoomed: boolean;
  /** The x of every slot of the grid, shared by the runs. */
  slots: Float64Array;
  runs: SeriesSlice[];
  /** Total points of the shown runs in the range, and how many are drawn. */
  total: number;
  drawn: number;
  /** The 5th–95th percentile of every value, when "ignore outliers" is on. */
  clip?: [number, number];
  stats?: RangeStatsRow[];
  /** When the request grouped the runs: the groups, drawn instead of the runs' lines. */
  groups?: GroupSlice[];
  /** Drawn from a tracking server's sample of some runs while their full history is read (a fuller answer follows). */
  sampled?: boolean;
}

export interface SeriesRequest {
  type: 'requestSeries';
  requestId: number;
  metric: string;
  xAxis: XAxis;
  /** null: all the data. */
  range: [number, number] | null;
  /** The plot's width in CSS pixels: one bucket per column. */
  columns: number;
  smoothing: number;
  ignoreOutliers: boolean;
  withStats: boolean;
  hiddenRuns: string[];
  groupBy?: string;
}

export type ChartsToHost =
  | { type: 'ready'; firstScreen?: FirstScreen }
  | SeriesRequest
  | { type: 'settings'; settings: ChartSettings }
  | { type: 'exportCsv'; metrics: string[] }
  | { type: 'savePng'; metric: string; dataUrl: string }
  | { type: 'copyText'; text: string; what: string }
  | { type: 'addRuns' }
  | { type: 'removeRun'; runId: string }
  | { type: 'retry' };

const isNumber = isFiniteNumber;

export function isChartSettings(value: unknown): value is ChartSettings {
  const s = value as Partial<ChartSettings> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    (s.xAxis === 'step' || s.xAxis === 'time' || s.xAxis === 'relative') &&
    typeof s.logY === 'boolean' &&
    isNumber(s.smoothing) &&
    typeof s.ignoreOutliers === 'boolean' &&
    isString(s.filter) &&
    isStringList(s.hiddenRuns) &&
    isStringList(s.tables) &&
    (s.groupBy === undefined || isString(s.groupBy))
  );
}

function isFirstScreen(value: unknown): value is FirstScreen {
  const s = value as Partial<FirstScreen> | null;
  return typeof s === 'object' && s !== null && isNumber(s.columns) && s.columns > 0 && isNumber(s.charts) && s.charts >= 0;
}

/** Checks what a webview posted before the host acts on it. */
export function isChartsToHost(value: unknown): value is ChartsToHost {
  const m = messageFields(value);
  if (!m) return false;
  switch (m.type) {
    case 'ready':
      return m.firstScreen === undefined || isFirstScreen(m.firstScreen);
    case 'retry':
    case 'addRuns':
      return true;
    case 'requestSeries':
      return (
        isNumber(m.requestId) &&
        isString(m.metric) &&
        (m.xAxis === 'step' || m.xAxis === 'time' || m.xAxis === 'relative') &&
        (m.range === null || (Array.isArray(m.range) && m.range.length === 2 && m.range.every(isNumber))) &&
        isNumber(m.columns) &&
        isNumber(m.smoothing) &&
        typeof m.ignoreOutliers === 'boolean' &&
        typeof m.withStats === 'boolean' &&
        isStringList(m.hiddenRuns) &&
        (m.groupBy === undefined || isString(m.groupBy))
      );
    case 'settings':
      return isChartSettings(m.settings);
    case 'exportCsv':
      return isStringList(m.metrics);
    case 'savePng':
      return isString(m.metric) && isString(m.dataUrl) && m.dataUrl.startsWith('data:image/png;base64,');
    case 'copyText':
      return isString(m.text) && isString(m.what);
    case 'removeRun':
      return isString(m.runId);
    default:
      return false;
  }
}
