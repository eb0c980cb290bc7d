import { SearchSyntaxError } from './errors';
import type { Token } from './lexer';
import { stripQuotes, type RawClause, type RawValue } from './parser';

/** An identifier split at its first dot, as MLflow does: `tags.mlflow.runName` → tags / mlflow.runName. */
export interface SplitIdent {
  /** Undefined for a bare name (`status`, `name`), which MLflow reads as an attribute. */
  entity?: string;
  entityPos: number;
  key: string;
  keyPos: number;
}

export function splitIdent(t: Token): SplitIdent {
  const parts = t.parts!;
  const partPos = t.partPos!;
  if (parts.length === 1) return { entityPos: t.pos, key: stripQuotes(parts[0]), keyPos: t.pos };
  const entity = parts[0].startsWith('`') && parts[0].endsWith('`') ? parts[0].slice(1, -1) : parts[0];
  const rawKey = t.text.slice(partPos[1] - t.pos);
  return { entity, entityPos: t.pos, key: stripQuotes(rawKey), keyPos: partPos[1] };
}

/** Splits an order_by key (quotes already removed) the same way. */
export function splitOrderKey(key: string, pos: number): SplitIdent {
  const dot = key.indexOf('.');
  if (dot < 0) return { entityPos: pos, key, keyPos: pos };
  const entity = key.slice(0, dot);
  return { entity: entity.replace(/^`(.*)`$/, '$1'), entityPos: pos, key: key.slice(dot + 1), keyPos: pos + dot + 1 };
}

/** Python's repr of a set of strings, sorted so that messages are stable. */
export function pySet(items: Iterable<string>): string {
  return `{${[...items]
    .sort()
    .map((s) => `'${s}'`)
    .join(', ')}}`;
}

export function pyList(items: readonly string[]): string {
  return `[${items.map((s) => `'${s}'`).join(', ')}]`;
}

/** MLflow's own order for the numeric comparator set (as in its recorded 400 answer). */
export const NUMERIC_COMPARATORS = ['>', '=', '<', '!=', '>=', '<='];
export const NUMERIC_COMPARATORS_TEXT = `{${NUMERIC_COMPARATORS.map((c) => `'${c}'`).join(', ')}}`;

export function fail(reason: string, pos: number, input: string): never {
  throw new SearchSyntaxError(reason, pos, input);
}

/** Checks the comparator against the allowed set, with MLflow's wording. */
export function checkComparator(clause: RawClause, allowed: readonly string[], input: string, numeric = false): void {
  if (!allowed.includes(clause.comparator)) {
    // Word for word MLflow's message, which has no closing quote for the numeric set.
    const set = numeric ? `${NUMERIC_COMPARATORS_TEXT}` : `${pySet(allowed)}'`;
    fail(`Invalid comparator '${clause.comparator}' not one of '${set}`, clause.comparatorPos, input);
  }
}

/** A string constant: single-quoted, or double-quoted (MLflow accepts both). */
export function stringValue(v: RawValue | undefined, what: string, input: string, pos: number): string {
  if (!v) return fail(`Expected a quoted string value for ${what}`, pos, input);
  if (v.kind === 'string') return v.value;
  if (v.kind === 'ident') {
    if (v.text.length >= 2 && v.text.startsWith('"') && v.text.endsWith('"')) {
      return v.text.slice(1, -1);
    }
    return fail(
      `Parameter value is either not quoted or unidentified quote types used for string value ${v.text}. Use either single or double quotes.`,
      v.pos,
      input,
    );
  }
  return fail(`Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${v.text}`, v.pos, input);
}

export function numberValue(v: RawValue | undefined, message: string, input: string, pos: number): number {
  if (v && v.kind === 'number') return v.value;
  return fail(`${message}${v ? v.text : ''}`, v ? v.pos : pos, input);
}

export function integerValue(v: RawValue | undefined, key: string, input: string, pos: number): number {
  const n = numberValue(v, `Expected numeric value type for numeric attribute: ${key}. Found `, input, pos);
  if (!Number.isSafeInteger(n)) fail(`Expected an integer (milliseconds since the epoch) for ${key}. Found ${v!.text}`, v!.pos, input);
  return n;
}

export function keyValue(tags: readonly { key: string; value: string }[] | undefined, key: string): string | undefined {
  if (!tags) return undefined;
  for (let i = 0; i < tags.length; i++) if (tags[i].key === key) return tags[i].value;
  return undefined;
}
