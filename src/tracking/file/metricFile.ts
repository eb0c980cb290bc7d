/**
 * Metric files: one point per line, `<timestamp> <value> <step>` (2, 3 or 5 fields for a
 * run; a logged model's lines carry the run id as 4th field, then optionally the dataset).
 *
 * Files are read in fixed-size chunks straight from bytes: integers (timestamp, step) are
 * parsed digit by digit, only the value goes through `Number`. No per-line strings are made
 * for the common case, so parsing stays close to the cost of reading and splitting the file.
 * The event loop gets a turn every megabyte.
 *
 * A last line without its newline is not a point yet: MLflow may be appending it right now (a
 * read then sees `1` of `1700000000000 0.5 3`, or a step cut to `10` of `100`). Reading stops
 * at the last newline and picks the rest up on the next change. For a run that has ended, such
 * a line will never be finished: it is reported as a warning naming the file.
 */
import * as fs from 'node:fs';
import type { Metric, MetricColumns } from '../types';
import { describeError, yieldNow, type Warn } from './fsRead';
import { parseIntBytes, parseValue } from './metricValue';

const CHUNK = 1 << 20;
const YIELD_EVERY = 1 << 20;
const MAX_WARNINGS_PER_FILE = 3;

export type MetricFileKind = 'run' | 'model';

/** Called per valid line; fields are byte offsets into `buf`. */
interface LineSink {
  /**
   * Whether the line with this timestamp and step is wanted at all. A latest-value scan
   * answers no for most lines, which then skip parsing their value (the costliest field).
   */
  wants?(ts: number, step: number): boolean;
  point(ts: number, value: number, step: number, buf: Buffer, f: Int32Array, nf: number): void;
  /** After the first chunk: `scanned` bytes were read of `total` to read (a sink keeping every point sizes its arrays once). */
  progress?(scanned: number, total: number): void;
}

/**
 * Read buffers kept for the next read. A charts panel reads ten or a hundred histories at once; a fresh megabyte
 * per file is external memory to V8, and that much of it, with the columns read, made V8 start a full collection
 * in the middle of the reads (its marking steps took 50-100 ms of the extension host's thread). Only whole-chunk
 * buffers come back (one grown for a longer line does not); a few are kept, as many as reads run side by side.
 */
const spareChunks: Buffer[] = [];
const MAX_SPARE_CHUNKS = 4;

function takeChunk(bytes: number): Buffer {
  // A small file gets a small buffer when no spare one is there: a megabyte for a 100-byte file is waste.
  return spareChunks.pop() ?? Buffer.allocUnsafe(Math.min(CHUNK, Math.max(bytes, 1)));
}

function giveBackChunk(buf: Buffer): void {
  if (buf.length === CHUNK && spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(buf);
}

/** Field offsets of the line being scanned; consumed synchronously by the sink, so shared. */
const FIELDS = new Int32Array(16);

/**
 * The shape MLflow writes, `<int> <value> <int>` with single spaces: parsed in one pass
 * (no separate split). False, having consumed nothing, for any other shape.
 */
function fastLine(buf: Buffer, ls: number, le: number, f: Int32Array, wants: ((ts: number, step: number) => boolean) | undefined, sink: LineSink): boolean {
  let i = ls;
  let ts = 0;
  for (; i < le; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) break;
    ts = ts * 10 + d;
  }
  if (i === ls || i - ls > 15 || i >= le || buf[i] !== 32) return false;
  const vs = i + 1;
  const ve = buf.indexOf(32, vs);
  if (ve <= vs || ve >= le) return false;
  let step = 0;
  for (i = ve + 1; i < le; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return false;
    step = step * 10 + d;
  }
  if (i === ve + 1 || le - ve - 1 > 15) return false;
  if (wants !== undefined && !wants(ts, step)) return true;
  const value = parseValue(buf, vs, ve);
  if (value === undefined) return false; // the general path reports it (or reads a tab-separated line)
  f[0] = ls;
  f[1] = vs - 1;
  f[2] = vs;
  f[3] = ve;
  f[4] = ve + 1;
  f[5] = le;
  sink.point(ts, value, step, buf, f, 6);
  return true;
}

