// An open document kept as a list of chunks of whole lines (about 64 KB each), so that an edit of a
// 50 MB document rewrites one chunk instead of the whole text. vscode-languageserver-textdocument keeps
// one string and builds a new one per edit (`before + inserted + after`, then flattened by the next
// character read): 50 MB copied on every keystroke, 0.3–0.8 s on a loaded machine. Here the full text
// is joined only when a caller asks for all of it (a parse), once per version.
//
// Each chunk also keeps what the large-document completion asks of the text without reading it all:
// its line starts, the least indentation of its content lines, and its top-level content lines.
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { upperBound } from '../sorted/bounds';

/** A chunk is split when it grows past twice this, at a line break after this many characters. */
const CHUNK_CHARS = 64 * 1024;

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;

interface Chunk {
  text: string;
  /** Offsets (in the chunk) where its lines start; the first is 0. */
  lineStarts: Uint32Array;
  /** The least indentation (spaces and tabs) of a content line (not blank, not a comment) in it; Infinity when none. */
  minIndent: number;
  /** Indexes (into lineStarts) of its content lines at indentation 0. */
  topLevel: number[];
}

function makeChunk(text: string): Chunk {
  const starts: number[] = [0];
  if (text.indexOf('\r') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  } else {
    // As vscode-languageserver-textdocument reads lines: \r\n, \n and a lone \r each end one.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      if (c === CR || c === LF) starts.push(i + 1);
    }
  }
  let minIndent = Infinity;
  const topLevel: number[] = [];
  for (let line = 0; line < starts.length; line++) {
    let i = starts[line];
    while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
    const c = text.charCodeAt(i);
    // A content line: something other than a line break or a comment after the indentation.
    if (i >= text.length || c === LF || c === CR || c === HASH) continue;
    const indent = i - starts[line];
    if (indent < minIndent) minIndent = indent;
    if (indent === 0) topLevel.push(line);
  }
  return { text, lineStarts: Uint32Array.from(starts), minIndent, topLevel };
}

/** `text` cut into chunks of about CHUNK_CHARS, each (but the last) ending with a line break. */
function chunksOf(text: string): Chunk[] {
  const out: Chunk[] = [];
  let start = 0;
  while (text.length - start > 2 * CHUNK_CHARS) {
    const nl = text.indexOf('\n', start + CHUNK_CHARS);
    if (nl < 0) break;
    out.push(makeChunk(text.slice(start, nl + 1)));
    start = nl + 1;
  }
  out.push(makeChunk(start === 0 ? text : text.slice(start)));
  return out;
}

