// Parses an entry point's `command` the way Python's `str.format` does, because MLflow builds the
// command with `command.format(**params)`: every replacement field must name a declared parameter,
// literal braces must be doubled, and `{}` / `{0}` fail (there are no positional arguments).

export interface FormatField {
  /** Offsets in the command string, braces included. */
  start: number;
  end: number;
  /** The first part of the field name (`alpha` in `{alpha.real}`); empty for `{}`. */
  argName: string;
  /** The full field name (`alpha.real`, `alpha[0]`). */
  fieldName: string;
  /** What follows the argument name: `.attr` or `[index]` parts, as written. */
  accessors: string;
  conversion?: string;
  formatSpec?: string;
  /** True when the field is nested inside another field's format spec. */
  nested: boolean;
  /** The character before `{` is `$`: a shell `${VAR}` that str.format reads as a field. */
  afterDollar: boolean;
}

export type FormatErrorKind = 'single-close' | 'single-open' | 'unclosed' | 'bad-conversion' | 'conversion-not-last';

export interface FormatError {
  start: number;
  end: number;
  kind: FormatErrorKind;
  /** Python's own message. */
  pythonMessage: string;
}

export interface ParsedTemplate {
  fields: FormatField[];
  errors: FormatError[];
}

/**
 * Mirrors CPython's MarkupIterator: literal text with `{{`/`}}` escapes, then fields whose extent is
 * found by counting nested braces. Parsing stops at the first error, as `str.format` does.
 */
export function parseFormatTemplate(command: string): ParsedTemplate {
  const fields: FormatField[] = [];
  const errors: FormatError[] = [];
  let i = 0;
  const n = command.length;
  while (i < n) {
    const c = command[i];
    if (c === '}') {
      if (command[i + 1] === '}') {
        i += 2;
        continue;
      }
      errors.push({ start: i, end: i + 1, kind: 'single-close', pythonMessage: "ValueError: Single '}' encountered in format string" });
      break;
    }
    if (c !== '{') {
      i++;
      continue;
    }
    if (command[i + 1] === '{') {
      i += 2;
      continue;
    }
    if (i + 1 >= n) {
      errors.push({ start: i, end: i + 1, kind: 'single-open', pythonMessage: "ValueError: Single '{' encountered in format string" });
      break;
    }
    // Find the closing brace, counting nested ones (format specs may hold nested fields).
    let depth = 1;
    let j = i + 1;
    while (j < n && depth > 0) {
      if (command[j] === '{') depth++;
      else if (command[j] === '}') depth--;
      if (depth > 0) j++;
    }
    if (depth > 0) {
      errors.push({ start: i, end: n, kind: 'unclosed', pythonMessage: "ValueError: expected '}' before end of string" });
      break;
    }
    const error = parseField(command, i, j + 1, false, fields);
    if (error) {
      errors.push(error);
      break;
    }
    i = j + 1;
  }
  return { fields, errors };
}

function parseField(command: string, start: number, end: number, nested: boolean, out: FormatField[]): FormatError | undefined {
  const body = command.slice(start + 1, end - 1);
  // The field name ends at the first `!` or `:` outside square brackets.
  let k = 0;
  let inBracket = false;
  while (k < body.length) {
    const ch = body[k];
    if (ch === '[') inBracket = true;
    else if (ch === ']') inBracket = false;
    else if (!inBracket && (ch === '!' || ch === ':')) break;
    k++;
  }
  const fieldName = body.slice(0, k);
  let conversion: string | undefined;
  let formatSpec: string | undefined;
  let specStart = -1;
  if (body[k] === '!') {
    if (k + 1 >= body.length) {
      return { start, end, kind: 'bad-conversion', pythonMessage: 'ValueError: end of string while looking for conversion specifier' };
    }
    conversion = body[k + 1];
    if (k + 2 < body.length && body[k + 2] !== ':') {
      return { start, end, kind: 'conversion-not-last', pythonMessage: "ValueError: expected ':' after conversion specifier" };
    }
    if (!'rsa'.includes(conversion)) {
      return { start, end, kind: 'bad-conversion', pythonMessage: `ValueError: Unknown conversion specifier ${conversion}` };
    }
    if (body[k + 2] === ':') specStart = k + 3;
  } else if (body[k] === ':') {
    specStart = k + 1;
  }
  if (specStart >= 0) formatSpec = body.slice(specStart);
  const nameEnd = firstAccessor(fieldName);
  out.push({
    start,
    end,
    argName: fieldName.slice(0, nameEnd),
    fieldName,
    accessors: fieldName.slice(nameEnd),
    conversion,
    formatSpec,
    nested,
    afterDollar: start > 0 && command[start - 1] === '$',
  });
  // Nested fields in the format spec are formatted with the same arguments.
  if (formatSpec && formatSpec.includes('{')) {
    const base = start + 1 + specStart;
    let p = 0;
    while (p < formatSpec.length) {
      if (formatSpec[p] !== '{') {
        p++;
        continue;
      }
      let depth = 1;
      let q = p + 1;
      while (q < formatSpec.length && depth > 0) {
        if (formatSpec[q] === '{') depth++;
        else if (formatSpec[q] === '}') depth--;
        if (depth > 0) q++;
      }
      if (depth > 0) break;
      const error = parseField(command, base + p, base + q + 1, true, out);
      if (error) return error;
      p = q + 1;
    }
  }
  return undefined;
}

function firstAccessor(fieldName: string): number {
  for (let i = 0; i < fieldName.length; i++) {
    if (fieldName[i] === '.' || fieldName[i] === '[') return i;
  }
  return fieldName.length;
}

/** How Python treats the argument name of a field: keyword, positional index, or automatic numbering. */
export function argumentKind(argName: string): 'keyword' | 'index' | 'auto' {
  if (argName === '') return 'auto';
  if (/^[0-9]+$/.test(argName)) return 'index';
  return 'keyword';
}
