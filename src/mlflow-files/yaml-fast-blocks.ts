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
// test/mlflow-files/yaml-fast-blocks.test.ts compares both on the corpus and on random text.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;
type Range = [number, number, number];

export interface FastBlock {
  pairs: Pair[];
  mapRange: Range;
  docRange: Range;
  newlines: number[];
}

interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  resolve(value: string, onError: (message: string) => void, options: unknown): unknown;
}

interface Resolver {
  tags: ScalarTag[];
  options: unknown;
  schema: unknown;
}

const resolvers = new WeakMap<Options, Resolver | null>();

/** The schema and options the `yaml` composer would use for these parse options (null: not handled here). */
function resolverFor(options: Options): Resolver | null {
  let resolver = resolvers.get(options);
  if (resolver !== undefined) return resolver;
  const doc = new Document(undefined, options);
  const schema = doc.schema as unknown as { tags: (ScalarTag & { collection?: string })[]; compat: unknown };
  // A compat schema warns about ambiguous scalars; leave that to the real composer.
  resolver = schema.compat ? null : { tags: schema.tags.filter((tag) => !tag.collection && tag.test), options: doc.options, schema: doc.schema };
  resolvers.set(options, resolver);
  return resolver;
}

class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();

/** Characters a plain scalar in the YAML 1.1 schema must start with to be anything but a string. */
function mayResolve(first: number): boolean {
  // ~ + - . 0-9 < N n Y y T t F f O o
  return (
    first === 126 || first === 43 || first === 45 || first === 46 || (first >= 48 && first <= 57) || first === 60 ||
    first === 78 || first === 110 || first === 89 || first === 121 || first === 84 || first === 116 || first === 70 || first === 102 || first === 79 || first === 111
  );
}

/** Indicators that make a plain scalar start something else (or an error). `-` is checked on its own. */
function isIndicator(c: number): boolean {
  // ? : , [ ] { } # & * ! | > ' " % @ `
  return (
    c === 63 || c === 58 || c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === 35 || c === 38 || c === 42 || c === 33 ||
    c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96
  );
}

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;

class BlockReader {
  private readonly end: number;
  /** The deepest comment line the last nextContent() skipped (-1: none). */
  private skippedComment = -1;

  constructor(
    /** The block's text (a copy: node values are slices of it). */
    private readonly src: string,
    /** Offset of the block in the document: every range is `base + index`. */
    private readonly base: number,
    private readonly resolver: Resolver,
  ) {
    this.end = src.length;
  }

  /** Indentation of the line starting at `i`. */
  private indentAt(i: number): number {
    let j = i;
    while (this.src.charCodeAt(j) === SPACE) j++;
    return j - i;
  }

  private lineEnd(i: number): number {
    const newline = this.src.indexOf('\n', i);
    return newline < 0 ? this.end : newline;
  }

  /** Start of the line after the one holding `i` (or the end). */
  private nextLineStart(i: number): number {
    const newline = this.src.indexOf('\n', i);
    return newline < 0 ? this.end : newline + 1;
  }

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

  /**
   * A block scalar (`|`, `>`, `|-`, `>-`) whose header is at `p`, its lines indented deeper than `container`.
   * Its range ends after its last line with text: blank lines after it belong to what follows. Declined:
   * the keep indicator `+`, an indentation indicator, a comment on the header, an empty scalar, and lines
   * of only spaces, which the `yaml` package keeps or drops by how many spaces they hold.
   */
  private blockScalar(p: number, container: number): Scalar {
    const folded = this.src.charCodeAt(p) === 62;
    let q = p + 1;
    const strip = this.src.charCodeAt(q) === DASH;
    if (strip) q++;
    if (this.src.charCodeAt(q) !== NEWLINE) throw UNSUPPORTED;
    const contentStart = q + 1;
    let contentIndent = -1;
    let keptEnd = -1;
    let line = contentStart;
    while (line < this.end) {
      const indent = this.indentAt(line);
      const first = line + indent;
      const lineBreak = this.src.indexOf('\n', first);
      const next = lineBreak < 0 ? this.end : lineBreak + 1;
      const blank = first >= this.end || this.src.charCodeAt(first) === NEWLINE;
      if (blank) {
        if (indent > 0) throw UNSUPPORTED;
      } else {
        if (contentIndent < 0) {
          if (indent <= container) throw UNSUPPORTED; // an empty block scalar
          contentIndent = indent;
        }
        if (indent < contentIndent) break;
        keptEnd = next;
      }
      line = next;
    }
    if (keptEnd < 0) throw UNSUPPORTED;
    const value = blockScalarValue(this.src.slice(contentStart, keptEnd), contentIndent, folded, strip);
    const scalar = new Scalar(value);
    scalar.range = [this.base + p, this.base + keptEnd, this.base + keptEnd];
    scalar.source = value;
    scalar.type = folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL;
    return scalar;
  }

