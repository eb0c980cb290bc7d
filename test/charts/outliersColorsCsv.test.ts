import * as assert from 'node:assert/strict';
import { runColorHex } from '../../src/charts/colors';
import { outlierRange } from '../../src/charts/outliers';
import { parseCsv, rangeStats, toCsv, toMarkdown } from '../../src/charts/tables';
import { seededRandom } from '../helpers/seededRandom';

describe('Outlier range', () => {
  it('is the 5th to 95th percentile over all runs, ignoring non-finite values', () => {
    const a = Float64Array.from({ length: 101 }, (_, i) => i); // 0..100
    assert.deepEqual(outlierRange([a]), [5, 95]);
    assert.deepEqual(outlierRange([a.subarray(0, 51), a.subarray(51), [NaN, Infinity]]), [5, 95]);
    assert.equal(outlierRange([[], [NaN]]), undefined);
    // A spike of 1e9 does not stretch the clipped range.
    const spiky = Float64Array.from({ length: 1000 }, (_, i) => (i === 500 ? 1e9 : i % 10));
    const [lo, hi] = outlierRange([spiky])!;
    assert.ok(lo >= 0 && hi <= 9);
  });
});

describe('Run colours', () => {
  it('are the same for the same run id every time, valid hex, and differ between runs', () => {
    const random = seededRandom(7);
    const ids = Array.from({ length: 200 }, () => Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join(''));
    for (const id of ids) {
      assert.equal(runColorHex(id), runColorHex(id));
      assert.match(runColorHex(id), /^#[0-9a-f]{6}$/);
    }
    // Ten runs of one panel: all ten colours different.
    assert.equal(new Set(ids.slice(0, 10).map(runColorHex)).size, 10);
    assert.ok(new Set(ids.map(runColorHex)).size >= 190);
  });
});

describe('CSV and Markdown', () => {
  it('round-trips names with commas, quotes, line breaks and markup, and numbers exactly', () => {
    const header = ['run_id', 'run_name', 'metric', 'step', 'timestamp', 'value'];
    const rows = [
      ['a1', 'plain', 'loss', 0, 1700000000000, 0.1 + 0.2],
      ['b2', 'with, comma "and quotes"', 'acc/top-1', 1, 1700000000001, -1e-300],
      ['c3', 'line\nbreak', ' spaced ', 2, 1, NaN],
      ['d4', '<img src=x onerror=alert(1)>', 'x', 3, 2, Infinity],
    ];
    const parsed = parseCsv(toCsv(header, rows));
    assert.deepEqual(parsed[0], header);
    assert.equal(parsed.length, rows.length + 1);
    rows.forEach((row, i) => {
      const back = parsed[i + 1];
      assert.deepEqual(back.slice(0, 3), row.slice(0, 3));
      row.slice(3).forEach((v, j) => assert.ok(Object.is(Number(back[3 + j]), v), `row ${i} col ${3 + j}: ${back[3 + j]} vs ${v}`));
    });
    const md = toMarkdown(['run', 'last'], [['a|b', 1]]);
    assert.equal(md, '| run | last |\n| --- | --- |\n| a\\|b | 1 |\n');
  });

  it('computes last, min, max, where they are, and mean over a range', () => {
    const xs = Float64Array.from([0, 1, 2, 3, 4]);
    const ys = Float64Array.from([5, 1, 9, 1, 4]);
    assert.deepEqual(rangeStats(xs, ys, 1, 3), { count: 3, last: 1, min: 1, max: 9, minAt: 1, maxAt: 2, mean: 11 / 3 });
    assert.equal(rangeStats(xs, ys, 10, 20), undefined);
  });
});
