/**
 * Cancellation of REST reads: a server that holds its answer (a slow search) sees the request's
 * connection close as soon as the caller's signal fires, and the call rejects with CANCELLED.
 */
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openRestStore } from '../../../src/tracking/rest';
import { isCancelled } from '../../../src/tracking/types';

describe('REST store: cancellation', () => {
  let server: Server;
  let url: string;
  const held: { req: IncomingMessage; closed: boolean }[] = [];

  before(async () => {
    server = createServer((req) => {
      const entry = { req, closed: false };
      held.push(entry);
      // Never answers: only the client can end this request.
      req.socket.on('close', () => (entry.closed = true));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const until = async (check: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  for (const [name, call] of [
    ['searchRuns', (s: ReturnType<typeof openRestStore>, signal: AbortSignal) => s.searchRuns({ experiment_ids: ['1'] }, { signal })],
    ['searchExperiments', (s: ReturnType<typeof openRestStore>, signal: AbortSignal) => s.searchExperiments({}, { signal })],
    ['listArtifacts', (s: ReturnType<typeof openRestStore>, signal: AbortSignal) => s.listArtifacts('r1', 'model', { signal })],
    ['getMetricHistory', (s: ReturnType<typeof openRestStore>, signal: AbortSignal) => s.getMetricHistory('r1', 'loss', { signal })],
  ] as const) {
    it(`${name}: an aborted signal closes the request and rejects with CANCELLED`, async () => {
      const store = openRestStore(url, { timeoutMs: 60_000 });
      try {
        const before = held.length;
        const controller = new AbortController();
        const pending = call(store, controller.signal);
        await until(() => held.length === before + 1);
        controller.abort();
        await assert.rejects(pending, (e) => isCancelled(e));
        await until(() => held[before].closed);
        // Already aborted: no request is sent at all.
        await assert.rejects(call(store, AbortSignal.abort()), (e) => isCancelled(e));
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(held.length, before + 1);
      } finally {
        store.dispose();
      }
    });
  }
});
