// Part of the hand-written YAML block reader (yaml-fast-blocks.ts explains it): the scalars (plain,
// quoted, block) and the line arithmetic under them, resolved with the `yaml` package's own schema tags
// (its internals: `doc.schema.tags`, `tag.resolve`, `schema.compat`; hence `yaml` is pinned exactly).
import { Document, Scalar, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

export type Options = ParseOptions & DocumentOptions & SchemaOptions;
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
export function resolverFor(options: Options): Resolver | null {
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
export const UNSUPPORTED = new Unsupported();

/** Characters a plain scalar in the YAML 1.1 schema must start with to be anything but a string. */
function mayResolve(first: number): boolean {
  // ~ + - . 0-9 < N n Y y T t F f O o
  return (
    first === 126 ||
    first === 43 ||
    first === 45 ||
    first === 46 ||
    (first >= 48 && first <= 57) ||
    first === 60 ||
    first === 78 ||
    first === 110 ||
    first === 89 ||
    first === 121 ||
    first === 84 ||
    first === 116 ||
    first === 70 ||
    first === 102 ||
    first === 79 ||
    first === 111
  );
}

/** Indicators that make a plain scalar start something else (or an error). `-` is checked on its own. */
export function isIndicator(c: number): boolean {
  // ? : , [ ] { } # & * ! | > ' " % @ `
  return (
    c === 63 ||
    c === 58 ||
    c === 44 ||
    c === 91 ||
    c === 93 ||
    c === 123 ||
    c === 125 ||
    c === 35 ||
    c === 38 ||
    c === 42 ||
    c === 33 ||
    c === 124 ||
    c === 62 ||
    c === 39 ||
    c === 34 ||
    c === 37 ||
    c === 64 ||
    c === 96
  );
}

export const SPACE = 32;
export const NEWLINE = 10;
export const HASH = 35;
export const COLON = 58;
export const DASH = 45;

export abstract class ScalarReader {
  protected readonly end: number;

  constructor(
    /** The block's text (a copy: node values are slices of it). */
    protected readonly src: string,
    /** Offset of the block in the document: every range is `base + index`. */
    protected readonly base: number,
    protected readonly resolver: Resolver,
  ) {
    this.end = src.length;
  }

  /** Indentation of the line starting at `i`. */
  protected indentAt(i: number): number {
    let j = i;
    while (this.src.charCodeAt(j) === SPACE) j++;
    return j - i;
  }

  protected lineEnd(i: number): number {
    const newline = this.src.indexOf('\n', i);
    return newline < 0 ? this.end : newline;
  }

  /** Start of the line after the one holding `i` (or the end). */
  protected nextLineStart(i: number): number {
    const newline = this.src.indexOf('\n', i);
    return newline < 0 ? this.end : newline + 1;
  }

  /**
   * A block scalar (`|`, `>`, `|-`, `>-`) whose header is at `p`, its lines indented deeper than `container`.
   * Its range ends after its last line with text: blank lines after it belong to what follows. Declined:
   * the keep indicator `+`, an indentation indicator, a comment on the header, an empty scalar, and lines
   * of only spaces, which the `yaml` package keeps or drops by how many spaces they hold.
   */
  protected blockScalar(p: number, container: number): Scalar {
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
  protected plainBlockEnd(p: number, lineEnd: number, minIndent: number): number {
    let end = this.plainEnd(p, lineEnd, false);
    let q = end;
    while (this.src.charCodeAt(q) === SPACE) q++;
    if (q < lineEnd) return end; // a comment ends it
    for (let line = lineEnd + 1; line < this.end;) {
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
  protected plainEnd(p: number, lineEnd: number, inFlow: boolean): number {
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
  protected quotedEnd(p: number, limit: number, minIndent: number): number {
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

  protected quoted(p: number, valueEnd: number): Scalar {
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
  protected plain(source: string, p: number, valueEnd: number, rangeEnd: number, atKey: boolean): Scalar {
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
}

// Escapes of double-quoted scalars (YAML 1.2), as the `yaml` package reads them.
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
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
