/**
 * An in-process HTTP server that answers like a real `mlflow server`, from the answers a real
 * server gave (the `rest-*-store/` folders under test/fixtures, each with an `_index.json`
 * listing method, URL, request body and status of every recorded file), with fault injection.
 *
 *   const server = await startRecordedServer({ dir: 'test/fixtures/rest-sqlite-store' });
 *   const store = openTrackingStore(server.url);        // http://127.0.0.1:<port>
 *   server.addFault({ kind: 'error500', match: 'runs/get', times: 1 });
 *   server.requests;                                     // every request seen, in order
 *   await server.close();
 *
 * Matching: a request is answered by the recording with the same path (query string aside) and
 * the same parameters, whether they came as query parameters or as a JSON body (values compared
 * as strings, repeated keys as lists). A parameter equal to MLflow's documented default for that
 * endpoint counts as absent, so a client that always sends `max_results=1000` to `runs/search`
 * still matches a recording made without it. `metrics/get-history` has no such default on
 * purpose: without `max_results` it matches the recorded MLflow 3.4–3.6 bug (no points).
 * A request with no recording gets a 404 JSON error with code `RECORDING_NOT_FOUND`.
 *
 * Also runnable on its own, e.g. to point a VS Code under test at a "remote" store:
 *   node --require tsx/cjs test/helpers/recordedMlflowServer.ts --dir test/fixtures/rest-sqlite-store [--port 5055] [--token T]
 * prints one JSON line `{"url": "http://127.0.0.1:<port>"}` and serves until killed.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readRecordedIndex, type RecordedAnswer } from './recordedAnswers';

export type FaultKind =
  /** 500 with an MLflow JSON error body. */
  | 'error500'
  /** 503 with an MLflow JSON error body. */
  | 'error503'
  /** 429 with a `Retry-After` header (`retryAfterSeconds`, default 1). */
  | 'rateLimit429'
  /** 401 as MLflow's basic-auth app answers it (text body, `WWW-Authenticate`). */
  | 'unauthorized401'
  /** 403 with `PERMISSION_DENIED`. */
  | 'forbidden403'
  /** Waits `delayMs` (default 2000) and then answers normally. */
  | 'slow'
  /** 200 with the first half of the recorded JSON only. */
  | 'truncatedJson'
  /** An HTML error page (status `status`, default 502), as a proxy in front of MLflow answers. */
  | 'htmlError'
  /** 200 with a body that is not JSON at all. */
  | 'garbage'
  /** Closes the connection without answering. */
  | 'reset'
  /** 200 JSON that never ends (chunks of `{"runs": [...` until the client hangs up); `sentBytes` counts what left. */
  | 'endlessBody'
  /** 200 declaring a `Content-Length` of `declaredBytes` (default 700 MB), then sending a few bytes and stalling. */
  | 'hugeContentLength';

export interface Fault {
  kind: FaultKind;
  /** Which requests it hits: a substring of the path, or a RegExp on path+query. All when omitted. */
  match?: string | RegExp;
  /** How many matching requests it hits before the server answers normally again. Default: all. */
  times?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  status?: number;
  declaredBytes?: number;
}

export type RequiredAuth = { token: string } | { username: string; password: string };

export interface RecordedServerOptions {
  /** A folder with `_index.json` and the recorded answers. */
  dir: string;
  faults?: Fault[];
  /** When set, a request without this exact `Authorization` gets MLflow's 401. */
  requireAuth?: RequiredAuth;
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM), e.g. test/fixtures/tls/server.{key,pem}. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface SeenRequest {
  method: string;
  /** Path without the query string, e.g. `/api/2.0/mlflow/runs/get`. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or undefined. */
  body?: unknown;
  /** The recording answered, or undefined (fault or no recording). */
  answeredWith?: string;
}

