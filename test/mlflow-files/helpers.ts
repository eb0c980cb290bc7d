// Helpers of the mlflow-files tests: in-memory project files, edits applied, ranges as text.
// Marked documents («…» ranges) are parsed by test/helpers/markedDocument.ts.
import type { ProjectFiles, Range, TextEdit } from '../../src/mlflow-files';

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
