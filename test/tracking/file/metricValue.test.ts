/**
 * The metric value parser against `Number()`, bit for bit (Object.is: -0 and NaN included), on
 * the texts MLflow writes (Python's repr of a float: the shortest digits that read back, in
 * Python's layout) and on texts built to sit on or near the points where rounding changes.
 */
import * as assert from 'node:assert/strict';
import { parseValue } from '../../../src/tracking/file/metricValue';
import { seededRandom } from '../../helpers/seededRandom';

/** Python's repr of a float: shortest round-trip digits; scientific when the exponent is below -4 or 16 and up (`1e-05`, `1e+16`), else `123.0`. */
function pythonRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mantissa, e] = v.toExponential().split('e');
  const exp = Number(e);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

/** Every double is equally likely by its bits (all exponents: subnormals, huge values), finite only. */
function randomDouble(random: () => number): number {
  const view = new DataView(new ArrayBuffer(8));
  for (;;) {
    view.setUint32(0, Math.floor(random() * 2 ** 32));
    view.setUint32(4, Math.floor(random() * 2 ** 32));
    const v = view.getFloat64(0);
    if (Number.isFinite(v)) return v;
  }
}

function check(texts: readonly string[]): void {
  const bytes = Buffer.from(texts.join(' '), 'latin1');
  let s = 0;
  for (const text of texts) {
    const e = s + text.length;
    const got = parseValue(bytes, s, e);
    const want = Number(text);
    if (!Object.is(got, want)) assert.fail(`${text} parsed as ${got}, Number gives ${want}`);
    s = e + 1;
  }
}

describe('metric values (parsed from bytes)', () => {
  it('reads 1,000,000 random doubles as Python prints them, exactly as Number() does', () => {
    const random = seededRandom(1);
    const texts: string[] = [];
    for (let i = 0; i < 1_000_000; i++) texts.push(pythonRepr(randomDouble(random)));
    check(texts);
  });

  it("reads 1,000,000 values in a metric's usual range with 15 to 17 digits (repr and %.17g)", () => {
    const random = seededRandom(2);
    const texts: string[] = [];
    for (let i = 0; i < 500_000; i++) {
      const v = (random() - 0.3) * 10 ** Math.floor(random() * 24 - 12);
      texts.push(pythonRepr(v), v.toPrecision(17 - (i % 3)));
    }
    assert.ok(
      texts.filter(
        (t) =>
          t
            .replace(/^[-+]?[0.]*/, '')
            .replace(/e.*$/, '')
            .replace('.', '').length === 17,
      ).length > 300_000,
    );
    check(texts);
  });

  it('reads random 16 and 17 digit decimals, which need not be any double, exactly as Number() does', () => {
    const random = seededRandom(3);
    const texts: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      let digits = String(1 + Math.floor(random() * 9));
      const n = 15 + (i % 2);
      for (let k = 0; k < n; k++) digits += String(Math.floor(random() * 10));
      const point = Math.floor(random() * (digits.length + 1));
      const exp = Math.floor(random() * 50 - 25);
      texts.push(`${digits.slice(0, point) || '0'}.${digits.slice(point)}e${exp}`);
    }
    check(texts);
  });

  it('rounds values on and near the midpoint between two doubles as Number() does (ties to even)', () => {
    const random = seededRandom(4);
    const texts: string[] = [];
    // Integers above 2^54 are doubles 4 (8, 16) apart: the odd multiples of half that gap are exact ties, and 17 digits long.
    for (let i = 0; i < 50_000; i++) {
      const base = 2n ** 54n + BigInt(Math.floor(random() * 2 ** 40)) * 16n;
      for (const offset of [1n, 2n, 3n, 6n, 10n, 14n]) {
        const m = String(base + offset);
        texts.push(m, `${m.slice(0, 9)}.${m.slice(9)}e8`, `0.${m}e17`, `${m}e-3`, `${m}e5`);
      }
    }
    // The exact decimal midpoint of two neighbouring doubles, cut to 17 significant digits (within 0.05 of a unit in the last place of it).
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 50_000; i++) {
      const v = 0.5 + random() * 1000;
      view.setFloat64(0, v);
      view.setBigUint64(0, view.getBigUint64(0) + 1n);
      const next = view.getFloat64(0);
      const [scale, num] = exactMidpoint(v, next);
      const digits = num.toString();
      texts.push(`${digits.slice(0, 17)}e${digits.length - 17 - scale}`);
      texts.push(`${digits.slice(0, 16)}${Number(digits[16]) + 1 > 9 ? 9 : Number(digits[16]) + 1}e${digits.length - 17 - scale}`);
    }
    check(texts);
  });

  it('reads the edge cases MLflow writes or float() accepts', () => {
    check([
      '0',
      '0.0',
      '-0.0',
      '-0',
      '+0.0',
      '1.0',
      '-1.5',
      '+1.5',
      '1.',
      '.5',
      '00012',
      '0.00012345678901234567',
      '1E5',
      '1e+05',
      '1e-05',
      '5e-324',
      '-5e-324',
      '2.2250738585072014e-308',
      '2.225073858507201e-308',
      '1.7976931348623157e+308',
      '1e+308',
      '1e22',
      '1e23',
      '9007199254740993',
      '9007199254740992.5',
      '9007199254740993.0',
      '0.30000000000000004',
      '0.1',
      '0.10000000000000001',
      '123456789012345678e-40',
      '12345678901234567',
      '1234567890123456.7',
      '99999999999999999',
      '99999999999999999e22',
      '0.99999999999999994',
      '0.99999999999999995',
      '4.9406564584124654e-324',
      '1e-400',
      '1e400',
      '1e000005',
      '0.000000000000000000001234',
    ]);
    for (const text of ['nan', 'NaN', '-nan', 'inf', '-inf', 'Infinity', '-Infinity', '+inf']) {
      const bytes = Buffer.from(text, 'latin1');
      assert.ok(Object.is(parseValue(bytes, 0, bytes.length), Number(text.replace(/^([+-]?)inf$/i, '$1Infinity').replace(/^[+-]?nan$/i, 'NaN'))), text);
    }
    for (const text of ['', '-', '1e', '1.2.3', '0x10', '0b1', '1,5', 'e5', '.', '--1']) {
      const bytes = Buffer.from(text, 'latin1');
      assert.equal(parseValue(bytes, 0, bytes.length), undefined, text);
    }
  });
});

/** The midpoint of two positive doubles as an exact decimal: num / 10^scale. */
function exactMidpoint(a: number, b: number): [number, bigint] {
  // Both are integers times 2^-60 here (values between 0.5 and 1001): exact as BigInt.
  const toUnits = (x: number) => BigInt(x * 2 ** 60);
  const sum = toUnits(a) + toUnits(b); // 2 * midpoint * 2^60
  // midpoint = sum / 2^61 = sum * 5^61 / 10^61
  return [61, sum * 5n ** 61n];
}
