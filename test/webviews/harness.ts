/**
 * Webviews in real headless Chromium, without VS Code: the built bundle
 * (`dist/webviews/<name>.js` and `.css`, `npm run build` first) inside the real HTML shell
 * with its real Content-Security-Policy, served from 127.0.0.1 on a free port (that origin
 * plays the webview's `cspSource`). `acquireVsCodeApi` is a stub: what the page posts
 * reaches `onMessage` handlers in Node (and `posted`), and `post()` delivers messages into
 * the page as VS Code does (a `message` event), typed arrays included.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { launchBrowser } from '../harness/workbench';
import { serveFromWorker, serveStatic } from './staticServer';

/** Typed arrays cross the page's DevTools session as base64 of their bytes (exact, NaN and ±Infinity included). */
type Encoded = { __typedArray: string; base64: string } | Encoded[] | { [key: string]: Encoded } | string | number | boolean | null | undefined;

function encode(value: unknown): Encoded {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { __typedArray: value.constructor.name, base64: bytes.toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value as Encoded;
}

/** Runs in the page before its own script: the stub API, the decoder, and a record of CSP violations. */
const INIT_SCRIPT = `(() => {
  const w = window;
  w.__harness = { posted: [], violations: [], errors: [], state: w.__initialState, apiCalls: 0 };
  document.addEventListener('securitypolicyviolation', (e) => {
    w.__harness.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  w.addEventListener('error', (e) => w.__harness.errors.push(String(e.message)));
  // Frame probes: from the frame after arming, \`check\` runs at the start of every animation frame; the first frame where
  // it returns a truthy value settles the probe with that value and the frame's time (ms since the epoch).
  const probes = {};
  w.__harness.arm = (id, check) => {
    probes[id] = new Promise((resolve, reject) => {
      const tick = () => {
        const at = performance.timeOrigin + performance.now();
        try {
          const value = check();
          if (value) resolve({ at, value });
          else requestAnimationFrame(tick);
        } catch (error) {
          reject(error);
        }
      };
      requestAnimationFrame(tick);
    });
  };
  w.__harness.probe = (id) => probes[id];
  if (w.__firstFrameProbe) w.__harness.arm('first', w.__firstFrameProbe);
  w.acquireVsCodeApi = () => {
    w.__harness.apiCalls++;
    if (w.__harness.apiCalls > 1) throw new Error('acquireVsCodeApi called twice');
    return {
      postMessage: (m) => { w.__harness.posted.push(m); if (w.__toHost) w.__toHost(JSON.stringify(m)); },
      getState: () => w.__harness.state,
      setState: (s) => { w.__harness.state = s; },
    };
  };
  const decode = (v) => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      if (typeof v.__typedArray === 'string') {
        const bytes = Uint8Array.fromBase64(v.base64);
        return new w[v.__typedArray](bytes.buffer);
      }
      const out = {};
      for (const k of Object.keys(v)) out[k] = decode(v[k]);
      return out;
    }
    return v;
  };
  // Resolves with the page's own time handling the message: its listeners and the microtasks
  // they queued (a chart's draw), without the decoding above, which is the harness's.
  w.__deliver = (encoded) => {
    const decoding = performance.now();
    const data = decode(encoded);
    const start = performance.now();
    w.dispatchEvent(new MessageEvent('message', { data }));
    return Promise.resolve().then(() => ({ handleMs: performance.now() - start, decodeMs: start - decoding }));
  };
})();`;

export interface OpenWebviewOptions {
  /** The state `getState()` answers first (as after a window reload). */
  state?: unknown;
  viewport?: { width: number; height: number };
  /** Extra `<body>` class VS Code sets for the theme (default `vscode-dark`). */
  themeClass?: string;
  /**
   * A function's source, run in the page at every animation frame from the document's start (before its own script):
   * `frame('first')` resolves with the first frame where it returned a truthy value. Armed by the page itself, so no
   * message from Node has to reach a busy page first.
   */
  firstFrameProbe?: string;
  /** Script run in the page before its own (after the harness's stub): a test's instrumentation. */
  initScript?: string;
  /** Called with the page before it navigates to the webview (a host that starts working as the panel opens, before the page is ready). */
  beforeNavigate?: (view: WebviewPage) => void;
}

export class WebviewPage {
  private readonly handlers: ((message: any) => void | Promise<void>)[] = [];
  /** Every message the page posted, in order, as the host received it. */
  readonly posted: any[] = [];

  constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
    /**
     * The page's own DevTools session: messages are delivered through it as one expression each, without
     * Playwright's argument serialisation and the helper script it installs in the page on first use (together
     * 50-100 ms of the page's main thread for a message of a few hundred KB, more for a megabyte).
     */
    private readonly devtools: CDPSession,
  ) {}

  /**
   * Per delivered message: when `post` started and ended (ms since the epoch), how long the
   * page itself spent handling it, and the harness's own work on it: base64-encoding the typed
   * arrays in Node and decoding them in the page (VS Code hands a webview their bytes).
   * The rest of the span is the trip over the DevTools protocol, and waiting for a busy host.
   */
  readonly deliveries: { startedAt: number; endedAt: number; handleMs: number; encodeMs: number; decodeMs: number }[] = [];

  private delivering: Promise<void> = Promise.resolve();

  /**
   * Delivers a message to the page as the extension's `webview.postMessage` would: in the order
   * posted, one after the other (so each delivery's span is its own).
   */
  post(message: unknown): Promise<void> {
    const delivery = this.delivering.then(async () => {
      const startedAt = performance.timeOrigin + performance.now();
      const expression = `window.__deliver(${JSON.stringify(encode(message))})`;
      const encodeMs = performance.timeOrigin + performance.now() - startedAt;
      const timing = (await this.evaluate(expression)) as { handleMs?: number; decodeMs?: number } | undefined;
      const endedAt = performance.timeOrigin + performance.now();
      this.deliveries.push({ startedAt, endedAt, handleMs: Number(timing?.handleMs) || 0, encodeMs, decodeMs: Number(timing?.decodeMs) || 0 });
    });
    this.delivering = delivery.catch(() => undefined);
    return delivery;
  }

  /** Evaluates `expression` in the page's main world through the DevTools session; a returned promise is awaited and its value returned. */
  async evaluate(expression: string): Promise<unknown> {
    const { result, exceptionDetails } = await this.devtools.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  }

  /**
   * Arms a frame probe named `id`: from the next animation frame on, `predicate` (a function's source) runs in the page at
   * the start of every frame until it returns a truthy value. Arm before the action whose effect it awaits (a click),
   * then `frame(id)`. The page polls itself: nothing of Playwright's runs in the page while it works.
   */
  async armFrame(id: string, predicate: string): Promise<void> {
    await this.evaluate(`window.__harness.arm(${JSON.stringify(id)}, ${predicate})`);
  }

  /** The first frame where probe `id` (`armFrame`, or `first` for `firstFrameProbe`) held: its time (ms since the epoch) and the predicate's value. */
  async frame(id: string, timeoutMs: number): Promise<{ at: number; value: unknown }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`frame probe ${id} did not hold within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return (await Promise.race([this.evaluate(`window.__harness.probe(${JSON.stringify(id)})`), timeout])) as { at: number; value: unknown };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Also called for what the page posted before (its `ready`, sent while loading). */
  onMessage(handler: (message: any) => void | Promise<void>): void {
    this.handlers.push(handler);
    for (const message of this.posted) {
      void Promise.resolve(handler(message)).catch((e) => this.page.isClosed() || console.error('webview harness handler failed:', e));
    }
  }

  /** @internal called by the page's stub */
  receive(message: unknown): void {
    this.posted.push(message);
    for (const h of this.handlers) void Promise.resolve(h(message)).catch((e) => this.page.isClosed() || console.error('webview harness handler failed:', e));
  }

  /** Waits for a posted message matching `predicate` (already posted ones count). */
  async waitForMessage<T = any>(predicate: (m: any) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.posted.find(predicate);
      if (found) return found as T;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; posted: ${JSON.stringify(this.posted).slice(0, 1000)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async violations(): Promise<{ directive: string; blocked: string; sample: string }[]> {
    return this.page.evaluate(() => (window as any).__harness.violations);
  }

  async pageErrors(): Promise<string[]> {
    return this.page.evaluate(() => (window as any).__harness.errors);
  }

  async savedState(): Promise<unknown> {
    return this.page.evaluate(() => (window as any).__harness.state);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** One browser and one local server for a test file; `open()` a fresh page per test. */
export class WebviewHarness {
  private constructor(
    private readonly browser: Browser,
    private readonly closeServer: () => Promise<void>,
    readonly origin: string,
  ) {}

  /**
   * `serverInWorker`: serve the pages from a worker thread, so a host that keeps this process's
   * event loop busy (a benchmark reading a store) does not hold up the page's loading; in VS Code
   * the extension host does not serve the webview's files either.
   */
  static async start(options: { serverInWorker?: boolean } = {}): Promise<WebviewHarness> {
    const served = options.serverInWorker ? await serveFromWorker() : await serveStatic();
    return new WebviewHarness(await launchBrowser(), served.close, `http://127.0.0.1:${served.port}`);
  }

  /** Opens the built webview `name`; fails clearly when it was not built. */
  async open(name: string, options: OpenWebviewOptions = {}): Promise<WebviewPage> {
    const bundle = join(repoRoot, 'dist/webviews', `${name}.js`);
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
    const context = await this.browser.newContext({ viewport: options.viewport ?? { width: 1200, height: 800 } });
    const page = await context.newPage();
    const view = new WebviewPage(page, context, await context.newCDPSession(page));
    await page.exposeFunction('__toHost', (json: string) => view.receive(JSON.parse(json)));
    const probe = options.firstFrameProbe ? `window.__firstFrameProbe = ${options.firstFrameProbe};\n` : '';
    await page.addInitScript(
      `window.__initialState = ${JSON.stringify(options.state ?? null)} ?? undefined;\n${probe}${INIT_SCRIPT}\n${options.initScript ?? ''}`,
    );
    options.beforeNavigate?.(view);
    await page.goto(`${this.origin}/webview/${name}?theme=${encodeURIComponent(options.themeClass ?? 'vscode-dark')}`);
    return view;
  }

  async stop(): Promise<void> {
    await this.browser.close();
    await this.closeServer();
  }
}
