import { SearchSyntaxError } from './errors';

/**
 * Tokens of MLflow's filter language. It follows what MLflow's sqlparse-based parser accepts:
 * dotted identifiers whose parts may be quoted with backticks or double quotes, single-quoted
 * strings, numbers (negative and scientific), comparison operators, parentheses for IN lists.
 */
export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'keyword' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  pos: number;
  end: number;
  /** keyword: upper-cased word. */
  keyword?: string;
  /** ident: the raw text of each dot-separated part (quotes kept). */
  parts?: string[];
  /** ident: offset of each part. */
  partPos?: number[];
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ILIKE']);
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const PART_AFTER_DOT = /[A-Za-z0-9_]+/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y;
const OPERATOR = /[<>=!~]+/y;
const IDENT_CHAR = /[A-Za-z_]/;

function quotedEnd(input: string, start: number, quote: string): number {
  // MLflow (sqlparse) lets a doubled quote or a backslash-escaped quote stay inside.
  let i = start + 1;
  while (i < input.length) {
    const c = input[i];
    if (c === '\\' && quote !== '`' && i + 1 < input.length) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (input[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  const what = quote === "'" ? 'string' : quote === '"' ? 'double-quoted name or string' : 'backtick-quoted name';
  throw new SearchSyntaxError(`Unterminated ${what} starting`, start, input);
}

function describeChar(c: string): string {
  return c === "'" ? `"'"` : `'${c}'`;
}

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, pos: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === "'") {
      const end = quotedEnd(input, i, "'");
      tokens.push({ kind: 'string', text: input.slice(i, end), pos: i, end });
      i = end;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = (c === '-' || c === '.' || (c >= '0' && c <= '9')) && NUMBER.exec(input);
    if (num) {
      const end = i + num[0].length;
      if (end < n && IDENT_CHAR.test(input[end])) {
        throw new SearchSyntaxError(`Unexpected character ${describeChar(input[end])} after the number '${num[0]}'`, end, input);
      }
      tokens.push({ kind: 'number', text: num[0], pos: i, end });
      i = end;
      continue;
    }
    OPERATOR.lastIndex = i;
    const op = OPERATOR.exec(input);
    if (op) {
      i += op[0].length;
      tokens.push({ kind: 'op', text: op[0], pos: start, end: i });
      continue;
    }
    if (c === '`' || c === '"' || IDENT_CHAR.test(c)) {
      const parts: string[] = [];
      const partPos: number[] = [];
      let first = true;
      for (;;) {
        const q = input[i];
        let end: number;
        if (q === '`' || q === '"') {
          end = quotedEnd(input, i, q);
        } else {
          const re = first ? WORD : PART_AFTER_DOT;
          re.lastIndex = i;
          const m = re.exec(input);
          if (!m) {
            const found = i < n ? `found ${describeChar(input[i])}` : 'found the end of the filter';
            throw new SearchSyntaxError(`Expected a name after '${input.slice(start, i)}', ${found}`, i, input);
          }
          end = i + m[0].length;
        }
        parts.push(input.slice(i, end));
        partPos.push(i);
        i = end;
        first = false;
        if (input[i] === '.') {
          i++;
          continue;
        }
        break;
      }
      const text = input.slice(start, i);
      const upper = text.toUpperCase();
      if (parts.length === 1 && KEYWORDS.has(upper)) {
        tokens.push({ kind: 'keyword', text, pos: start, end: i, keyword: upper });
      } else {
        tokens.push({ kind: 'ident', text, pos: start, end: i, parts, partPos });
      }
      continue;
    }
    const prev = tokens[tokens.length - 1];
    const insideName = prev?.kind === 'ident' && prev.end === i;
    throw new SearchSyntaxError(
      `Unexpected character ${describeChar(c)}` + (insideName ? ` after '${prev.text}' (quote names with special characters: metrics.\`f1-score\`)` : ''),
      i,
      input,
    );
  }
  tokens.push({ kind: 'eof', text: '', pos: n, end: n });
  return tokens;
}
