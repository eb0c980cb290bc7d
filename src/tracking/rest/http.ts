/**
 * The HTTP side of the REST store: one call within one time budget (retries for 429/5xx and
 * dropped connections included), MLflow's JSON errors turned into MlflowError, and auth headers.
 * Credentials go into the Authorization header only: never into URLs, and every message is
 * scrubbed of them, also when a server echoes one back. Answers are size-capped while they stream.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { cancelledError, MlflowError, throwIfCancelled, type OpenStoreOptions } from '../types';

export interface RestClientOptions extends OpenStoreOptions {
  /** Attempts after the first for 429, 5xx and dropped connections. Default 3. */
  retries?: number;
  /** First backoff delay in ms, doubled each retry. Default 250. */
  backoffMs?: number;
  /** Upper bound for one wait; a Retry-After asking for longer fails the call at once, saying so. Default 30 s. */
  maxWaitMs?: number;
  /** Largest answer accepted; a larger one fails with RESOURCE_EXHAUSTED while it streams. Default 256 MB. */
  maxResponseBytes?: number;
}

export type QueryValue = string | number | boolean | undefined | (string | number)[];

const DEFAULT_TIMEOUT_MS = 30_000;
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_NET = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED']);

/** Node's codes for a certificate it does not trust or that does not match the host. */
const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME|ERR_SSL/;

/**
 * One answer is held in memory whole; past this it is refused rather than exhausting memory. It stays
 * well below V8's longest string (512 M characters), which a JSON answer must be decoded into.
 */
const MAX_RESPONSE_BYTES = 256 * 2 ** 20;

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'ENDPOINT_NOT_FOUND',
  429: 'REQUEST_LIMIT_EXCEEDED',
  503: 'TEMPORARILY_UNAVAILABLE',
};

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The server's address as the user may see it: no user info, no query. */
export function publicUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function formatBytes(n: number): string {
  return n >= 2 ** 20 ? `${Math.round(n / 2 ** 20)} MB` : `${n} bytes`;
}

