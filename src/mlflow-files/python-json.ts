// JSON as MLflow reads it from an MLmodel signature: Python's json.loads (NaN and Infinity allowed),
// remembering which numbers were written as floats (`1.0` is a float to Python, 1 to JavaScript).

/**
 * JSON as Python's json.loads reads it: it also accepts NaN, Infinity and -Infinity. With `markFloats`,
 * numbers written as floats are remembered for `writtenAsFloat` (params defaults need it; a large input
 * schema need not pay for it).
 */
export function parsePythonJson(text: string, markFloats = false): unknown {
  // `1.0` and `1e3` are floats to Python and the integers 1 and 1000 to JavaScript; MLflow rejects a
  // float default for an integer param, so such literals pass through JSON.parse as marked strings.
  // A text that could hold the mark itself (a \u0000 escape) is read unmarked: a miss, never a false alarm.
  if (markFloats && /\d[.eE]/.test(text) && !text.includes('\\u0000')) {
    const marked = text.replace(NUMBER_OR_STRING, (match, quoted: string | undefined) =>
      quoted !== undefined || !/[.eE]/.test(match) ? match : `"${PYTHON_FLOAT_MARK_JSON}${match}"`,
    );
    try {
      return parseAllowingNonFinite(marked, unmarkPythonFloats);
    } catch {
      // Read again unmarked below, for the error message in the user's own text.
    }
  }
  return parseAllowingNonFinite(text);
}

/** Python's json.loads reads NaN and ±Infinity; JSON.parse does not, and they matter only as numbers. */
function parseAllowingNonFinite(text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown): unknown {
  try {
    return JSON.parse(text, reviver);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    return JSON.parse(
      text.replace(/("(?:[^"\\]|\\.)*")|-?\bInfinity\b|\bNaN\b/g, (_match, quoted: string | undefined) => quoted ?? 'null'),
      reviver,
    );
  }
}

// Only numbers JSON allows (`01.5` stays an error).
const NUMBER_OR_STRING = /("(?:[^"\\]|\\.)*")|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const PYTHON_FLOAT_MARK = '\u0000pyfloat:';
/** The mark as JSON text: a raw NUL is not allowed inside a JSON string. */
const PYTHON_FLOAT_MARK_JSON = '\\u0000pyfloat:';
/** The containers and keys (array indexes as strings) whose value was written as a Python float. */
const pythonFloatSlots = new WeakMap<object, Set<string>>();

function unmarkPythonFloats(this: unknown, key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(PYTHON_FLOAT_MARK)) return value;
  const holder = this as object;
  let keys = pythonFloatSlots.get(holder);
  if (!keys) pythonFloatSlots.set(holder, (keys = new Set()));
  keys.add(key);
  return Number(value.slice(PYTHON_FLOAT_MARK.length));
}

/** Whether `holder[key]` came from parsePythonJson as a number written like a float (`1.0`, `1e3`). */
export function writtenAsFloat(holder: object, key: string | number): boolean {
  return pythonFloatSlots.get(holder)?.has(String(key)) ?? false;
}
