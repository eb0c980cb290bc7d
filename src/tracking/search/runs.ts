/**
 * Run search: MLflow's filter language over runs (what `SearchUtils.filter` and `.sort` do for
 * MLflow's file store), compiled once into closures so that testing 10,000 runs is cheap.
 */
import type { Run, RunInfo } from '../types';
import {
  checkComparator,
  fail,
  integerValue,
  keyValue,
  NUMERIC_COMPARATORS,
  numberValue,
  pyList,
  pySet,
  splitIdent,
  stringValue,
  type SplitIdent,
} from './identifiers';
import { parseClauses, type RawClause } from './parser';
import type { OrderClause } from './runOrder';
import { isLowerPython, numberTest, stringTest } from './values';

export type RunConditionKind = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

/** One parsed condition; `key` is canonical (`created` → `start_time`, `Run Name` → `run_name`). */
export interface RunCondition {
  kind: RunConditionKind;
  key: string;
  /** Upper-case: = != < <= > >= LIKE ILIKE IN 'NOT IN' 'IS NULL' 'IS NOT NULL'. */
  comparator: string;
  /** A number for metrics and numeric attributes, a string, a list for IN, absent for IS [NOT] NULL. */
  value?: number | string | string[];
}

export interface RunMatchOptions {
  /**
   * How a NaN metric compares. 'nan' (default): as MLflow's file store, IEEE rules (NaN matches
   * only `!=`). 'zero': as MLflow's SQL stores, which keep NaN as 0 in the value column.
   */
  nanAs?: 'nan' | 'zero';
}

type RunTest = (run: Run, nanAsZero: boolean) => boolean;

/** A parsed run filter (AND of conditions). Parse once with `parseRunFilter`, test many runs. */
export interface RunFilter {
  readonly source: string;
  readonly conditions: readonly RunCondition[];
  /** The compiled test; `runMatches` is the friendly way to call it. */
  readonly test: RunTest;
}

export interface ReferencedKeys {
  metrics: Set<string>;
  params: Set<string>;
  tags: Set<string>;
  /** Canonical run attribute names (start_time, status, run_name ...). */
  attributes: Set<string>;
  /** True when the filter reads the run's dataset inputs (`datasets.name` ...). */
  datasets: boolean;
}

const ENTITY_ALIASES: Record<string, RunConditionKind> = {
  metric: 'metric',
  metrics: 'metric',
  parameter: 'param',
  parameters: 'param',
  param: 'param',
  params: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};
const ENTITY_NAMES = ['metric', 'parameter', 'tag', 'attribute', 'dataset'];
/** MLflow's words for each kind in its messages. */
const MLFLOW_KIND: Record<RunConditionKind, string> = {
  metric: 'metric',
  param: 'parameter',
  tag: 'tag',
  attribute: 'attribute',
  dataset: 'dataset',
};

export const ATTRIBUTE_ALIASES: Record<string, string> = {
  created: 'start_time',
  Created: 'start_time',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
};
const STRING_ATTRIBUTES = ['artifact_uri', 'run_id', 'run_name', 'status', 'user_id'];
const NUMERIC_ATTRIBUTES = ['end_time', 'start_time', 'created', 'Created'];
const SEARCH_ATTRIBUTES = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES, ...Object.keys(ATTRIBUTE_ALIASES)].filter((k, i, a) => a.indexOf(k) === i);
const DATASET_KEYS = ['name', 'digest', 'context'];
const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'];
const NULL_COMPARATORS = ['IS NULL', 'IS NOT NULL'];
const LIST_COMPARATORS = ['IN', 'NOT IN'];
const DATASET_CONTEXT_TAG = 'mlflow.data.context';

export function resolveKind(id: SplitIdent, input: string): RunConditionKind {
  if (id.entity === undefined) return 'attribute';
  const kind = ENTITY_ALIASES[id.entity];
  if (!kind) fail(`Invalid entity type '${id.entity}'. Valid values are ${pyList(ENTITY_NAMES)}`, id.entityPos, input);
  return kind;
}

export function latestMetric(run: Run, key: string): number | undefined {
  const metrics = run.data.metrics;
  if (!metrics) return undefined;
  for (let i = 0; i < metrics.length; i++) if (metrics[i].key === key) return metrics[i].value;
  return undefined;
}

