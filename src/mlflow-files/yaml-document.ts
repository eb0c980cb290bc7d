// A parsed YAML document with the position arithmetic the rules and the language server need.
// Positions are 0-based lines and UTF-16 characters, like LSP (JS string offsets are UTF-16 already).
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Pair, type Tags, type YAMLMap } from 'yaml';
import type { Position, Range, ValueAt } from './types';
import { pyyamlProblems, pyyamlRepair, type PyyamlProblem } from './pyyaml-compat';
import { parseInBlocks, type YamlBlockCache } from './yaml-blocks';
import { upperBound } from '../sorted/bounds';

/** Where an offset sits in the document tree: the key path, and whether it is on a key or a value. */
export interface NodePath {
  /** Keys (strings for mapping keys, numbers for sequence indexes) from the root to the innermost node. */
  path: (string | number)[];
  /**
   * `key`: the offset is on the last mapping key of `path`; `value`: inside the value at `path`;
   * `none`: outside every node (an empty document, a blank line at the top level).
   */
  on: 'key' | 'value' | 'none';
  /** The innermost node containing the offset (a key scalar when `on === 'key'`). */
  node?: Node;
  /** The mapping pair whose key or value holds the offset, when there is one. */
  pair?: Pair;
}

export interface ParsedYaml {
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The file looks like a Jinja/cookiecutter template (`{% … %}`, `{{ cookiecutter.… }}`). */
  templated: boolean;
  /** Syntax PyYAML (MLflow's reader) rejects although the `yaml` package accepts it, at original offsets. */
  pyyamlProblems: PyyamlProblem[];
  /** Range of a node's own text (not its trailing comment or line break); a zero range at 0:0 for undefined. */
  rangeOf(node: Node | null | undefined): Range;
  rangeOfOffsets(start: number, end: number): Range;
  offsetAt(position: Position): number;
  positionAt(offset: number): Position;
  nodePathAt(offset: number): NodePath;
  /** The root mapping, if the document's top level is a mapping. */
  rootMap(): YAMLMap | undefined;
}

/**
 * True when the text is a Jinja/cookiecutter template rather than a finished file: a `{% … %}` tag,
 * `{{ cookiecutter.… }}`, or a `{{ name }}` expression with the spaces Jinja style uses. A bare `{{x}}`
 * is not enough: in a `command` it is str.format's escape for a literal brace.
 */
