// Range arithmetic on LSP positions (0-based lines, UTF-16 characters).
import type { Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** True when `position` is inside `range`, both ends included (a cursor right after a word is on it). */
export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

export function rangesIntersect(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

export function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

/**
 * The position itself when it lies in the document, else the nearest one that does: the LSP spec
 * reads a character past the line's end as the line's end; a line past the last is the document's end.
 */
export function clampPosition(document: TextDocument, position: Position): Position {
  const whole = (n: number) => (Number.isFinite(n) && n > 0 ? Math.trunc(n) : 0);
  const clamped = document.positionAt(document.offsetAt({ line: whole(position.line), character: whole(position.character) }));
  return clamped.line === position.line && clamped.character === position.character ? position : clamped;
}
