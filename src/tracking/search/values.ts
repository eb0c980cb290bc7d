/** Value comparison helpers shared by the run, experiment and registry filters. */

/**
 * A SQL LIKE pattern as a RegExp: `%` any run of characters, `_` one character, everything
 * else literal (MLflow's SQL stores do this; its file store feeds the pattern to a regex
 * unescaped, which differs only for patterns holding regex characters such as `.`).
 */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let src = '^';
  for (const ch of pattern) {
    if (ch === '%') src += '[^]*';
    else if (ch === '_') src += '[^]';
    else src += ch.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  }
  src += '$';
  return new RegExp(src, caseInsensitive ? 'iu' : 'u');
}

/** Python's string order (by code point), which is not JS's UTF-16 order above U+FFFF. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Move surrogates (U+D800–DFFF) above U+E000–FFFF so that astral characters sort last.
      if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      return x - y;
    }
  }
  return a.length - b.length;
}

export type StringTest = (lhs: string) => boolean;

/** The common case-sensitive patterns ('abc', 'abc%', '%abc', '%abc%') without a regex. */
function plainLike(pattern: string): StringTest | undefined {
  const lead = pattern.startsWith('%');
  const trail = pattern.length > (lead ? 1 : 0) && pattern.endsWith('%');
  const core = pattern.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (core.includes('%') || core.includes('_')) return undefined;
  if (lead && trail) return (s) => s.includes(core);
  if (lead) return (s) => s.endsWith(core);
  if (trail) return (s) => s.startsWith(core);
  return (s) => s === core;
}

/** The test for a string comparator against a constant (`IN` lists arrive as arrays). */
export function stringTest(comparator: string, value: string | string[]): StringTest {
  switch (comparator) {
    case '=':
      return (s) => s === value;
    case '!=':
      return (s) => s !== value;
    case 'LIKE': {
      const fast = plainLike(value as string);
      if (fast) return fast;
      const re = likeToRegExp(value as string, false);
      return (s) => re.test(s);
    }
    case 'ILIKE': {
      const re = likeToRegExp(value as string, true);
      return (s) => re.test(s);
    }
    case 'IN': {
      const set = new Set(value as string[]);
      return (s) => set.has(s);
    }
    case 'NOT IN': {
      const set = new Set(value as string[]);
      return (s) => !set.has(s);
    }
    default:
      throw new Error(`unknown string comparator ${comparator}`);
  }
}

export type NumberTest = (lhs: number) => boolean;

/** IEEE semantics, like Python: NaN fails every comparison except `!=`. */
export function numberTest(comparator: string, value: number): NumberTest {
  switch (comparator) {
    case '=':
      return (x) => x === value;
    case '!=':
      return (x) => x !== value;
    case '<':
      return (x) => x < value;
    case '<=':
      return (x) => x <= value;
    case '>':
      return (x) => x > value;
    case '>=':
      return (x) => x >= value;
    default:
      throw new Error(`unknown numeric comparator ${comparator}`);
  }
}

/** Python's `str.islower()`: at least one cased character and no upper-case one. */
export function isLowerPython(s: string): boolean {
  return s !== s.toUpperCase() && s === s.toLowerCase();
}
