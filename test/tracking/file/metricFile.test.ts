/** Metric values parsed from bytes must be exactly what Number() (and Python's float()) gives. */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LatestMetricCache, readMetricHistory, readModelMetrics } from '../../../src/tracking/file/metricFile';
import { removeDir, tempDir } from './storeBuilder';

/** Python's repr of a float: like JS's shortest round-trip digits, but `1e-05` and `1e+16`. */
function pythonRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  let s = String(v).replace(/e([+-])(\d)$/, 'e$10$2');
  if (Number.isInteger(v) && !s.includes('e')) s += '.0';
  return s;
}

describe('metric files', () => {
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => removeDir(dir));

  it('parses 200,000 values exactly as Number() does (Python reprs, long mantissas, exponents)', async () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const texts: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const kind = i % 8;
      let v: number;
      if (kind === 0) v = rand();
      else if (kind === 1) v = rand() * 10 ** Math.floor(rand() * 40 - 20);
      else if (kind === 2) v = -rand() * 1000;
      else if (kind === 3) v = Math.floor(rand() * 1e6);
      else if (kind === 4) v = rand() / 3e-10;
      else if (kind === 5) v = Number((rand() * 100).toFixed(Math.floor(rand() * 20)));
      else if (kind === 6) v = 2 ** 53 + Math.floor(rand() * 100);
      // 1e-600 underflows to 0 on purpose: zeros among the huge values.
      // eslint-disable-next-line no-loss-of-precision
      else v = rand() * 1e300 * (rand() < 0.5 ? 1 : 1e-600);
      texts.push(pythonRepr(v));
    }
    texts.push('9007199254740993', '9007199254740992.5', '0.30000000000000004', '1e22', '1e23', '123456789012345678e-40', '-0.0', '+1.5', '1.', '.5');
    const file = path.join(dir, 'values');
    fs.writeFileSync(file, texts.map((t, i) => `${i} ${t} ${i}\n`).join(''));
    const warnings: string[] = [];
    const h = await readMetricHistory(file, 'v', 'r', (_p, m) => warnings.push(m));
    assert.deepEqual(warnings, []);
    assert.equal(h.length, texts.length);
    for (let i = 0; i < texts.length; i++) {
      if (!Object.is(h[i].value, Number(texts[i]))) assert.fail(`${texts[i]} parsed as ${h[i].value}, Number gives ${Number(texts[i])}`);
    }
  });

  it('rejects what float() would not read', async () => {
    const file = path.join(dir, 'bad');
    fs.writeFileSync(file, '1 0x10 0\n2 1e 1\n3 - 2\n4 1.2.3 3\n5 0.5 4\n6 0.5 x\n7 0.5 1.5\n');
    const warnings: string[] = [];
    const h = await readMetricHistory(file, 'v', 'r', (_p, m) => warnings.push(m));
    assert.deepEqual(
      h.map((m) => m.timestamp),
      [5],
    );
    assert.equal(warnings.length, 4, 'three lines reported, then a total');
  });

  it("reads a logged model's metric lines (run id as 4th field, optional dataset)", async () => {
    const file = path.join(dir, 'model');
    fs.writeFileSync(file, '10 0.5 0 abc\n11 0.25 1 abc ds d1\n12 0.1 2\n');
    const warnings: string[] = [];
    const ms = await readModelMetrics(file, 'acc', 'm-1', (_p, m) => warnings.push(m));
    assert.deepEqual(ms, [
      { key: 'acc', value: 0.5, timestamp: 10, step: 0, model_id: 'm-1', run_id: 'abc' },
      { key: 'acc', value: 0.25, timestamp: 11, step: 1, model_id: 'm-1', run_id: 'abc', dataset_name: 'ds', dataset_digest: 'd1' },
    ]);
    assert.equal(warnings.length, 1);
  });

  it('the latest-value cache reads only appended bytes, and everything again after a rewrite', async () => {
    const file = path.join(dir, 'grow');
    fs.writeFileSync(file, '1 0.5 0\n');
    const cache = new LatestMetricCache(() => undefined);
    assert.equal((await cache.latest(file, 'g', 'r'))?.value, 0.5);
    const fd = fs.openSync(file, 'a');
    fs.writeSync(fd, '2 0.25 1\n');
    fs.closeSync(fd);
    assert.equal((await cache.latest(file, 'g', 'r'))?.value, 0.25);
    // Same size and content shape but different numbers, written later: mtime changes, file re-read.
    await new Promise((r) => setTimeout(r, 20));
    fs.writeFileSync(file, '1 0.7 0\n2 0.9 1\n');
    assert.equal((await cache.latest(file, 'g', 'r'))?.value, 0.9);
  });

  it('while a real writer appends (each line in two writes), every point read is one it wrote', async function () {
    this.timeout(30_000);
    const file = path.join(dir, 'appending');
    fs.writeFileSync(file, `1700000000099 ${0.5 + 99 / 1e6} 99\n`);
    // Python appends `<ts> <value> <step>` lines, flushing mid-line, as a slow disk or a busy MLflow would.
    const writer = spawn('python3', [
      '-c',
      `
import sys, time
with open(sys.argv[1], 'a', buffering=1) as f:
    for step in range(100, 100000):
        line = '%d %s %d\\n' % (1700000000000 + step, 0.5 + step / 1e6, step)
        f.write(line[:len(line) // 2]); f.flush(); time.sleep(0.002)
        f.write(line[len(line) // 2:]); f.flush()
`,
      file,
    ]);
    let writerErrors = '';
    writer.stderr.on('data', (c: Buffer) => (writerErrors += c.toString()));
    const written = (p: { timestamp: number; value: number; step: number }) =>
      p.step >= 99 && p.timestamp === 1700000000000 + p.step && p.value === 0.5 + p.step / 1e6;
    const warnings: string[] = [];
    const cache = new LatestMetricCache((_p, m) => warnings.push(m));
    let reads = 0;
    let bad: unknown;
    try {
      // Python takes a while to start on a busy machine: read once it writes.
      const initial = fs.statSync(file).size;
      for (const start = Date.now(); fs.statSync(file).size === initial && Date.now() - start < 20_000;) await new Promise((r) => setTimeout(r, 20));
      const until = Date.now() + 1500;
      while (Date.now() < until && !bad) {
        const latest = await cache.latest(file, 'a', 'r');
        if (latest && !written(latest)) bad = latest;
        const history = await readMetricHistory(file, 'a', 'r', (_p, m) => warnings.push(m));
        const wrong = history.find((p) => !written(p));
        if (wrong) bad = wrong;
        reads++;
      }
    } finally {
      writer.kill();
    }
    assert.equal(writerErrors, '');
    assert.ok(fs.statSync(file).size > 1000, 'the writer wrote');
    assert.equal(bad, undefined, `read a point that was never written after ${reads} reads`);
    assert.ok(reads > 10);
    assert.deepEqual(warnings, []);
  });
});
