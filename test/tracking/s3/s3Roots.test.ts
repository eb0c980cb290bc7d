/**
 * `s3://` artifact roots under the other stores, read as MLflow's client reads them (straight from
 * the bucket, with MLFLOW_S3_ENDPOINT_URL and the AWS_* keys): a file store whose runs were logged
 * with a MinIO artifact root, and a tracking server started with --no-serve-artifacts (its runs'
 * artifact_uri is s3://, and the client never asks the server for the files). s3rver behind the
 * SigV4-checking proxy; the oracle is the same run's local copy in test/fixtures/file-store.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openTrackingStore } from '../../../src/tracking';
import type { FileInfo, TrackingStore } from '../../../src/tracking/types';
import { startS3, startSigV4Proxy, TEST_KEY, type S3TestServer } from '../../helpers/s3Server';

const FILE_STORE = join(__dirname, '..', '..', 'fixtures', 'file-store', 'mlruns');
const EXPERIMENT = '212911124069009075';
const RUN = 'b8dbec4c0e2d4fb08a1491543914eef7';
const ROOT = `s3://mlflow/mlruns/${EXPERIMENT}/${RUN}/artifacts`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

/** Every folder of the run's artifacts, listed by `store`, keyed by folder. */
async function tree(store: TrackingStore, path = ''): Promise<Record<string, FileInfo[]>> {
  const files = await store.listArtifacts(RUN, path || undefined);
  let out: Record<string, FileInfo[]> = { [path]: files };
  for (const f of files) if (f.is_dir) out = { ...out, ...(await tree(store, f.path)) };
  return out;
}

describe('s3:// artifact roots under a file store and a tracking server that does not serve artifacts', function () {
  this.timeout(60_000);
  let s3: S3TestServer;
  let proxy: Awaited<ReturnType<typeof startSigV4Proxy>>;
  let env: NodeJS.ProcessEnv;
  let local: TrackingStore;
  let expected: Record<string, FileInfo[]>;
  let copy: string;

  before(async function () {
    this.timeout(120_000);
    s3 = await startS3(['mlflow']);
    proxy = await startSigV4Proxy(s3.endpoint);
    const artifacts = join(FILE_STORE, EXPERIMENT, RUN, 'artifacts');
    for (const file of filesUnder(artifacts)) {
      await s3.put('mlflow', `mlruns/${EXPERIMENT}/${RUN}/artifacts/${relative(artifacts, file).split('\\').join('/')}`, readFileSync(file));
    }
    env = { MLFLOW_S3_ENDPOINT_URL: proxy.endpoint, AWS_ACCESS_KEY_ID: TEST_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_KEY.secretAccessKey };
    local = await openTrackingStore(FILE_STORE);
    expected = await tree(local);
    assert.ok(Object.keys(expected).length > 5, 'the oracle has nested folders');
  });
  after(async () => {
    local?.dispose();
    await proxy?.stop();
    await s3?.stop();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('file store: a run whose meta.yaml names an s3:// artifact root is listed and read from the bucket', async () => {
    copy = mkdtempSync(join(tmpdir(), 'mlflow-s3-file-'));
    cpSync(FILE_STORE, join(copy, 'mlruns'), { recursive: true });
    const runDir = join(copy, 'mlruns', EXPERIMENT, RUN);
    const meta = readFileSync(join(runDir, 'meta.yaml'), 'utf8').replace(/^artifact_uri: .*$/m, `artifact_uri: ${ROOT}`);
    writeFileSync(join(runDir, 'meta.yaml'), meta);
    // No local copy to fall back on: what is shown comes from S3.
    rmSync(join(runDir, 'artifacts'), { recursive: true, force: true });
    const checkedBefore = proxy.checked;
    const store = await openTrackingStore(join(copy, 'mlruns'), { env });
    try {
      assert.deepEqual(await tree(store), expected);
      const png = await store.readArtifact(RUN, 'plots/loss_curve.png');
      assert.deepEqual(Buffer.from(png), readFileSync(join(FILE_STORE, EXPERIMENT, RUN, 'artifacts', 'plots', 'loss_curve.png')));
      assert.equal(
        Buffer.from(await store.readArtifact(RUN, 'notes/readme.md')).toString(),
        readFileSync(join(FILE_STORE, EXPERIMENT, RUN, 'artifacts', 'notes', 'readme.md'), 'utf8'),
      );
      assert.ok(proxy.checked > checkedBefore, 'the requests went to S3, signed');
      // Without S3 settings the run still opens, and its artifacts fail with a clear message.
      const bare = await openTrackingStore(join(copy, 'mlruns'), { env: {} });
      await assert.rejects(bare.listArtifacts(RUN), /AWS_ACCESS_KEY_ID/);
      assert.equal((await bare.getRun(RUN)).info.artifact_uri, ROOT);
      bare.dispose();
    } finally {
      store.dispose();
    }
  });

  it('tracking server with --no-serve-artifacts: the client reads s3:// itself and never asks the server for files', async () => {
    const asked: string[] = [];
    const info = { run_id: RUN, run_uuid: RUN, experiment_id: EXPERIMENT, status: 'FINISHED', lifecycle_stage: 'active', artifact_uri: ROOT };
    const server: Server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.startsWith('/api/2.0/mlflow/runs/get')) return void res.end(JSON.stringify({ run: { info, data: {} } }));
      if (req.url?.startsWith('/api/2.0/mlflow/runs/search')) return void res.end(JSON.stringify({ runs: [{ info, data: {} }] }));
      res.statusCode = 500;
      res.end(JSON.stringify({ error_code: 'INTERNAL_ERROR', message: 'no S3 credentials on the server' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = await openTrackingStore(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { env });
    try {
      // Cold: the run's artifact URI is asked for once; after a search it is known.
      assert.deepEqual(await store.listArtifacts(RUN), expected['']);
      assert.deepEqual(
        asked.map((u) => u.split('?')[0]),
        ['/api/2.0/mlflow/runs/get'],
      );
      await store.searchRuns({ experiment_ids: [EXPERIMENT] });
      assert.deepEqual(await tree(store), expected);
      assert.equal(
        Buffer.from(await store.readArtifact(RUN, 'config/hparams.json')).toString(),
        readFileSync(join(FILE_STORE, EXPERIMENT, RUN, 'artifacts', 'config', 'hparams.json'), 'utf8'),
      );
      assert.ok(!asked.some((u) => /artifact/.test(u)), `the server was asked for artifacts: ${asked.join(', ')}`);
    } finally {
      store.dispose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
