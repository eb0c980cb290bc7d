import { SearchSyntaxError } from './errors';
import { tokenize, type Token } from './lexer';

/** One `identifier comparator value` condition, before a dialect gives it meaning. */
export interface RawClause {
  ident: Token;
  /** Upper-cased comparator: '=', '<=', 'LIKE', 'ILIKE', 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL', or whatever operator was typed. */
  comparator: string;
  comparatorPos: number;
  value?: RawValue;
}

export type RawValue =
  | { kind: 'string'; text: string; value: string; pos: number }
  /** A double-quoted or bare word on the right side; MLflow takes it only if it is quoted. */
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'number'; text: string; value: number; pos: number }
  | { kind: 'list'; text: string; values: string[]; pos: number };

function describe(t: Token): string {
  return t.kind === 'eof' ? 'the end of the filter' : `'${t.text}'`;
}

/** Strips one pair of matching outer quotes, as MLflow does (no unescaping of the inside). */
export function stripQuotes(s: string): string {
  if (s.length >= 2) {
    const q = s[0];
    if ((q === "'" || q === '"' || q === '`') && s[s.length - 1] === q) return s.slice(1, -1);
  }
  return s;
}

/** A Python string literal's value (for IN lists, which MLflow reads with `ast.literal_eval`). */
function pythonStringValue(text: string): string {
  const inner = text.slice(1, -1);
  return inner.replace(/\\(.)|''|""/gs, (m, esc: string | undefined) => {
    if (esc === undefined) return m[0];
    switch (esc) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      default:
        return esc;
    }
  });
}

export function parseClauses(input: string): RawClause[] {
  const tokens = tokenize(input);
  let i = 0;
  const peek = (): Token => tokens[i];
  const next = (): Token => tokens[i++];
  const fail = (reason: string, at: Token | number): never => {
    throw new SearchSyntaxError(reason, typeof at === 'number' ? at : at.pos, input);
  };

  const parseList = (open: Token, after: string): RawValue => {
    const values: string[] = [];
    for (;;) {
      const t = next();
      if (t.kind === 'rparen' && values.length === 0) {
        fail('While parsing a list in the query, expected a non-empty list of string values, but got empty list', open);
      }
      if (t.kind === 'string' || (t.kind === 'ident' && t.parts!.length === 1 && t.text.startsWith('"'))) {
        values.push(pythonStringValue(t.text));
      } else {
        fail(`Expected a quoted string in the list after '${after}', found ${describe(t)}`, t);
      }
      const sep = next();
      if (sep.kind === 'rparen') break;
      if (sep.kind === 'comma') {
        if (peek().kind === 'rparen') {
          next();
          break;
        }
        continue;
      }
      fail(`Expected ',' or ')' in the list, found ${describe(sep)}`, sep);
    }
    const close = tokens[i - 1];
    return { kind: 'list', text: input.slice(open.pos, close.end), values, pos: open.pos };
  };

  const parseValue = (after: Token): RawValue => {
    const t = next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', text: t.text, value: t.text.slice(1, -1), pos: t.pos };
      case 'number':
        return { kind: 'number', text: t.text, value: Number(t.text), pos: t.pos };
      case 'ident':
        return { kind: 'ident', text: t.text, pos: t.pos };
      case 'lparen':
        return parseList(t, after.text);
      default:
        return fail(`Expected a value after '${after.text}', found ${describe(t)}`, t);
    }
  };

  const parseClause = (): RawClause => {
    const ident = next();
    if (ident.kind !== 'ident') {
      fail(`Expected a name such as metrics.rmse, params.lr, tags."mlflow.runName" or attributes.status, found ${describe(ident)}`, ident);
    }
    const op = next();
    if (op.kind === 'op') {
      return { ident, comparator: op.text, comparatorPos: op.pos, value: parseValue(op) };
    }
    if (op.kind === 'keyword') {
      switch (op.keyword) {
        case 'LIKE':
        case 'ILIKE':
          return { ident, comparator: op.keyword, comparatorPos: op.pos, value: parseValue(op) };
        case 'IN': {
          const open = next();
          if (open.kind !== 'lparen') fail(`Expected a parenthesized list after 'IN', found ${describe(open)}`, open);
          return { ident, comparator: 'IN', comparatorPos: op.pos, value: parseList(open, op.text) };
        }
        case 'NOT': {
          const inKw = next();
          if (inKw.keyword !== 'IN') fail(`Expected IN after 'NOT', found ${describe(inKw)}`, inKw);
          const open = next();
          if (open.kind !== 'lparen') fail(`Expected a parenthesized list after 'NOT IN', found ${describe(open)}`, open);
          return { ident, comparator: 'NOT IN', comparatorPos: op.pos, value: parseList(open, 'NOT IN') };
        }
        case 'IS': {
          let t = next();
          let comparator = 'IS NULL';
          if (t.keyword === 'NOT') {
            comparator = 'IS NOT NULL';
            t = next();
          }
          if (t.keyword !== 'NULL') fail(`Expected NULL after '${input.slice(op.pos, tokens[i - 2].end)}', found ${describe(t)}`, t);
          return { ident, comparator, comparatorPos: op.pos };
        }
      }
    }
    return fail(`Expected a comparison operator after '${ident.text}', found ${describe(op)}`, op);
  };

  const clauses: RawClause[] = [];
  if (peek().kind === 'eof') return clauses;
  for (;;) {
    clauses.push(parseClause());
    const t = next();
    if (t.kind === 'eof') break;
    if (t.keyword === 'AND') {
      if (peek().kind === 'eof') fail("Expected a condition after 'AND'", peek());
      continue;
    }
    if (t.keyword === 'OR') fail('MLflow search filters do not support OR; join conditions with AND', t);
    fail(`Expected AND or the end of the filter, found ${describe(t)}`, t);
  }
  return clauses;
}