/**
 * Scans complete lines in buf[start, end). Returns the offset just past the last newline
 * (the rest is an incomplete line). `final` parses a trailing line without newline too.
 */
function scanLines(
  buf: Buffer,
  start: number,
  end: number,
  final: boolean,
  kind: MetricFileKind,
  sink: LineSink,
  onBad: (line: string, why: string) => void,
): number {
  const f = FIELDS;
  const wants = sink.wants?.bind(sink);
  let ls = start;
  while (ls < end) {
    let le = buf.indexOf(10, ls);
    if (le < 0 || le >= end) {
      if (!final) return ls;
      le = end;
    }
    if (kind === 'run' && fastLine(buf, ls, le, f, wants, sink)) {
      ls = le + 1;
      continue;
    }
    // General case: split on spaces/tabs/CR.
    let nf = 0;
    let i = ls;
    while (i < le && nf < 16) {
      while (i < le && (buf[i] === 32 || buf[i] === 9 || buf[i] === 13)) i++;
      if (i >= le) break;
      f[nf++] = i;
      while (i < le && buf[i] !== 32 && buf[i] !== 9 && buf[i] !== 13) i++;
      f[nf++] = i;
    }
    const fields = nf >> 1;
    if (fields > 0) {
      const ok = kind === 'run' ? fields === 2 || fields === 3 || fields === 5 : fields === 4 || fields === 6;
      if (!ok) {
        onBad(buf.toString('utf8', ls, Math.min(le, ls + 80)), `has ${fields} fields, expected ${kind === 'run' ? '2, 3 or 5' : '4 or 6'}`);
      } else {
        const ts = parseIntBytes(buf, f[0], f[1]);
        const step = fields >= 3 ? parseIntBytes(buf, f[4], f[5]) : 0;
        if (Number.isNaN(ts) || Number.isNaN(step)) {
          onBad(buf.toString('utf8', ls, Math.min(le, ls + 80)), 'is not numeric');
        } else if (wants === undefined || wants(ts, step)) {
          const value = parseValue(buf, f[2], f[3]);
          if (value === undefined) onBad(buf.toString('utf8', ls, Math.min(le, ls + 80)), 'is not numeric');
          else sink.point(ts, value, step, buf, f, nf);
        }
      }
    }
    ls = le + 1;
  }
  return Math.min(ls, end);
}

function openMetric(path: string, warn: Warn): { fd: number; st: fs.Stats } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(path, `cannot read metric: ${describeError(e)}`);
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) {
      fs.closeSync(fd);
      return undefined;
    }
    return { fd, st };
  } catch (e) {
    fs.closeSync(fd);
    warn(path, `cannot read metric: ${describeError(e)}`);
    return undefined;
  }
}

/**
 * Streams the file from `offset`, feeding complete lines to `sink`, and closes it. Returns the offset after
 * the last complete line; `finished`: the writer is done, so an unfinished last line is reported.
 * `opened`: the file when the caller has already opened it (to look at its size first).
 */