function isIndentedLess(text: string, start: number, limit: number): boolean {
  let i = start;
  while (i - start < limit && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  if (i - start >= limit) return false;
  const c = text.charCodeAt(i);
  return i < text.length && c !== LF && c !== CR && c !== HASH && c !== SPACE && c !== TAB;
}

export class ChunkedTextDocument implements TextDocument {
  /** Per chunk, its first offset and its first line in the document (recomputed after each edit). */
  private chunkOffsets = new Float64Array(0);
  private chunkLines = new Float64Array(0);
  private totalLength = 0;
  private totalLines = 0;
  private joined: string | undefined;

  private constructor(
    readonly uri: string,
    readonly languageId: string,
    readonly version: number,
    /** Chunks are never changed, only replaced: versions share the ones an edit did not touch. */
    private chunks: Chunk[],
  ) {
    this.index();
  }

  static create(uri: string, languageId: string, version: number, content: string): ChunkedTextDocument {
    return new ChunkedTextDocument(uri, languageId, version, chunksOf(content));
  }

  /**
   * The document after the changes, as a new object (unlike TextDocument.update, which edits in
   * place): a request still working on the previous version keeps reading that version.
   */
  static update(document: ChunkedTextDocument, changes: TextDocumentContentChangeEvent[], version: number): ChunkedTextDocument {
    const next = new ChunkedTextDocument(document.uri, document.languageId, version, [...document.chunks]);
    for (const change of changes) {
      if ('range' in change && change.range) next.replace(change.range, change.text);
      else {
        next.chunks = chunksOf(change.text);
        next.index();
      }
    }
    return next;
  }

  get lineCount(): number {
    return this.totalLines;
  }

  /** The text's length in UTF-16 units, without joining it. */
  get length(): number {
    return this.totalLength;
  }

  getText(range?: Range): string {
    if (range) return this.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    if (this.chunks.length === 1) return this.chunks[0].text;
    return (this.joined ??= this.chunks.map((c) => c.text).join(''));
  }

  /** The text between two offsets, read from the chunks they fall in. */
  slice(start: number, end: number): string {
    if (end <= start) return '';
    let i = this.chunkAtOffset(start);
    const parts: string[] = [];
    for (let at = start; at < end && i < this.chunks.length; i++) {
      const from = this.chunkOffsets[i];
      const text = this.chunks[i].text;
      parts.push(text.slice(at - from, Math.min(text.length, end - from)));
      at = from + text.length;
    }
    return parts.join('');
  }

  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(Number.isFinite(offset) ? Math.trunc(offset) : 0, this.totalLength));
    const i = this.chunkAtOffset(offset);
    const chunk = this.chunks[i];
    const local = offset - this.chunkOffsets[i];
    const starts = chunk.lineStarts;
    const line = upperBound(starts, local) - 1;
    return { line: this.chunkLines[i] + line, character: beforeEol(chunk.text, local, starts[line]) - starts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.totalLines) return this.totalLength;
    if (position.line < 0) return 0;
    const { chunk, index, line } = this.lineLocation(position.line);
    const start = chunk.lineStarts[line];
    const base = this.chunkOffsets[index];
    if (position.character <= 0) return base + start;
    const next = line + 1 < chunk.lineStarts.length ? chunk.lineStarts[line + 1] : chunk.text.length;
    return base + beforeEol(chunk.text, Math.min(start + position.character, next), start);
  }

  getLineRange(line: number): Range {
    if (line >= this.totalLines) {
      const last = this.totalLines - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.lineText(last).length } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { start: { line, character: 0 }, end: { line, character: this.lineText(line).length } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.totalLines) return '';
    const { chunk, line: local } = this.lineLocation(line);
    const start = chunk.lineStarts[local];
    const next = local + 1 < chunk.lineStarts.length ? chunk.lineStarts[local + 1] : chunk.text.length;
    return chunk.text.slice(beforeEol(chunk.text, next, start), next);
  }

  /** Line `line`'s text, without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.totalLines) return '';
    const { chunk, line: local } = this.lineLocation(line);
    const start = chunk.lineStarts[local];
    const next = local + 1 < chunk.lineStarts.length ? chunk.lineStarts[local + 1] : chunk.text.length;
    return chunk.text.slice(start, beforeEol(chunk.text, next, start));
  }

  /** The nearest content line above `line` indented less than `limit` (a chunk with none is skipped whole). */
  previousLineIndentedLess(line: number, limit: number): number | undefined {
    if (line <= 0) return undefined;
    const at = this.lineLocation(Math.min(line, this.totalLines) - 1);
    for (let i = at.index, local = at.line; i >= 0; i--) {
      const chunk = this.chunks[i];
      if (i !== at.index) local = chunk.lineStarts.length - 1;
      if (chunk.minIndent >= limit) continue;
      for (; local >= 0; local--) {
        if (isIndentedLess(chunk.text, chunk.lineStarts[local], limit)) return this.chunkLines[i] + local;
      }
    }
    return undefined;
  }

  /** Every content line at indentation 0, in order. */
  topLevelLines(): number[] {
    const out: number[] = [];
    this.chunks.forEach((chunk, i) => chunk.topLevel.forEach((local) => out.push(this.chunkLines[i] + local)));
    return out;
  }

  private replace(range: Range, text: string): void {
    const [from, to] = comparePositions(range.start, range.end) <= 0 ? [range.start, range.end] : [range.end, range.start];
    const start = this.offsetAt(from);
    const end = this.offsetAt(to);
    const first = this.chunkAtOffset(start);
    let last = end > start ? this.chunkAtOffset(end - 1) : first;
    const head = this.chunks[first].text.slice(0, start - this.chunkOffsets[first]);
    let tail = this.chunks[last].text.slice(end - this.chunkOffsets[last]);
    // Every chunk but the last ends with a line break: one that lost it takes in the next chunk.
    let merged = head + text + tail;
    while (last + 1 < this.chunks.length && merged.charCodeAt(merged.length - 1) !== LF) {
      last++;
      tail = this.chunks[last].text;
      merged += tail;
    }
    const replacement = merged.length === 0 && this.chunks.length > 1 ? [] : chunksOf(merged);
    this.chunks.splice(first, last - first + 1, ...replacement);
    if (this.chunks.length === 0) this.chunks.push(makeChunk(''));
    this.index();
  }

  private index(): void {
    const n = this.chunks.length;
    this.chunkOffsets = new Float64Array(n);
    this.chunkLines = new Float64Array(n);
    let offset = 0;
    let line = 0;
    for (let i = 0; i < n; i++) {
      this.chunkOffsets[i] = offset;
      this.chunkLines[i] = line;
      offset += this.chunks[i].text.length;
      line += this.chunks[i].lineStarts.length - 1;
    }
    this.totalLength = offset;
    // The last chunk's last line has no break after it.
    this.totalLines = line + 1;
    this.joined = undefined;
  }

  /** The chunk holding `offset`: the last one starting at or before it. */
  private chunkAtOffset(offset: number): number {
    return Math.max(0, upperBound(this.chunkOffsets, offset, 0, this.chunks.length) - 1);
  }

  /** The chunk holding document line `line` (0 ≤ line < lineCount) and its index there. */
  private lineLocation(line: number): { chunk: Chunk; index: number; line: number } {
    const low = Math.max(0, upperBound(this.chunkLines, line, 0, this.chunks.length) - 1);
    return { chunk: this.chunks[low], index: low, line: line - this.chunkLines[low] };
  }
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** `offset` moved back over line-break characters, not before the line's start. */
function beforeEol(text: string, offset: number, lineStart: number): number {
  while (offset > lineStart && (text.charCodeAt(offset - 1) === LF || text.charCodeAt(offset - 1) === CR)) offset--;
  return offset;
}
