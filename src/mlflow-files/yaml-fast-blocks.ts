// A hand-written reader for the YAML that MLproject and MLmodel blocks are made of: block mappings and
// sequences, plain and quoted scalars (over several lines too), block scalars, one-line flow collections,
// comments. It builds the very nodes the `yaml` package would (same classes, values, ranges, styles)
// without its lexer and CST: an entry point is read ~6 times faster, and a keystroke's validation
// allocates a quarter of what it did (50 KB instead of 200 KB), which keeps the garbage collector out of
// the diagnostics latency and makes a 5 MB file's first parse ~4 times shorter.
//
// It accepts only what it knows the `yaml` package reads without an error or a warning, and answers
// undefined for anything else (anchors, aliases, tags, `\x`/`\u` escapes, empty values, multi-line flow
// collections, block scalars with `+` or an indentation indicator, comments whose owner depends on
// indentation…): the caller then parses the block with the `yaml` package.
// test/mlflow-files/yaml-fast-blocks.test.ts compares both on the corpus and on random text. The reader is split in
// three: blocks (here), one-line flow collections (yaml-fast-flow.ts), scalars (yaml-fast-scalars.ts).
import { Pair, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { FlowReader } from './yaml-fast-flow';
import { DASH, HASH, isIndicator, NEWLINE, resolverFor, SPACE, UNSUPPORTED, type Options } from './yaml-fast-scalars';

type Range = [number, number, number];

export interface FastBlock {
  pairs: Pair[];
  mapRange: Range;
  docRange: Range;
  newlines: number[];
}

class BlockReader extends FlowReader {
  /** The deepest comment line the last nextContent() skipped (-1: none). */
  private skippedComment = -1;

  /**
   * From a line start, skips blank and comment lines to the next content line; returns its start, or the
   * end. A comment line deeper than the content line after it (or with none after it in the block) belongs
   * to whichever open node the `yaml` package picks by indentation, which widens that node's range: not
   * handled here.
   */
  private nextContent(i: number): number {
    let deepestComment = -1;
    let line = i;
    while (line < this.end) {
      const indent = this.indentAt(line);
      const c = this.src.charCodeAt(line + indent);
      if (c === NEWLINE || line + indent >= this.end) {
        line = this.nextLineStart(line + indent);
        continue;
      }
      if (c === HASH) {
        deepestComment = Math.max(deepestComment, indent);
        line = this.nextLineStart(line + indent);
        continue;
      }
      if (deepestComment > indent) throw UNSUPPORTED;
      this.skippedComment = deepestComment;
      return line;
    }
    if (deepestComment >= 0) throw UNSUPPORTED;
    return this.end;
  }

  /** The block: optional leading blank/comment lines, then a block mapping (at the first key's indentation). */
  read(): { map: YAMLMap; firstLine: number } {
    const first = this.nextContent(0);
    if (first >= this.end) throw UNSUPPORTED;
    const indent = this.indentAt(first);
    const { node, next } = this.mapping(first, indent);
    if (next < this.end) throw UNSUPPORTED; // something less indented than the block's keys
    return { map: node, firstLine: first };
  }

  /** A block mapping whose first key line starts at `line` with indentation `indent`; `next`: the line after it. */
  private mapping(line: number, indent: number): { node: YAMLMap; next: number } {
    const map = new YAMLMap(this.resolver.schema as never);
    let at = line;
    let end: number;
    for (;;) {
      const keyStart = at + indent;
      const c = this.src.charCodeAt(keyStart);
      if (c === DASH || isIndicator(c)) throw UNSUPPORTED;
      // The key runs to the first `: ` (or `:` at the end of the line); a key holding `:`, ` #` or
      // trailing spaces, or longer than the 1024 characters strict mode allows, is left to the parser.
      const lineEnd = this.lineEnd(keyStart);
      const colon = this.src.indexOf(':', keyStart);
      if (colon < 0 || colon >= lineEnd) throw UNSUPPORTED;
      const afterColon = this.src.charCodeAt(colon + 1);
      if (colon + 1 < lineEnd && afterColon !== SPACE) throw UNSUPPORTED;
      if (colon === keyStart || colon - keyStart > 1000 || this.src.charCodeAt(colon - 1) === SPACE) throw UNSUPPORTED;
      const keySource = this.src.slice(keyStart, colon);
      if (keySource.includes(' #')) throw UNSUPPORTED;
      const key = this.plain(keySource, keyStart, colon, colon, true);
      let value: Node;
      let p = colon + 1;
      while (this.src.charCodeAt(p) === SPACE) p++;
      if (p < lineEnd && this.src.charCodeAt(p) !== HASH) {
        // `key: value` on one line.
        const inline = this.inlineValue(p, lineEnd, indent);
        value = inline;
        at = this.nextContent(inline.range![2] - this.base);
        if (at < this.end && this.indentAt(at) > indent) throw UNSUPPORTED; // a continuation line
      } else {
        // `key:` (maybe with a comment) and the value on the lines below.
        if (p < lineEnd && this.src.charCodeAt(p - 1) !== SPACE) throw UNSUPPORTED;
        const below = this.nextContent(this.nextLineStart(colon));
        if (below >= this.end) throw UNSUPPORTED; // an empty value
        const belowIndent = this.indentAt(below);
        const isSeq = this.src.charCodeAt(below + belowIndent) === DASH && this.src.charCodeAt(below + belowIndent + 1) === SPACE;
        if (isSeq && belowIndent >= indent) {
          const seq = this.sequence(below, belowIndent);
          value = seq.node;
          at = seq.next;
        } else if (!isSeq && belowIndent > indent) {
          const nested = this.mapping(below, belowIndent);
          value = nested.node;
          at = nested.next;
        } else throw UNSUPPORTED; // an empty value
      }
      map.items.push(new Pair(key, value));
      end = value.range![2];
      if (at >= this.end) break;
      const nextIndent = this.indentAt(at);
      if (nextIndent < indent) break;
      if (nextIndent > indent) throw UNSUPPORTED;
    }
    map.range = [this.base + line + indent, end, end];
    return { node: map, next: at };
  }

  /** A block sequence of one-line items, whose first `- ` starts at `line` + `indent`. */
  private sequence(line: number, indent: number): { node: YAMLSeq; next: number } {
    const seq = new YAMLSeq(this.resolver.schema as never);
    let at = line;
    let end = 0;
    for (;;) {
      const dash = at + indent;
      if (this.src.charCodeAt(dash) !== DASH || this.src.charCodeAt(dash + 1) !== SPACE) break;
      const lineEnd = this.lineEnd(dash);
      let p = dash + 2;
      while (this.src.charCodeAt(p) === SPACE) p++;
      if (p >= lineEnd || this.src.charCodeAt(p) === HASH) throw UNSUPPORTED; // an empty or nested item
      const item = this.inlineValue(p, lineEnd, indent);
      seq.items.push(item);
      end = item.range![2];
      at = this.nextContent(end - this.base);
      if (at >= this.end) break;
      const nextIndent = this.indentAt(at);
      if (nextIndent < indent) break;
      if (nextIndent > indent) throw UNSUPPORTED;
      // A comment before a key at the sequence's own indentation widens the sequence's range.
      if (this.skippedComment >= indent && this.src.charCodeAt(at + indent) !== DASH) throw UNSUPPORTED;
    }
    seq.range = [this.base + line + indent, end, end];
    return { node: seq, next: at };
  }

  /**
   * A value that starts at `p` on a line ending at `lineEnd`, inside a collection indented by `container`
   * (a scalar may go on over lines indented deeper), with its range through the line break after it.
   */
  private inlineValue(p: number, lineEnd: number, container: number): Node {
    const c = this.src.charCodeAt(p);
    if (c === 124 || c === 62) return this.blockScalar(p, container);
    let node: Node;
    let valueEnd: number;
    if (c === 34 || c === 39) {
      valueEnd = this.quotedEnd(p, this.end, container + 1);
      node = this.quoted(p, valueEnd);
    } else if (c === 123 || c === 91) {
      const flow = this.flow(p, lineEnd);
      node = flow.node;
      valueEnd = flow.end;
    } else {
      valueEnd = this.plainBlockEnd(p, lineEnd, container + 1);
      node = this.plain(this.src.slice(p, valueEnd), p, valueEnd, valueEnd, false);
    }
    // The rest of the value's last line: spaces, then nothing or a comment (after a space).
    const lastLineEnd = valueEnd > lineEnd ? this.lineEnd(valueEnd) : lineEnd;
    let q = valueEnd;
    while (this.src.charCodeAt(q) === SPACE) q++;
    if (q < lastLineEnd && (this.src.charCodeAt(q) !== HASH || q === valueEnd)) throw UNSUPPORTED;
    const after = lastLineEnd < this.end ? lastLineEnd + 1 : this.end;
    node.range![2] = this.base + after;
    return node;
  }
}

/**
 * The block's nodes as the `yaml` package would compose them, or undefined when the block holds anything
 * this reader leaves to the parser. `src` must be a copy (node values are slices of it); `start` is its
 * offset in the document; `wrapperStart` is where the document range of an entry-point block begins (the
 * key it is parsed under), undefined for a top-level block.
 */
export function readBlockFast(src: string, start: number, options: Options, wrapperStart?: number): FastBlock | undefined {
  const resolver = resolverFor(options);
  if (!resolver || src.includes('\t') || src.includes('\r')) return undefined;
  let map: YAMLMap;
  let firstLine: number;
  try {
    ({ map, firstLine } = new BlockReader(src, start, resolver).read());
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
  const newlines: number[] = [];
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) newlines.push(i + 1);
  return {
    pairs: map.items as Pair[],
    mapRange: map.range!,
    docRange: [wrapperStart ?? start + firstLine, map.range![2], start + src.length],
    newlines,
  };
}