async function streamFile(
  path: string,
  offset: number,
  kind: MetricFileKind,
  sink: LineSink,
  warn: Warn,
  finished: boolean,
  opened = openMetric(path, warn),
): Promise<{ validEnd: number; size: number; mtimeMs: number } | undefined> {
  if (!opened) return undefined;
  const { fd, st } = opened;
  let bad = 0;
  const onBad = (line: string, why: string) => {
    bad++;
    if (bad <= MAX_WARNINGS_PER_FILE) warn(path, `skipped malformed metric line ${JSON.stringify(line)}: ${why}`);
  };
  try {
    const size = st.size;
    let buf = takeChunk(size - offset);
    let carry = 0; // bytes of an incomplete line kept at buf[0, carry)
    let pos = offset;
    let validEnd = offset;
    let sinceYield = 0;
    while (pos < size) {
      if (carry === buf.length) {
        // One line longer than the buffer (a 10 MB line): grow, keep going.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const want = Math.min(buf.length - carry, size - pos);
      const n = fs.readSync(fd, buf, carry, want, pos);
      if (n <= 0) break;
      pos += n;
      const end = carry + n;
      const atEof = pos >= size;
      const consumed = scanLines(buf, 0, end, false, kind, sink, onBad);
      if (pos - n === offset && !atEof) sink.progress?.(consumed, size - offset);
      validEnd = pos - (end - consumed);
      carry = end - consumed;
      if (carry > 0 && consumed > 0) buf.copy(buf, 0, consumed, end);
      if (atEof && carry > 0 && finished && buf.subarray(0, carry).some((b) => b !== 32 && b !== 9 && b !== 13)) {
        // `validEnd` stays before it: an incremental read sees it again if it is ever finished.
        const line = JSON.stringify(buf.toString('utf8', 0, Math.min(carry, 80)));
        warn(path, `last line ${line} has no newline (truncated?) in a run that has ended; not read as a point`);
      }
      sinceYield += n;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await yieldNow();
      }
    }
    if (bad > MAX_WARNINGS_PER_FILE) warn(path, `skipped ${bad} malformed metric lines in total`);
    giveBackChunk(buf);
    return { validEnd, size, mtimeMs: st.mtimeMs };
  } catch (e) {
    warn(path, `cannot read metric: ${describeError(e)}`);
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function dataset(buf: Buffer, f: Int32Array, nf: number, first: number): { dataset_name?: string; dataset_digest?: string } {
  if (nf < (first + 2) * 2) return {};
  return {
    dataset_name: buf.toString('utf8', f[first * 2], f[first * 2 + 1]),
    dataset_digest: buf.toString('utf8', f[first * 2 + 2], f[first * 2 + 3]),
  };
}

/**
 * Every point of a run's metric file, in step order (file order among equal steps).
 * `finished`: the run has ended, so a last line without newline is reported rather than awaited.
 */
export async function readMetricHistory(path: string, key: string, runId: string, warn: Warn, finished = false): Promise<Metric[]> {
  const out: Metric[] = [];
  let lastStep = -Infinity;
  let sorted = true;
  const sink: LineSink = {
    point(ts, value, step, buf, f, nf) {
      if (step < lastStep) sorted = false;
      lastStep = step;
      if (nf === 10) out.push({ key, value, timestamp: ts, step, ...dataset(buf, f, nf, 3), run_id: runId });
      else out.push({ key, value, timestamp: ts, step, run_id: runId });
    },
  };
  await streamFile(path, 0, 'run', sink, warn, finished);
  if (!sorted) out.sort((a, b) => a.step - b.step);
  return out;
}

/** Every point of a run's metric file as typed columns, in step order; `finished` as for readMetricHistory. */
export async function readMetricColumns(path: string, warn: Warn, finished = false): Promise<MetricColumns> {
  return (await readMetricColumnsFrom(path, warn, 0, finished)).columns;
}

/**
 * The points of a run's metric file from byte `offset` on (0: all), as typed columns in step
 * order, and where the next read goes on: after the last complete line (an unfinished last
 * line is read next time, whole). `size`: the file's size when read, so a caller can tell a
 * file that shrank (rewritten) from one that grew.
 */
export async function readMetricColumnsFrom(
  path: string,
  warn: Warn,
  offset: number,
  finished = false,
): Promise<{ columns: MetricColumns; validEnd: number; size: number }> {
  let capacity = 1024;
  let steps = new Float64Array(capacity);
  let timestamps = new Float64Array(capacity);
  let values = new Float64Array(capacity);
  let n = 0;
  let sorted = true;
  const grow = (to = capacity * 2) => {
    capacity = to;
    const more = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    steps = more(steps);
    timestamps = more(timestamps);
    values = more(values);
  };
  const sink: LineSink = {
    point(ts, value, step) {
      if (n === capacity) grow();
      if (n > 0 && step < steps[n - 1]) sorted = false;
      steps[n] = step;
      timestamps[n] = ts;
      values[n] = value;
      n++;
    },
    progress(scanned, total) {
      // As many points as the first megabyte's lines suggest, and a little more: one allocation instead of doubling ten times.
      const expected = Math.ceil((((n + 1) * total) / Math.max(1, scanned)) * 1.05) + 16;
      if (expected > capacity) grow(expected);
    },
  };
  const read = await streamFile(path, offset, 'run', sink, warn, finished);
  const validEnd = read?.validEnd ?? offset;
  const size = read?.size ?? 0;
  // Nearly full arrays are kept as views (at most a tenth unused) rather than copied once more.
  const cut = (a: Float64Array) => (n >= capacity * 0.9 ? a.subarray(0, n) : a.slice(0, n));
  const columns = { steps: cut(steps), timestamps: cut(timestamps), values: cut(values) };
  if (sorted) return { columns, validEnd, size };
  return { columns: sortColumnsByStep(columns), validEnd, size };
}

/** Stable by step, as readMetricHistory sorts. */
function sortColumnsByStep(columns: MetricColumns): MetricColumns {
  const order = Uint32Array.from({ length: columns.steps.length }, (_, i) => i).sort((a, b) => columns.steps[a] - columns.steps[b] || a - b);
  const pick = (a: Float64Array) => Float64Array.from(order, (i) => a[i]);
  return { steps: pick(columns.steps), timestamps: pick(columns.timestamps), values: pick(columns.values) };
}

/** Every point of a logged model's metric file (lines carry the run id). */
export async function readModelMetrics(path: string, key: string, modelId: string, warn: Warn): Promise<Metric[]> {
  const out: Metric[] = [];
  const sink: LineSink = {
    point(ts, value, step, buf, f, nf) {
      const m: Metric = { key, value, timestamp: ts, step, model_id: modelId, run_id: buf.toString('utf8', f[6], f[7]) };
      if (nf === 12) Object.assign(m, dataset(buf, f, nf, 4));
      out.push(m);
    },
  };
  await streamFile(path, 0, 'model', sink, warn, true);
  return out;
}

/**
 * MLflow's "latest": Python's max() by (step, timestamp, value), which keeps the earlier
 * point unless a later one compares greater; a NaN value never compares greater, nor less.
 */
function isLater(step: number, ts: number, value: number, best: Metric): boolean {
  if (step !== best.step) return step > best.step;
  if (ts !== best.timestamp) return ts > best.timestamp;
  return value > best.value;
}

interface LatestEntry {
  mtimeMs: number;
  size: number;
  /** Offset after the last complete line read. */
  validEnd: number;
  /** Best among complete lines (an unfinished last line is not read). */
  best?: Metric;
}

/**
 * Latest values of metric files, cached per file by (mtime, size). Metric files are
 * append-only, so when a file grew only the appended bytes are read and folded into the
 * cached maximum; a file that shrank or was rewritten is read again whole.
 */
export class LatestMetricCache {
  private readonly entries = new Map<string, LatestEntry>();

  constructor(private readonly warn: Warn) {}

  /** `finished`: the run has ended (a last line without newline is then reported). */
  async latest(path: string, key: string, runId: string, finished = false): Promise<Metric | undefined> {
    const opened = openMetric(path, this.warn);
    if (!opened) {
      this.entries.delete(path);
      return undefined;
    }
    const st = opened.st;
    const cached = this.entries.get(path);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) {
      fs.closeSync(opened.fd);
      return cached.best && { ...cached.best };
    }
    // Incremental when the file grew: from the last newline read (an unfinished line is read again, whole).
    const appended = cached !== undefined && cached.validEnd > 0 && st.size > cached.size;
    let best: Metric | undefined = appended && cached.best ? { ...cached.best } : undefined;
    const sink: LineSink = {
      // Only a line at least as late by (step, timestamp) can be the latest: parse its value.
      wants: (ts, step) => best === undefined || step > best.step || (step === best.step && ts >= best.timestamp),
      point(ts, value, step, buf, f, nf) {
        if (best === undefined || isLater(step, ts, value, best)) {
          best = { key, value, timestamp: ts, step, run_id: runId };
          if (nf === 10) Object.assign(best, dataset(buf, f, nf, 3));
        }
      },
    };
    const res = await streamFile(path, appended ? cached.validEnd : 0, 'run', sink, this.warn, finished, opened);
    if (!res) {
      this.entries.delete(path);
      return undefined;
    }
    if (best === undefined && res.size === 0) this.warn(path, 'empty metric file');
    this.entries.set(path, { mtimeMs: res.mtimeMs, size: res.size, validEnd: res.validEnd, best });
    return best && { ...(best as Metric) };
  }
}
