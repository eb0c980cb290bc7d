/**
 * The one reader of the recorded answers of a real `mlflow server` (test/fixtures/rest-*-store,
 * copied from /work/shared/mlflow-reference; see test/fixtures/README.md): each folder's
 * `_index.json` lists the method, URL, request body and status of every recorded file.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

/** One line of `_index.json`. */
export interface RecordedAnswer {
  file: string;
  method: string;
  url: string;
  request_body: Record<string, unknown> | null;
  status: number;
  content_type?: string;
}

/** `dir`: a folder under test/fixtures (`rest-file-store`) or an absolute path. */
function folder(dir: string): string {
  return isAbsolute(dir) ? dir : join(FIXTURES, dir);
}

export function readRecordedIndex(dir: string): RecordedAnswer[] {
  return readRecordedJson<RecordedAnswer[]>(dir, '_index.json');
}

export function readRecordedText(dir: string, file: string): string {
  return readFileSync(join(folder(dir), file), 'utf8');
}

export function readRecordedJson<T = any>(dir: string, file: string): T {
  return JSON.parse(readRecordedText(dir, file)) as T;
}
