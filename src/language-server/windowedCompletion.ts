// Completion on a very large document (tens of megabytes) right after a keystroke. Parsing the whole
// text again takes seconds, but completion needs only the text around the cursor: the chain of
// enclosing keys above it (found by indentation: the document's chunks know the least indentation of
// their lines, so a top-level key 50 MB up costs a skip over each chunk, see chunkedDocument.ts) and
// the block the cursor is in (bounded to a window of lines). These lines make a small stand-in document with the
// same structure around the cursor; completion runs on it and its edits are moved back.
import type { CompletionList, Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './analysis';
import type { ChunkedTextDocument } from './chunkedDocument';
import { completion } from './completion';
import { guardDeepNesting } from './deepNesting';

/** How much text either side of the cursor the stand-in document keeps. */
const WINDOW_CHARS = 128 * 1024;

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  return i;
}

/** Not blank, not a comment. */
function isContent(line: string): boolean {
  const rest = line.slice(indentOf(line));
  return rest !== '' && !rest.startsWith('#');
}

/**
 * The stand-in: the enclosing key lines (outermost first), then the lines of the block the cursor is
 * in, from its parent line (or the window's start) to the block's end (or the window's end). At the
 * top level, every top-level line (what sibling keys are already there). `lineDelta` maps its line
 * numbers back to the document's.
 */
function standIn(document: ChunkedTextDocument, position: Position): { text: string; position: Position; lineDelta: number } {
  const cursorLine = position.line;
  const lineText = (line: number) => document.lineText(line);
  // As cursorContext reads it: a blank line prefix is indented as far as the cursor.
  const linePrefix = lineText(cursorLine).slice(0, position.character);
  const indent = linePrefix.trim() === '' ? linePrefix.length : indentOf(lineText(cursorLine));

  if (indent === 0) {
    const tops = document.topLevelLines().filter((l) => l !== cursorLine);
    const before = tops.filter((l) => l < cursorLine).map(lineText);
    const after = tops.filter((l) => l > cursorLine).map(lineText);
    const lines = [...before, lineText(cursorLine), ...after];
    return { text: `${lines.join('\n')}\n`, position: { line: before.length, character: position.character }, lineDelta: cursorLine - before.length };
  }

  // Enclosing lines, nearest first.
  const ancestors: number[] = [];
  for (let limit = indent, before = cursorLine; limit > 0;) {
    const line = document.previousLineIndentedLess(before, limit);
    if (line === undefined) break;
    ancestors.push(line);
    limit = indentOf(lineText(line));
    before = line;
  }
  const parent = ancestors[0];
  const cursorOffset = document.offsetAt({ line: cursorLine, character: 0 });
  // The window's first and last whole lines.
  const windowStart = Math.max(0, cursorOffset - WINDOW_CHARS);
  const firstLine = document.positionAt(windowStart).line;
  const windowEnd = cursorOffset + lineText(cursorLine).length + WINDOW_CHARS;
  const lastLine = windowEnd >= document.length ? document.lineCount - 1 : document.positionAt(windowEnd).line - 1;
  let blockStart = cursorLine;
  if (parent !== undefined && parent >= firstLine) blockStart = parent;
  else {
    // The parent is out of the window: start at the first line of the cursor's own level in it.
    for (let line = firstLine; line < cursorLine; line++) {
      const text = lineText(line);
      if (isContent(text) && indentOf(text) <= indent) {
        blockStart = line;
        break;
      }
    }
  }
  // The block ends before the next content line indented no deeper than the parent.
  const parentIndent = parent === undefined ? 0 : indentOf(lineText(parent));
  let blockEnd = lastLine;
  for (let line = cursorLine + 1; line <= lastLine; line++) {
    const text = lineText(line);
    if (isContent(text) && indentOf(text) <= parentIndent) {
      blockEnd = line - 1;
      break;
    }
  }

  const outer = ancestors.filter((a) => a < blockStart).reverse();
  const lines: string[] = outer.map(lineText);
  for (let line = blockStart; line <= blockEnd; line++) lines.push(lineText(line));
  const lineDelta = blockStart - outer.length;
  return { text: `${lines.join('\n')}\n`, position: { line: cursorLine - lineDelta, character: position.character }, lineDelta };
}

/** Ranges are shared between items (and with the request's position): each is replaced, not moved in place. */
function moved<R extends { start: Position; end: Position }>(range: R, delta: number): R {
  const move = (p: Position): Position => ({ line: p.line + delta, character: p.character });
  return { ...range, start: move(range.start), end: move(range.end) };
}

/** Completion at `position` of a large document, from a stand-in made of the text around the cursor. */
export async function windowedCompletion(document: ChunkedTextDocument, position: Position): Promise<CompletionList | null> {
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
