/**
 * runs/search over a file store.
 *
 * What is read: every run's meta.yaml (the view type and MLflow's default order need it);
 * then, for each run, only the params/tags/latest metrics the filter names; then, for the
 * runs that passed, the keys only order_by names; and the whole run (all params, tags,
 * latest metrics, inputs, outputs) only for the page returned.
 */
import {
  decodePageToken,
  encodePageToken,
  parseOrderBy,
  parseRunFilter,
  referencedKeys,
  runMatches,
  sortRuns,
} from '../search';
import type { Run, SearchRunsRequest, ViewType } from '../types';
import { yieldNow, type Warn } from './fsRead';
import type { StoreLayout } from './layout';
import { inView, maxResults } from './requests';
import type { LoadedRun, RunReader } from './runs';

/** Runs examined between two turns of the event loop. */
const SLICE = 512;

/** MLflow's runs/search over the file store; see the module comment for what is read when. */
export async function searchRuns(layout: StoreLayout, runs: RunReader, warn: Warn, req: SearchRunsRequest): Promise<{ runs: Run[]; next_page_token?: string }> {
  const max = maxResults(req.max_results, 1000, 50_000);
  const filter = parseRunFilter(req.filter);
  const order = parseOrderBy(req.order_by);
  const offset = decodePageToken(req.page_token);
  // Two stages, so that order-only keys are read just for the runs that pass the filter.
  const filterKeys = referencedKeys(filter, []);
  const allKeys = referencedKeys(filter, order);
  const minus = (a: Set<string>, b: Set<string>) => [...a].filter((k) => !b.has(k));
  const orderOnly = {
    metrics: minus(allKeys.metrics, filterKeys.metrics),
    params: minus(allKeys.params, filterKeys.params),
    tags: minus(allKeys.tags, filterKeys.tags),
  };
  const orderNeedsData = orderOnly.metrics.length + orderOnly.params.length + orderOnly.tags.length > 0;

  const candidates = await listRuns(layout, runs, req.experiment_ids ?? [], req.run_view_type);
  let ranked: { run: LoadedRun; view: Run }[] = [];
  if (filter.conditions.length > 0) {
    for (let i = 0; i < candidates.length; i++) {
      if (i > 0 && i % SLICE === 0) await yieldNow();
      const run = candidates[i];
      try {
        const view = await runs.partial(run, filterKeys);
        if (filterKeys.datasets) view.inputs = runs.inputsOf(run);
        if (runMatches(filter, view)) ranked.push({ run, view });
      } catch (e) {
        warn(run.ref.dir, `run skipped: ${(e as Error).message}`);
      }
    }
  } else {
    ranked = candidates.map((run) => ({ run, view: { info: run.info, data: {} } }));
  }
  if (orderNeedsData || allKeys.attributes.has('run_name')) {
    for (let i = 0; i < ranked.length; i++) {
      if (i > 0 && i % SLICE === 0) await yieldNow();
      const r = ranked[i];
      try {
        const extra = await runs.partial(r.run, orderOnly);
        r.view.info = extra.info;
        (r.view.data.metrics ??= []).push(...extra.data.metrics!);
        (r.view.data.params ??= []).push(...extra.data.params!);
        (r.view.data.tags ??= []).push(...extra.data.tags!);
      } catch (e) {
        warn(r.run.ref.dir, `run skipped: ${(e as Error).message}`);
      }
    }
  }
  const byView = new Map(ranked.map((r) => [r.view, r.run]));
  const sorted = sortRuns(ranked.map((r) => r.view), order);
  const pageRuns = sorted.slice(offset, offset + max).map((view) => ({ run: byView.get(view)! }));
  const out: Run[] = [];
  for (let i = 0; i < pageRuns.length; i++) {
    if (i > 0 && i % 64 === 0) await yieldNow();
    try {
      out.push(await runs.full(pageRuns[i].run));
    } catch (e) {
      warn(pageRuns[i].run.ref.dir, `run skipped: ${(e as Error).message}`);
    }
  }
  const end = offset + max;
  return end < ranked.length ? { runs: out, next_page_token: encodePageToken(end) } : { runs: out };
}

/** Every readable run of the experiments in the view (meta.yaml only). */
async function listRuns(layout: StoreLayout, reader: RunReader, experimentIds: string[], view: ViewType | undefined): Promise<LoadedRun[]> {
  const out: LoadedRun[] = [];
  let n = 0;
  for (const id of new Set(experimentIds.map(String))) {
    const exp = layout.experiment(id);
    if (!exp) continue;
    for (const ref of layout.runs(exp)) {
      if (++n % SLICE === 0) await yieldNow();
      const run = reader.info(ref);
      if (run && inView(run.info.lifecycle_stage, view)) out.push(run);
    }
  }
  return out;
}
