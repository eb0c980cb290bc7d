/**
 * Experiment, registered-model and model-version search: MLflow's SearchExperimentsUtils,
 * SearchModelUtils and SearchModelVersionUtils (name, tags and a few attributes).
 */
import type { Experiment, KeyValue, ModelVersion, RegisteredModel } from '../types';
import {
  checkComparator,
  fail,
  keyValue,
  NUMERIC_COMPARATORS,
  numberValue,
  pySet,
  splitIdent,
  splitOrderKey,
  stringValue,
  type SplitIdent,
} from './identifiers';
import { parseClauses, parseOrderByString, type RawClause } from './parser';
import { compareStrings, isLowerPython, numberTest, stringTest } from './values';

type Kind = 'attribute' | 'tag';

interface Dialect<T> {
  /** Attribute keys that take strings, with how to read them. */
  stringAttributes: Record<string, (x: T) => string | undefined>;
  numericAttributes: Record<string, (x: T) => number | undefined>;
  /** Comparators for string attributes (MLflow: model versions have IN but not NOT IN). */
  stringComparators: string[];
  tags: (x: T) => KeyValue[] | undefined;
  /** Experiments accept tags IS NULL / IS NOT NULL. */
  tagNullTests: boolean;
  /** Registry: a missing `mlflow.prompt.is_prompt` tag counts as 'false'. */
  promptTag: boolean;
  /** The word MLflow's messages use for the valid entity types. */
  entityTypes: readonly string[];
}

const ENTITY: Record<string, Kind> = { attribute: 'attribute', attributes: 'attribute', tag: 'tag', tags: 'tag' };
const IS_PROMPT_TAG = 'mlflow.prompt.is_prompt';

function resolveKind(id: SplitIdent, input: string, entityTypes: readonly string[]): Kind {
  if (id.entity === undefined) return 'attribute';
  const kind = ENTITY[id.entity];
  if (!kind) {
    fail(`Invalid entity type '${id.entity}'. Valid entity types are (${entityTypes.map((e) => `'${e}'`).join(', ')})`, id.entityPos, input);
  }
  return kind;
}

function compileClause<T>(d: Dialect<T>, clause: RawClause, input: string): (x: T) => boolean {
  const id = splitIdent(clause.ident);
  const kind = resolveKind(id, input, d.entityTypes);
  const key = id.key;
  const { comparator, value: raw } = clause;
  if (kind === 'tag') {
    const nullTests = d.tagNullTests ? ['IS NULL', 'IS NOT NULL'] : [];
    checkComparator(clause, ['=', '!=', 'LIKE', 'ILIKE', ...nullTests], input);
    if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') {
      const wantMissing = comparator === 'IS NULL';
      return (x) => (keyValue(d.tags(x), key) === undefined) === wantMissing;
    }
    const value = stringValue(raw, 'tag', input, clause.comparatorPos);
    const t = stringTest(comparator, value);
    const missing = d.promptTag && key === IS_PROMPT_TAG ? (comparator === '=' && value === 'false') || (comparator === '!=' && value === 'true') : false;
    return (x) => {
      const v = keyValue(d.tags(x), key);
      return v === undefined ? missing : t(v);
    };
  }
  const valid = [...Object.keys(d.stringAttributes), ...Object.keys(d.numericAttributes)];
  if (!valid.includes(key)) fail(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(valid)}'`, id.keyPos, input);
  if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') {
    fail(`IS NULL / IS NOT NULL is only supported for tags, not for attribute '${key}'`, clause.comparatorPos, input);
  }
  const readNumber = d.numericAttributes[key];
  if (readNumber) {
    checkComparator(clause, NUMERIC_COMPARATORS, input, true);
    // MLflow converts the constant with int()/float(), so a quoted number is accepted too.
    let value: number;
    if (raw?.kind === 'string' && /^\s*-?\d+\s*$/.test(raw.value)) value = Number(raw.value);
    else value = numberValue(raw, `Expected numeric value type for numeric attribute: ${key}. Found `, input, clause.comparatorPos);
    const t = numberTest(comparator, value);
    return (x) => {
      const v = readNumber(x);
      return typeof v === 'number' && t(v);
    };
  }
  const read = d.stringAttributes[key];
  checkComparator(clause, d.stringComparators, input);
  let value: string | string[];
  if (raw?.kind === 'list') {
    if (key !== 'run_id') fail("Only the 'run_id' attribute supports comparison with a list of quoted string values.", raw.pos, input);
    if (comparator !== 'IN' && comparator !== 'NOT IN') fail(`Use IN to compare ${key} with a list`, clause.comparatorPos, input);
    value = raw.values.filter(isLowerPython);
  } else {
    value = stringValue(raw, 'attributes', input, clause.comparatorPos);
  }
  const t = stringTest(comparator, value);
  return (x) => {
    const v = read(x);
    return typeof v === 'string' && t(v);
  };
}

function compileFilter<T>(d: Dialect<T>, filter: string | undefined): (x: T) => boolean {
  const source = filter ?? '';
  if (source.trim() === '') return () => true;
  const tests = parseClauses(source).map((c) => compileClause(d, c, source));
  return (x) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i](x)) return false;
    return true;
  };
}

const EXPERIMENT_DIALECT: Dialect<Experiment> = {
  stringAttributes: { name: (e) => e.name },
  numericAttributes: { creation_time: (e) => e.creation_time, last_update_time: (e) => e.last_update_time },
  stringComparators: ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'],
  tags: (e) => e.tags,
  tagNullTests: true,
  promptTag: false,
  entityTypes: ['attribute', 'tag', 'tags'],
};