export interface ExtraAnswer {
  /** Which requests it answers (checked before the recordings). */
  match: (req: SeenRequest) => boolean;
  status?: number;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RecordedServer {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`), no trailing slash. */
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Body bytes written by `endlessBody` faults so far. */
  readonly sentBytes: number;
  addFault(fault: Fault): void;
  /** Answers requests the recordings do not cover (e.g. a page past the recorded ones). */
  addAnswer(answer: ExtraAnswer): void;
  clearFaults(): void;
  close(): Promise<void>;
}

interface Recording {
  entry: RecordedAnswer;
  path: string;
  params: Map<string, string[]>;
  body: Buffer;
}

/** MLflow's defaults, by path suffix: a parameter with this value counts as absent. */
const DEFAULTS: Record<string, Record<string, string>> = {
  'mlflow/runs/search': { max_results: '1000', run_view_type: 'ACTIVE_ONLY' },
  'mlflow/experiments/search': { max_results: '1000', view_type: 'ACTIVE_ONLY' },
  'mlflow/logged-models/search': { max_results: '100' },
  'mlflow/registered-models/search': { max_results: '100' },
  'mlflow/model-versions/search': { max_results: '10000' },
};

function normaliseParams(path: string, raw: Map<string, string[]>): Map<string, string[]> {
  const defaults = Object.entries(DEFAULTS).find(([suffix]) => path.endsWith(suffix))?.[1] ?? {};
  const out = new Map<string, string[]>();
  for (const [key, values] of raw) {
    const kept = values.filter((v) => v !== '');
    if (kept.length === 0) continue;
    if (kept.length === 1 && defaults[key] === kept[0]) continue;
    out.set(key, kept);
  }
  return out;
}

function paramsFromQuery(query: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of query) out.set(k, [...(out.get(k) ?? []), v]);
  return out;
}

function paramsFromBody(body: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!body || typeof body !== 'object') return out;
  const str = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    out.set(k, Array.isArray(v) ? v.map(str) : [str(v)]);
  }
  return out;
}

function sameParams(a: Map<string, string[]>, b: Map<string, string[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, va] of a) {
    const vb = b.get(k);
    if (!vb || vb.length !== va.length || va.some((v, i) => v !== vb[i])) return false;
  }
  return true;
}

function loadRecordings(dir: string): Recording[] {
  const index = readRecordedIndex(dir);
  return index.map((entry) => {
    const url = new URL(entry.url);
    const raw = entry.method === 'GET' ? paramsFromQuery(url.searchParams) : paramsFromBody(entry.request_body);
    return { entry, path: url.pathname, params: normaliseParams(url.pathname, raw), body: readFileSync(join(dir, entry.file)) };
  });
}

const UNAUTHORIZED_TEXT =
  'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.';

function expectedAuthorization(auth: RequiredAuth): string {
  return 'token' in auth ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

export async function startRecordedServer(options: RecordedServerOptions): Promise<RecordedServer> {
  const recordings = loadRecordings(options.dir);
  const faults: { fault: Fault; left: number }[] = [];
  const requests: SeenRequest[] = [];
  const extras: ExtraAnswer[] = [];
  let sentBytes = 0;
  const addFault = (fault: Fault) => faults.push({ fault, left: fault.times ?? Infinity });
  for (const f of options.faults ?? []) addFault(f);

  const takeFault = (path: string, full: string): Fault | undefined => {
    for (const slot of faults) {
      if (slot.left <= 0) continue;
      const m = slot.fault.match;
      const hit = m === undefined || (typeof m === 'string' ? path.includes(m) : m.test(full));
      if (hit) {
        slot.left--;
        return slot.fault;
      }
    }
    return undefined;
  };

  const find = (method: string, path: string, params: Map<string, string[]>): Recording | undefined => {
    const candidates = recordings.filter((r) => r.path === path && sameParams(r.params, params));
    return candidates.find((r) => r.entry.method === method) ?? candidates[0];
  };

  const answer = (req: http.IncomingMessage, res: http.ServerResponse, rawBody: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        body = rawBody.toString('utf8');
      }
    }
    const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
    requests.push(seen);

    if (options.requireAuth && req.headers.authorization !== expectedAuthorization(options.requireAuth)) {
      res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Basic realm="mlflow"' });
      res.end(UNAUTHORIZED_TEXT);
      return;
    }

    const raw = seen.method === 'GET' || body === undefined ? paramsFromQuery(url.searchParams) : paramsFromBody(body);
    const recording = find(seen.method, url.pathname, normaliseParams(url.pathname, raw));
    const fault = takeFault(url.pathname, url.pathname + url.search);
    const extra = extras.find((x) => x.match(seen));
    const sendRecording = () => {
      if (extra) {
        const isRaw = typeof extra.body === 'string' || Buffer.isBuffer(extra.body);
        res.writeHead(extra.status ?? 200, { 'Content-Type': extra.contentType ?? (isRaw ? 'text/plain' : 'application/json'), ...extra.headers });
        res.end(isRaw ? (extra.body as string | Buffer) : JSON.stringify(extra.body));
        return;
      }
      if (!recording) {
        sendJson(res, 404, {
          error_code: 'RECORDING_NOT_FOUND',
          message: `No recorded answer for ${seen.method} ${url.pathname} with ${JSON.stringify([...raw])}`,
        });
        return;
      }
      seen.answeredWith = recording.entry.file;
      res.writeHead(recording.entry.status, { 'Content-Type': recording.entry.content_type ?? 'application/json' });
      res.end(recording.body);
    };

    switch (fault?.kind) {
      case undefined:
        return sendRecording();
      case 'error500':
        return sendJson(res, 500, { error_code: 'INTERNAL_ERROR', message: 'Injected internal error' });
      case 'error503':
        return sendJson(res, 503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'Injected: try again later' });
      case 'rateLimit429':
        return sendJson(
          res,
          429,
          { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Too many requests' },
          { 'Retry-After': String(fault.retryAfterSeconds ?? 1) },
        );
      case 'unauthorized401':
        res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Basic realm="mlflow"' });
        res.end(UNAUTHORIZED_TEXT);
        return;
      case 'forbidden403':
        return sendJson(res, 403, { error_code: 'PERMISSION_DENIED', message: 'Permission denied' });
      case 'slow': {
        const timer = setTimeout(sendRecording, fault.delayMs ?? 2000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'truncatedJson': {
        const full = recording?.body ?? Buffer.from(JSON.stringify({ runs: [{ info: { run_id: 'x' } }] }));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(full.subarray(0, Math.floor(full.length / 2)));
        return;
      }
      case 'htmlError': {
        const status = fault.status ?? 502;
        res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(
          `<!doctype html>\n<html><head><title>${status} Bad Gateway</title></head><body><h1>${status} Bad Gateway</h1><hr><center>nginx</center></body></html>\n`,
        );
        return;
      }
      case 'garbage':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('\u0000\u0001garbage, not JSON {{{');
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'endlessBody': {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = Buffer.from(`{"info": {"run_id": "${'x'.repeat(65_000)}"}}, `);
        res.write('{"runs": [');
        const pump = () => {
          while (!res.destroyed && res.write(chunk)) sentBytes += chunk.length;
          if (!res.destroyed) {
            sentBytes += chunk.length;
            res.once('drain', pump);
          }
        };
        pump();
        return;
      }
      case 'hugeContentLength':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(fault.declaredBytes ?? 700 * 2 ** 20) });
        res.write('{"runs": [');
        return;
    }
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks)));
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  // A client that gives up on a TLS handshake must not crash the test run.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    get sentBytes() {
      return sentBytes;
    },
    addFault,
    addAnswer: (answer) => void extras.push(answer),
    clearFaults: () => void faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const dir = arg('dir');
  if (!dir) {
    process.stderr.write('usage: recordedMlflowServer.ts --dir <recordings folder> [--port N] [--token T]\n');
    process.exit(2);
  }
  const token = arg('token');
  startRecordedServer({ dir, port: arg('port') ? Number(arg('port')) : undefined, requireAuth: token ? { token } : undefined }).then(
    (server) => {
      process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
      const stop = () => void server.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    },
  );
}