export function looksTemplated(text: string): boolean {
  return /\{%-?\s/.test(text) || /\{\{-?\s*cookiecutter\./.test(text) || /\{\{-? [\w.|' ()]+ -?\}\}/.test(text);
}

/** Re-use of an earlier parse of the same document (editors): see yaml-blocks.ts. */
export interface IncrementalParse {
  cache: YamlBlockCache;
  /** A top-level key whose mapping is cut into blocks as well (`entry_points`). */
  nestedKey?: string;
}

// MLflow reads with PyYAML: YAML 1.1 scalars (`yes`, timestamps, `3.10` as 3.1), duplicate keys allowed
// (the last one wins), so neither is a load error here.
export const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: false, version: '1.1', customTags: pyyamlTags } as const;

export function parseYaml(text: string, incremental?: IncrementalParse): ParsedYaml {
  const blocks = incremental ? parseInBlocks(text, PARSE_OPTIONS, incremental.cache, incremental.nestedKey) : undefined;
  let doc: Document.Parsed;
  let lineCounter: LineCounter;
  if (blocks) ({ doc, lineCounter } = blocks);
  else {
    lineCounter = new LineCounter();
    doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
  }
  const lineStarts = computeLineStarts(text);
  if (doc.errors.length) {
    // Indentation PyYAML ignores (inside quotes and brackets) may be all that is wrong: read it as MLflow does.
    const repair = pyyamlRepair(text);
    const repaired = repair ? parseDocument(repair.text, PARSE_OPTIONS) : undefined;
    if (repair && repaired && !repaired.errors.length) {
      visit(repaired, {
        Node(_, node) {
          if (node.range) node.range = [repair.toOriginal(node.range[0]), repair.toOriginal(node.range[1]), repair.toOriginal(node.range[2])];
        },
      });
      doc = repaired;
      lineCounter = new LineCounter();
      for (const start of lineStarts) lineCounter.addNewLine(start);
    }
  }
  // On the original text: a tab the repair re-indented away is still one PyYAML rejects inside brackets.
  const problems = pyyamlProblems(text);

  const positionAt = (offset: number): Position => {
    const clamped = Math.max(0, Math.min(offset, text.length));
    const low = upperBound(lineStarts, clamped) - 1;
    return { line: low, character: clamped - lineStarts[low] };
  };
  const offsetAt = (position: Position): number => {
    if (position.line < 0) return 0;
    if (position.line >= lineStarts.length) return text.length;
    const lineStart = lineStarts[position.line];
    let lineEnd = position.line + 1 < lineStarts.length ? lineStarts[position.line + 1] : text.length;
    // Like LSP: a character past the end of the line means the end of the line, before its break.
    if (lineEnd > lineStart && text[lineEnd - 1] === '\n') lineEnd--;
    if (lineEnd > lineStart && text[lineEnd - 1] === '\r') lineEnd--;
    return Math.max(lineStart, Math.min(lineStart + Math.max(0, position.character), lineEnd));
  };
  const rangeOfOffsets = (start: number, end: number): Range => ({ start: positionAt(start), end: positionAt(end) });
  const rangeOf = (node: Node | null | undefined): Range => {
    if (!node || !node.range) return rangeOfOffsets(0, 0);
    return rangeOfOffsets(node.range[0], trimEnd(text, node.range[0], node.range[1]));
  };

  return {
    text,
    doc,
    lineCounter,
    templated: looksTemplated(text),
    pyyamlProblems: problems,
    rangeOf,
    rangeOfOffsets,
    offsetAt,
    positionAt,
    nodePathAt: (offset) => nodePathAt(doc.contents as Node | null, offset, (a, b) => positionAt(a).line === positionAt(b).line),
    rootMap: () => (isMap(doc.contents) ? doc.contents : undefined),
  };
}

// The yaml package's YAML 1.1 schema is a little wider than PyYAML's resolver, which is what MLflow
// uses: PyYAML reads `y`/`n` as strings, and a float needs a dot (`1e3` is a string; `1.0e+3` a float).
const PYYAML_TESTS: [RegExp, RegExp][] = [
  [/^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/, /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/],
  [/^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/, /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/],
  [/^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*[eE][-+][0-9]+|\.[0-9][0-9_]*[eE][-+][0-9]+)$/],
  [/^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/],
];

function pyyamlTags(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag !== 'object' || !('test' in tag) || !(tag.test instanceof RegExp)) return tag;
    const replacement = PYYAML_TESTS.find(([theirs]) => theirs.source === (tag.test as RegExp).source);
    return replacement ? ({ ...tag, test: replacement[1] } as typeof tag) : tag;
  }) as Tags;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') < 0) {
    // The usual case, found by the engine's string search rather than a loop over every character.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

// Block scalars and some collections include the trailing line break in their value range.
function trimEnd(text: string, start: number, end: number): number {
  let e = Math.min(end, text.length);
  while (e > start && (text[e - 1] === '\n' || text[e - 1] === '\r' || text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
  return e;
}

function contains(node: Node | null | undefined, offset: number): boolean {
  return !!node && !!node.range && node.range[0] <= offset && offset <= node.range[1];
}

function nodePathAt(root: Node | null, offset: number, sameLine: (a: number, b: number) => boolean): NodePath {
  const path: (string | number)[] = [];
  if (!root || !contains(root, offset)) return { path, on: 'none' };
  let node: Node = root;
  let pair: Pair | undefined;
  const on: NodePath['on'] = 'value';
  for (;;) {
    if (isMap(node)) {
      let next: Node | undefined;
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = item.key as Node | null;
        const value = item.value as Node | null;
        if (key && contains(key, offset)) {
          path.push(keyText(key));
          return { path, on: 'key', node: key, pair: item };
        }
        if (value && contains(value, offset)) {
          path.push(keyText(key));
          pair = item;
          next = value;
          break;
        }
        // Between `key:` and its value (or where an empty value would go), on the key's line.
        if (key && key.range && offset >= key.range[1] && (!value || !value.range || offset < value.range[0]) && sameLine(key.range[1], offset)) {
          path.push(keyText(key));
          return { path, on: 'value', node: value ?? undefined, pair: item };
        }
      }
      if (!next) return { path, on, node, pair };
      node = next;
      continue;
    }
    if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item as Node, offset));
      if (index < 0) return { path, on, node, pair };
      path.push(index);
      node = node.items[index] as Node;
      pair = undefined;
      continue;
    }
    return { path, on, node, pair };
  }
}

