/**
 * Talking to a model served by `mlflow models serve`: a free port to serve on, waiting for
 * `GET /ping`, the request body MLflow's scoring server expects, and its answers (predictions, or
 * MLflow's error JSON) described for the user. Plain module: no `vscode` import.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { errorMessage } from '../format/errors';

/** A port nothing listens on now, from the OS (never MLflow's 5000 blindly). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port was assigned.'))));
    });
  });
}

interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

function request(url: string, method: 'GET' | 'POST', body: string | undefined, contentType: string | undefined, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: contentType ? { 'content-type': contentType } : {}, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`No answer within ${Math.round(timeoutMs / 1000)} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `GET <base>/ping` until it answers 200, `shouldStop()` says so, or the time is up. */
export async function waitForPing(baseUrl: string, options: { timeoutMs: number; intervalMs?: number; shouldStop?: () => boolean }): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.shouldStop?.()) return false;
    try {
      if ((await request(`${baseUrl}/ping`, 'GET', undefined, undefined, 2000)).status === 200) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
  return false;
}

export interface ScoringPayload {
  body: string;
  contentType: 'application/json' | 'text/csv';
}

const SERVING_KEYS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];

/**
 * The body for `/invocations` from a file's text: CSV as is; JSON already in serving form
 * (`serving_input_example.json`: `dataframe_split`, `dataframe_records`, `instances`, `inputs`) as
 * is; an `input_example.json` wrapped as MLflow does (`{columns, data}` → `dataframe_split`, a
 * list of records → `dataframe_records`, anything else → `inputs`). Returns an error message for
 * text that is neither.
 */
export function scoringPayload(fileName: string, text: string): ScoringPayload | string {
  if (/\.csv$/i.test(fileName)) return { body: text, contentType: 'text/csv' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `${fileName} is not valid JSON (${errorMessage(error)}); MLflow's scoring server takes JSON or CSV.`;
  }
  const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (object && Object.keys(object).some((k) => SERVING_KEYS.includes(k))) return { body: text, contentType: 'application/json' };
  let wrapped: Record<string, unknown>;
  if (object && 'columns' in object && 'data' in object) wrapped = { dataframe_split: object };
  else if (Array.isArray(value) && value.length > 0 && value.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r)))
    wrapped = { dataframe_records: value };
  else wrapped = { inputs: value };
  return { body: JSON.stringify(wrapped, null, 2), contentType: 'application/json' };
}

export function postInvocations(baseUrl: string, payload: ScoringPayload, timeoutMs = 60000): Promise<HttpAnswer> {
  return request(`${baseUrl}/invocations`, 'POST', payload.body, payload.contentType, timeoutMs);
}

/** What went wrong, from the status and MLflow's error JSON (`{error_code, message}`); undefined on success. */
export function describeScoringError(answer: HttpAnswer): string | undefined {
  if (answer.status >= 200 && answer.status < 300) return undefined;
  let detail = answer.body.trim().slice(0, 500);
  try {
    const parsed = JSON.parse(answer.body) as { error_code?: unknown; message?: unknown };
    if (typeof parsed.message === 'string') detail = `${typeof parsed.error_code === 'string' ? `${parsed.error_code}: ` : ''}${parsed.message}`;
  } catch {
    // Not JSON: shown as text.
  }
  switch (answer.status) {
    case 400:
      return `The model rejected the input (400): ${detail}`;
    case 415:
      return `The scoring server does not accept this content type (415); it takes application/json or text/csv. ${detail}`;
    case 504:
      return `The model did not answer in time (504; MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT on the server). ${detail}`;
    default:
      return `The scoring server answered ${answer.status}: ${detail}`;
  }
}
