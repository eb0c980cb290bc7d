/**
 * runs/search over a file store, answered from the run index (runIndex.ts).
 *
 * What is read: the first search of an experiment reads every run's meta.yaml (the view type
 * and MLflow's default order need it), unless the store's watcher read them when it started; then, for each run, only the params/tags/latest metrics
 * the filter names; then, for the runs that passed, the keys only order_by names; and the whole
 * run (all params, tags, latest metrics, inputs, outputs) only for the page returned. The index
 * keeps all of it and reads the other runs whole in the background afterwards, so a later
 * search reads only what changed (runIndex.ts says what is checked when).
 */
import { decodePageToken, encodePageToken, parseOrderBy, parseRunFilter, referencedKeys, runMatches, sortByRun } from '../search';
import type { Run, SearchRunsRequest } from '../types';
import { yieldNow, type Warn } from './fsRead';
import type { StoreLayout } from './layout';
import { inView, maxResults } from './requests';
import type { IndexedRun, RunIndex } from './runIndex';

/** Page runs read between two turns of the event loop. */
const PAGE_SLICE = 64;

/** MLflow's runs/search over the file store; see the module comment for what is read when. */
export async function searchRuns(layout: StoreLayout, index: RunIndex, warn: Warn, req: SearchRunsRequest): Promise<{ runs: Run[]; next_page_token?: string }> {
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
    runName: allKeys.attributes.has('run_name') && !filterKeys.attributes.has('run_name'),
  };

  // The runs of the page are checked against their meta.yaml before they are returned; one
  // that changed (deleted, renamed, finished elsewhere) makes the search start again.
  type Candidate = { expDir: string; entry: IndexedRun };
  let candidates: Candidate[];
  let page: Candidate[];
  const searched: string[] = [];
  for (let attempt = 0; ; attempt++) {
    candidates = [];
    searched.length = 0;
    for (const id of new Set((req.experiment_ids ?? []).map(String))) {
      const exp = layout.experiment(id);
      if (!exp) continue;
      searched.push(exp.dir);
      let entries = index.runsOf(exp).filter((e) => inView(e.loaded!.info.lifecycle_stage, req.run_view_type));
      if (filter.conditions.length > 0) {
        const keys = { ...filterKeys, runName: filterKeys.attributes.has('run_name') };
        entries = (await index.ensure(exp.dir, entries, keys)).filter((e) => runMatches(filter, e.view));
      }
      // A run whose order keys cannot be read stays, sorted as if it lacked them (a warning says why).
      await index.ensure(exp.dir, entries, orderOnly);
      for (const entry of entries) candidates.push({ expDir: exp.dir, entry });
    }
    page = sortByRun(candidates, (c) => c.entry.view, order).slice(offset, offset + max);
    // Bounded: a store rewritten faster than it is searched is answered as last read (the background check follows).
    if (attempt >= 2 || !index.recheck(page)) break;
  }
  const out: Run[] = [];
  let reads = 0;
  for (let i = 0; i < page.length; i++) {
    // Only runs read from disk count: a page the index holds is copied without a turn of the
    // event loop, so that background work (the index's reading and check) does not land inside it.
    if (!page[i].entry.whole && ++reads % PAGE_SLICE === 0) await yieldNow();
    try {
      out.push(await index.wholeRun(page[i].expDir, page[i].entry));
    } catch (e) {
      warn(page[i].entry.ref.dir, `run skipped: ${(e as Error).message}`);
    }
  }
  // The rest of each experiment's runs is read in the background, for the next search, and
  // checked against their meta.yaml once the searches pause.
  for (const dir of searched) {
    index.prefetch(dir);
    index.checkLater(dir);
  }
  const end = offset + max;
  return end < candidates.length ? { runs: out, next_page_token: encodePageToken(end) } : { runs: out };
}