  /**
   * End of a plain scalar in block context: its first line, then the lines indented by at least
   * `minIndent` up to a comment, a shallower line or a blank line with nothing deeper after it.
   */
  private plainBlockEnd(p: number, lineEnd: number, minIndent: number): number {
    let end = this.plainEnd(p, lineEnd, false);
    let q = end;
    while (this.src.charCodeAt(q) === SPACE) q++;
    if (q < lineEnd) return end; // a comment ends it
    for (let line = lineEnd + 1; line < this.end; ) {
      const indent = this.indentAt(line);
      const first = line + indent;
      const c = this.src.charCodeAt(first);
      const nextLine = this.nextLineStart(first);
      if (first >= this.end || c === NEWLINE) {
        line = nextLine; // a blank line: folded in if more of the scalar follows
        continue;
      }
      if (c === HASH || indent < minIndent) break;
      if (isIndicator(c) || (c === DASH && this.src.charCodeAt(first + 1) === SPACE)) throw UNSUPPORTED;
      const contentEnd = this.lineEnd(first);
      const lineValueEnd = this.plainEnd(first, contentEnd, false);
      q = lineValueEnd;
      while (this.src.charCodeAt(q) === SPACE) q++;
      if (q < contentEnd) throw UNSUPPORTED; // a comment inside: what follows it is an error
      end = lineValueEnd;
      line = nextLine;
    }
    return end;
  }

  /** End of a one-line plain scalar starting at `p` (trailing spaces excluded). */
  private plainEnd(p: number, lineEnd: number, inFlow: boolean): number {
    const c = this.src.charCodeAt(p);
    if (isIndicator(c)) throw UNSUPPORTED;
    if (c === DASH) {
      const d = this.src.charCodeAt(p + 1);
      if (p + 1 >= lineEnd || d === SPACE || (inFlow && (d === 44 || d === 93 || d === 125))) throw UNSUPPORTED;
    }
    let q = p + 1;
    let last = p + 1;
    for (; q < lineEnd; q++) {
      const ch = this.src.charCodeAt(q);
      if (ch === SPACE) {
        if (this.src.charCodeAt(q + 1) === HASH) break;
        continue;
      }
      if (ch === COLON) {
        const next = this.src.charCodeAt(q + 1);
        // `: ` ends a key in a flow mapping (the caller checks that a key is expected) and is a nested
        // mapping in block context; a colon glued to more text in a flow collection (`{type:int}`, a URL)
        // is read differently by YAML versions and readers: both are left to the parser.
        if (inFlow && next === SPACE) break;
        if (inFlow || q + 1 >= lineEnd || next === SPACE) throw UNSUPPORTED;
      }
      if (inFlow && (ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125)) break;
      last = q + 1;
    }
    return last;
  }

