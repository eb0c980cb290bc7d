// Completion on a very large document (tens of megabytes) right after a keystroke. Parsing the whole
// text again takes seconds, but completion needs only the text around the cursor: the chain of
// enclosing keys above it (found by indentation, searching backwards in growing slices, so a
// top-level key 50 MB up costs one regex pass and a nearby one almost nothing) and the block the
// cursor is in (bounded to a window of lines). These lines make a small stand-in document with the
// same structure around the cursor; completion runs on it and its edits are moved back.
import type { CompletionList, Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './analysis';
import { completion } from './completion';
import { guardDeepNesting } from './deepNesting';

/** How much text either side of the cursor the stand-in document keeps. */
const WINDOW_CHARS = 128 * 1024;
const FIRST_SLICE = 8 * 1024;

/**
 * `\n` then a content line indented less than `limit`, one regex per limit, kept: V8 runs a new
 * regex interpreted first (about 1 s over 50 MB) and compiles it to machine code once it has run.
 */
const lessIndented = new Map<number, RegExp>();
function lessIndentedThan(limit: number): RegExp {
  let re = lessIndented.get(limit);
  if (!re) lessIndented.set(limit, (re = new RegExp(`\\n[ \\t]{0,${limit - 1}}(?=[^ \\t\\r\\n#])`, 'g')));
  return re;
}

/** Start of the last line before `before` indented less than `limit` that holds content (not blank, not a comment). */
function lastLineIndentedLess(text: string, before: number, limit: number): number | undefined {
  const re = lessIndentedThan(limit);
  // Backwards in slices that double: a near parent costs almost nothing, a far one one pass.
  for (let size = FIRST_SLICE, end = before; end > 0; size *= 2) {
    const start = Math.max(0, end - size);
    const slice = text.slice(Math.max(0, start - 1), end);
    let found = -1;
    re.lastIndex = 0;
    for (let m = re.exec(slice); m; m = re.exec(slice)) found = m.index;
    if (found >= 0) return Math.max(0, start - 1) + found + 1;
    if (start === 0) return indentAt(text, 0) < limit && !/^\s*(#|$)/.test(text.slice(0, lineEnd(text, 0))) ? 0 : undefined;
    end = start;
  }
  return undefined;
}

/** Starts of every content line at the top level (indentation 0). */
function topLevelLines(text: string): number[] {
  const out = /^[^ \t\r\n#]/.test(text) ? [0] : [];
  const re = lessIndentedThan(1);
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index + 1);
  return out;
}

function indentAt(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i - lineStart;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/**
 * The stand-in: the enclosing key lines (outermost first), then the lines of the block the cursor is
 * in, from its parent line (or the window's start) to the block's end (or the window's end). At the
 * top level, every top-level line (what sibling keys are already there). `lineDelta` maps its line
 * numbers back to the document's.
 */
function standIn(document: TextDocument, position: Position): { text: string; position: Position; lineDelta: number } {
  const text = document.getText();
  const cursorLineStart = document.offsetAt({ line: position.line, character: 0 });
  const cursorLineEnd = lineEnd(text, cursorLineStart);
  const lineOf = (offset: number) => text.slice(offset, lineEnd(text, offset));
  // As cursorContext reads it: a blank line prefix is indented as far as the cursor.
  const linePrefix = text.slice(cursorLineStart, cursorLineStart + position.character);
  const indent = linePrefix.trim() === '' ? linePrefix.length : indentAt(text, cursorLineStart);

  if (indent === 0) {
    const tops = topLevelLines(text).filter((o) => o !== cursorLineStart);
    const before = tops.filter((o) => o < cursorLineStart).map(lineOf);
    const after = tops.filter((o) => o > cursorLineStart).map(lineOf);
    const lines = [...before, lineOf(cursorLineStart), ...after];
    return { text: `${lines.join('\n')}\n`, position: { line: before.length, character: position.character }, lineDelta: position.line - before.length };
  }

  // Enclosing lines, nearest first.
  const ancestors: number[] = [];
  for (let limit = indent, before = cursorLineStart; limit > 0;) {
    const start = lastLineIndentedLess(text, before, limit);
    if (start === undefined) break;
    ancestors.push(start);
    limit = indentAt(text, start);
    before = start;
  }
  const parent = ancestors[0];
  const windowStart = text.lastIndexOf('\n', Math.max(0, cursorLineStart - WINDOW_CHARS)) + 1;
  let blockStart = cursorLineStart;
  if (parent !== undefined && parent >= windowStart) blockStart = parent;
  else if (windowStart < cursorLineStart) {
    // The parent is out of the window: start at the first line of the cursor's own level in it.
    const sibling = lessIndentedThan(indent + 1);
    sibling.lastIndex = Math.max(0, windowStart - 1);
    const m = sibling.exec(text);
    if (m && m.index < cursorLineStart) blockStart = m.index + 1;
  }
  // The block ends at the next content line indented no deeper than the parent.
  const parentIndent = parent === undefined ? 0 : indentAt(text, parent);
  const afterCursor = text.slice(cursorLineEnd, Math.min(text.length, cursorLineEnd + WINDOW_CHARS));
  const nextOutside = lessIndentedThan(parentIndent + 1);
  nextOutside.lastIndex = 0;
  const next = nextOutside.exec(afterCursor);
  let blockEnd: number;
  if (next) blockEnd = cursorLineEnd + next.index;
  else if (cursorLineEnd + afterCursor.length >= text.length) blockEnd = text.length;
  else blockEnd = cursorLineEnd + Math.max(0, afterCursor.lastIndexOf('\n'));

  const outer = ancestors
    .filter((a) => a < blockStart)
    .reverse()
    .map(lineOf);
  const lineDelta = document.positionAt(blockStart).line - outer.length;
  const standInText = `${outer.map((l) => `${l}\n`).join('')}${text.slice(blockStart, blockEnd)}\n`;
  return { text: standInText, position: { line: position.line - lineDelta, character: position.character }, lineDelta };
}

/** Ranges are shared between items (and with the request's position): each is replaced, not moved in place. */
function moved<R extends { start: Position; end: Position }>(range: R, delta: number): R {
  const move = (p: Position): Position => ({ line: p.line + delta, character: p.character });
  return { ...range, start: move(range.start), end: move(range.end) };
}

/** Completion at `position` of a large document, from a stand-in made of the text around the cursor. */
export async function windowedCompletion(document: TextDocument, position: Position): Promise<CompletionList | null> {
  const { text, position: inStandIn, lineDelta } = standIn(document, position);
  const small = TextDocument.create(document.uri, document.languageId, document.version, text);
  const analyzed = new AnalysisCache().get(guardDeepNesting(small).document);
  if (!analyzed) return null;
  const list = await completion(analyzed, inStandIn);
  for (const item of list?.items ?? []) {
    const edit = item.textEdit;
    if (edit && 'range' in edit) item.textEdit = { ...edit, range: moved(edit.range, lineDelta) };
    else if (edit) item.textEdit = { ...edit, insert: moved(edit.insert, lineDelta), replace: moved(edit.replace, lineDelta) };
    item.additionalTextEdits = item.additionalTextEdits?.map((e) => ({ ...e, range: moved(e.range, lineDelta) }));
    if (!item.additionalTextEdits) delete item.additionalTextEdits;
  }
  return list;
}
