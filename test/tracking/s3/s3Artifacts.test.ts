/**
 * Artifacts on S3 / MinIO: a real S3-protocol server (s3rver) holding the reference artifacts,
 * reached through a proxy that checks every request's SigV4 signature with the test key, and a
 * SQLite store whose runs point at s3://. Listings are checked against the real server's recorded
 * answers and the uploaded keys (not against s3rver's own delimiter listings, which omit folders
 * holding only deeper folders).
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openTrackingStore } from '../../../src/tracking';
import { S3ArtifactReader } from '../../../src/tracking/s3/artifacts';
import { resolveS3Config } from '../../../src/tracking/s3/config';
import { MlflowError, type TrackingStore } from '../../../src/tracking/types';
import { startS3, startSigV4Proxy, TEST_KEY, type S3TestServer } from '../../helpers/s3Server';
import { freePort } from '../../helpers/sqlServers';
import { editedCopy, queryOf, recorded, recordingIndex, REST_SQLITE, SQLITE_DIR } from '../sqlite/fixtures';

const ids = JSON.parse(readFileSync(join(SQLITE_DIR, 'reference_ids.sqlite.json'), 'utf8')) as { runs: Record<string, string> };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('S3 artifacts: settings from the environment and ~/.aws, as MLflow (boto3) reads them', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'mlflow-aws-'));
    mkdirSync(join(home, '.aws'));
    const credentials = ['[default]', 'aws_access_key_id = AKIADEFAULT', 'aws_secret_access_key = s1', '', '[dev]', 'aws_access_key_id=AKIADEV']
      .concat(['aws_secret_access_key=s2', 'aws_session_token = tok'])
      .join('\n');
    writeFileSync(join(home, '.aws', 'credentials'), credentials);
    writeFileSync(join(home, '.aws', 'config'), '[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n');
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('environment keys win; MLFLOW_S3_ENDPOINT_URL and MLFLOW_S3_IGNORE_TLS are read', () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'x', AWS_SESSION_TOKEN: 't' };
    const c = resolveS3Config({ ...keys, MLFLOW_S3_ENDPOINT_URL: 'http://minio:9001', MLFLOW_S3_IGNORE_TLS: 'true', AWS_DEFAULT_REGION: 'us-west-2' }, home);
    assert.deepEqual(c.credentials, { accessKeyId: 'AKIAENV', secretAccessKey: 'x', sessionToken: 't' });
    assert.equal(c.endpoint?.href, 'http://minio:9001/');
    assert.equal(c.ignoreTls, true);
    assert.equal(c.region, 'us-west-2');
  });

  it('else the default profile of ~/.aws/credentials with its region from ~/.aws/config; AWS_PROFILE picks another', () => {
    const d = resolveS3Config({}, home);
    assert.deepEqual([d.credentials?.accessKeyId, d.region, d.endpoint], ['AKIADEFAULT', 'eu-west-1', undefined]);
    assert.equal(d.credentialSource, 'profile default in ~/.aws/credentials');
    const dev = resolveS3Config({ AWS_PROFILE: 'dev' }, home);
    assert.deepEqual([dev.credentials?.accessKeyId, dev.credentials?.sessionToken, dev.region], ['AKIADEV', 'tok', 'ap-south-1']);
    assert.equal(resolveS3Config({}, join(home, 'nowhere')).credentials, undefined);
    assert.equal(resolveS3Config({}, join(home, 'nowhere')).region, 'us-east-1');
  });
});

describe('S3 artifacts over a real S3-protocol server (s3rver) behind a SigV4-checking proxy', function () {
  this.timeout(60_000);
  let s3: S3TestServer;
  let proxy: Awaited<ReturnType<typeof startSigV4Proxy>>;
  let env: NodeJS.ProcessEnv;
  let store: TrackingStore;
  let copyDir: string;
  const big = randomBytes(50 * 1024 * 1024);
  const keys: string[] = [];

  before(async function () {
    this.timeout(120_000);
    s3 = await startS3(['mlflow']);
    proxy = await startSigV4Proxy(s3.endpoint);
    const root = join(SQLITE_DIR, 'mlruns');
    for (const file of filesUnder(root)) {
      const key = `mlruns/${relative(root, file).split('\\').join('/')}`;
      keys.push(key);
      await s3.put('mlflow', key, readFileSync(file));
    }
    await s3.put('mlflow', 'big/weights.bin', big);
    await s3.put('mlflow', 'deep-only/data/a/b.txt', 'deep');
    await s3.put('mlflow', 'deep-only/top.txt', 'top');
    for (let i = 0; i < 12; i++) await s3.put('mlflow', `many/f${String(i).padStart(2, '0')}.txt`, `file ${i}`);
    await s3.put('mlflow', 'many/sub/x.txt', 'x');
    env = { MLFLOW_S3_ENDPOINT_URL: proxy.endpoint, AWS_ACCESS_KEY_ID: TEST_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_KEY.secretAccessKey };
    // The reference store with its runs' artifacts on S3, and no local copy to fall back on.
    const copy = await editedCopy(["UPDATE runs SET artifact_uri = 's3://mlflow/mlruns/' || experiment_id || '/' || run_uuid || '/artifacts'"]);
    copyDir = copy.dir;
    rmSync(join(copy.dir, 'mlruns'), { recursive: true, force: true });
    store = await openTrackingStore(`sqlite:///${copy.db}`, { env, sqliteBackend: 'sql.js' });
  });
  after(async () => {
    store?.dispose();
    await proxy?.stop();
    await s3?.stop();
    if (copyDir) rmSync(copyDir, { recursive: true, force: true });
  });

  for (const file of recordingIndex()
    .filter((e) => e.status === 200 && e.url.includes('/artifacts/list?'))
    .map((e) => e.file)) {
    it(`listArtifacts from s3:// equals the real server's ${file}`, async () => {
      const q = queryOf(file);
      assert.deepEqual(await store.listArtifacts(q.get('run_id')!, q.get('path') ?? undefined), recorded<{ files?: unknown[] }>(file).files ?? []);
    });
  }

  it('lists folders holding only deeper folders (images/, deep/) as the uploaded keys say', async () => {
    const run = ids.runs['resnet18'];
    const prefix = `mlruns/1/${run}/artifacts/`;
    const deeper = keys.filter((k) => k.startsWith(prefix) && k.slice(prefix.length).includes('/'));
    const topFolders = [...new Set(deeper.map((k) => k.slice(prefix.length).split('/')[0]))];
    const listed = (await store.listArtifacts(run)).filter((f) => f.is_dir).map((f) => f.path);
    assert.deepEqual(listed, topFolders.sort());
    assert.ok(listed.includes('images'));
    const reader = new S3ArtifactReader(resolveS3Config(env));
    assert.deepEqual(await reader.list('s3://mlflow/deep-only', ''), [
      { path: 'data', is_dir: true },
      { path: 'top.txt', is_dir: false, file_size: 3 },
    ]);
  });

  it('reads a text file and an image byte for byte', async () => {
    const q = queryOf('get_artifact_text.txt');
    assert.deepEqual(Buffer.from(await store.readArtifact(q.get('run_uuid')!, q.get('path')!)), readFileSync(join(REST_SQLITE, 'get_artifact_text.txt')));
    const run = ids.runs['resnet18'];
    const png = await store.readArtifact(run, 'plots/loss_curve.png');
    assert.deepEqual(Buffer.from(png), readFileSync(join(SQLITE_DIR, 'mlruns', '1', run, 'artifacts', 'plots', 'loss_curve.png')));
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  });

  it('streams a 50 MB file into one buffer, intact', async () => {
    const reader = new S3ArtifactReader(resolveS3Config(env));
    const bytes = await reader.read('s3://mlflow/big', 'weights.bin', 'test');
    assert.equal(bytes.length, big.length);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), createHash('sha256').update(big).digest('hex'));
  });

  it('follows ContinuationToken pages, in both listing modes (by keys, then by delimiter for large folders)', async () => {
    const paged = new S3ArtifactReader(resolveS3Config(env), { maxKeys: 2 });
    const run = ids.runs['resnet18'];
    assert.deepEqual(await paged.list(`s3://mlflow/mlruns/1/${run}/artifacts`, ''), await store.listArtifacts(run));
    const many = await paged.list('s3://mlflow/many', '');
    assert.deepEqual(
      many.map((f) => f.path),
      [...Array.from({ length: 12 }, (_, i) => `f${String(i).padStart(2, '0')}.txt`), 'sub'],
    );
    assert.deepEqual(many.at(-1), { path: 'sub', is_dir: true });
    assert.deepEqual(await paged.list('s3://mlflow/many', 'sub'), [{ path: 'sub/x.txt', is_dir: false, file_size: 1 }]);
  });

  it('signs every request (SigV4, checked by the proxy with the test key)', async () => {
    const before = proxy.checked;
    await store.listArtifacts(ids.runs['resnet18'], 'config');
    assert.ok(proxy.checked > before);
    assert.equal(proxy.refused, 0);
  });

  it("wrong credentials: PERMISSION_DENIED naming S3's code and where the keys came from, never the secret", async () => {
    const wrongSecret = new S3ArtifactReader(resolveS3Config({ ...env, AWS_SECRET_ACCESS_KEY: 'wrong-secret-value' }));
    await assert.rejects(wrongSecret.list('s3://mlflow/many', ''), (e: unknown) => {
      assert.ok(e instanceof MlflowError);
      assert.equal(e.error_code, 'PERMISSION_DENIED');
      assert.match(e.message, /SignatureDoesNotMatch/);
      assert.match(e.message, /AWS_ACCESS_KEY_ID/);
      assert.ok(!e.message.includes('wrong-secret-value'));
      return true;
    });
    const wrongKey = new S3ArtifactReader(resolveS3Config({ ...env, AWS_ACCESS_KEY_ID: 'AKIAOTHER' }));
    await assert.rejects(wrongKey.read('s3://mlflow/many', 'f00.txt', 'test'), { error_code: 'PERMISSION_DENIED', message: /InvalidAccessKeyId/ });
  });

  it('a missing bucket, a missing key, a folder read as a file: clear errors', async () => {
    const reader = new S3ArtifactReader(resolveS3Config({ ...env, MLFLOW_S3_ENDPOINT_URL: s3.endpoint }));
    const noBucket = { error_code: 'RESOURCE_DOES_NOT_EXIST', message: /No S3 bucket no-such-bucket/ };
    await assert.rejects(reader.list('s3://no-such-bucket/x', ''), noBucket);
    const noKey = { error_code: 'RESOURCE_DOES_NOT_EXIST', message: /No artifact nope\.txt for run r/ };
    await assert.rejects(reader.read('s3://mlflow/many', 'nope.txt', 'run r'), noKey);
    await assert.rejects(reader.read('s3://mlflow/many', 'sub', 'run r'), { error_code: 'INVALID_PARAMETER_VALUE', message: /folder/ });
  });

  it('no credentials, or nothing listening: clear errors, no crash', async () => {
    const none = new S3ArtifactReader(resolveS3Config({ MLFLOW_S3_ENDPOINT_URL: s3.endpoint }, join(tmpdir(), 'no-home-here')));
    await assert.rejects(none.list('s3://mlflow/many', ''), { error_code: 'PERMISSION_DENIED', message: /No AWS credentials/ });
    const port = await freePort();
    const away = new S3ArtifactReader(resolveS3Config({ ...env, MLFLOW_S3_ENDPOINT_URL: `http://127.0.0.1:${port}` }));
    await assert.rejects(away.list('s3://mlflow/many', ''), { error_code: 'TEMPORARILY_UNAVAILABLE', message: /connection refused/ });
  });
});

describe('Artifact locations this extension does not read', () => {
  it('gs://, wasbs://, hdfs://, dbfs:/ give a clear message on the artifacts; the rest of the run reads', async () => {
    const copy = await editedCopy([
      `UPDATE runs SET artifact_uri = 'gs://team-bucket/mlruns/1/x/artifacts' WHERE run_uuid = '${ids.runs['resnet18']}'`,
      `UPDATE runs SET artifact_uri = 'wasbs://c@acct.blob.core.windows.net/1/artifacts' WHERE run_uuid = '${ids.runs['baseline-cnn']}'`,
      `UPDATE runs SET artifact_uri = 'dbfs:/databricks/mlflow-tracking/1/artifacts' WHERE run_uuid = '${ids.runs['lr-0.1']}'`,
      `UPDATE runs SET artifact_uri = 'hdfs://namenode:8020/mlflow/1/artifacts' WHERE run_uuid = '${ids.runs['lr-0.01']}'`,
    ]);
    const store = await openTrackingStore(`sqlite:///${copy.db}`, { sqliteBackend: 'sql.js' });
    try {
      for (const [name, words] of [
        ['resnet18', /gs:\/\/team-bucket.*Google Cloud Storage.*does not read.*mlflow server --serve-artifacts/],
        ['baseline-cnn', /Azure Blob Storage/],
        ['lr-0.1', /dbfs:\/databricks.*Databricks File System/],
        ['lr-0.01', /hdfs:\/\/namenode.*HDFS/],
      ] as const) {
        await assert.rejects(store.listArtifacts(ids.runs[name]), { error_code: 'NOT_IMPLEMENTED', message: words });
        assert.equal((await store.getRun(ids.runs[name])).info.run_name, name);
      }
    } finally {
      store.dispose();
      rmSync(copy.dir, { recursive: true, force: true });
    }
  });
});
