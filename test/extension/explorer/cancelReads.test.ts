/**
 * The Runs view's loaded data stops what it no longer needs: collapsing an experiment whose first
 * page is still loading, collapsing a run whose artifacts are still listed, or a filter change
 * (reset) closes the store's request (here a REST server that holds its answers); a loaded list
 * is kept when its experiment collapses.
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoreSession } from '../../../src/extension/connection/storeConnections';
import { DEFAULT_SORT } from '../../../src/extension/explorer/model/sorting';
import { SessionData } from '../../../src/extension/runs/runData';
import { openRestStore, type RestTrackingStore } from '../../../src/tracking/rest';
import { isCancelled, type TrackingStore } from '../../../src/tracking/types';

describe('Runs view: reads stop when their node collapses or the filter changes', () => {
  let server: Server;
  let store: RestTrackingStore;
  const open = new Set<string>();
  let seen = 0;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen++;
        // Experiment 2 answers at once; everything else is held until the client gives up.
        if (body.includes('"2"')) return void res.end(JSON.stringify({ runs: [] }));
        const id = `${req.url}#${seen}`;
        open.add(id);
        req.socket.on('close', () => open.delete(id));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    store = openRestStore(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { timeoutMs: 60_000 });
  });
  after(async () => {
    store.dispose();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const session = { call: <T>(_what: string, fn: (s: TrackingStore) => Promise<T>) => fn(store) } as unknown as StoreSession;
  const query = { filter: '', sort: DEFAULT_SORT, showDeleted: false, pageSize: 50 };
  const until = async (what: string, check: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('collapsing an experiment whose first page is loading closes the request; expanding again asks afresh', async () => {
    const data = new SessionData(session, query);
    const list = data.runList('1');
    const loading = list.ensureLoaded();
    await until('the search is sent', () => open.size === 1);
    assert.equal(data.experimentCollapsed('1'), true);
    await assert.rejects(loading, (e) => isCancelled(e));
    await until('the request is closed', () => open.size === 0);
    assert.notEqual(data.runList('1'), list, 'the next expand starts a new list');
    data.reset();
    await until('the new list is cancelled by reset', () => open.size === 0);
  });

  it('a loaded list stays when its experiment collapses', async () => {
    const data = new SessionData(session, query);
    const list = data.runList('2');
    await list.ensureLoaded();
    assert.equal(data.experimentCollapsed('2'), false);
    assert.equal(data.runList('2'), list);
  });

  it('collapsing a run stops its artifact listings; a filter change (reset) stops every read', async () => {
    const data = new SessionData(session, query);
    const listing = data.listArtifacts('run-a', 'model');
    await until('the listing is sent', () => open.size === 1);
    assert.equal(data.runCollapsed('run-a', 'history'), false, 'no history was loading');
    assert.equal(data.runCollapsed('run-a', 'all'), true);
    await assert.rejects(listing, (e) => isCancelled(e));
    await until('the listing request is closed', () => open.size === 0);

    const runs = data.runList('3').ensureLoaded();
    const history = data.metricHistory('run-b', 'loss');
    await until('both are sent', () => open.size === 2);
    data.reset();
    await assert.rejects(runs, (e) => isCancelled(e));
    await assert.rejects(history, (e) => isCancelled(e));
    await until('both requests are closed', () => open.size === 0);
  });
});