const REGISTERED_MODEL_DIALECT: Dialect<RegisteredModel> = {
  stringAttributes: { name: (m) => m.name },
  numericAttributes: {},
  stringComparators: ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'],
  tags: (m) => m.tags,
  tagNullTests: false,
  promptTag: true,
  entityTypes: ['attribute', 'tag', 'tags'],
};

const MODEL_VERSION_DIALECT: Dialect<ModelVersion> = {
  stringAttributes: { name: (v) => v.name, run_id: (v) => v.run_id, source_path: (v) => v.source },
  numericAttributes: { version_number: (v) => (v.version === undefined ? undefined : Number(v.version)) },
  stringComparators: ['=', '!=', 'LIKE', 'ILIKE', 'IN'],
  tags: (v) => v.tags,
  tagNullTests: false,
  promptTag: true,
  entityTypes: ['attribute', 'tag', 'tags'],
};

/** Experiments by name, tags, creation_time and last_update_time. Throws SearchSyntaxError. */
export function parseExperimentFilter(filter?: string): (e: Experiment) => boolean {
  return compileFilter(EXPERIMENT_DIALECT, filter);
}

export function parseRegisteredModelFilter(filter?: string): (m: RegisteredModel) => boolean {
  return compileFilter(REGISTERED_MODEL_DIALECT, filter);
}

/** Model versions by name, version_number, run_id, source_path and tags; MLflow's deleted versions never match. */
export function parseModelVersionFilter(filter?: string): (v: ModelVersion) => boolean {
  const test = compileFilter(MODEL_VERSION_DIALECT, filter);
  return (v) => v.current_stage !== 'Deleted_Internal' && test(v);
}

type Key<T> = { read: (x: T) => string | number | undefined; ascending: boolean };

function compileOrder<T>(orderBy: string[], fields: Record<string, (x: T) => string | number | undefined>): { key: string; sort: Key<T> }[] {
  return orderBy.map((entry) => {
    const raw = parseOrderByString(entry);
    const id = splitOrderKey(raw.key, raw.keyPos);
    const kind = resolveKind(id, entry, ['attribute', 'tag', 'tags']);
    if (kind !== 'attribute') fail(`Invalid order_by entity: ${kind}`, id.entityPos, entry);
    const valid = Object.keys(fields);
    if (!fields[id.key]) fail(`Invalid attribute key '${id.key}' specified. Valid keys are '${pySet(valid)}'`, id.keyPos, entry);
    return { key: id.key, sort: { read: fields[id.key], ascending: raw.ascending } };
  });
}

/** Missing values last in either direction, as MLflow's sorters do. */
/** The order_by keys, then `tiebreak` unless order_by names it, then `last` (MLflow's fixed final key, if any). */
function orderThenTiebreak<T>(
  orderBy: string[],
  fields: Record<string, (x: T) => string | number | undefined>,
  tiebreak: string,
  ascending: boolean,
  last?: Key<T>,
): (a: T, b: T) => number {
  const parsed = compileOrder(orderBy, fields);
  const keys = parsed.map((p) => p.sort);
  if (!parsed.some((p) => p.key === tiebreak)) keys.push({ read: fields[tiebreak], ascending });
  if (last) keys.push(last);
  return comparator(keys);
}

function comparator<T>(keys: Key<T>[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const k of keys) {
      const va = k.read(a);
      const vb = k.read(b);
      if (va === undefined || vb === undefined) {
        if (va === vb) continue;
        return va === undefined ? 1 : -1;
      }
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : compareStrings(String(va), String(vb));
      if (c !== 0) return k.ascending ? c : -c;
    }
    return 0;
  };
}

const EXPERIMENT_FIELDS: Record<string, (e: Experiment) => string | number | undefined> = {
  name: (e) => e.name,
  experiment_id: (e) => e.experiment_id,
  creation_time: (e) => e.creation_time,
  last_update_time: (e) => e.last_update_time,
};

/** MLflow's experiment order; without order_by its file store uses creation_time DESC, experiment_id ASC. */
export function parseExperimentOrderBy(orderBy?: string[]): (a: Experiment, b: Experiment) => number {
  const entries = orderBy && orderBy.length > 0 ? orderBy : ['creation_time DESC', 'experiment_id ASC'];
  return orderThenTiebreak(entries, EXPERIMENT_FIELDS, 'experiment_id', false);
}

const MODEL_FIELDS: Record<string, (m: RegisteredModel) => string | number | undefined> = {
  name: (m) => m.name,
  creation_timestamp: (m) => m.creation_timestamp,
  last_updated_timestamp: (m) => m.last_updated_timestamp,
};

/** MLflow's registered-model order: the given keys, then name ascending. */
export function parseRegisteredModelOrderBy(orderBy?: string[]): (a: RegisteredModel, b: RegisteredModel) => number {
  return orderThenTiebreak(orderBy ?? [], MODEL_FIELDS, 'name', true);
}

const VERSION_FIELDS: Record<string, (v: ModelVersion) => string | number | undefined> = {
  name: (v) => v.name,
  version_number: (v) => (v.version === undefined ? undefined : Number(v.version)),
  creation_timestamp: (v) => v.creation_timestamp,
  last_updated_timestamp: (v) => v.last_updated_timestamp,
};

/** MLflow's model-version order: the given keys, then name ascending, then version descending. */
export function parseModelVersionOrderBy(orderBy?: string[]): (a: ModelVersion, b: ModelVersion) => number {
  return orderThenTiebreak(orderBy ?? [], VERSION_FIELDS, 'name', true, { read: VERSION_FIELDS.version_number, ascending: false });
}
