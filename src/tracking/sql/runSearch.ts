/**
 * Run search over MLflow's SQL schema, following MLflow's SQL store. What translates exactly into
 * SQL (runQuery.ts) is done there, paging included; the rest of a filter (LIKE, ILIKE, datasets)
 * is tested with the shared search module over the rows SQL returns, with NaN compared as 0
 * (MLflow's SQL store compares the stored `value` column, where NaN is 0; the file store never
 * matches NaN: a deliberate difference, the one MLflow itself has). Sorting is SQL's: for a
 * metric, param or tag, rows without the key sort last and NaN metrics just before them,
 * whichever the direction; ties by start_time DESC, then run id. Only the page's runs are then
 * loaded in full.
 */
import { decodePageToken, encodePageToken, parseOrderBy, parseRunFilter, referencedKeys, runMatches } from '../search';
import type { Run, SearchRunsRequest, ViewType } from '../types';
import { placeholders, type SqlConnection, type SqlValue } from './connection';
import { compareSql } from './runOrder';
import { tryBuildRunQuery } from './runQuery';
import { attachDatasets, checkMaxResults, FULL_RUN, loadRuns, RUN_COLUMNS } from './rows';

export const STAGES: Record<ViewType, string[]> = {
  ACTIVE_ONLY: ['active'],
  DELETED_ONLY: ['deleted'],
  ALL: ['active', 'deleted'],
};

export interface RunSearchContext {
  db: SqlConnection;
  tables: Set<string>;
  /** Let SQL filter, sort and page where it can (default); tests turn it off to check the other path. */
  pushdown: boolean;
}

export async function searchRuns({ db, tables, pushdown }: RunSearchContext, req: SearchRunsRequest): Promise<{ runs: Run[]; next_page_token?: string }> {
  const maxResults = checkMaxResults(req.max_results, 1000, 50_000);
  const filter = parseRunFilter(req.filter);
  const order = parseOrderBy(req.order_by);
  const offset = decodePageToken(req.page_token);
  const expIds = (req.experiment_ids ?? []).map((id) => Number(id)).filter((n) => Number.isInteger(n));
  if (expIds.length === 0) return { runs: [] };
  const stages = STAGES[req.run_view_type ?? 'ACTIVE_ONLY'];
  const query = pushdown ? tryBuildRunQuery(db.dialect, expIds, stages, filter.conditions, order) : undefined;

  let pageIds: SqlValue[];
  let more: boolean;
  if (query?.exact) {
    // SQL applies the whole filter and order: it pages too.
    const ids = (await db.all(`${query.idsSql} LIMIT ? OFFSET ?`, [...query.params, maxResults + 1, offset])).map((r) => r.run_uuid);
    more = ids.length > maxResults;
    pageIds = ids.slice(0, maxResults);
  } else if (query) {
    // SQL has sorted and narrowed; the search module decides the conditions SQL could not.
    const candidates = (await db.all(query.candidatesSql, query.params)).map(query.partialRun);
    if (filter.conditions.some((c) => c.kind === 'dataset')) await attachDatasets(db, tables, candidates);
    const matched = candidates.filter((r) => runMatches(filter, r, { nanAs: 'zero' }));
    more = offset + maxResults < matched.length;
    pageIds = matched.slice(offset, offset + maxResults).map((r) => r.info.run_id);
  } else {
    const rows = await db.all(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE experiment_id IN (${placeholders(expIds.length)}) AND lifecycle_stage IN (${placeholders(stages.length)})`,
      [...expIds, ...stages],
    );
    const keys = referencedKeys(filter, order);
    const candidates = await loadRuns(db, tables, rows, { keys, datasets: keys.datasets, models: false, modelInputs: false });
    const matched = filter.conditions.length > 0 ? candidates.filter((r) => runMatches(filter, r, { nanAs: 'zero' })) : candidates;
    matched.sort(compareSql(order, db.dialect.nullsFirstAscending));
    more = offset + maxResults < matched.length;
    pageIds = matched.slice(offset, offset + maxResults).map((r) => r.info.run_id);
  }
  // The page's runs in full, in the page's order.
  const runs = await loadRuns(db, tables, { ids: pageIds.map(String) }, { ...FULL_RUN, modelInputs: false });
  return { runs, next_page_token: more ? encodePageToken(offset + maxResults) : undefined };
}
