/**
 * The REST store against test/helpers/recordedMlflowServer.ts, which answers with what a real
 * `mlflow server` answered (test/fixtures/rest-*-store), and misbehaves on request.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRestStore, type RestTrackingStore } from '../../../src/tracking/rest';
import { MlflowError, type SearchRunsRequest } from '../../../src/tracking/types';
import { startRecordedServer, type RecordedServer } from '../../helpers/recordedMlflowServer';
import { entry, expected, FIXTURES, queryOf, recorded, recordingIndex } from '../sqlite/fixtures';

const SECRET = 's3cr3t-t0ken-value';
const PASSWORD = 'pa55-w0rd-value';

async function rejects(p: Promise<unknown>, check: { code?: string; status?: number; message?: RegExp }): Promise<MlflowError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof MlflowError, `expected MlflowError, got ${(e as Error)?.stack ?? e}`);
    if (check.code) assert.equal(e.error_code, check.code, e.message);
    if (check.status !== undefined) assert.equal(e.status, check.status, e.message);
    if (check.message) assert.match(e.message, check.message);
    assert.doesNotMatch(e.message, new RegExp(`${SECRET}|${PASSWORD}`), 'no secret in messages');
    return e;
  }
  assert.fail('expected a rejection');
}

for (const flavour of ['sqlite', 'file'] as const) {
  const dir = join(FIXTURES, `rest-${flavour}-store`);
  describe(`REST store reads the recorded ${flavour}-store server field for field`, () => {
    let server: RecordedServer;
    let store: RestTrackingStore;
    before(async () => {
      server = await startRecordedServer({ dir });
      store = openRestStore(server.url);
    });
    after(async () => {
      store.dispose();
      await server.close();
    });

    it('names itself by the server URL', () => {
      assert.equal(store.kind, 'rest');
      assert.equal(store.displayName, server.url);
    });

    for (const file of recordingIndex(dir)
      .filter((e) => e.status === 200 && e.url.includes('/runs/get?'))
      .map((e) => e.file)) {
      it(`getRun equals ${file}`, async () => {
        assert.deepEqual(await store.getRun(queryOf(file, dir).get('run_id')!), expected.run(file, dir));
      });
    }

    for (const file of recordingIndex(dir)
      .filter((e) => e.status === 200 && e.url.endsWith('/runs/search'))
      .map((e) => e.file)) {
      it(`searchRuns equals ${file}`, async () => {
        const res = await store.searchRuns(entry(file, dir).request_body as unknown as SearchRunsRequest);
        const want = expected.runs(file, dir);
        assert.deepEqual(res, { runs: want.runs, next_page_token: want.next_page_token });
      });
    }

    it('searchExperiments and getExperiment equal the recordings', async () => {
      assert.deepEqual((await store.searchExperiments({ max_results: 100 })).experiments, expected.experiments('experiments_search.json', dir).experiments);
      const filtered = await store.searchExperiments({ max_results: 10, filter: "tags.team = 'vision'" });
      assert.deepEqual(filtered.experiments, expected.experiments('experiments_search_filter_POST.json', dir).experiments);
      const id = queryOf('experiments_get_deleted.json', dir).get('experiment_id')!;
      assert.deepEqual(await store.getExperiment(id), recorded<{ experiment: unknown }>('experiments_get_deleted.json', dir).experiment);
    });

    for (const file of ['metrics_get_history_loss.json', 'metrics_get_history_grad_norm_with_nan.json']) {
      it(`getMetricHistory equals ${file} ("NaN" → NaN)`, async () => {
        const q = queryOf(file, dir);
        const points = await store.getMetricHistory(q.get('run_id')!, q.get('metric_key')!);
        assert.deepEqual(points, expected.metrics(file, dir));
      });
    }

    it('the NaN point of grad_norm is the number NaN', async () => {
      const q = queryOf('metrics_get_history_grad_norm_with_nan.json', dir);
      const points = await store.getMetricHistory(q.get('run_id')!, 'grad_norm');
      assert.deepEqual(
        points.filter((p) => Number.isNaN(p.value)).map((p) => p.step),
        [300],
      );
    });

    for (const file of recordingIndex(dir)
      .filter((e) => e.status === 200 && e.url.includes('/artifacts/list?'))
      .map((e) => e.file)) {
      it(`listArtifacts equals ${file}`, async () => {
        const q = queryOf(file, dir);
        assert.deepEqual(await store.listArtifacts(q.get('run_id')!, q.get('path') ?? undefined), recorded<{ files?: unknown[] }>(file, dir).files ?? []);
      });
    }

    it('readArtifact fetches /get-artifact bytes', async () => {
      const q = queryOf('get_artifact_text.txt', dir);
      const bytes = await store.readArtifact(q.get('run_uuid')!, q.get('path')!);
      assert.deepEqual(Buffer.from(bytes), readFileSync(join(dir, 'get_artifact_text.txt')));
    });

    it('logged models, registered models and model versions equal the recordings', async () => {
      const exp = (entry('logged_models_search.json', dir).request_body as { experiment_ids: string[] }).experiment_ids;
      assert.deepEqual((await store.searchLoggedModels({ experiment_ids: exp })).models, expected.loggedModels('logged_models_search.json', dir));
      assert.deepEqual(
        (await store.searchRegisteredModels({ max_results: 100 })).registered_models,
        expected.registeredModels('registered_models_search.json', dir),
      );
      assert.deepEqual(
        (await store.searchModelVersions({ filter: "name='iris-classifier'" })).model_versions,
        expected.modelVersions('model_versions_search.json', dir),
      );
    });

    it("server errors become MlflowError with MLflow's error_code, message and status", async () => {
      const missing = recorded<{ message: string }>('error_runs_get_bad_run_id_RESOURCE_DOES_NOT_EXIST.json', dir);
      const e = await rejects(store.getRun('0123456789abcdef0123456789abcdef'), { code: 'RESOURCE_DOES_NOT_EXIST', status: 404 });
      assert.ok(e.message.includes(missing.message), e.message);
      await rejects(store.searchRuns(entry('error_runs_search_bad_filter_INVALID_PARAMETER_VALUE.json', dir).request_body as never), {
        code: 'INVALID_PARAMETER_VALUE',
        status: 400,
        message: /Invalid comparator '<<<'/,
      });
    });
  });
}

describe('REST store: paging, retries, timeouts, bad answers, auth', () => {
  const dir = join(FIXTURES, 'rest-sqlite-store');
  let server: RecordedServer;
  const open = (opts: Parameters<typeof openRestStore>[1] = {}) => openRestStore(server.url, { backoffMs: 10, ...opts });
  const stores: RestTrackingStore[] = [];
  const track = (s: RestTrackingStore) => (stores.push(s), s);
  const runId = queryOf('runs_get_failed.json', dir).get('run_id')!;

  beforeEach(async () => {
    server = await startRecordedServer({ dir });
  });
  afterEach(async () => {
    stores.splice(0).forEach((s) => s.dispose());
    await server.close();
  });

  it('always sends max_results for metric history and follows next_page_token to the end', async () => {
    const q = queryOf('metrics_get_history_paged_max100.json', dir);
    const lastPage = 'eyJvZmZzZXQiOiAyMDB9';
    server.addAnswer({ match: (r) => r.query.get('page_token') === lastPage, body: {} });
    const store = track(open({ historyPageSize: 100 }));
    const points = await store.getMetricHistory(q.get('run_id')!, 'loss');
    const want = [...expected.metrics('metrics_get_history_paged_max100.json', dir), ...expected.metrics('metrics_get_history_paged_max100_page2.json', dir)];
    assert.deepEqual(points, want);
    const history = server.requests.filter((r) => r.path.endsWith('/metrics/get-history'));
    assert.deepEqual(
      history.map((r) => r.query.get('page_token')),
      [null, 'eyJvZmZzZXQiOiAxMDB9', lastPage],
    );
    assert.ok(history.every((r) => r.query.get('max_results') === '100'));
  });

  it('the default history request asks for 25,000 points (the MLflow 3.4–3.6 bug answers nothing without max_results)', async () => {
    const q = queryOf('metrics_get_history_loss.json', dir);
    const points = await track(open()).getMetricHistory(q.get('run_id')!, 'loss');
    assert.equal(points.length, 200);
    assert.equal(server.requests[0].query.get('max_results'), '25000');
  });

  it('stops with a clear error when a server repeats the same page token (the #23916 answer)', async () => {
    server.addAnswer({ match: (r) => r.path.endsWith('/get-history'), body: recorded('metrics_get_history_loss_NO_max_results_BUG_23916.json', dir) });
    await rejects(track(open()).getMetricHistory(runId, 'loss'), { code: 'INVALID_RESPONSE', message: /same page token/ });
    assert.equal(server.requests.length, 2);
  });

  it('retries a 500 and then succeeds', async () => {
    server.addFault({ kind: 'error500', match: 'runs/get', times: 1 });
    const run = await track(open()).getRun(runId);
    assert.equal(run.info.run_id, runId);
    assert.equal(server.requests.length, 2);
  });

  it('retries 502 HTML pages and a dropped connection', async () => {
    server.addFault({ kind: 'htmlError', status: 502, match: 'runs/get', times: 1 });
    server.addFault({ kind: 'reset', match: 'runs/get', times: 1 });
    assert.equal((await track(open()).getRun(runId)).info.run_id, runId);
    assert.equal(server.requests.length, 3);
  });

  it('gives up after a bounded number of retries with the last status', async () => {
    server.addFault({ kind: 'error503', match: 'runs/get' });
    await rejects(track(open({ retries: 2 })).getRun(runId), { code: 'TEMPORARILY_UNAVAILABLE', status: 503 });
    assert.equal(server.requests.length, 3);
  });

  it('honours Retry-After on 429', async () => {
    server.addFault({ kind: 'rateLimit429', retryAfterSeconds: 1, match: 'runs/get', times: 1 });
    const started = Date.now();
    await track(open()).getRun(runId);
    assert.ok(Date.now() - started >= 950, 'waited the Retry-After second');
    assert.equal(server.requests.length, 2);
  });

  for (const [kind, status, code] of [
    ['unauthorized401', 401, 'UNAUTHENTICATED'],
    ['forbidden403', 403, 'PERMISSION_DENIED'],
  ] as const) {
    it(`${status}: MlflowError with status ${status}, no retry, no secret in the message`, async () => {
      server.addFault({ kind, match: 'runs/get' });
      await rejects(track(open({ token: SECRET })).getRun(runId), { status, code });
      await rejects(track(open({ username: 'ana', password: PASSWORD })).getRun(runId), { status, code });
      assert.equal(server.requests.length, 2);
    });
  }

  it('a slow answer beyond the timeout is a clear DEADLINE_EXCEEDED, not a hang', async () => {
    server.addFault({ kind: 'slow', delayMs: 3000, match: 'runs/get' });
    const started = Date.now();
    await rejects(track(open({ timeoutMs: 200 })).getRun(runId), { code: 'DEADLINE_EXCEEDED', message: /did not answer .* within 200 ms/ });
    assert.ok(Date.now() - started < 2500, 'bounded by the timeout');
  });

  it('truncated JSON, garbage and HTML 200 pages are clear errors, not crashes', async () => {
    const store = track(open());
    server.addFault({ kind: 'truncatedJson', match: 'runs/get', times: 1 });
    await rejects(store.getRun(runId), { code: 'INVALID_RESPONSE', message: /not valid JSON/ });
    server.addFault({ kind: 'garbage', match: 'runs/get', times: 1 });
    await rejects(store.getRun(runId), { code: 'INVALID_RESPONSE', message: /not valid JSON/ });
    server.addAnswer({ match: (r) => r.path.endsWith('/runs/get'), body: '<html><title>Sign in</title></html>', contentType: 'text/html' });
    await rejects(store.getRun(runId), { code: 'INVALID_RESPONSE', message: /HTML page .*Sign in/ });
  });

  it('valid JSON of the wrong shape is INVALID_RESPONSE, not a TypeError', async () => {
    const store = track(open());
    server.addAnswer({ match: (r) => r.path.endsWith('/runs/search'), body: { runs: 'not a list' } });
    await rejects(store.searchRuns({ experiment_ids: ['1'] }), { code: 'INVALID_RESPONSE', message: /malformed runs/ });
    server.addAnswer({ match: (r) => r.path.endsWith('/experiments/get'), body: 'null', contentType: 'application/json' });
    await rejects(store.getExperiment('1'), { code: 'INVALID_RESPONSE' });
    server.addAnswer({ match: (r) => r.path.endsWith('/runs/get'), body: { nothing: true } });
    await rejects(store.getRun(runId), { code: 'INVALID_RESPONSE', message: /without a run/ });
  });

  it('an HTML 404 page (wrong URL, not an MLflow server) is ENDPOINT_NOT_FOUND with status 404', async () => {
    server.addFault({ kind: 'htmlError', status: 404, match: 'runs/get' });
    await rejects(track(open()).getRun(runId), { code: 'ENDPOINT_NOT_FOUND', status: 404, message: /404/ });
    assert.equal(server.requests.length, 1);
  });

  it('a redirect (e.g. to a login page) is a clear error naming where it leads, without its query', async () => {
    server.addAnswer({
      match: (r) => r.path.endsWith('/runs/get'),
      status: 302,
      body: '',
      contentType: 'text/html',
      headers: { Location: 'https://sso.example.com/login?next=/x&ticket=abc123' },
    });
    const e = await rejects(track(open()).getRun(runId), {
      code: 'INVALID_RESPONSE',
      status: 302,
      message: /redirected \(302\) to https:\/\/sso\.example\.com\/login\./,
    });
    assert.doesNotMatch(e.message, /abc123/);
    assert.equal(server.requests.length, 1, 'not followed, not retried');
  });

  it('the recorded HTML 404 of an unknown endpoint is read as such', async () => {
    const body = readFileSync(join(dir, 'error_unknown_endpoint_404.txt'), 'utf8');
    server.addAnswer({ match: (r) => r.path.endsWith('/runs/get'), status: 404, body, contentType: 'text/html; charset=utf-8' });
    await rejects(track(open()).getRun(runId), { code: 'ENDPOINT_NOT_FOUND', status: 404, message: /404 Not Found/ });
  });

  it("reads artifacts of an mlflow-artifacts: run through the server's artifact proxy", async () => {
    const run = expected.run('runs_get_failed.json', dir);
    run.info.artifact_uri = `mlflow-artifacts:/1/${runId}/artifacts`;
    server.addAnswer({ match: (r) => r.path.endsWith('/runs/get'), body: { run } });
    server.addAnswer({ match: (r) => r.path === `/api/2.0/mlflow-artifacts/artifacts/1/${runId}/artifacts/dir%20a/f.txt`, body: 'proxied bytes' });
    const bytes = await track(open()).readArtifact(runId, 'dir a/f.txt');
    assert.equal(Buffer.from(bytes).toString('utf8'), 'proxied bytes');
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/api/2.0/mlflow/runs/get', `/api/2.0/mlflow-artifacts/artifacts/1/${runId}/artifacts/dir%20a/f.txt`],
    );
  });

  it('refuses artifact paths that leave the run before asking the server', async () => {
    await rejects(track(open()).listArtifacts(runId, '../../'), { code: 'INVALID_PARAMETER_VALUE' });
    await rejects(track(open()).readArtifact(runId, 'a/../../etc/passwd'), { code: 'INVALID_PARAMETER_VALUE' });
    assert.equal(server.requests.length, 0);
  });

  it('an unreachable server is TEMPORARILY_UNAVAILABLE after bounded retries', async () => {
    const url = server.url;
    await server.close();
    const store = track(openRestStore(url, { backoffMs: 5, retries: 2 }));
    await rejects(store.getRun(runId), { code: 'TEMPORARILY_UNAVAILABLE', message: /Cannot reach/ });
    server = await startRecordedServer({ dir });
  });
});

describe('REST store: authentication', () => {
  const dir = join(FIXTURES, 'rest-sqlite-store');
  const runId = queryOf('runs_get_failed.json', dir).get('run_id')!;

  it('sends a bearer token', async () => {
    const server = await startRecordedServer({ dir, requireAuth: { token: SECRET } });
    const store = openRestStore(server.url, { token: SECRET });
    try {
      assert.equal((await store.getRun(runId)).info.run_id, runId);
      assert.equal(server.requests[0].headers.authorization, `Bearer ${SECRET}`);
    } finally {
      store.dispose();
      await server.close();
    }
  });

  it('sends basic auth (username/password win over a token, as in MLflow)', async () => {
    const server = await startRecordedServer({ dir, requireAuth: { username: 'ana', password: PASSWORD } });
    const store = openRestStore(server.url, { username: 'ana', password: PASSWORD, token: 'ignored' });
    try {
      await store.searchExperiments({ max_results: 100 });
      assert.equal(server.requests[0].headers.authorization, `Basic ${Buffer.from(`ana:${PASSWORD}`).toString('base64')}`);
    } finally {
      store.dispose();
      await server.close();
    }
  });

  it('takes user:password from the URL, and never shows them', async () => {
    const server = await startRecordedServer({ dir, requireAuth: { username: 'ana', password: PASSWORD } });
    const url = server.url.replace('http://', `http://ana:${PASSWORD}@`);
    const store = openRestStore(url);
    try {
      assert.equal(store.displayName, server.url);
      assert.equal((await store.getRun(runId)).info.run_id, runId);
      await rejects(store.getRun('0123456789abcdef0123456789abcdef'), { status: 404 });
    } finally {
      store.dispose();
      await server.close();
    }
  });

  it('without credentials: 401 UNAUTHENTICATED once, no retry, a hint about credentials', async () => {
    const server = await startRecordedServer({ dir, requireAuth: { token: SECRET } });
    const store = openRestStore(server.url, { token: 'wrong' });
    try {
      await rejects(store.getRun(runId), { status: 401, code: 'UNAUTHENTICATED', message: /token or user name and password/ });
      assert.equal(server.requests.length, 1);
    } finally {
      store.dispose();
      await server.close();
    }
  });

  it('a caFile that cannot be read is a clear error', () => {
    assert.throws(
      () => openRestStore('https://127.0.0.1:1', { caFile: '/no/such/ca.pem' }),
      (e: unknown) => e instanceof MlflowError && /CA file/.test(e.message),
    );
  });

  it('HTTPS: a private CA is refused with a clear TLS_ERROR, and trusted with caFile (system CAs kept)', async () => {
    const tls = join(FIXTURES, 'tls');
    const server = await startRecordedServer({ dir, tls: { key: readFileSync(join(tls, 'server.key')), cert: readFileSync(join(tls, 'server.pem')) } });
    const untrusted = openRestStore(server.url, { token: SECRET });
    const trusted = openRestStore(server.url, { token: SECRET, caFile: join(tls, 'ca.pem') });
    try {
      assert.ok(server.url.startsWith('https://'));
      await rejects(untrusted.getRun(runId), { code: 'TLS_ERROR', message: /not trusted .*CA file/ });
      assert.equal((await trusted.getRun(runId)).info.run_id, runId);
      assert.equal(server.requests.length, 1, 'the refused handshake sent no request');
    } finally {
      untrusted.dispose();
      trusted.dispose();
      await server.close();
    }
  });
});
