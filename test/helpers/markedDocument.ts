/**
 * The one parser of marked test documents: `«…»` encloses an expected range, `‸` marks a cursor
 * (not `|`, which is YAML's literal block indicator). Positions are 0-based lines and UTF-16
 * characters, as in LSP.
 */

interface Position {
  line: number;
  character: number;
}

interface MarkedRange {
  start: Position;
  end: Position;
}

export const CURSOR = '‸';

/** Strips the markers; `ranges` in document order (by start), `positions` of the cursors in order. */
export function parseMarked(source: string): { text: string; ranges: MarkedRange[]; positions: Position[] } {
  let text = '';
  let line = 0;
  let character = 0;
  const ranges: MarkedRange[] = [];
  const positions: Position[] = [];
  const open: Position[] = [];
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
    if (ch === CURSOR) {
      positions.push({ line, character });
      continue;
    }
    text += ch;
    if (ch === '\n') {
      line++;
      character = 0;
    } else character += ch.length;
  }
  if (open.length) throw new Error('unbalanced « in test document');
  // Ranges are pushed when they close; sorted by start so a table of expectations reads in document order.
  ranges.sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
  return { text, ranges, positions };
}
