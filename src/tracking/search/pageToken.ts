import { MlflowError } from '../types';

/** MLflow's page token: base64 of the JSON `{"offset": N}` (Python's json.dumps spacing). */
export function encodePageToken(offset: number): string {
  return Buffer.from(`{"offset": ${Math.trunc(offset)}}`, 'utf8').toString('base64');
}

function invalid(message: string): MlflowError {
  return new MlflowError(message, 'INVALID_PARAMETER_VALUE');
}

/** The offset in a page token; 0 for none. Throws MlflowError INVALID_PARAMETER_VALUE on garbage. */
export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const compact = token.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw invalid('Invalid page token, could not base64-decode');
  }
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw invalid(`Invalid page token, decoded value=${decoded}`);
  }
  const offset = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>).offset : undefined;
  const n = typeof offset === 'string' && /^\s*\d+\s*$/.test(offset) ? Number(offset) : offset;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw invalid(`Invalid page token, parsed value=${decoded}`);
  }
  return n;
}

/** One page of an already filtered and sorted list, with the token for the next page (MLflow's paginate). */
export function paginate<T>(items: readonly T[], pageToken: string | undefined, maxResults: number): { items: T[]; next_page_token?: string } {
  const start = decodePageToken(pageToken);
  const end = start + maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, next_page_token: encodePageToken(end) } : { items: page };
}
