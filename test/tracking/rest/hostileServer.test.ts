/**
 * The REST store against a hostile or broken server (test/helpers/recordedMlflowServer.ts with
 * faults and made-up answers): every call ends within its budget, a huge answer is stopped while
 * it streams, answers of the wrong shape name the field, an artifact root never leads the client
 * out of the artifact API, and a secret the server echoes never reaches a message.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { openRestStore, type RestTrackingStore } from '../../../src/tracking/rest';
import { MlflowError } from '../../../src/tracking/types';
import { startRecordedServer, type RecordedServer } from '../../helpers/recordedMlflowServer';
import { expected, FIXTURES, queryOf } from '../sqlite/fixtures';

const SECRET = 'Xs3cr3t-t0ken/with+chars=';
const USER = 'ana';
const PASSWORD = 'pa55-w0rd-value';
const r403 = (basic: string) => `Basic ${basic}`;
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

async function rejects(p: Promise<unknown>, check: { code: string; status?: number; message?: RegExp }): Promise<MlflowError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof MlflowError, `expected MlflowError, got ${(e as Error)?.stack ?? e}`);
    assert.equal(e.error_code, check.code, e.message);
    if (check.status !== undefined) assert.equal(e.status, check.status, e.message);
    if (check.message) assert.match(e.message, check.message);
    for (const secret of [SECRET, encodeURIComponent(SECRET), PASSWORD, BASIC]) {
      assert.ok(!e.message.includes(secret) && !(e.stack ?? '').includes(secret), `a secret in: ${e.message}`);
    }
    return e;
  }
  assert.fail('expected a rejection');
}

describe('REST store against a hostile server', () => {
  const dir = join(FIXTURES, 'rest-sqlite-store');
  const runId = queryOf('runs_get_failed.json', dir).get('run_id')!;
  let server: RecordedServer;
  const stores: RestTrackingStore[] = [];
  const open = (opts: Parameters<typeof openRestStore>[1] = {}, path = '') => {
    const store = openRestStore(server.url + path, { backoffMs: 10, ...opts });
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    server = await startRecordedServer({ dir });
  });
  afterEach(async () => {
    stores.splice(0).forEach((s) => s.dispose());
    await server.close();
  });

  describe('a time budget per call (item 4)', () => {
    it('429 with Retry-After: 3600 fails at once, saying when the server wants to be asked again', async () => {
      server.addFault({ kind: 'rateLimit429', retryAfterSeconds: 3600, match: 'runs/get' });
      await rejects(open({ timeoutMs: 5000 }).getRun(runId), { code: 'REQUEST_LIMIT_EXCEEDED', status: 429, message: /asks to retry in 3600 s/ });
      assert.equal(server.requests.length, 1, 'no sleep-and-retry past the budget');
    });

    it("the waits Retry-After asks for count against the call's timeout", async () => {
      server.addFault({ kind: 'rateLimit429', retryAfterSeconds: 1, match: 'runs/get' });
      // 1.5 s: one 1 s wait fits, the second does not.
      await rejects(open({ timeoutMs: 1500 }).getRun(runId), { code: 'REQUEST_LIMIT_EXCEEDED', message: /asks to retry in 1 s/ });
      assert.equal(server.requests.length, 2);
    });

    it("a slow answer after a retry is cut at the call's deadline, not a fresh timeout per attempt", async () => {
      server.addFault({ kind: 'error500', match: 'runs/get', times: 1 });
      server.addFault({ kind: 'slow', delayMs: 5000, match: 'runs/get' });
      const started = Date.now();
      // The backoff waits 400–800 ms; the second attempt then has what is left of the 1 s.
      await rejects(open({ timeoutMs: 1000, backoffMs: 800 }).getRun(runId), { code: 'DEADLINE_EXCEEDED', message: /within 1000 ms/ });
      assert.equal(server.requests.length, 2);
      // A fresh 1 s per attempt would take at least 1.4 s.
      assert.ok(Date.now() - started < 1350, `took ${Date.now() - started} ms`);
    });
  });

  describe('answer size cap while streaming (item 5)', () => {
    it('an endless answer is stopped at the cap with RESOURCE_EXHAUSTED', async () => {
      server.addFault({ kind: 'endlessBody', match: 'runs/search' });
      const cap = 4 * 2 ** 20;
      await rejects(open({ maxResponseBytes: cap }).searchRuns({ experiment_ids: ['1'] }), { code: 'RESOURCE_EXHAUSTED', message: /more than 4 MB/ });
      // Socket buffers aside, the client stopped reading at the cap.
      assert.ok(server.sentBytes < cap + 8 * 2 ** 20, `server sent ${server.sentBytes} bytes`);
    });

    it('a declared 700 MB answer is refused before reading it (default cap), with an MlflowError', async () => {
      server.addFault({ kind: 'hugeContentLength', match: 'runs/search' });
      await rejects(open({ timeoutMs: 10_000 }).searchRuns({ experiment_ids: ['1'] }), { code: 'RESOURCE_EXHAUSTED', message: /more than 256 MB/ });
    });
  });

  describe('answer shapes (item 6)', () => {
    const run = () => expected.run('runs_get_failed.json', dir);

    it('getRun with metrics that are not a list names the field instead of a TypeError', async () => {
      const bad = run() as unknown as { data: Record<string, unknown> };
      bad.data.metrics = { loss: 1 };
      server.addAnswer({ match: (r) => r.path.endsWith('/runs/get'), body: { run: bad } });
      await rejects(open().getRun(runId), { code: 'INVALID_RESPONSE', message: /malformed run: run\.data\.metrics is an object, expected a list/ });
    });

    it('a metric value, a param value, a status of the wrong type are refused, naming the field', async () => {
      const cases: [(r: Record<string, any>) => void, RegExp][] = [
        [(r) => (r.data.metrics[0].value = { x: 1 }), /run\.data\.metrics\[0\]\.value is an object, expected a number/],
        [(r) => (r.data.params = [{ key: 'lr', value: ['0.1'] }]), /run\.data\.params\[0\]\.value is a list, expected a string/],
        [(r) => (r.info.status = 3), /run\.info\.status is the number 3, expected a string/],
        [(r) => (r.info.start_time = 'yesterday'), /run\.info\.start_time is the string "yesterday", expected a number/],
      ];
      const store = open();
      const answer = { match: (r: { path: string }) => r.path.endsWith('/runs/search'), body: {} as unknown };
      server.addAnswer(answer);
      for (const [spoil, message] of cases) {
        const bad = run() as unknown as Record<string, any>;
        spoil(bad);
        answer.body = { runs: [bad] };
        await rejects(store.searchRuns({ experiment_ids: ['1'] }), { code: 'INVALID_RESPONSE', message });
      }
    });

    it('an experiment name nested a million levels deep is refused, not returned as it came', async () => {
      const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
      server.addAnswer({
        match: (r) => r.path.endsWith('/experiments/search'),
        body: `{"experiments": [{"experiment_id": "1", "name": ${deep}, "lifecycle_stage": "active"}]}`,
        contentType: 'application/json',
      });
      await rejects(open().searchExperiments(), { code: 'INVALID_RESPONSE', message: /experiment\.name is a list, expected a string/ });
    });

    it('a page token that is not a string is a malformed answer', async () => {
      server.addAnswer({ match: (r) => r.path.endsWith('/experiments/search'), body: { experiments: [], next_page_token: { a: 1 } } });
      await rejects(open().searchExperiments(), { code: 'INVALID_RESPONSE', message: /next_page_token/ });
    });

    it('artifact listings with a non-string path are refused', async () => {
      server.addAnswer({ match: (r) => r.path.endsWith('/artifacts/list'), body: { files: [{ path: { p: 1 }, is_dir: false }] } });
      await rejects(open().listArtifacts(runId), { code: 'INVALID_RESPONSE', message: /file\.path is an object/ });
    });
  });

  describe('artifact roots that climb out (item 7)', () => {
    for (const root of ['mlflow-artifacts:/../../../../etc', 'mlflow-artifacts:/a/%2e%2e/%2E%2E/../etc', 'mlflow-artifacts://host/x/..']) {
      it(`refuses ${root} without a request outside the artifact API`, async () => {
        const r = expected.run('runs_get_failed.json', dir);
        r.info.artifact_uri = root;
        server.addAnswer({ match: (q) => q.path.endsWith('/runs/get'), body: { run: r } });
        server.addAnswer({ match: (q) => !q.path.includes('/api/'), body: 'root:x:0:0:root:/root:/bin/bash\n' });
        await rejects(open({ token: SECRET }, '/trav_proxy/').readArtifact(runId, 'passwd'), {
          code: 'INVALID_RESPONSE',
          message: /leaves its artifact store/,
        });
        assert.deepEqual(
          server.requests.map((q) => q.path),
          ['/trav_proxy/api/2.0/mlflow/runs/get'],
        );
      });
    }

    it('still reads a normal proxied root under a path prefix', async () => {
      const r = expected.run('runs_get_failed.json', dir);
      r.info.artifact_uri = `mlflow-artifacts:/1/${runId}/artifacts`;
      server.addAnswer({ match: (q) => q.path.endsWith('/runs/get'), body: { run: r } });
      server.addAnswer({ match: (q) => q.path === `/p/api/2.0/mlflow-artifacts/artifacts/1/${runId}/artifacts/f.txt`, body: 'ok' });
      assert.equal(Buffer.from(await open({}, '/p/').readArtifact(runId, 'f.txt')).toString(), 'ok');
    });
  });

  describe('secrets echoed by the server (item 8)', () => {
    const echo = `${SECRET} ${encodeURIComponent(SECRET)} ${PASSWORD} Basic ${BASIC}`;

    it('a 403 body repeating the token or the password is redacted from the message', async () => {
      server.addAnswer({
        match: (r) => r.path.endsWith('/runs/get') && r.headers.authorization === `Bearer ${SECRET}`,
        status: 403,
        body: { error_code: 'PERMISSION_DENIED', message: `token ${SECRET} (${encodeURIComponent(SECRET)}) may not read this` },
      });
      server.addAnswer({
        match: (r) => r.path.endsWith('/runs/get'),
        status: 403,
        body: { error_code: 'PERMISSION_DENIED', message: `${USER} with ${PASSWORD} (${r403(BASIC)}) may not read this` },
      });
      const e = await rejects(open({ token: SECRET }).getRun(runId), {
        code: 'PERMISSION_DENIED',
        status: 403,
        message: /token \*\*\* \(\*\*\*\) may not read this/,
      });
      assert.match(e.message, /permission denied \(403\)/);
      await rejects(open({ username: USER, password: PASSWORD }).getRun(runId), {
        code: 'PERMISSION_DENIED',
        status: 403,
        message: /ana with \*\*\* \(Basic \*\*\*\)/,
      });
    });

    it('echoes in plain-text 500s, HTML titles and invalid JSON are redacted too', async () => {
      const store = open({ username: USER, password: PASSWORD, token: SECRET, retries: 0 });
      server.addAnswer({ match: (r) => r.path.endsWith('/runs/get'), status: 500, body: `Authorization: ${echo}`, contentType: 'text/plain' });
      await rejects(store.getRun(runId), { code: 'INTERNAL_ERROR', status: 500 });
      server.addAnswer({
        match: (r) => r.path.endsWith('/runs/search'),
        status: 404,
        body: `<html><title>No ${echo}</title></html>`,
        contentType: 'text/html',
      });
      await rejects(store.searchRuns({ experiment_ids: ['1'] }), { code: 'ENDPOINT_NOT_FOUND' });
      server.addAnswer({ match: (r) => r.path.endsWith('/experiments/search'), status: 400, body: { error_code: 'BAD_REQUEST', message: echo } });
      await rejects(store.searchExperiments(), { code: 'BAD_REQUEST' });
    });
  });
});