function compileCondition(clause: RawClause, input: string): { condition: RunCondition; test: RunTest } {
  const id = splitIdent(clause.ident);
  const kind = resolveKind(id, input);
  const { comparator, value: raw } = clause;
  const isNullTest = NULL_COMPARATORS.includes(comparator);
  if (isNullTest && kind !== 'param' && kind !== 'tag') {
    fail(`IS NULL / IS NOT NULL is only supported for tags and params, not for '${MLFLOW_KIND[kind]}' '${id.key}'`, clause.comparatorPos, input);
  }
  let key = id.key;
  switch (kind) {
    case 'metric': {
      checkComparator(clause, NUMERIC_COMPARATORS, input, true);
      const value = numberValue(raw, 'Expected numeric value type for metric. Found ', input, clause.comparatorPos);
      const t = numberTest(comparator, value);
      return {
        condition: { kind, key, comparator, value },
        test: (run, nanAsZero) => {
          const v = latestMetric(run, key);
          if (v === undefined) return false;
          return t(nanAsZero && Number.isNaN(v) ? 0 : v);
        },
      };
    }
    case 'param':
    case 'tag': {
      checkComparator(clause, [...STRING_COMPARATORS, ...NULL_COMPARATORS], input);
      const read = kind === 'param' ? (run: Run) => keyValue(run.data.params, key) : (run: Run) => keyValue(run.data.tags, key);
      if (isNullTest) {
        const wantMissing = comparator === 'IS NULL';
        return { condition: { kind, key, comparator }, test: (run) => (read(run) === undefined) === wantMissing };
      }
      const value = stringValue(raw, MLFLOW_KIND[kind], input, clause.comparatorPos);
      const t = stringTest(comparator, value);
      return {
        condition: { kind, key, comparator, value },
        test: (run) => {
          const v = read(run);
          return v !== undefined && t(v);
        },
      };
    }
    case 'attribute': {
      if (!SEARCH_ATTRIBUTES.includes(key)) {
        fail(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(SEARCH_ATTRIBUTES)}'`, id.keyPos, input);
      }
      const numeric = NUMERIC_ATTRIBUTES.includes(key);
      key = ATTRIBUTE_ALIASES[key] ?? key;
      const field = key as keyof RunInfo;
      if (numeric) {
        checkComparator(clause, NUMERIC_COMPARATORS, input, true);
        const value = integerValue(raw, key, input, clause.comparatorPos);
        const t = numberTest(comparator, value);
        return {
          condition: { kind, key, comparator, value },
          test: (run) => {
            const v = run.info[field];
            return typeof v === 'number' && t(v);
          },
        };
      }
      checkComparator(clause, [...STRING_COMPARATORS, ...LIST_COMPARATORS], input);
      let value: string | string[];
      if (raw?.kind === 'list') {
        if (key !== 'run_id') {
          fail("Only the 'run_id' attribute supports comparison with a list of quoted string values.", raw.pos, input);
        }
        if (!LIST_COMPARATORS.includes(comparator)) fail(`Use IN or NOT IN to compare ${key} with a list`, clause.comparatorPos, input);
        // MLflow drops ids that are not lower case (run ids are lower-case hex).
        value = raw.values.filter(isLowerPython);
      } else {
        value = stringValue(raw, 'attributes', input, clause.comparatorPos);
      }
      const t = stringTest(comparator, value);
      return {
        condition: { kind, key, comparator, value },
        test: (run) => {
          const v = run.info[field];
          return typeof v === 'string' && t(v);
        },
      };
    }
    case 'dataset': {
      if (!DATASET_KEYS.includes(key)) {
        fail(`Invalid dataset key '${key}' specified. Valid keys are '${pySet(DATASET_KEYS)}'`, id.keyPos, input);
      }
      checkComparator(clause, [...STRING_COMPARATORS, ...LIST_COMPARATORS], input);
      let value: string | string[];
      if (raw?.kind === 'list') {
        if (!LIST_COMPARATORS.includes(comparator)) fail(`Use IN or NOT IN to compare datasets.${key} with a list`, clause.comparatorPos, input);
        value = raw.values;
      } else {
        value = stringValue(raw, 'dataset attributes', input, clause.comparatorPos);
      }
      const t = stringTest(comparator, value);
      const test: RunTest =
        key === 'context'
          ? (run) => {
              const inputs = run.inputs?.dataset_inputs;
              if (!inputs) return false;
              for (const di of inputs) {
                for (const tag of di.tags ?? []) if (tag.key === DATASET_CONTEXT_TAG && t(tag.value)) return true;
              }
              return false;
            }
          : (run) => {
              const inputs = run.inputs?.dataset_inputs;
              if (!inputs) return false;
              for (const di of inputs) {
                const v = key === 'name' ? di.dataset?.name : di.dataset?.digest;
                if (typeof v === 'string' && t(v)) return true;
              }
              return false;
            };
      return { condition: { kind, key, comparator, value }, test };
    }
  }
}

const MATCH_ALL: RunTest = () => true;

/** Parses a run filter. '' or undefined matches every run. Throws SearchSyntaxError. */
export function parseRunFilter(filter: string | undefined): RunFilter {
  const source = filter ?? '';
  if (source.trim() === '') return { source, conditions: [], test: MATCH_ALL };
  const compiled = parseClauses(source).map((c) => compileCondition(c, source));
  const tests = compiled.map((c) => c.test);
  let test: RunTest;
  if (tests.length === 1) test = tests[0];
  else if (tests.length === 2) {
    const [a, b] = tests;
    test = (run, z) => a(run, z) && b(run, z);
  } else {
    test = (run, z) => {
      for (let i = 0; i < tests.length; i++) if (!tests[i](run, z)) return false;
      return true;
    };
  }
  return { source, conditions: compiled.map((c) => c.condition), test };
}

export function runMatches(filter: RunFilter, run: Run, options?: RunMatchOptions): boolean {
  return filter.test(run, options?.nanAs === 'zero');
}

const KEY_SET_OF_KIND = { metric: 'metrics', param: 'params', tag: 'tags', attribute: 'attributes' } as const;

/** Which keys the filter and order_by read, so that a lazy store loads only those files. */
export function referencedKeys(filter: RunFilter, order: OrderClause[]): ReferencedKeys {
  const keys: ReferencedKeys = { metrics: new Set(), params: new Set(), tags: new Set(), attributes: new Set(), datasets: false };
  const add = (kind: RunConditionKind, key: string) => {
    if (kind === 'dataset') keys.datasets = true;
    else keys[KEY_SET_OF_KIND[kind]].add(key);
  };
  for (const c of filter.conditions) add(c.kind, c.key);
  for (const o of order) add(o.kind, o.key);
  return keys;
}
