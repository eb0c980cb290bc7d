/** MLflow's page tokens: base64 of {"offset": N}, exactly as the recorded server sends them. */
import * as assert from 'node:assert/strict';
import { decodePageToken, encodePageToken, paginate } from '../../../src/tracking/search';
import { MlflowError } from '../../../src/tracking/types';
import { readJson } from './recorded';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('search: page tokens', () => {
  it('encodes like the recorded MLflow server', () => {
    assert.equal(encodePageToken(5), readJson('rest-file-store', 'runs_search_page1_max5.json').next_page_token);
    assert.equal(encodePageToken(10), readJson('rest-file-store', 'runs_search_page2_max5.json').next_page_token);
  });

  it('round-trips offsets', () => {
    for (const n of [0, 1, 5, 999, 123456789, 2 ** 40]) assert.equal(decodePageToken(encodePageToken(n)), n);
  });

  it('reads no token as offset 0, and a string offset as MLflow int() does', () => {
    assert.equal(decodePageToken(undefined), 0);
    assert.equal(decodePageToken(''), 0);
    assert.equal(decodePageToken(b64('{"offset": "7"}')), 7);
  });

  const GARBAGE: [string, RegExp][] = [
    ['not base64!!', /could not base64-decode/],
    ['%%%%', /could not base64-decode/],
    ['abcde', /could not base64-decode/],
    [b64('hello'), /decoded value=hello/],
    [b64('{"foo": 1}'), /parsed value/],
    [b64('{"offset": -1}'), /parsed value/],
    [b64('{"offset": "abc"}'), /parsed value/],
    [b64('{"offset": 1.5}'), /parsed value/],
    [b64('[]'), /parsed value/],
    [b64('null'), /parsed value/],
    [b64('{"offset": 1e400}'), /parsed value/],
  ];
  for (const [token, message] of GARBAGE) {
    it(`rejects ${JSON.stringify(token)} with INVALID_PARAMETER_VALUE`, () => {
      assert.throws(
        () => decodePageToken(token),
        (e: unknown) => e instanceof MlflowError && e.error_code === 'INVALID_PARAMETER_VALUE' && message.test(e.message),
      );
    });
  }

  it('pages a list like MLflow: a token only while more remain', () => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    const p1 = paginate(items, undefined, 5);
    assert.deepEqual(p1, { items: [0, 1, 2, 3, 4], next_page_token: encodePageToken(5) });
    const p2 = paginate(items, p1.next_page_token, 5);
    assert.deepEqual(p2, { items: [5, 6, 7, 8, 9], next_page_token: encodePageToken(10) });
    assert.deepEqual(paginate(items, p2.next_page_token, 5), { items: [10, 11] });
    assert.deepEqual(paginate(items, undefined, 12), { items });
    assert.deepEqual(paginate(items, encodePageToken(40), 5), { items: [] });
  });
});