function htmlTitle(text: string): string | undefined {
  const m = /<title>([^<]{1,200})<\/title>/i.exec(text) ?? /<h1>([^<]{1,200})<\/h1>/i.exec(text);
  return m?.[1].trim();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Replaces each secret (and its URL-encoded form) in `text` with `***`. */
function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

export class RestClient {
  readonly base: URL;
  readonly displayUrl: string;
  private readonly authorization?: string;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxWaitMs: number;
  private readonly maxResponseBytes: number;
  /** Every credential this client holds, longest first, scrubbed from every message it makes. */
  private secrets: string[] = [];

  constructor(baseUrl: string, options: RestClientOptions = {}) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new MlflowError(`Not an http(s) URL: ${url.protocol}`, 'INVALID_PARAMETER_VALUE');
    }
    // user:password@host in the URL works like username/password, and is then dropped.
    const urlUser = decodeURIComponent(url.username);
    const urlPassword = decodeURIComponent(url.password);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    this.base = url;
    this.displayUrl = publicUrl(url);

    const username = options.username ?? (urlUser || undefined);
    const password = options.password ?? (urlPassword || undefined);
    if (username !== undefined && password !== undefined) {
      const basic = Buffer.from(`${username}:${password}`).toString('base64');
      this.authorization = `Basic ${basic}`;
      this.secrets.push(basic, password);
    } else if (options.token) {
      this.authorization = `Bearer ${options.token}`;
    }
    if (options.token) this.secrets.push(options.token);
    if (urlPassword) this.secrets.push(urlPassword);
    if (options.password) this.secrets.push(options.password);
    this.secrets = [...new Set(this.secrets.filter((x) => x.length > 0))].sort((a, b) => b.length - a.length);

    if (url.protocol === 'https:') {
      let ca: string[] | undefined;
      if (options.caFile) {
        let extra: string;
        try {
          extra = readFileSync(options.caFile, 'utf8');
        } catch (e) {
          throw new MlflowError(`Cannot read the CA file ${options.caFile}: ${(e as Error).message}`, 'INVALID_PARAMETER_VALUE');
        }
        ca = [...tls.rootCertificates, extra];
      }
      this.agent = new https.Agent({ keepAlive: true, ca });
    } else {
      this.agent = new http.Agent({ keepAlive: true });
    }
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 250;
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  }

  async getJson<T>(path: string, query: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> {
    return this.scrubbed(async () => this.parseJson<T>('GET', path, await this.request('GET', this.urlFor(path, query), undefined, signal)));
  }

  async postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.scrubbed(async () => this.parseJson<T>('POST', path, await this.request('POST', this.urlFor(path, {}), JSON.stringify(body), signal)));
  }

  async getBytes(path: string, query: Record<string, QueryValue> = {}): Promise<Uint8Array> {
    return this.scrubbed(async () => {
      const res = await this.request('GET', this.urlFor(path, query));
      return new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.length);
    });
  }

  /** The text with this client's credentials replaced by `***`. */
  private redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  /** Every failure leaves as an MlflowError whose message holds no credential, whatever the server echoed. */
  private async scrubbed<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      const err = e instanceof MlflowError ? e : new MlflowError(`${this.displayUrl}: ${(e as Error)?.message ?? String(e)}`, 'INTERNAL_ERROR');
      err.message = this.redact(err.message);
      if (err.stack) err.stack = this.redact(err.stack);
      throw err;
    }
  }

  dispose(): void {
    this.agent.destroy();
  }

  private urlFor(path: string, query: Record<string, QueryValue>): URL {
    const url = new URL(path.replace(/^\/+/, ''), this.base);
    // A path from a server's answer (an artifact root) must not climb out of the API: `..` is refused.
    if (url.origin !== this.base.origin || !url.pathname.startsWith(this.base.pathname) || /(^|\/)\.\.?(\/|$)/.test(path)) {
      throw new MlflowError(`Refused a request outside ${this.displayUrl}: the path '${path}' leaves the server's API.`, 'INVALID_PARAMETER_VALUE');
    }
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    return url;
  }

  private describe(method: string, url: URL): string {
    return `${method} ${url.pathname}`;
  }

  private parseJson<T>(method: string, path: string, res: RawResponse): T {
    const text = res.body.toString('utf8');
    if (text.trim() === '') return {} as T;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      const html = /^\s*</.test(text);
      throw new MlflowError(
        html
          ? `${this.displayUrl} answered ${method} ${path} with an HTML page instead of MLflow JSON${htmlTitle(text) ? ` ("${htmlTitle(text)}")` : ''}. Is this the address of an MLflow tracking server?`
          : `${this.displayUrl} answered ${method} ${path} with a response that is not valid JSON (${res.body.length} bytes; truncated or not an MLflow server?).`,
        'INVALID_RESPONSE',
        res.status,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new MlflowError(`${this.displayUrl} answered ${method} ${path} with JSON that is not an MLflow answer object.`, 'INVALID_RESPONSE', res.status);
    }
    return parsed as T;
  }

  private errorFor(method: string, url: URL, res: RawResponse): MlflowError {
    const text = res.body.toString('utf8');
    const where = `${this.displayUrl} (${this.describe(method, url)})`;
    let code = STATUS_CODES[res.status] ?? (res.status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
    let detail: string | undefined;
    try {
      const json = JSON.parse(text) as { error_code?: unknown; message?: unknown };
      if (typeof json.error_code === 'string') code = json.error_code;
      if (typeof json.message === 'string') detail = json.message;
    } catch {
      detail = /^\s*</.test(text) ? htmlTitle(text) : text.trim().slice(0, 200) || undefined;
    }
    let message: string;
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.location;
      let target = '';
      try {
        if (location) target = ` to ${publicUrl(new URL(location, url))}`;
      } catch {
        // An unparsable Location: say where we were sent without it.
      }
      message = `${where}: redirected (${res.status})${target}. Use the final address as the tracking URI (a login page in front of the server needs a token instead).`;
      code = 'INVALID_RESPONSE';
    } else if (res.status === 401) {
      message = `${where}: authentication required or refused (401). Check the token or user name and password for this server.`;
    } else if (res.status === 403) {
      message = `${where}: permission denied (403)${detail ? `: ${detail}` : ''}.`;
    } else {
      message = detail?.startsWith(String(res.status)) ? `${where}: ${detail}` : `${where}: ${res.status}${detail ? ` ${detail}` : ''}`;
    }
    return new MlflowError(message, code, res.status);
  }

  /** One call: attempts and the waits between them all fit in one budget (the timeout a user sets). */
  private async request(method: string, url: URL, body?: string, signal?: AbortSignal): Promise<RawResponse> {
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      throwIfCancelled(signal);
      let res: RawResponse;
      try {
        res = await this.once(method, url, deadline, body, signal);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err instanceof MlflowError) throw err;
        if (err.code && TLS_TRUST.test(err.code)) {
          throw new MlflowError(
            `The TLS certificate of ${this.displayUrl} is not trusted (${err.code}). If the server uses a private certificate authority, give its PEM file as the CA file.`,
            'TLS_ERROR',
          );
        }
        if (attempt < this.retries && err.code && RETRYABLE_NET.has(err.code)) {
          const wait = this.backoff(attempt);
          if (Date.now() + wait < deadline) {
            await sleep(wait);
            continue;
          }
        }
        throw new MlflowError(`Cannot reach ${this.displayUrl} (${this.describe(method, url)}): ${err.code ?? err.message}`, 'TEMPORARILY_UNAVAILABLE');
      }
      if (res.status >= 200 && res.status < 300) return res;
      if (RETRYABLE_STATUS.has(res.status)) {
        const asked = retryAfterMs(res.headers['retry-after']);
        const wait = asked ?? this.backoff(attempt);
        const fits = wait <= this.maxWaitMs && Date.now() + wait < deadline;
        if (attempt < this.retries && fits) {
          await sleep(wait);
          continue;
        }
        // Sleeping past the budget helps no one: say when the server wants to be asked again.
        if (asked !== undefined && !fits) throw this.retryLater(method, url, res, asked);
      }
      throw this.errorFor(method, url, res);
    }
  }

  private retryLater(method: string, url: URL, res: RawResponse, waitMs: number): MlflowError {
    const cause = this.errorFor(method, url, res);
    const seconds = Math.ceil(waitMs / 1000);
    return new MlflowError(
      `${this.displayUrl} (${this.describe(method, url)}): the server asks to retry in ${seconds} s (${res.status}); not waiting that long. ${cause.message}`,
      cause.error_code,
      res.status,
    );
  }

  private backoff(attempt: number): number {
    const base = this.backoffMs * 2 ** attempt;
    return Math.min(this.maxWaitMs, base / 2 + Math.random() * (base / 2));
  }

  private once(method: string, url: URL, deadline: number, body?: string, signal?: AbortSignal): Promise<RawResponse> {
    const transport = url.protocol === 'https:' ? https : http;
    const headers: http.OutgoingHttpHeaders = { Accept: 'application/json', 'User-Agent': 'vscode-mlflow' };
    if (this.authorization) headers.Authorization = this.authorization;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    return new Promise<RawResponse>((resolve, reject) => {
      const tooLarge = () =>
        new MlflowError(
          `${this.displayUrl} sent more than ${formatBytes(this.maxResponseBytes)} for ${this.describe(method, url)}; ` +
            'stopped reading (the answer is too large to hold).',
          'RESOURCE_EXHAUSTED',
        );
      const req = transport.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        // A declared length over the cap is refused before one byte of it is read.
        if (Number(res.headers['content-length']) > this.maxResponseBytes) {
          clearTimeout(timer);
          req.destroy();
          reject(tooLarge());
          return;
        }
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.maxResponseBytes) {
            clearTimeout(timer);
            chunks.length = 0;
            req.destroy();
            reject(tooLarge());
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
      // One deadline for the whole call (a server that trickles bytes must not hang us).
      const timer = setTimeout(
        () => {
          req.destroy();
          reject(new MlflowError(`${this.displayUrl} did not answer ${this.describe(method, url)} within ${this.timeoutMs} ms.`, 'DEADLINE_EXCEEDED'));
        },
        Math.max(0, deadline - Date.now()),
      );
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      // The caller no longer wants the answer: close the request (the server sees the connection go).
      const onAbort = () => {
        clearTimeout(timer);
        req.destroy();
        reject(cancelledError());
      };
      if (signal) {
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        req.on('close', () => signal.removeEventListener('abort', onAbort));
      }
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}
