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
/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729;
/** The high and low halves (26 and 27 bits) of each exact power of ten, for the exact products below. */
const POW10_HI = POW10.map((t) => {
  const c = SPLITTER * t;
  return c - (c - t);
});
const POW10_LO = POW10.map((t, k) => t - POW10_HI[k]);
/** How far, relative to the result, the double-double estimate below is trusted to be from the exact quotient (it is within about 2^-100). */
const TRUSTED = 2 ** -80;

/**
 * A metric value: Python's float repr (`0.125`, `1e-05`, `nan`, `inf`). Decimal values with at most
 * 17 significant digits and a power of ten up to 22 are computed from the bytes, correctly rounded as
 * `Number` does: up to 15 digits the digits are an exact double, so one IEEE multiplication or division
 * by the exact power of ten is the answer (Clinger's fast path); with 16 or 17 (a third of Python's
 * reprs, and every `%.17g`) the quotient is computed in double-double arithmetic, exact to about 2^-100,
 * and rounded once; only when that estimate lies so near a rounding midpoint that its own error could
 * change the rounding (about one value in 2^27, and every exact tie) does the text go through `Number`.
 * Everything else goes through `Number` on the text. Undefined when not a number.
 */
export function parseValue(buf: Buffer, s: number, e: number): number | undefined {
  let i = s;
  let neg = false;
  const c0 = buf[i];
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i++;
  }
  // The significant digits (leading zeros skipped) as high * 10^lowDigits + low: the first 9 and up to 8 more.
  let high = 0;
  let low = 0;
  let lowDigits = 0;
  let significant = 0;
  let digits = 0;
  let frac = 0;
  for (; i < e; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) break;
    digits++;
    if (significant === 0 && c === 0) continue;
    if (++significant <= 9) high = high * 10 + c;
    else {
      low = low * 10 + c;
      lowDigits++;
    }
  }
  if (i < e && buf[i] === 46) {
    for (i++; i < e; i++) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      digits++;
      frac++;
      if (significant === 0 && c === 0) continue;
      if (++significant <= 9) high = high * 10 + c;
      else {
        low = low * 10 + c;
        lowDigits++;
      }
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
    for (; i < e && i - es < 6; i++) {
      const c = buf[i] - 48;
      if (c < 0 || c > 9) break;
      exp = exp * 10 + c;
    }
    if (i === es) return slowValue(buf, s, e);
    if (eneg) exp = -exp;
  }
  if (i !== e || digits === 0 || significant > 17) return slowValue(buf, s, e);
  const p = exp - frac;
  if (p < -22 || p > 22) return slowValue(buf, s, e);
  // high * 10^lowDigits is exact: high * 5^lowDigits < 10^9 * 5^8 < 2^53, times a power of two.
  const scaled = high * POW10[lowDigits];
  let v: number;
  if (significant <= 15) {
    const m = scaled + low; // < 10^15: exact
    if (p === 0) v = m;
    else if (p < 0) v = m / POW10[-p];
    else v = m * POW10[p];
  } else {
    // m = mh + ml exactly (Knuth's two-sum).
    const mh = scaled + low;
    const bv = mh - scaled;
    const ml = scaled - (mh - bv) + (low - bv);
    let q1: number;
    let q2: number;
    if (p === 0) {
      q1 = mh;
      q2 = ml;
    } else {
      const k = p < 0 ? -p : p;
      const t = POW10[k];
      const th = POW10_HI[k];
      const tl = POW10_LO[k];
      // q1 * t (division) or mh * t (multiplication) as hi + lo exactly (Dekker's two-product).
      const f = p < 0 ? mh / t : mh;
      const c = SPLITTER * f;
      const fh = c - (c - f);
      const fl = f - fh;
      const hi = f * t;
      const lo = fh * th - hi + fh * tl + fl * th + fl * tl;
      if (p < 0) {
        q1 = f;
        q2 = (mh - hi - lo + ml) / t; // what the division left over: mh - hi is exact (Sterbenz)
      } else {
        q1 = hi;
        q2 = lo + ml * t;
      }
    }
    v = q1 + q2;
    // The exact value is within q1 + q2 ± margin: when both ends round to the same double, so does it.
    const margin = Math.abs(q1) * TRUSTED;
    if (q1 + (q2 + margin) !== v || q1 + (q2 - margin) !== v) return slowValue(buf, s, e);
  }
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
