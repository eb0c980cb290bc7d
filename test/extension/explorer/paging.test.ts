import * as assert from 'node:assert/strict';
import { PagedList, type Page } from '../../../src/extension/explorer/model/paging';

/** A fake server of `total` numbered items, with opaque offset tokens, counting requests. */
function server(total: number) {
  const calls: (string | undefined)[] = [];
  let items = Array.from({ length: total }, (_, i) => i);
  const fetch = async (token: string | undefined, size: number): Promise<Page<number>> => {
    calls.push(token);
    await new Promise((r) => setTimeout(r, 1));
    const offset = token ? Number(token.slice(4)) : 0;
    const next = offset + size < items.length ? `off:${offset + size}` : undefined;
    return { items: items.slice(offset, offset + size), nextPageToken: next };
  };
  return { fetch, calls, setItems: (n: number[]) => (items = n) };
}

describe('paged list', () => {
  it('shows the first page of 10,000 items and loads more on demand', async () => {
    const s = server(10_000);
    const list = new PagedList(s.fetch, 100, String);
    assert.equal(list.hasMore, true);
    await list.ensureLoaded();
    assert.equal(list.items.length, 100);
    assert.equal(list.items[99], 99);
    assert.equal(list.hasMore, true);
    await list.loadMore();
    assert.equal(list.items.length, 200);
    assert.equal(list.items[150], 150);
    assert.deepEqual(s.calls, [undefined, 'off:100']);
  });

  it('sends one request when asked twice at once', async () => {
    const s = server(1000);
    const list = new PagedList(s.fetch, 100, String);
    await Promise.all([list.ensureLoaded(), list.ensureLoaded(), list.loadMore()]);
    assert.equal(s.calls.length, 1);
    assert.equal(list.items.length, 100);
  });

  it('stops at the last page', async () => {
    const s = server(150);
    const list = new PagedList(s.fetch, 100, String);
    await list.ensureLoaded();
    await list.loadMore();
    assert.equal(list.hasMore, false);
    await list.loadMore();
    assert.equal(list.items.length, 150);
    assert.equal(s.calls.length, 2);
  });

  it('reloads as many items as were shown, in one swap', async () => {
    const s = server(1000);
    const list = new PagedList(s.fetch, 100, String);
    await list.ensureLoaded();
    await list.loadMore();
    await list.loadMore();
    s.setItems(Array.from({ length: 1000 }, (_, i) => i + 1));
    const reloading = list.reload();
    assert.equal(list.items.length, 300, 'old items stay visible while reloading');
    await reloading;
    assert.equal(list.items.length, 300);
    assert.equal(list.items[0], 1);
    assert.equal(list.hasMore, true);
  });

  it('drops an answer that arrives after a reset', async () => {
    const s = server(1000);
    const list = new PagedList(s.fetch, 100, String);
    const first = list.ensureLoaded();
    list.reset();
    await first;
    assert.equal(list.items.length, 0);
    assert.equal(list.hasMore, true);
    await list.ensureLoaded();
    assert.equal(list.items.length, 100);
  });

  it('lets an error through and can try again', async () => {
    let fail = true;
    const list = new PagedList<number>(
      async () => {
        if (fail) throw new Error('HTTP 500');
        return { items: [1] };
      },
      10,
      String,
    );
    await assert.rejects(list.ensureLoaded(), /HTTP 500/);
    fail = false;
    await list.ensureLoaded();
    assert.deepEqual(list.items, [1]);
    assert.equal(list.hasMore, false);
  });

  it('does not list an item twice when one is created at the top between two pages', async () => {
    // Offset tokens: a run started between "Load more" clicks pushes the last run of page 1 onto page 2.
    const s = server(10);
    const list = new PagedList(s.fetch, 5, String);
    await list.ensureLoaded();
    s.setItems([-1, ...Array.from({ length: 10 }, (_, i) => i)]);
    await list.loadMore();
    assert.deepEqual(list.items, [0, 1, 2, 3, 4, 5, 6, 7, 8], 'page 2 repeated 4; it is listed once');
    assert.equal(list.hasMore, true);
    await list.reload();
    assert.deepEqual(list.items, [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8], 'the reload puts the new item first');
  });
});