  /**
   * End (after the closing quote) of a quoted scalar starting at `p`, searched up to `limit`. It may go on
   * over lines indented by at least `minIndent` (blank lines too).
   */
  private quotedEnd(p: number, limit: number, minIndent: number): number {
    const quote = this.src.charCodeAt(p);
    for (let q = p + 1; q < limit; q++) {
      const ch = this.src.charCodeAt(q);
      if (ch === NEWLINE) {
        const indent = this.indentAt(q + 1);
        const next = this.src.charCodeAt(q + 1 + indent);
        if (indent < minIndent && next !== NEWLINE && q + 1 + indent < this.end) throw UNSUPPORTED;
      } else if (quote === 34 && ch === 92) {
        const escaped = this.src[q + 1];
        if (escaped !== '\n' && !(escaped in ESCAPES)) throw UNSUPPORTED; // \x, \u, \U and bad escapes
        if (escaped !== '\n') q++;
      } else if (ch === quote) {
        if (quote === 39 && this.src.charCodeAt(q + 1) === 39) {
          q++;
          continue;
        }
        return q + 1;
      }
    }
    throw UNSUPPORTED; // no closing quote
  }

  private quoted(p: number, valueEnd: number): Scalar {
    const single = this.src.charCodeAt(p) === 39;
    const inner = this.src.slice(p + 1, valueEnd - 1);
    let value: string;
    if (single) value = (inner.includes('\n') ? unfoldLines(inner) : inner).replace(/''/g, "'");
    else value = inner.includes('\\') || inner.includes('\n') ? doubleQuotedValue(inner) : inner;
    const scalar = new Scalar(value);
    scalar.range = [this.base + p, this.base + valueEnd, this.base + valueEnd];
    scalar.source = value;
    scalar.type = single ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
    return scalar;
  }

  /** A plain scalar resolved as the `yaml` composer does (by the schema's tests, in order). */
  private plain(source: string, p: number, valueEnd: number, rangeEnd: number, atKey: boolean): Scalar {
    const value = source.includes('\n') ? unfoldLines(source) : source;
    let scalar: Scalar | undefined;
    if (mayResolve(value.charCodeAt(0))) {
      for (const tag of this.resolver.tags) {
        if ((tag.default === true || (atKey && tag.default === 'key')) && tag.test!.test(value)) {
          if (tag.default === 'key') throw UNSUPPORTED; // a merge key `<<`
          let failed = false;
          const resolved = tag.resolve(value, () => (failed = true), this.resolver.options);
          if (failed) throw UNSUPPORTED;
          scalar = resolved instanceof Scalar ? resolved : new Scalar(resolved);
          if (tag.format) scalar.format = tag.format;
          break;
        }
      }
    }
    scalar ??= new Scalar(value);
    scalar.range = [this.base + p, this.base + valueEnd, this.base + rangeEnd];
    scalar.source = value;
    scalar.type = Scalar.PLAIN;
    return scalar;
  }

  /** A one-line flow collection starting at `p`; `end` is after its closing bracket. */
  private flow(p: number, lineEnd: number): { node: YAMLMap | YAMLSeq; end: number } {
    const isMap = this.src.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    const node = isMap ? new YAMLMap(this.resolver.schema as never) : new YAMLSeq(this.resolver.schema as never);
    node.flow = true;
    let q = p + 1;
    const skipSpaces = () => {
      while (this.src.charCodeAt(q) === SPACE) q++;
      if (q >= lineEnd) throw UNSUPPORTED; // the collection goes on to the next line
    };
    skipSpaces();
    if (this.src.charCodeAt(q) === close) throw UNSUPPORTED; // empty: rare, and not worth the special ranges
    for (;;) {
      let item: Node;
      if (isMap) {
        const keyEnd = this.flowScalarEnd(q, lineEnd);
        const key = this.flowScalar(q, keyEnd, keyEnd);
        q = keyEnd;
        while (this.src.charCodeAt(q) === SPACE) q++;
        if (this.src.charCodeAt(q) !== COLON || this.src.charCodeAt(q + 1) !== SPACE) throw UNSUPPORTED;
        q += 1;
        skipSpaces();
        const value = this.flowItem(q, lineEnd);
        q = value.range![2] - this.base;
        (node as YAMLMap).items.push(new Pair(key, value));
      } else {
        item = this.flowItem(q, lineEnd);
        q = item.range![2] - this.base;
        (node as YAMLSeq).items.push(item);
      }
      const ch = this.src.charCodeAt(q);
      if (ch === close) break;
      if (ch !== 44) throw UNSUPPORTED;
      q++;
      skipSpaces();
      if (this.src.charCodeAt(q) === close) throw UNSUPPORTED; // a trailing comma
    }
    node.range = [this.base + p, this.base + q + 1, this.base + q + 1];
    return { node, end: q + 1 };
  }

