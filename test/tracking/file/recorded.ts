/**
 * The recorded answers of a real `mlflow server` over the reference file store
 * (test/fixtures/rest-file-store), and the one normalisation the comparison needs.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES, readRecordedIndex, readRecordedText, type RecordedAnswer } from '../../helpers/recordedAnswers';

export const STORE_ROOT = path.join(FIXTURES, 'file-store', 'mlruns');
export const REST_DIR = path.join(FIXTURES, 'rest-file-store');

export function recordings(): RecordedAnswer[] {
  return readRecordedIndex(REST_DIR);
}

export function query(rec: RecordedAnswer): URLSearchParams {
  return new URL(rec.url).searchParams;
}

/** Where MLflow wrote the store; the server reports URIs under it. */
const WRITTEN_ROOT = 'file:///home/ana/projects/mnist/mlruns';

/**
 * A recorded body with what must differ replaced: the store's absolute location (the
 * fixture is unpacked elsewhere; the file store reports URIs inside the store it opened).
 * MLflow's JSON writes NaN/±Infinity as strings; the store returns numbers: metric values
 * are turned into numbers.
 */
export function loadRecorded(file: string, root = STORE_ROOT): any {
  const here = pathToFileURL(root).href;
  const text = readRecordedText(REST_DIR, file);
  return JSON.parse(text, (key, value) => {
    if (typeof value === 'string' && value.startsWith(WRITTEN_ROOT)) return here + value.slice(WRITTEN_ROOT.length);
    if (key === 'value' && (value === 'NaN' || value === 'Infinity' || value === '-Infinity')) return Number(value);
    return value;
  });
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The file store's server lists params, tags and latest metrics in directory order
 * (`os.listdir`, which depends on the file system); the TypeScript store sorts them by key.
 * Sorting both sides by key compares the content, not the file system's order.
 */
export function canon<T>(x: T): T {
  if (Array.isArray(x)) return x.map(canon) as T;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (v === undefined) continue;
      const c = canon(v);
      out[k] =
        (k === 'params' || k === 'tags' || k === 'metrics') && Array.isArray(c) && c.every((e) => e && typeof e === 'object' && 'key' in e) && !isHistory(c)
          ? [...c].sort(byKey)
          : c;
    }
    return out as T;
  }
  return x;
}

/** A metric history repeats its key; its order (by step) is meaningful and kept. */
function isHistory(a: { key: string }[]): boolean {
  return a.length > 1 && a.every((m) => m.key === a[0].key);
}
