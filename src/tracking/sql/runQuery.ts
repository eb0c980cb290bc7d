/**
 * Run search as SQL, the way MLflow's SQL store builds it, for the parts that translate exactly:
 * - conditions on latest metrics (=, !=, <, <=, >, >= on the stored value, so NaN counts as 0),
 *   on params and tags (=, !=, IS [NOT] NULL), and on run attributes (=, != and comparisons on
 *   columns; `run_id IN (...)`) become inner joins / column tests;
 * - order_by clauses become LEFT JOINs ordered like MLflow: a NaN metric after every value and
 *   a missing key after that, whatever the direction; NULL attributes where the database puts
 *   them (first ascending in SQLite and MySQL, last in PostgreSQL); ties by start_time DESC, then
 *   run id;
 * - string comparisons the way MLflow makes them per dialect (case-sensitive on MySQL too).
 * Conditions that do not translate exactly (LIKE, ILIKE, datasets) only add a necessary
 * condition (the key exists) and are left to the search module over the rows SQL returns.
 */
import type { OrderClause, RunCondition } from '../search';
import type { KeyValue, Run, RunInfo } from '../types';
import { placeholders, type Row, type SqlDialect, type SqlValue } from './connection';
import { metricValue } from './rows';

export interface RunQuery {
  /** `SELECT <run columns> FROM runs r ... ORDER BY ...`, no LIMIT. */
  sql: string;
  /** The same, selecting only `run_uuid` (several times faster when SQL sorts 10,000 rows for a page). */
  idsSql: string;
  params: SqlValue[];
  /** True when SQL alone applies the whole filter: paging can then be done by SQL too. */
  exact: boolean;
  /**
   * For the search module, when not exact: run ids, the attributes the filter reads, and the
   * value of each filtered metric/param/tag (from its join), in SQL's order.
   */
  candidatesSql: string;
  /** Builds the part of a run the filter reads from one `candidatesSql` row. */
  partialRun(row: Row): Run;
}

interface FilterJoin {
  alias: string;
  kind: 'metric' | 'param' | 'tag';
  key: string;
}

const COLUMNS = 'r.run_uuid, r.name, r.user_id, r.status, r.start_time, r.end_time, r.lifecycle_stage, r.artifact_uri, r.experiment_id';

/** Run attributes by the search module's canonical names. */
const ATTRIBUTE_COLUMNS: Record<string, string> = {
  run_id: 'run_uuid',
  run_uuid: 'run_uuid',
  run_name: 'name',
  status: 'status',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
  start_time: 'start_time',
  end_time: 'end_time',
  lifecycle_stage: 'lifecycle_stage',
  experiment_id: 'experiment_id',
};

const SQL_COMPARATORS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const TABLES = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

