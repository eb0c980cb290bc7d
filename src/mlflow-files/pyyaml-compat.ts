// Where PyYAML, which MLflow reads these files with, and the `yaml` package disagree on syntax:
// - PyYAML ignores indentation inside quoted scalars and flow collections, so a continuation line
//   indented less than its key (or by a tab) is fine for MLflow, while the `yaml` package rejects it.
//   `pyyamlRepair` re-indents those lines so that the `yaml` package reads what PyYAML reads.
// - PyYAML allows a tab only inside quoted scalars, comments and block-scalar content; anywhere else
//   (`key:\tvalue`, a trailing tab, a line holding a tab) it fails with "found character '\t' that
//   cannot start any token", and a line opening with `: ` (a value without a key) fails too; the `yaml`
//   package accepts both. `pyyamlProblems` finds them.
// - Inside brackets PyYAML (YAML 1.1) reads every `?` as the explicit-key indicator, also in the middle
//   of a word (`{type: float?}`), and fails unless it opens an entry; YAML 1.2 reads it as text.

interface Continuation {
  /** Offset of the line start. */
  lineStart: number;
  /** Length of the line's leading whitespace. */
  indent: number;
  /** The line's leading whitespace has a tab. */
  hasTab: boolean;
  /** Column of the quote or bracket that opened the construct the line continues. */
  openColumn: number;
}

interface Scan {
  continuations: Continuation[];
  badTabs: number[];
  /** A `: ` that opens a line: a value without a key, which PyYAML does not parse (`expected <block end>`). */
  emptyKeys: number[];
  /** A `?` inside brackets that does not open an entry (`expected ',' or '}', but got '?'`). */
  flowQuestionMarks: number[];
  /** A quote or bracket is still open at the end: PyYAML fails too, and there is nothing to repair. */
  unterminated: boolean;
}

const FLOW_OPEN = new Set(['[', '{']);
const FLOW_CLOSE = new Set([']', '}']);

/** A character after which a quote or `|`/`>` starts a token (with whitespace in between or not). */
function startsToken(text: string, lineStart: number, at: number, inFlow: boolean): boolean {
  let i = at - 1;
  while (i >= lineStart && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i < lineStart) return true;
  const before = text[i];
  if (before === '[' || before === '{' || before === ',') return inFlow || before !== ',';
  if (i === at - 1) return false; // `a'b`: a quote inside a plain scalar
  return before === ':' || before === '-' || before === '?';
}

function leadingSpaces(text: string, lineStart: number): number {
  let i = lineStart;
  while (text[i] === ' ') i++;
  return i - lineStart;
}

function scan(text: string): Scan {
  const continuations: Continuation[] = [];
  const badTabs: number[] = [];
  const emptyKeys: number[] = [];
  const flowQuestionMarks: number[] = [];
  /** Inside brackets: the last character that was not whitespace or a comment (a quoted scalar counts as its quote). */
  let flowPrevious = '';
  /** The first character of the last line that held something (`?` before a `:` line is an explicit key). */
  let lastLineStartChar = '';
  const n = text.length;
  let lineStart = 0;
  let flowDepth = 0;
  let flowOpenColumn = 0;
  /** Inside a multi-line quoted scalar: its quote character and the column it opened at. */
  let quote: { char: string; column: number } | undefined;
  /** Block scalar content: lines indented more than this belong to it. */
  let blockParentIndent: number | undefined;
  let i = 0;
  const startLine = () => {
    lineStart = i;
    if (blockParentIndent !== undefined) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      const line = text.slice(i, end);
      if (/^[ ]*\r?$/.test(line) || leadingSpaces(text, i) > blockParentIndent) {
        i = end; // content (or a blank line inside it): tabs are text
        return;
      }
      blockParentIndent = undefined;
    }
    if (quote || flowDepth > 0) {
      let j = i;
      let hasTab = false;
      while (text[j] === ' ' || text[j] === '\t') {
        if (text[j] === '\t') hasTab = true;
        j++;
      }
      continuations.push({ lineStart: i, indent: j - i, hasTab, openColumn: quote ? quote.column : flowOpenColumn });
      if (quote) i = j; // leading whitespace of a quoted continuation is folded away, tabs included
      return;
    }
    const first = i + leadingSpaces(text, i);
    const c = text[first];
    if (c === ':' && (first + 1 >= n || /[ \t\r\n]/.test(text[first + 1])) && lastLineStartChar !== '?') emptyKeys.push(first);
    if (c !== undefined && c !== '\n' && c !== '\r' && c !== '#') lastLineStartChar = c;
  };
  startLine();
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      i++;
      startLine();
      continue;
    }
    if (quote) {
      if (quote.char === "'" && c === "'") {
        if (text[i + 1] === "'") i += 2;
        else {
          quote = undefined;
          i++;
        }
        continue;
      }
      if (quote.char === '"' && c === '\\') {
        // An escaped line break still starts a continuation line; any other escape skips its character.
        i += text[i + 1] === '\n' || text[i + 1] === '\r' ? 1 : 2;
        continue;
      }
      if (quote.char === '"' && c === '"') quote = undefined;
      i++;
      continue;
    }
    if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if ((c === "'" || c === '"') && startsToken(text, lineStart, i, flowDepth > 0)) {
      quote = { char: c, column: i - lineStart };
      flowPrevious = c;
      i++;
      continue;
    }
    if (FLOW_OPEN.has(c) && (flowDepth > 0 || startsToken(text, lineStart, i, false))) {
      if (flowDepth === 0) flowOpenColumn = i - lineStart;
      flowDepth++;
      flowPrevious = c;
      i++;
      continue;
    }
    if (FLOW_CLOSE.has(c) && flowDepth > 0) {
      flowDepth--;
      flowPrevious = c;
      i++;
      continue;
    }
    if ((c === '|' || c === '>') && flowDepth === 0 && startsToken(text, lineStart, i, false)) {
      // A block scalar header ends its line (indicators, then maybe a comment); its content follows.
      const rest = /^[|>][0-9+-]*[ \t]*(#[^\n]*)?\r?(\n|$)/.exec(text.slice(i, i + 64));
      if (rest) {
        blockParentIndent = leadingSpaces(text, lineStart);
        i += rest[0].length - (rest[2] === '\n' ? 1 : 0);
        continue;
      }
    }
    if (c === '\t') badTabs.push(i);
    else if (flowDepth > 0 && c !== ' ' && c !== '\r') {
      if (c === '?' && flowPrevious !== '{' && flowPrevious !== '[' && flowPrevious !== ',') flowQuestionMarks.push(i);
      flowPrevious = c;
    }
    i++;
  }
  return { continuations, badTabs, emptyKeys, flowQuestionMarks, unterminated: quote !== undefined || flowDepth > 0 };
}