/** The text of a mapping key as MLflow would see it (PyYAML stringifies nothing; we do, for paths). */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return '';
  // A complex key (`? {a: 1}`): stringifying it runs toJSON, which can throw (bad merges, aliases).
  try {
    return String(key);
  } catch {
    return '?';
  }
}

/** A mapping key that a later key of the same name overrides: PyYAML keeps the last value. */
export interface DuplicateKey {
  key: string;
  range: Range;
  /** Range of the key that wins. */
  winner: Range;
}

/**
 * The pairs PyYAML keeps: of keys that are equal as Python values, the last. The others are added to
 * `duplicates` (with the key that wins), so that the rules can say MLflow ignores them.
 */
export function lastOfEachKey(parsed: ParsedYaml, map: YAMLMap, duplicates: DuplicateKey[]): Pair[] {
  const pairs = pairsOf(map);
  if (pairs.length < 2) return pairs;
  const last = new Map<string, Pair>();
  for (const pair of pairs) last.set(keyIdentity(pair.key), pair);
  if (last.size === pairs.length) return pairs;
  return pairs.filter((pair) => {
    const winner = last.get(keyIdentity(pair.key))!;
    if (winner === pair) return true;
    duplicates.push({ key: keyText(pair.key), range: parsed.rangeOf(pair.key as Node), winner: parsed.rangeOf(winner.key as Node) });
    return false;
  });
}

/** A kept entry of a mapping with what every MLproject/MLmodel field reader needs of it. */
export interface KeptEntry {
  key: string;
  keyRange: Range;
  value: Node | null;
  pair: Pair;
}

/** `lastOfEachKey`, each pair with its key text, key range and value node. */
export function keptEntries(parsed: ParsedYaml, map: YAMLMap, duplicates: DuplicateKey[]): KeptEntry[] {
  return lastOfEachKey(parsed, map, duplicates).map((pair) => ({
    key: keyText(pair.key),
    keyRange: parsed.rangeOf(pair.key as Node),
    value: pair.value as Node | null,
    pair,
  }));
}

/** Every top-level key in document order (duplicates included), for the unknown-key rules. */
export function topLevelKeysOf(parsed: ParsedYaml, root: YAMLMap): ValueAt<string>[] {
  return pairsOf(root).map((pair) => ({ value: keyText(pair.key), range: parsed.rangeOf(pair.key as Node) }));
}

/** Equal for keys Python's dict treats as one (`true` and `1` are the same key; `1` and `'1'` are not). */
function keyIdentity(key: unknown): string {
  if (!isScalar(key)) return `node:${keyText(key)}`;
  const value = key.value;
  if (typeof value === 'boolean') return `number:${value ? 1 : 0}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `number:${String(value)}`;
  if (value === null || value === undefined) return 'null';
  return `${typeof value}:${String(value)}`;
}

/** Pairs of a mapping, skipping anything odd (merge keys are plain pairs in the yaml package). */
export function pairsOf(map: YAMLMap): Pair[] {
  return map.items.filter((item): item is Pair => !!item && typeof item === 'object' && 'key' in item);
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  // PyYAML keeps the last of duplicate keys.
  let found: Pair | undefined;
  for (const pair of pairsOf(map)) if (keyText(pair.key) === key) found = pair;
  return found;
}

/** The plain JS value of a node, as `yaml.safe_load` would give it (close enough for the rules). */
export function jsValue(node: Node | null | undefined): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return node.value;
  if (isMap(node) || isSeq(node)) {
    try {
      return node.toJSON();
    } catch {
      return null;
    }
  }
  return null;
}
