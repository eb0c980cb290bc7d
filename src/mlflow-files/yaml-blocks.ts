// Incremental parsing for editors. An MLproject (or MLmodel) is a mapping of independent top-level keys, and
// `entry_points` a mapping of independent entry points; the `yaml` package needs ~0.1 ms per entry point, so
// re-parsing 500 of them after each keystroke costs more than everything else together. Here the text is cut
// at the lines where such a key starts, each block is parsed on its own at its real offset (so the ranges are
// the document's), and blocks whose text was parsed before are taken from a cache. The pieces are joined into
// one Document with the same nodes, values and ranges a full parse gives.
//
// Any doubt falls back to the full parse (returns undefined): directives or document markers, a lone CR, a
// line at the top that does not start a plain key, a block that does not parse cleanly into a mapping (an
// alias to another block, an unterminated quote or flow collection cut at a block edge). Where a full parse
// would let one key's nodes reach into the next (a comment after nested lines, a key with an empty value),
// the two stay in one block. Comments are the one thing that can attach to a different node than in a full
// parse; nothing here reads them. test/mlflow-files/incremental.test.ts compares both parses.
//
// A block that moved is shifted in place, so a model parsed with a cache is valid until the next parse with
// the same cache (an editor needs only the current version's).
import {
  Composer,
  Document,
  isMap,
  isScalar,
  LineCounter,
  Parser,
  YAMLMap,
  type DocumentOptions,
  type Node,
  type Pair,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';
import { readBlockFast } from './yaml-fast-blocks';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

export interface ParsedBlock {
  /** Offset the block was parsed at; its nodes' ranges are absolute for this offset. */
  start: number;
  /** The block's key/value pairs, in order. */
  pairs: Pair[];
  /** Range of the mapping holding the pairs (for an entry-point block, as the value of a key). */
  mapRange: [number, number, number];
  /** The composed document's range (the first block's gives the whole document's start). */
  docRange: [number, number, number];
  /** Line starts the parser reported inside the block, relative to the block's start. */
  newlines: number[];
}

export type BlockKind = 'top' | 'header' | 'inner';

// An entry-point block is parsed as the value of this key, so that comments and blank lines at its end are
// given to the same nodes as in the whole document (the `yaml` package hands trailing comments to the
// innermost open collection, which depends on the nesting).
const WRAPPER = 'x:\n';

/**
 * Parsed blocks of one document (one per open editor document), keyed by their text. Each parse keeps
 * only the blocks the current text has, so the cache never holds more than one version's worth.
 */
export class YamlBlockCache {
  /**
   * What callers derive from a block's nodes (the MLproject model of an entry point), keyed by a node of
   * the block. A block re-used unchanged keeps its nodes, so their derived data stays valid as long as the
   * block starts on the same line (positions are lines and characters).
   */
  readonly derived = new WeakMap<object, { line: number; value: unknown }>();
  // One map per kind of block, keyed by the block's text as it is (a key built by concatenation would copy it).
  private blocks = emptyMaps();
  private next = emptyMaps();

  /**
   * The block with ranges for `start`, from the cache or parsed now; undefined if it does not parse cleanly.
   * A cached block that moved is shifted in place (cheaper than copying its nodes): the nodes of the previous
   * parse belong to the current one, and the previous model must not be used after it.
   */
  take(text: string, start: number, options: Options, kind: BlockKind): ParsedBlock | undefined {
    const used = this.next[kind].get(text);
    let block = used ?? this.blocks[kind].get(text);
    if (block && block.start !== start && used) block = undefined; // the same text twice in one document
    if (!block) {
      block = parseBlock(text, start, options, kind);
      if (!block) return undefined;
    } else if (block.start !== start) {
      shiftInPlace(block, start);
    }
    if (!used) this.next[kind].set(text, block);
    return block;
  }

  /** Called after a parse: blocks not used by it are dropped. */
  commit(): void {
    this.blocks = this.next;
    this.next = emptyMaps();
  }

  /** Called when a parse fell back to the full parser. */
  abandon(): void {
    this.next = emptyMaps();
  }
}

function emptyMaps(): Record<BlockKind, Map<string, ParsedBlock>> {
  return { top: new Map(), header: new Map(), inner: new Map() };
}

/**
 * The hand-written reader reaches into the `yaml` package's internals (hence its exact version pin);
 * `MLFLOW_YAML_FAST_PATH=0` or `setFastBlockReader(false)` sends every block through the `yaml`
 * package instead, for a user who meets a difference and for the tests that compare the two.
 */
let fastBlockReader = process.env.MLFLOW_YAML_FAST_PATH !== '0';

export function setFastBlockReader(on: boolean): void {
  fastBlockReader = on;
}

function parseBlock(text: string, start: number, options: Options, kind: BlockKind): ParsedBlock | undefined {
  if (kind !== 'header' && fastBlockReader) {
    // A copy, not a slice of the document: the block's strings outlive this version of the text.
    const fast = readBlockFast(detach(text), start, options, kind === 'inner' ? start - WRAPPER.length : undefined);
    if (fast) return { start, ...fast };
  }
  return parseBlockWithYaml(text, start, options, kind);
}

/** The block parsed by the `yaml` package (what readBlockFast must agree with). */
export function parseBlockWithYaml(text: string, start: number, options: Options, kind: BlockKind): ParsedBlock | undefined {
  // A copy, not a slice of the document: the block's strings outlive this version of the text.
  const source = kind === 'inner' ? WRAPPER + text : detach(text);
  const offset = start - (source.length - text.length);
  const newlines: number[] = [];
  // Only line starts inside the block: the one at its start belongs to the line before (or is the
  // document's first, which the parser reports at offset 0 only).
  const parser = new Parser((at) => {
    if (at > start) newlines.push(at - start);
  });
  // Tokens (and so node ranges and error positions) count from the parser's offset.
  parser.offset = offset;
  const composer = new Composer(options);
  const docs = [...composer.compose(parser.parse(source), true, start + text.length)];
  if (docs.length !== 1) return undefined;
  const doc = docs[0] as Document.Parsed;
  if (doc.errors.length || doc.warnings.length || doc.directives?.docStart) return undefined;
  let map = doc.contents as Node | null;
  if (!isMap(map) || map.flow || map.tag || map.anchor || !map.items.length) return undefined;
  if (kind === 'inner') {
    if (map.items.length !== 1) return undefined;
    map = (map.items[0] as Pair).value as Node | null;
    if (!isMap(map) || map.flow || map.tag || map.anchor || !map.items.length) return undefined;
  }
  const pairs = map.items as Pair[];
  if (!pairs.every((pair) => isScalar(pair.key))) return undefined;
  if (kind === 'header') {
    // `entry_points:` with nothing after it: the value comes from the entry-point blocks.
    const value = pairs[0].value as Node | null;
    if (pairs.length !== 1 || !isScalar(value) || value.value !== null || value.source !== '' || value.tag || value.anchor) return undefined;
  }
  return { start, pairs, mapRange: map.range!, docRange: doc.range, newlines };
}

/**
 * A string that shares no memory with the one it came from. V8 keeps a slice of a string as a view of the
 * whole; a cached block holding such views would keep every version of a large document it came from.
 */
export function detach(text: string): string {
  return (' ' + text).slice(1);
}

function shiftInPlace(block: ParsedBlock, start: number): void {
  const delta = start - block.start;
  for (const pair of block.pairs) {
    shiftNode(pair.key as Node | null, delta);
    shiftNode(pair.value as Node | null, delta);
  }
  const move = ([a, b, c]: [number, number, number]): [number, number, number] => [a + delta, b + delta, c + delta];
  block.mapRange = move(block.mapRange);
  block.docRange = move(block.docRange);
  block.start = start;
}

function shiftNode(node: Node | null | undefined, delta: number): void {
  if (!node || typeof node !== 'object') return;
  const range = node.range as [number, number, number] | undefined | null;
  if (range) {
    range[0] += delta;
    range[1] += delta;
    range[2] += delta;
  }
  const items = (node as { items?: unknown[] }).items;
  if (!Array.isArray(items)) return;
  for (const item of items) {
    if (item && typeof item === 'object' && 'key' in item) {
      shiftNode((item as Pair).key as Node | null, delta);
      shiftNode((item as Pair).value as Node | null, delta);
    } else shiftNode(item as Node, delta);
  }
}

interface Cut {
  start: number;
  end: number;
  /** Key lines at the cut's indentation (more than one when a cut was not safe between them). */
  keys: number;
}

type LineKind = 'blank' | 'comment' | 'key' | 'deeper' | 'odd';

/** What a line is at the blocks' indentation `indent`. */
function lineKind(text: string, lineStart: number, indent: number): LineKind {
  let i = lineStart;
  while (text.charCodeAt(i) === 32) i++;
  const c = text[i];
  if (c === undefined || c === '\n' || c === '\r') return 'blank';
  if (c === '#') return 'comment';
  const column = i - lineStart;
  if (column > indent) return 'deeper';
  // Less indented than the blocks (but inside them), a tab, or not a plain key: not the shape handled here.
  if (column < indent || c === '\t' || '-?:,[]{}&*!|>%@`\'"'.includes(c)) return 'odd';
  return 'key';
}

function nextLine(text: string, lineStart: number, to: number): number {
  const newline = text.indexOf('\n', lineStart);
  return newline < 0 || newline >= to ? to : newline + 1;
}

/**
 * Cuts `text[from, to)` into blocks opening at key lines indented by `indent`; the first block starts at
 * `from`. No cut follows a comment that comes after deeper lines: the `yaml` package gives such a comment
 * to the open nested collection (its range grows), which a block parsed alone would not see. Nor one that
 * follows a key with an empty value, whose (null) node reaches to the next token in a full parse.
 */
function cutBlocks(text: string, from: number, to: number, indent: number): Cut[] | undefined {
  const cuts: Cut[] = [];
  let current: Cut = { start: from, end: to, keys: 0 };
  let lastContentDeeper = false;
  let lastContentOpen = false;
  let commentSince = false;
  for (let lineStart = from; lineStart < to; lineStart = nextLine(text, lineStart, to)) {
    const kind = lineKind(text, lineStart, indent);
    if (kind === 'odd') return undefined;
    if (kind === 'blank') continue;
    if (kind === 'comment') {
      commentSince = true;
      continue;
    }
    if (kind === 'key') {
      if (current.keys > 0 && !(commentSince && lastContentDeeper) && !lastContentOpen) {
        current.end = lineStart;
        cuts.push(current);
        current = { start: lineStart, end: to, keys: 0 };
      }
      current.keys++;
    }
    lastContentDeeper = kind === 'deeper';
    lastContentOpen = endsWithColon(text, lineStart, nextLine(text, lineStart, to));
    commentSince = false;
  }
  cuts.push(current);
  return cuts;
}

/** The line ends with `:` (before an optional comment): a key whose value is empty or on later lines. */
function endsWithColon(text: string, lineStart: number, lineEnd: number): boolean {
  let end = lineEnd;
  while (end > lineStart && text.charCodeAt(end - 1) <= 32) end--;
  if (end === lineStart) return false;
  if (text.charCodeAt(end - 1) === 58) return true;
  // `key: # comment`. (A colon at the end of a comment also counts: that only keeps two blocks together.)
  const line = text.slice(lineStart, end);
  const comment = line.indexOf(' #');
  return comment >= 0 && line.slice(0, comment).trimEnd().endsWith(':');
}

/** Indentation of the first content line in `text[from, to)`, or undefined when there is none. */
function firstContentIndent(text: string, from: number, to: number): number | undefined {
  for (let lineStart = from; lineStart < to; lineStart = nextLine(text, lineStart, to)) {
    let i = lineStart;
    while (text.charCodeAt(i) === 32) i++;
    const c = text[i];
    if (i < to && c !== undefined && c !== '\n' && c !== '\r' && c !== '#') return i - lineStart;
  }
  return undefined;
}

/** Offset of the first key line of a cut (after leading comments and blank lines). */
function firstKeyLine(text: string, cut: Cut): number {
  let lineStart = cut.start;
  while (lineStart < cut.end && lineKind(text, lineStart, 0) !== 'key') lineStart = nextLine(text, lineStart, cut.end);
  return lineStart;
}

/** End of the header line `key:` (nothing after it but a comment), or undefined. */
function headerEnd(text: string, start: number, key: string): number | undefined {
  if (!text.startsWith(key, start)) return undefined;
  let i = start + key.length;
  if (text[i] !== ':') return undefined;
  i++;
  while (text[i] === ' ') i++;
  if (text[i] === '#' && text[i - 1] === ' ') {
    const newline = text.indexOf('\n', i);
    i = newline < 0 ? text.length : newline;
  }
  if (text[i] === '\r') i++;
  if (i < text.length && text[i] !== '\n') return undefined;
  return Math.min(text.length, i + 1);
}

/**
 * The document parsed block by block (see the file comment), or undefined when the text is not of the
 * shape this handles and the caller should parse it whole. `nestedKey` is a top-level key whose mapping
 * is cut into blocks too (`entry_points`).
 */
export function parseInBlocks(
  text: string,
  options: Options,
  cache: YamlBlockCache,
  nestedKey?: string,
): { doc: Document.Parsed; lineCounter: LineCounter } | undefined {
  const result = compose(text, options, cache, nestedKey);
  if (result) cache.commit();
  else cache.abandon();
  return result;
}

function compose(text: string, options: Options, cache: YamlBlockCache, nestedKey?: string): { doc: Document.Parsed; lineCounter: LineCounter } | undefined {
  // Directives, document markers, a byte order mark and lone CRs (not a line break for the parser, one for
  // positions) are rare; the full parse handles them.
  if (/^(?:%|---|\.\.\.)/m.test(text) || /\r(?!\n)/.test(text) || text.charCodeAt(0) === 0xfeff) return undefined;
  const top = cutBlocks(text, 0, text.length, 0);
  if (!top) return undefined;
  const pairs: Pair[] = [];
  const newlines: number[] = [];
  let first: ParsedBlock | undefined;
  let last: ParsedBlock | undefined;
  const add = (block: ParsedBlock) => {
    for (const n of block.newlines) newlines.push(n + block.start);
    first ??= block;
    last = block;
  };
  let nested = false;
  for (const cut of top) {
    const header = nestedKey !== undefined && cut.keys === 1 ? headerEnd(text, firstKeyLine(text, cut), nestedKey) : undefined;
    const indent = header !== undefined ? firstContentIndent(text, header, cut.end) : undefined;
    const inner = indent !== undefined && indent > 0 ? cutBlocks(text, header!, cut.end, indent) : undefined;
    if (!inner) {
      const block = cache.take(text.slice(cut.start, cut.end), cut.start, options, 'top');
      if (!block) return undefined;
      add(block);
      pairs.push(...block.pairs);
      continue;
    }
    // `entry_points:` and then one block per entry point.
    const headBlock = cache.take(text.slice(cut.start, header), cut.start, options, 'header');
    if (!headBlock) return undefined;
    add(headBlock);
    const map = new YAMLMap();
    let firstInner: ParsedBlock | undefined;
    let lastInner: ParsedBlock | undefined;
    for (const innerCut of inner) {
      const block = cache.take(text.slice(innerCut.start, innerCut.end), innerCut.start, options, 'inner');
      if (!block) return undefined;
      add(block);
      map.items.push(...block.pairs);
      firstInner ??= block;
      lastInner = block;
    }
    map.range = [firstInner!.mapRange[0], lastInner!.mapRange[1], lastInner!.mapRange[2]];
    pairs.push(headerPair(headBlock.pairs[0], map));
    nested = true;
  }
  if (!first || !last || (top.length < 2 && !nested)) return undefined;
  const root = new YAMLMap();
  root.items = pairs;
  const firstKey = pairs[0].key as Node;
  const lastPair = pairs[pairs.length - 1];
  const lastNode = (lastPair.value ?? lastPair.key) as Node;
  root.range = [firstKey.range![0], lastNode.range![2], lastNode.range![2]];
  const doc = new Document(undefined, options) as unknown as Document.Parsed;
  doc.contents = root as Document.Parsed['contents'];
  doc.range = [first.docRange[0], root.range[2], last.docRange[2]];
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (const n of newlines) lineCounter.addNewLine(n);
  return { doc, lineCounter };
}

function headerPair(pair: Pair, value: YAMLMap): Pair {
  // A copy, so the cached header keeps its empty value for the next parse.
  const copy = Object.create(Object.getPrototypeOf(pair), Object.getOwnPropertyDescriptors(pair)) as Pair;
  copy.value = value;
  return copy;
}
