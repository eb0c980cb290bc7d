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

  it('reads every point of a file of several megabytes, whose arrays are sized from its first megabyte (short lines first, long ones after)', async () => {
    // The first megabyte's short lines promise more points than the file has; the long lines after it, fewer per byte.
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) lines.push(`${1700000000000 + i} ${i % 10} ${i}`);
    for (let i = 60_000; i < 160_000; i++) lines.push(`${1700000000000 + i} ${(i / 7).toPrecision(17)} ${i}`);
    // And the other way round: the first megabyte promises fewer points than there are.
    const reversed = [...lines.slice(60_000), ...lines.slice(0, 60_000)].map((line, i) => line.replace(/ \d+$/, ` ${i}`));
    for (const [name, content] of [
      ['big', lines],
      ['big-reversed', reversed],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, content.join('\n') + '\n');
      const columns = await readMetricColumns(file, () => undefined);
      assert.equal(columns.steps.length, content.length, name);
      assert.equal(columns.values.length, content.length, name);
      for (let i = 0; i < content.length; i++) {
        const [ts, value, step] = content[i].split(' ').map(Number);
        if (columns.steps[i] !== step || columns.timestamps[i] !== ts || columns.values[i] !== value) assert.fail(`${name} point ${i}: ${content[i]}`);
      }
    }
  });

  it('reads files side by side exactly, their read buffers reused (megabytes each, a line longer than a buffer, small files)', async () => {
    // Reads yield every megabyte, so these interleave; a buffer given back while a read still held it, or taken by two
    // reads at once, would mix their bytes. Twice: the second round runs on the buffers the first gave back.
    const files: { file: string; lines: string[] }[] = [];
    for (let f = 0; f < 6; f++) {
      const count = f < 4 ? 90_000 : 50;
      const lines = Array.from({ length: count }, (_, i) => `${1700000000000 + i * (f + 1)} ${((i * (f + 3)) / 7).toPrecision(17)} ${i}`);
      // One file has a garbage line of 3 MB in its middle: its buffer grows past a read buffer's size.
      const content = f === 1 ? [...lines.slice(0, 40_000), 'x'.repeat(3 << 20), ...lines.slice(40_000)] : lines;
      const file = join(dir, `side-by-side-${f}`);
      writeFileSync(file, content.join('\n') + '\n');
      files.push({ file, lines });
    }
    for (let round = 0; round < 2; round++) {
      const read = await Promise.all(files.map(({ file }) => readMetricColumns(file, () => undefined)));
      read.forEach((columns, f) => {
        const { lines } = files[f];
        assert.equal(columns.steps.length, lines.length, `round ${round}, file ${f}`);
        for (let i = 0; i < lines.length; i++) {
          const [ts, value, step] = lines[i].split(' ').map(Number);
          if (columns.steps[i] !== step || columns.timestamps[i] !== ts || columns.values[i] !== value)
            assert.fail(`round ${round}, file ${f}, point ${i}: ${lines[i]}`);
        }
      });
    }
  });
});
