// Where the cursor is in a YAML document that is being typed, found from indentation rather than from
// the parse tree: half-written lines (`  ty`, `type: `) are often not valid YAML yet, but their
// indentation already says which mapping they belong to.

export interface CursorContext {
  /** Keys of the enclosing mappings, outermost first (`['entry_points', 'main', 'parameters']`). */
  path: string[];
  /**
   * `key`: typing a key of the mapping at `path`; `value`: typing the value of the last key of `path`;
   * `flow-key` / `flow-value`: the same inside a one-line `{…}` flow mapping that is the value at `path`.
   */
  on: 'key' | 'value' | 'flow-key' | 'flow-value';
  /** The partial word before the cursor (what the completion replaces). */
  prefix: string;
  /** Column where `prefix` starts. */
  prefixStart: number;
  /** The text of the line before the cursor. */
  linePrefix: string;
  /** Indentation of the line the cursor is on (or the column of a blank line's cursor). */
  indent: number;
  /** Keys already present in the mapping the cursor is typing into (for `key`). */
  siblings: string[];
}

const KEY_LINE = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s#'"{}[\],][^#{}[\],:]*?)\s*:(?:\s|$)/;

function keyOf(line: string): { indent: number; key: string } | undefined {
  const match = KEY_LINE.exec(line);
  if (!match) return undefined;
  let key = match[2].trim();
  if ((key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'"))) key = key.slice(1, -1);
  return { indent: match[1].length, key };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

/** Keys of the enclosing mappings of a line with the given indentation, by scanning upward. */
function parentPath(lines: string[], lineIndex: number, indent: number): string[] {
  const path: string[] = [];
  let limit = indent;
  for (let i = lineIndex - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i];
    if (isBlankOrComment(line)) continue;
    const lineIndent = indentOf(line);
    if (lineIndent >= limit) continue;
    const key = keyOf(line);
    // A less indented line that is not `key:` (a list item, a scalar continuation) still bounds the scope.
    if (key) path.unshift(key.key);
    limit = lineIndent;
  }
  return path;
}

/** Sibling keys at `indent` within the block that starts after the parent line. */
function siblingKeys(lines: string[], lineIndex: number, indent: number): string[] {
  const keys: string[] = [];
  const collect = (i: number) => {
    const line = lines[i];
    if (isBlankOrComment(line)) return true;
    const lineIndent = indentOf(line);
    if (lineIndent < indent) return false;
    if (lineIndent === indent) {
      const key = keyOf(line);
      if (key) keys.push(key.key);
    }
    return true;
  };
  for (let i = lineIndex - 1; i >= 0 && collect(i); i--);
  for (let i = lineIndex + 1; i < lines.length && collect(i); i++);
  return keys;
}

export function cursorContext(text: string, line: number, character: number): CursorContext {
  const lines = text.split(/\r\n|\r|\n/);
  // A position past the end (the LSP spec allows it) is the end.
  if (!(line < lines.length)) [line, character] = [lines.length - 1, lines[lines.length - 1].length];
  if (!(line >= 0)) [line, character] = [0, 0];
  const current = lines[line];
  const linePrefix = current.slice(0, character);
  const wordMatch = /[\w.\-/]*$/.exec(linePrefix);
  const prefix = wordMatch ? wordMatch[0] : '';
  const prefixStart = character - prefix.length;
  const blank = linePrefix.trim() === '';
  const indent = blank ? linePrefix.length : indentOf(current);

  // Inside a one-line flow mapping `name: {type: fl‸`.
  const flow = /^(\s*)(?:-\s+)?([^\s#{}:][^#{}:]*?)\s*:\s*\{([^{}]*)$/.exec(linePrefix);
  if (flow) {
    const parents = parentPath(lines, line, flow[1].length);
    const inner = flow[3];
    const lastEntry = inner.split(',').pop() ?? '';
    const colon = lastEntry.indexOf(':');
    const path = [...parents, flow[2].trim()];
    if (colon >= 0) return { path: [...path, lastEntry.slice(0, colon).trim()], on: 'flow-value', prefix, prefixStart, linePrefix, indent, siblings: [] };
    const siblings = inner
      .split(',')
      .map((entry) => entry.split(':')[0].trim())
      .filter(Boolean);
    return { path, on: 'flow-key', prefix, prefixStart, linePrefix, indent, siblings };
  }

  const key = keyOf(linePrefix);
  if (key && !blank) {
    // `key: value‸`: the value of this key.
    return { path: [...parentPath(lines, line, key.indent), key.key], on: 'value', prefix, prefixStart, linePrefix, indent: key.indent, siblings: [] };
  }
  const parents = parentPath(lines, line, indent);
  // A continuation line of a multi-line value (a block scalar, a folded command): its parent key's value.
  const trimmed = linePrefix.trimStart();
  const typingKey = blank || /^(?:-\s+)?[\w.\-"']*$/.test(trimmed);
  if (!typingKey && parents.length) {
    return { path: parents, on: 'value', prefix, prefixStart, linePrefix, indent, siblings: [] };
  }
  if (parents.length && isMultiLineValue(lines, line, indent)) {
    return { path: parents, on: 'value', prefix, prefixStart, linePrefix, indent, siblings: [] };
  }
  return { path: parents, on: 'key', prefix, prefixStart, linePrefix, indent, siblings: siblingKeys(lines, line, indent) };
}

/** The parent line ends in a block scalar indicator (`command: |`, `command: >-`) or an unfinished quote. */
function isMultiLineValue(lines: string[], lineIndex: number, indent: number): boolean {
  for (let i = lineIndex - 1; i >= 0; i--) {
    const line = lines[i];
    if (isBlankOrComment(line)) continue;
    if (indentOf(line) >= indent) {
      // A previous continuation line of the same value.
      if (!keyOf(line)) continue;
      return false;
    }
    const key = keyOf(line);
    if (!key) return false;
    const value = line.slice(line.indexOf(':', key.indent + key.key.length) + 1).trim();
    return (
      /^[|>][-+0-9]*\s*(#.*)?$/.test(value) ||
      (/^"/.test(value) && !/"\s*(#.*)?$/.test(value.slice(1))) ||
      (/^'/.test(value) && !/'\s*(#.*)?$/.test(value.slice(1)))
    );
  }
  return false;
}