/** An order_by entry split like MLflow does: a key (quotes removed) and an optional ASC/DESC. */
export interface RawOrderBy {
  key: string;
  keyPos: number;
  ascending: boolean;
}

/**
 * MLflow turns backticks into double quotes and splits the clause shell-style, so a quoted part
 * joins the text around it: metrics.`f1 score` DESC gives ['metrics.f1 score', 'DESC'].
 */
export function parseOrderByString(input: string): RawOrderBy {
  const words: { text: string; pos: number }[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && /\s/.test(input[i])) i++;
    if (i >= n) break;
    const pos = i;
    let text = '';
    while (i < n && !/\s/.test(input[i])) {
      const c = input[i];
      if (c === '"' || c === "'" || c === '`') {
        const end = c === "'" ? input.indexOf("'", i + 1) : findClose(input, i + 1);
        if (end < 0) throw new SearchSyntaxError(`Invalid order_by clause '${input}'. Could not be parsed.`, i, input);
        text += input.slice(i + 1, end);
        i = end + 1;
      } else {
        text += c;
        i++;
      }
    }
    words.push({ text, pos });
  }
  if (words.length === 0 || words.length > 2) {
    throw new SearchSyntaxError(`Invalid order_by clause '${input}'. Could not be parsed.`, words.length === 0 ? 0 : words[2].pos, input);
  }
  let ascending = true;
  if (words.length === 2) {
    const dir = words[1].text.toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') {
      throw new SearchSyntaxError(`Invalid ordering key in order_by clause '${input}'.`, words[1].pos, input);
    }
    ascending = dir === 'asc';
  }
  return { key: words[0].text.trim(), keyPos: words[0].pos, ascending };
}

/** Backticks and double quotes both close on either (MLflow maps ` to " before splitting). */
function findClose(input: string, from: number): number {
  for (let j = from; j < input.length; j++) if (input[j] === '"' || input[j] === '`') return j;
  return -1;
}
