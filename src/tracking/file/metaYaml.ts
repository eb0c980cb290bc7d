/**
 * Reading MLflow's `meta.yaml` files.
 *
 * MLflow writes them with PyYAML's `safe_dump`: one flat `key: value` line per field,
 * strings that could be mistaken for other types single-quoted. A store holds one per run,
 * so a 10,000-run store means 10,000 of them on the first listing; the `yaml` package takes
 * ~90 µs per file there, which alone would blow the first-page budget. So the common flat
 * shape is read by a small line parser, and anything it does not fully understand (nested
 * maps such as `aliases:`, block scalars, double quotes, comments, folded lines) goes to
 * the `yaml` package, which stays the reference.
 */
import YAML from 'yaml';

export type MetaValue = string | number | boolean | null | MetaValue[] | { [key: string]: MetaValue };
export type Meta = { [key: string]: MetaValue };

const INT = /^[-+]?[0-9]+$/;
/** Plain scalars the core schema would read as something other than a string or an int. */
const OTHER_TYPED = /^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0x[0-9a-fA-F]+|0o[0-7]+)$/;

/** Parses a meta.yaml text; throws with a readable message when it is not a YAML mapping. */
export function parseMetaYaml(text: string): Meta {
  const fast = parseFlat(text);
  if (fast) return fast;
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new Error(`invalid YAML: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  if (doc === null || doc === undefined) throw new Error('empty meta.yaml');
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('meta.yaml is not a mapping');
  return doc as Meta;
}

/** The flat subset; undefined when the text needs the full parser. */
function parseFlat(text: string): Meta | undefined {
  const out: Meta = {};
  let any = false;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const lineStart = start;
    let lineEnd = end;
    start = end + 1;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (lineEnd === lineStart) continue;
    // The key: [A-Za-z_][A-Za-z0-9_.-]*, then ':' and a space or the end of the line.
    // Anything else (indentation, comments, lists, directives, quoted keys) needs the full parser.
    let i = lineStart;
    const c0 = text.charCodeAt(i);
    if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95)) return undefined;
    for (i++; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45) continue;
      break;
    }
    if (i >= lineEnd || text.charCodeAt(i) !== 58 /* : */) return undefined;
    const key = text.slice(lineStart, i);
    let raw: string;
    if (i + 1 === lineEnd) {
      raw = '';
      // `key:` followed by indented or list lines is a nested block.
      const next = text.charCodeAt(start);
      if (start < n && (next === 32 || next === 45 || next === 9)) return undefined;
    } else {
      if (text.charCodeAt(i + 1) !== 32) return undefined;
      raw = text.slice(i + 2, lineEnd);
    }
    if (key in out) return undefined;
    const value = flatScalar(raw);
    if (value === undefined) return undefined;
    out[key] = value;
    any = true;
  }
  return any ? out : undefined;
}

function isDigits(raw: string, from: number): boolean {
  if (from >= raw.length) return false;
  for (let i = from; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function flatScalar(raw: string): MetaValue | undefined {
  if (raw.length === 0) return null;
  const c0 = raw.charCodeAt(0);
  if (c0 === 39 /* ' */) {
    if (raw.length < 2 || raw.charCodeAt(raw.length - 1) !== 39) return undefined;
    const body = raw.slice(1, -1);
    if (body.indexOf("'") < 0) return body;
    // A lone quote inside means the scalar continues on the next line or is malformed.
    if (body.replace(/''/g, '').includes("'")) return undefined;
    return body.replace(/''/g, "'");
  }
  if ((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43 || c0 === 46) {
    if (isDigits(raw, c0 === 45 || c0 === 43 ? 1 : 0)) {
      const v = Number(raw);
      return Number.isSafeInteger(v) ? v : undefined;
    }
    if (OTHER_TYPED.test(raw)) return undefined;
  }
  switch (raw) {
    case 'null':
    case '~':
    case 'Null':
    case 'NULL':
      return null;
    case '[]':
      return [];
    case '{}':
      return {};
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  // Characters that give a plain scalar a special meaning, or end it early.
  if (SPECIAL_START.has(c0) || raw.startsWith('- ') || raw.includes(' #') || raw.includes(': ') || raw.endsWith(':') || raw.charCodeAt(raw.length - 1) === 32)
    return undefined;
  return raw;
}

const SPECIAL_START = new Set([...'[]{}"&*!|>@`?,%#'].map((c) => c.charCodeAt(0)));

export function str(v: MetaValue | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function int(v: MetaValue | undefined): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && INT.test(v)) return Number(v);
  return undefined;
}

/** Sets the fields whose value meta.yaml gave (an absent field stays absent, as in MLflow's answers). */
export function assignDefined<T extends object>(target: T, values: { [K in keyof T]?: T[K] | undefined }): T {
  for (const [key, value] of Object.entries(values)) if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  return target;
}

/** A YAML mapping of string → string (tags, aliases) as MLflow's key/value list. */
export function keyValues(v: MetaValue | undefined): { key: string; value: string }[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
  const out: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(v)) out.push({ key, value: str(value) ?? '' });
  return out;
}
