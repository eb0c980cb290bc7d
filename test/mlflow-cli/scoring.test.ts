import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { describeScoringError, freePort, postInvocations, scoringPayload, waitForPing } from '../../src/mlflow-cli/scoring';

const ERROR_400 = readFileSync(path.join(__dirname, '..', 'fixtures', 'mlflow-console', 'invocations_error.json'), 'utf8');

describe('scoring a served model', () => {
  let server: http.Server;
  let base: string;
  let requests: { url: string; contentType: string; body: string }[];
  let pingReady = false;

  before(async () => {
    requests = [];
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ url: req.url ?? '', contentType: String(req.headers['content-type']), body });
        if (req.url === '/ping') {
          res.writeHead(pingReady ? 200 : 503).end();
        } else if (req.headers['content-type'] === 'text/plain') {
          res
            .writeHead(415, { 'content-type': 'application/json' })
            .end('{"error_code": "BAD_REQUEST", "message": "Content type must be one of application/json or text/csv."}');
        } else if (body.includes('bad')) {
          res.writeHead(400, { 'content-type': 'application/json' }).end(ERROR_400);
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"predictions": [1, 2, 2]}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('finds a free port', async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65536);
    const taken = (server.address() as AddressInfo).port;
    assert.notEqual(port, taken);
  });

  it('waits for /ping to answer 200, and gives up when told or when the time is up', async () => {
    setTimeout(() => (pingReady = true), 300);
    assert.equal(await waitForPing(base, { timeoutMs: 5000, intervalMs: 50 }), true);
    assert.equal(await waitForPing('http://127.0.0.1:1', { timeoutMs: 300, intervalMs: 50 }), false);
    assert.equal(await waitForPing('http://127.0.0.1:1', { timeoutMs: 5000, intervalMs: 50, shouldStop: () => true }), false);
  });

  it("wraps input examples as MLflow's scoring server expects", () => {
    const serving = '{"dataframe_split": {"columns": ["a"], "data": [[1]]}}';
    assert.deepEqual(scoringPayload('serving_input_example.json', serving), { body: serving, contentType: 'application/json' });
    const wrap = (text: string) => JSON.parse((scoringPayload('input_example.json', text) as { body: string }).body);
    assert.deepEqual(wrap('{"columns": ["a", "b"], "data": [[1, 2]]}'), { dataframe_split: { columns: ['a', 'b'], data: [[1, 2]] } });
    assert.deepEqual(wrap('[{"a": 1}, {"a": 2}]'), { dataframe_records: [{ a: 1 }, { a: 2 }] });
    assert.deepEqual(wrap('[[1, 2], [3, 4]]'), {
      inputs: [
        [1, 2],
        [3, 4],
      ],
    });
    assert.deepEqual(wrap('{"x": [1, 2]}'), { inputs: { x: [1, 2] } });
    assert.deepEqual(scoringPayload('data.CSV', 'a,b\n1,2\n'), { body: 'a,b\n1,2\n', contentType: 'text/csv' });
    assert.match(scoringPayload('input.json', '{oops') as string, /not valid JSON/);
  });

  it('posts to /invocations and describes MLflow errors', async () => {
    const ok = await postInvocations(base, { body: '{"inputs": [[1, 2]]}', contentType: 'application/json' });
    assert.equal(ok.status, 200);
    assert.equal(describeScoringError(ok), undefined);
    assert.deepEqual(requests.at(-1), { url: '/invocations', contentType: 'application/json', body: '{"inputs": [[1, 2]]}' });
    const bad = await postInvocations(base, { body: '{"inputs": "bad"}', contentType: 'application/json' });
    assert.match(describeScoringError(bad) ?? '', /^The model rejected the input \(400\): INVALID_PARAMETER_VALUE: Failed to predict data/);
    const csv = await postInvocations(base, { body: 'a\n1\n', contentType: 'text/csv' });
    assert.equal(csv.status, 200);
    assert.match(describeScoringError({ status: 415, contentType: '', body: '{"message": "x"}' }) ?? '', /content type \(415\)/);
    assert.match(describeScoringError({ status: 504, contentType: '', body: 'timeout' }) ?? '', /did not answer in time \(504/);
    assert.match(describeScoringError({ status: 500, contentType: 'text/html', body: '<h1>oops</h1>' }) ?? '', /answered 500: <h1>oops/);
  });

  it('rejects when nothing listens', async () => {
    await assert.rejects(postInvocations('http://127.0.0.1:1', { body: '{}', contentType: 'application/json' }, 2000));
  });
});
