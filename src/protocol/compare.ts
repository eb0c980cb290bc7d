/**
 * Messages between the extension and the compare and sweep webviews. Both sides import
 * this module; it has no `vscode` import. What a page posts is checked with the `is…`
 * guards before the extension acts on it.
 */
import type { BestDirection, CompareTable } from '../compare/rows';
import { isString, isStringList, messageFields } from './guards';

export const COMPARE_VIEW_TYPE = 'mlflow.compare';
export const SWEEP_VIEW_TYPE = 'mlflow.sweep';

/** Extension → compare page. */
export type CompareToPage =
  | {
      type: 'table';
      /** The comparison itself, which the page saves so a reloaded window reopens it. */
      request: { storeUri: string; runs: ComparePageState['runs'] };
      table: CompareTable;
      /** Best-value direction per metric key, as the user chose it (others: the page's guess). */
      directions: Record<string, BestDirection>;
      /** Min and max are still being read from the metric histories. */
      loadingStats: boolean;
      /** A run in the table is running: the table refreshes by itself. */
      live: boolean;
    }
  | { type: 'error'; message: string };

/** Compare page → extension. */
export type CompareFromPage =
  | { type: 'ready' }
  | { type: 'setDirection'; metric: string; direction: BestDirection }
  | { type: 'copy'; format: 'markdown' | 'csv'; rowIds: string[]; order: number[] }
  | { type: 'reveal'; runId: string };

/** What the compare page saves (`setState`), so a reloaded window opens the same comparison. */
export interface ComparePageState {
  storeUri: string;
  runs: { run_id: string; experiment_id: string; run_name: string }[];
  onlyDiffs?: boolean;
  filter?: string;
  sortRowId?: string;
  sortDescending?: boolean;
}

const isIndexList = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => Number.isInteger(n) && n >= 0);

export function isCompareFromPage(message: unknown): message is CompareFromPage {
  const m = messageFields(message);
  if (!m) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'setDirection':
      return isString(m.metric) && (m.direction === 'lower' || m.direction === 'higher');
    case 'copy':
      return (m.format === 'markdown' || m.format === 'csv') && isStringList(m.rowIds) && isIndexList(m.order);
    case 'reveal':
      return isString(m.runId);
    default:
      return false;
  }
}

export type SweepMode = 'parallel' | 'scatter';

/** One column of values for every run: numbers as numbers, text as text, null for missing. */
export type SweepColumn = (string | number | null)[];

/** Extension → sweep page. */
export type SweepToPage =
  | {
      type: 'data';
      mode: SweepMode;
      storeUri: string;
      experimentId: string;
      experimentName: string;
      /** The Runs view's filter the runs were searched with; '' for none. */
      filter: string;
      runIds: string[];
      runNames: string[];
      /** Keyed `params.<key>` and `metrics.<key>`. */
      columns: Record<string, SweepColumn>;
      /** More runs matched than were loaded. */
      truncated: boolean;
    }
  | { type: 'error'; message: string }
  | { type: 'theme' };

/** Sweep page → extension: what to do with the runs kept by a brush or a box. */
export type SweepFromPage = { type: 'ready' } | { type: 'compare' | 'plot' | 'select'; runIds: string[] } | { type: 'reveal'; runId: string };

export interface SweepPageState {
  storeUri: string;
  experimentId: string;
  mode: SweepMode;
  axes?: string[];
  x?: string;
  y?: string;
  color?: string;
  /** Numeric axes the user switched to a log scale. */
  logAxes?: string[];
}

export function isSweepFromPage(message: unknown): message is SweepFromPage {
  const m = messageFields(message);
  if (!m) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'compare':
    case 'plot':
    case 'select':
      return isStringList(m.runIds);
    case 'reveal':
      return isString(m.runId);
    default:
      return false;
  }
}