export interface PyyamlProblem {
  offset: number;
  length: number;
  message: string;
  /** Text that fixes it in place, when there is an obvious one (a space for a tab). */
  replacement?: string;
}

const TAB_MESSAGE =
  'Invalid YAML for MLflow: PyYAML, which MLflow reads the file with, allows a tab only inside quotes, comments and block text ("found character \'\\t\' that cannot start any token"). Use spaces.';
const FLOW_QUESTION_MARK_MESSAGE =
  "Invalid YAML for MLflow: inside brackets PyYAML, which MLflow reads the file with, takes '?' for the mark of a key and fails here (\"expected ',' or '}', but got '?'\"). Quote the value that holds it.";
const EMPTY_KEY_MESSAGE =
  'Invalid YAML for MLflow: a value without a key; PyYAML, which MLflow reads the file with, fails here ("expected <block end>, but found \':\'").';

/** Syntax PyYAML rejects although the `yaml` package accepts it (at most `limit`). Cheap for ordinary text. */
export function pyyamlProblems(text: string, limit = 3): PyyamlProblem[] {
  if (!text.includes('\t') && !/^[ ]*:(?:[ \t\r\n]|$)/m.test(text) && !(text.includes('?') && /[[{]/.test(text))) return [];
  const { badTabs, emptyKeys, flowQuestionMarks } = scan(text);
  return [
    ...badTabs.map((offset) => ({ offset, length: 1, message: TAB_MESSAGE, replacement: ' ' })),
    ...emptyKeys.map((offset) => ({ offset, length: 1, message: EMPTY_KEY_MESSAGE })),
    ...flowQuestionMarks.map((offset) => ({ offset, length: 1, message: FLOW_QUESTION_MARK_MESSAGE })),
  ]
    .sort((a, b) => a.offset - b.offset)
    .slice(0, limit);
}

export interface Repair {
  text: string;
  /** Maps an offset in the repaired text to the original text. */
  toOriginal(offset: number): number;
}

/**
 * The text with each continuation line of a multi-line quoted scalar or flow collection indented with
 * spaces up to the column its construct opened at, when it was indented less or with a tab; undefined
 * when no line needs it.
 */
export function pyyamlRepair(text: string): Repair | undefined {
  const edits: { start: number; oldLength: number; newLength: number }[] = [];
  const { continuations, unterminated } = scan(text);
  // A quote left open while typing would make every later line a "continuation" and cost a full re-parse.
  if (unterminated) return undefined;
  let repaired = '';
  let copied = 0;
  for (const line of continuations) {
    const wanted = Math.max(line.openColumn, 1);
    if (!line.hasTab && line.indent >= wanted) continue;
    const lineEnd = text.indexOf('\n', line.lineStart);
    const blank = text.slice(line.lineStart + line.indent, lineEnd < 0 ? text.length : lineEnd).trim() === '';
    const replacement = blank ? '' : ' '.repeat(Math.max(wanted, line.indent));
    repaired += text.slice(copied, line.lineStart) + replacement;
    copied = line.lineStart + line.indent;
    edits.push({ start: line.lineStart, oldLength: line.indent, newLength: replacement.length });
  }
  if (!edits.length) return undefined;
  repaired += text.slice(copied);
  return {
    text: repaired,
    toOriginal(offset) {
      let shift = 0;
      for (const edit of edits) {
        const start = edit.start + shift;
        if (offset < start) break;
        if (offset < start + edit.newLength) return edit.start + Math.min(offset - start, edit.oldLength);
        shift += edit.newLength - edit.oldLength;
      }
      return offset - shift;
    },
  };
}
