import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMetricColumns, readMetricHistory } from '../../../src/tracking/file/metricFile';
import { seededRandom } from '../../helpers/seededRandom';

describe('Metric file as typed columns', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'metric-columns-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the same points, in the same order, as readMetricHistory (unsorted steps, NaN, bad lines, no final newline)', async () => {
    const random = seededRandom(3);
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const step = random() < 0.05 ? Math.floor(random() * 100) : i;
      const value = random() < 0.01 ? 'nan' : random() < 0.01 ? '-inf' : String((random() - 0.5) * 1e3);
      lines.push(random() < 0.002 ? 'garbage line' : `${1700000000000 + i} ${value} ${step}`);
    }
    const file = join(dir, 'loss');
    writeFileSync(file, lines.join('\n'));
    const warnings: string[] = [];
    const warn = (_path: string, message: string) => void warnings.push(message);
    const history = await readMetricHistory(file, 'loss', 'r', warn);
    const columns = await readMetricColumns(file, warn);
    assert.equal(columns.steps.length, history.length);
    history.forEach((m, i) => {
      assert.equal(columns.steps[i], m.step);
      assert.equal(columns.timestamps[i], m.timestamp);
      assert.ok(Object.is(columns.values[i], m.value), `point ${i}: ${columns.values[i]} vs ${m.value}`);
    });
    assert.ok(warnings.length > 0, 'malformed lines are reported');
  });
});
