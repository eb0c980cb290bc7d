/**
 * Numbers in metric lines, parsed straight from bytes: no string per line for the common
 * case, which is what keeps a 1M-line history near the cost of reading the file.
 */
/** Parses the integer in buf[s, e); NaN when it is not a plain integer. */
export function parseIntBytes(buf: Buffer, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  if (i >= e || e - i > 15) return slowInt(buf, s, e);
  let v = 0;
  for (; i < e; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return slowInt(buf, s, e);
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

function slowInt(buf: Buffer, s: number, e: number): number {
  const v = Number(buf.toString('latin1', s, e));
  return Number.isInteger(v) ? v : NaN;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_EXACT = 2 ** 53;

/**
 * A metric value: Python's float repr (`0.125`, `1e-05`, `nan`, `inf`). Decimal values whose
 * digits fit in 2^53 with a power of ten up to 22 are computed from the bytes (one IEEE
 * multiplication or division of two exact numbers, so correctly rounded, as `Number` is);
 * everything else goes through `Number` on the text. Undefined when not a number.
 */
export function parseValue(buf: Buffer, s: number, e: number): number | undefined {
  let i = s;
  let neg = false;
  const c0 = buf[i];
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i++;
  }
  let m = 0;
  let digits = 0;
  let frac = 0;
  for (; i < e; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    m = m * 10 + c;
    digits++;
  }
  if (i < e && buf[i] === 46) {
    for (i++; i < e; i++) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      m = m * 10 + c;
      digits++;
      frac++;
    }
  }
  let exp = 0;
  if (digits > 0 && i < e && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let eneg = false;
    if (buf[i] === 45 || buf[i] === 43) {
      eneg = buf[i] === 45;
      i++;
    }
    const es = i;
    for (; i < e; i++) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      exp = exp * 10 + c;
    }
    if (i === es) return slowValue(buf, s, e);
    if (eneg) exp = -exp;
  }
  if (i !== e || digits === 0 || m >= MAX_EXACT) return slowValue(buf, s, e);
  const p = exp - frac;
  let v: number;
  if (p === 0) v = m;
  else if (p < 0 && p >= -22) v = m / POW10[-p];
  else if (p > 0 && p <= 22) v = m * POW10[p];
  else return slowValue(buf, s, e);
  return neg ? -v : v;
}

/** Buffer's own latin1 slicer: toString('latin1', …) without its argument handling, per line. */
const latin1 = (buf: Buffer, s: number, e: number): string => (buf as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(s, e);

function slowValue(buf: Buffer, s: number, e: number): number | undefined {
  if (e <= s) return undefined;
  const text = latin1(buf, s, e);
  const v = Number(text);
  if (!Number.isNaN(v)) {
    // Number() also reads hex/octal/binary literals, which float() does not; fields hold no spaces.
    const i = buf[s] === 45 || buf[s] === 43 ? s + 1 : s;
    if (i + 1 >= e || buf[i] !== 48) return v;
    const x = buf[i + 1] | 32;
    return x === 120 || x === 111 || x === 98 ? undefined : v;
  }
  switch (text.toLowerCase()) {
    case 'nan':
    case '+nan':
    case '-nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}