  /** An item of a flow collection (a value, or a seq entry), its range through the spaces after it. */
  private flowItem(q: number, lineEnd: number): Node {
    const c = this.src.charCodeAt(q);
    let node: Node;
    let end: number;
    if (c === 123 || c === 91) {
      const flow = this.flow(q, lineEnd);
      node = flow.node;
      end = flow.end;
    } else {
      end = this.flowScalarEnd(q, lineEnd);
      node = this.flowScalar(q, end, end);
    }
    let after = end;
    while (this.src.charCodeAt(after) === SPACE) after++;
    if (after >= lineEnd) throw UNSUPPORTED;
    node.range![2] = this.base + after;
    return node;
  }

  private flowScalarEnd(q: number, lineEnd: number): number {
    const c = this.src.charCodeAt(q);
    if (c === 34 || c === 39) return this.quotedEnd(q, lineEnd, Infinity);
    const end = this.plainEnd(q, lineEnd, true);
    if (end >= lineEnd || this.src.charCodeAt(end) === SPACE && this.src.charCodeAt(end + 1) === HASH) throw UNSUPPORTED;
    return end;
  }

  private flowScalar(q: number, end: number, rangeEnd: number): Scalar {
    const c = this.src.charCodeAt(q);
    if (c === 34 || c === 39) return this.quoted(q, end);
    return this.plain(this.src.slice(q, end), q, end, rangeEnd, false);
  }
}

// Escapes of double-quoted scalars (YAML 1.2), as the `yaml` package reads them.
const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

/** A multi-line plain or single-quoted scalar's text: line breaks fold to spaces, blank lines to breaks. */
function unfoldLines(source: string): string {
  const lines = source.split('\n');
  let value = lines[0].replace(/ +$/, '');
  let sep = ' ';
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i].trim();
    if (line === '') {
      if (sep === '\n') value += sep;
      else sep = '\n';
    } else {
      value += sep + line;
      sep = ' ';
    }
  }
  return lines.length > 1 ? value + sep + lines[lines.length - 1].replace(/^ +/, '') : value;
}

/** A double-quoted scalar's text (between the quotes; tabs and CRs are declined before): escapes and folding. */
function doubleQuotedValue(inner: string): string {
  let value = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '\n') {
      let fold = '';
      while (inner[i + 1] === ' ' || inner[i + 1] === '\n') {
        if (inner[i + 1] === '\n') fold += '\n';
        i++;
      }
      value += fold || ' ';
    } else if (ch === '\\') {
      const next = inner[++i];
      if (next === '\n') {
        while (inner[i + 1] === ' ') i++; // an escaped line break: joined, the next line's indentation dropped
      } else value += ESCAPES[next];
    } else if (ch === ' ') {
      const start = i;
      while (inner[i + 1] === ' ') i++;
      if (inner[i + 1] !== '\n') value += inner.slice(start, i + 1); // spaces before a line break are dropped
    } else value += ch;
  }
  return value;
}

/**
 * A block scalar's text from its lines (after the header; empty lines and lines indented by at least
 * `indent` only, ending with its last line of text): literal keeps the breaks, folded joins lines that
 * are not more indented; the final break is kept unless `strip`.
 */
function blockScalarValue(source: string, indent: number, folded: boolean, strip: boolean): string {
  const lines = source.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let value = '';
  let sep = '';
  let previousMoreIndented = false;
  for (const line of lines) {
    const content = line.slice(indent);
    if (!folded) {
      value += sep + content;
      sep = '\n';
    } else if (line.length > indent && line.charCodeAt(indent) === SPACE) {
      // A more-indented line of a folded scalar keeps its breaks.
      if (sep === ' ') sep = '\n';
      else if (!previousMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + content;
      sep = '\n';
      previousMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      previousMoreIndented = false;
    }
  }
  return strip ? value : value + '\n';
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
