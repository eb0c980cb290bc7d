// Brackets nested thousands deep (`[[[[…]]]]`) overflow the stack of the recursive YAML parsers, and
// then no feature works for the document. MLflow's own reader (PyYAML) fails past about 490 levels
// (RecursionError), so nothing that deep is a usable MLflow file: the too-deep part is reported once
// and blanked (same length, newlines kept, so every position stays where it was) before parsing, and
// the rest of the document keeps its diagnostics, completion, hover and outline.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../mlflow-files';

/** Deeper than this is reported and skipped; well under what PyYAML (≈490) and our parsers (thousands) survive. */
const MAX_NESTING = 300;

interface Guarded {
  version: number;
  /** The document to analyse: the same object when nothing was too deep. */
  document: TextDocument;
  findings: Finding[];
}

const cache = new WeakMap<TextDocument, Guarded>();

/**
 * The document as the features should see it: itself, or a copy with each bracket span nested
 * deeper than MAX_NESTING blanked; with a `nesting-too-deep` finding per blanked span (at most a few).
 * Remembered per document version: TextDocuments updates documents in place.
 */
export function guardDeepNesting(document: TextDocument): Guarded {
  const cached = cache.get(document);
  if (cached && cached.version === document.version) return cached;
  const text = document.getText();
  const spans = tooDeepSpans(text);
  let result: Guarded;
  if (spans.length === 0) {
    result = { version: document.version, document, findings: [] };
  } else {
    const blanked = blank(text, spans);
    result = {
      version: document.version,
      document: TextDocument.create(document.uri, document.languageId, document.version, blanked),
      findings: spans.slice(0, 3).map(([start]) => ({
        range: { start: document.positionAt(start), end: document.positionAt(start + 1) },
        severity: 'error',
        code: 'nesting-too-deep',
        message:
          `Brackets nested more than ${MAX_NESTING} levels deep: too deep to check ` +
          "(MLflow's YAML reader fails on nesting this deep). The part inside is skipped.",
      })),
    };
  }
  cache.set(document, result);
  return result;
}

/**
 * [start, end) of every bracket that opens level MAX_NESTING + 1, through its matching close (or
 * the end of the text). A light YAML lexer: quoted scalars and comments do not count.
 */
function tooDeepSpans(text: string): [number, number][] {
  // Fast exit: fewer brackets than the limit cannot nest past it.
  let brackets = 0;
  for (let i = text.indexOf('['); i >= 0 && brackets <= MAX_NESTING; i = text.indexOf('[', i + 1)) brackets++;
  for (let i = text.indexOf('{'); i >= 0 && brackets <= MAX_NESTING; i = text.indexOf('{', i + 1)) brackets++;
  if (brackets <= MAX_NESTING) return [];
  const spans: [number, number][] = [];
  let depth = 0;
  let spanStart = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const prev = i > 0 ? text.charCodeAt(i - 1) : 10;
    const tokenStart = prev === 32 || prev === 9 || prev === 10 || prev === 13 || prev === 91 || prev === 123 || prev === 44 || prev === 58;
    if (c === 35 /* # */ && (prev === 32 || prev === 9 || prev === 10 || prev === 13)) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol - 1;
    } else if ((c === 34 /* " */ || c === 39) /* ' */ && tokenStart) {
      i = quoteEnd(text, i, c);
    } else if (c === 91 || c === 123) {
      depth++;
      if (depth === MAX_NESTING + 1 && spanStart < 0) spanStart = i;
    } else if ((c === 93 || c === 125) && depth > 0) {
      depth--;
      if (depth === MAX_NESTING && spanStart >= 0) {
        spans.push([spanStart, i + 1]);
        spanStart = -1;
      }
    }
  }
  if (spanStart >= 0) spans.push([spanStart, n]);
  return spans;
}

/** Index of the closing quote (or the end of the text); `"` knows backslash escapes, `'` doubles itself. */
function quoteEnd(text: string, start: number, quote: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote === 34 && c === 92) i++;
    else if (c === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
      else return i;
    }
  }
  return text.length;
}

function blank(text: string, spans: [number, number][]): string {
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    parts.push(text.slice(at, start), text.slice(start, end).replace(/[^\r\n]/g, ' '));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