export function buildRunQuery(
  dialect: SqlDialect,
  experimentIds: number[],
  stages: string[],
  conditions: readonly RunCondition[],
  order: readonly OrderClause[],
): RunQuery | undefined {
  const where: string[] = [`r.experiment_id IN (${placeholders(experimentIds.length)})`, `r.lifecycle_stage IN (${placeholders(stages.length)})`];
  const whereParams: SqlValue[] = [...experimentIds, ...stages];
  const filterJoins: string[] = [];
  const filterParams: SqlValue[] = [];
  const joined: FilterJoin[] = [];
  const attributes = new Set<string>();
  let exact = true;

  for (const c of conditions) {
    if (c.kind === 'dataset') {
      exact = false;
      continue;
    }
    if (c.kind === 'attribute') {
      const column = ATTRIBUTE_COLUMNS[c.key];
      attributes.add(c.key);
      if (column && SQL_COMPARATORS.has(c.comparator) && !Array.isArray(c.value) && c.value !== undefined) {
        if (typeof c.value === 'string' && (c.comparator === '=' || c.comparator === '!=')) {
          const t = dialect.compareText(`r.${column}`, c.comparator);
          where.push(t.sql);
          for (let i = 0; i < t.uses; i++) whereParams.push(c.value);
        } else {
          where.push(`r.${column} ${c.comparator} ?`);
          whereParams.push(c.value);
        }
      } else if (column && (c.comparator === 'IN' || c.comparator === 'NOT IN') && Array.isArray(c.value) && c.value.length > 0) {
        where.push(`r.${column} ${c.comparator} (${placeholders(c.value.length)})`);
        whereParams.push(...c.value);
      } else {
        exact = false;
      }
      continue;
    }
    const table = TABLES[c.kind];
    // (key, run_uuid) is the primary key of these tables: an inner join keeps one row per run.
    const alias = `f${filterJoins.length}`;
    const keyTest = dialect.compareText(`${alias}."key"`, '=');
    const keyParams = new Array<SqlValue>(keyTest.uses).fill(c.key);
    const join = `JOIN ${table} ${alias} ON ${alias}.run_uuid = r.run_uuid AND ${keyTest.sql}`;
    if (c.comparator !== 'IS NULL') joined.push({ alias, kind: c.kind, key: c.key });
    if (c.comparator === 'IS NULL') {
      const xKey = dialect.compareText('x."key"', '=');
      where.push(`NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.run_uuid = r.run_uuid AND ${xKey.sql})`);
      for (let i = 0; i < xKey.uses; i++) whereParams.push(c.key);
    } else if (
      SQL_COMPARATORS.has(c.comparator) &&
      c.value !== undefined &&
      !Array.isArray(c.value) &&
      (c.kind === 'metric' || c.comparator === '=' || c.comparator === '!=')
    ) {
      if (c.kind === 'metric') {
        filterJoins.push(`${join} AND ${alias}.value ${c.comparator} ?`);
        filterParams.push(...keyParams, c.value);
      } else {
        const t = dialect.compareText(`${alias}.value`, c.comparator as '=' | '!=');
        filterJoins.push(`${join} AND ${t.sql}`);
        filterParams.push(...keyParams, ...new Array<SqlValue>(t.uses).fill(c.value));
      }
    } else {
      // IS NOT NULL is exactly "the key exists"; LIKE / ILIKE also need it, and the search module decides the rest.
      filterJoins.push(join);
      filterParams.push(...keyParams);
      if (c.comparator !== 'IS NOT NULL') exact = false;
    }
  }

  const joins: string[] = [];
  const joinParams: SqlValue[] = [];
  const orderBy: string[] = [];
  order.forEach((clause, i) => {
    const dir = clause.ascending ? 'ASC' : 'DESC';
    if (clause.kind === 'attribute') {
      const column = ATTRIBUTE_COLUMNS[clause.key];
      if (!column) throw new UntranslatableOrder();
      orderBy.push(`r.${column} ${dir}`);
      return;
    }
    const alias = `o${i}`;
    const table = TABLES[clause.kind];
    const keyTest = dialect.compareText(`${alias}."key"`, '=');
    joins.push(`LEFT JOIN ${table} ${alias} ON ${alias}.run_uuid = r.run_uuid AND ${keyTest.sql}`);
    for (let k = 0; k < keyTest.uses; k++) joinParams.push(clause.key);
    orderBy.push(
      clause.kind === 'metric'
        ? `CASE WHEN ${dialect.isTrue(`${alias}.is_nan`)} THEN 1 WHEN ${alias}.value IS NULL THEN 2 ELSE 0 END, ${alias}.value ${dir}`
        : `CASE WHEN ${alias}.value IS NULL THEN 1 ELSE 0 END, ${alias}.value ${dir}`,
    );
  });
  if (!order.some((c) => c.kind === 'attribute' && ATTRIBUTE_COLUMNS[c.key] === 'start_time')) orderBy.push('r.start_time DESC');
  orderBy.push('r.run_uuid');

  const from = `FROM runs r ${[...filterJoins, ...joins].join(' ')} WHERE ${where.join(' AND ')} ORDER BY ${orderBy.join(', ')}`;
  const attributeColumns = [...attributes].filter((a) => ATTRIBUTE_COLUMNS[a]).map((a) => `r.${ATTRIBUTE_COLUMNS[a]} AS a_${a}`);
  const valueColumns = joined.flatMap((j) =>
    j.kind === 'metric' ? [`${j.alias}.value AS ${j.alias}_v`, `${j.alias}.is_nan AS ${j.alias}_n`] : [`${j.alias}.value AS ${j.alias}_v`],
  );
  return {
    sql: `SELECT ${COLUMNS} ${from}`,
    idsSql: `SELECT r.run_uuid ${from}`,
    candidatesSql: `SELECT ${['r.run_uuid', ...attributeColumns, ...valueColumns].join(', ')} ${from}`,
    params: [...filterParams, ...joinParams, ...whereParams],
    exact,
    partialRun: (row) => {
      const id = String(row.run_uuid);
      const info: Record<string, unknown> = { run_id: id, run_uuid: id };
      for (const a of attributes) {
        const v = row[`a_${a}`];
        if (v !== null && v !== undefined) info[a] = typeof v === 'bigint' ? Number(v) : v;
      }
      const data: Required<Run['data']> = { metrics: [], params: [], tags: [] };
      for (const j of joined) {
        const list = j.kind === 'metric' ? data.metrics : j.kind === 'param' ? data.params : data.tags;
        if (list.some((x) => x.key === j.key)) continue;
        if (j.kind === 'metric') data.metrics.push({ key: j.key, value: metricValue(row[`${j.alias}_v`], row[`${j.alias}_n`]), timestamp: 0, step: 0 });
        else (list as KeyValue[]).push({ key: j.key, value: String(row[`${j.alias}_v`]) });
      }
      return { info: info as unknown as RunInfo, data };
    },
  };
}

export class UntranslatableOrder extends Error {}

/** buildRunQuery, or undefined when an order_by clause has no SQL equivalent here. */
export function tryBuildRunQuery(...args: Parameters<typeof buildRunQuery>): RunQuery | undefined {
  try {
    return buildRunQuery(...args);
  } catch (e) {
    if (e instanceof UntranslatableOrder) return undefined;
    throw e;
  }
}
