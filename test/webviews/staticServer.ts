/**
 * The web server of the webview harness (`harness.ts`): the real HTML shell of a webview with
 * its real Content-Security-Policy and a fresh nonce, and the built bundles, from 127.0.0.1 on
 * a free port (that origin plays the webview's `cspSource`). In this process, or in a worker
 * thread of it (`serveFromWorker`) so that a busy event loop here does not hold up page loads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createNonce, webviewShellHtml } from '../../src/extension/webview/html';
import { repoRoot } from '../harness/paths';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};
/** The folders a webview may load from, as `localResourceRoots` allows in the extension. */
const SERVED = ['dist/webviews/', 'media/'];

interface Served {
  port: number;
  close(): Promise<void>;
}

export async function serveStatic(): Promise<Served> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const html = url.pathname.match(/^\/webview\/([a-z0-9-]+)$/);
    if (html) {
      const origin = `http://${req.headers.host}`;
      const name = html[1];
      const body = webviewShellHtml({
        cspSource: origin,
        nonce: createNonce(),
        scriptUri: `${origin}/dist/webviews/${name}.js`,
        styleUris: [`${origin}/dist/webviews/${name}.css`],
        title: name,
        name,
      });
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(body.replace('<body ', `<body class="${url.searchParams.get('theme') ?? 'vscode-dark'}" `));
      return;
    }
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
    const file = join(repoRoot, relative);
    if (!SERVED.some((dir) => relative.startsWith(dir)) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The same server in a worker thread (loading this file through tsx, as the tests and benchmarks run). */
export async function serveFromWorker(): Promise<Served> {
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true, workerData: { webviewStaticServer: true } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  return {
    port,
    close: async () => {
      await worker.terminate();
    },
  };
}

if (!isMainThread && (workerData as { webviewStaticServer?: boolean } | undefined)?.webviewStaticServer) {
  void serveStatic().then((served) => parentPort?.postMessage({ port: served.port }));
}
