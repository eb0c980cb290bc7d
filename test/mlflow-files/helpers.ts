// Inline documents with range markers: «…» marks an expected range (in order of appearance).
import type { ProjectFiles, Range, TextEdit } from '../../src/mlflow-files';

export interface MarkedDocument {
  text: string;
  ranges: Range[];
}

/** Strips «…» markers and returns the text with the 0-based ranges they enclosed. */
export function marked(source: string): MarkedDocument {
  let text = '';
  let line = 0;
  let character = 0;
  const ranges: Range[] = [];
  const open: { line: number; character: number }[] = [];
  for (const ch of source) {
    if (ch === '«') {
      open.push({ line, character });
      continue;
    }
    if (ch === '»') {
      const start = open.pop();
      if (!start) throw new Error('unbalanced » in test document');
      ranges.push({ start, end: { line, character } });
      continue;
    }
    text += ch;
    if (ch === '\n') {
      line++;
      character = 0;
    } else character += ch.length;
  }
  if (open.length) throw new Error('unbalanced « in test document');
  // Ranges are pushed when they close; sort by start so the table reads in document order.
  ranges.sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
  return { text, ranges };
}

/** In-memory ProjectFiles: the given paths exist with the given contents. */
export function memoryFiles(files: Record<string, string>): ProjectFiles {
  const normal = (p: string) => p.replace(/^\.\//, '').replace(/\/$/, '');
  const names = new Map(Object.entries(files).map(([name, text]) => [normal(name), text]));
  return {
    exists: async (p) => names.has(normal(p)) || [...names.keys()].some((n) => n.startsWith(`${normal(p)}/`)),
    readText: async (p) => names.get(normal(p)),
  };
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => {
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i].length + 1;
    return Math.min(o + p.character, text.length);
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

export function rangeText(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}
