/**
 * MLflow's SQL-store run order in JavaScript, for runs already loaded (the store's path when SQL
 * does not sort): for a metric, param or tag, runs without the key sort last and NaN metrics just
 * before them, whichever the direction; NULL attributes where the dialect puts them (SQLite's and
 * MySQL's NULL is the smallest value, PostgreSQL's the largest); ties by start_time DESC, then run id.
 */
import type { OrderClause } from '../search';
import type { Run } from '../types';

type SortValue = { rank: number; value: number | string | undefined };

function sortValue(run: Run, clause: OrderClause, nullsFirstAscending: boolean): SortValue {
  switch (clause.kind) {
    case 'metric': {
      const m = run.data.metrics?.find((x) => x.key === clause.key);
      if (!m) return { rank: 2, value: undefined };
      return Number.isNaN(m.value) ? { rank: 1, value: undefined } : { rank: 0, value: m.value };
    }
    case 'param':
    case 'tag': {
      const list = clause.kind === 'param' ? run.data.params : run.data.tags;
      const v = list?.find((x) => x.key === clause.key)?.value;
      return v === undefined ? { rank: 1, value: undefined } : { rank: 0, value: v };
    }
    case 'attribute': {
      const key = clause.key === 'run_uuid' ? 'run_id' : clause.key;
      const v = (run.info as unknown as Record<string, unknown>)[key];
      const first = clause.ascending === nullsFirstAscending;
      return v === undefined || v === null ? { rank: first ? -1 : 1, value: undefined } : { rank: 0, value: v as number | string };
    }
  }
}

export function compareSql(order: OrderClause[], nullsFirstAscending = true): (a: Run, b: Run) => number {
  const clauses = [...order];
  if (!clauses.some((c) => c.kind === 'attribute' && c.key === 'start_time')) {
    clauses.push({ kind: 'attribute', key: 'start_time', ascending: false });
  }
  clauses.push({ kind: 'attribute', key: 'run_id', ascending: true });
  return (a, b) => {
    for (const clause of clauses) {
      const x = sortValue(a, clause, nullsFirstAscending);
      const y = sortValue(b, clause, nullsFirstAscending);
      if (x.rank !== y.rank) return x.rank - y.rank;
      if (x.value === undefined || y.value === undefined || x.value === y.value) continue;
      const lt = x.value < y.value;
      return (lt ? -1 : 1) * (clause.ascending ? 1 : -1);
    }
    return 0;
  };
}
