import * as assert from 'node:assert/strict';
import { formatAge, formatBytes, formatCount, formatDuration, formatMetricValue } from '../../src/format/values';

const NOW = Date.UTC(2025, 10, 20, 12, 0, 0);
const MIN = 60_000;

describe('formatting', () => {
  it('groups a count by thousands as en-US does, without Intl', () => {
    for (const n of [0, 7, 42, 999, 1000, 12345, 100000, 999999, 1000000, 1234567890, -1, -1000, -987654321, Number.MAX_SAFE_INTEGER]) {
      assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
    }
    assert.equal(formatCount(1.5), '1.5');
    assert.equal(formatCount(NaN), 'NaN');
  });

  it('formats metric values compactly, in as many significant digits as asked', () => {
    assert.equal(formatMetricValue(0.123456789), '0.12346');
    assert.equal(formatMetricValue(42), '42');
    assert.equal(formatMetricValue(1.5), '1.5');
    assert.equal(formatMetricValue(NaN), 'NaN');
    assert.equal(formatMetricValue(-Infinity), '-∞');
    assert.equal(formatMetricValue(0.00001234), '1.234e-5');
    assert.equal(formatMetricValue(12345678.9), '1.2346e+7');
    assert.equal(formatMetricValue(0.123456789, 6), '0.123457');
    assert.equal(formatMetricValue(1234567.8, 6), '1.23457e+6');
    assert.equal(formatMetricValue(123456.78, 6), '123457');
    assert.equal(formatMetricValue(1.5e-7, 6), '1.5e-7');
  });

  it('formats ages, durations and sizes', () => {
    assert.equal(formatAge(NOW - 10_000, NOW), 'just now');
    assert.equal(formatAge(NOW - 5 * MIN, NOW), '5 min ago');
    assert.equal(formatAge(NOW - 25 * 60 * MIN, NOW), 'yesterday');
    assert.equal(formatAge(NOW - 60 * 24 * 60 * MIN, NOW), '2025-09-21');
    assert.equal(formatDuration(2500), '2.5 s');
    assert.equal(formatDuration(2 * 60 * MIN + 5 * MIN), '2 h 5 min');
    assert.equal(formatDuration(3 * 24 * 60 * MIN), '3 d');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(12), '12 B');
  });
});
