import * as assert from 'node:assert/strict';
import { parseTrackingUri, redactUrl, runPageUrl, shortStoreName, TrackingUriError } from '../../../src/extension/connection/trackingUri';

const BASE = '/home/ana/projects/mnist';

describe('tracking URIs', () => {
  it('reads folders, file: URIs and relative paths as file stores', () => {
    assert.deepEqual(parseTrackingUri('./mlruns', BASE), {
      kind: 'file',
      uri: 'file:///home/ana/projects/mnist/mlruns',
      path: '/home/ana/projects/mnist/mlruns',
    });
    assert.equal(parseTrackingUri('file:///data/my%20runs', BASE).uri, 'file:///data/my%20runs');
    assert.equal((parseTrackingUri('file:///data/my%20runs', BASE) as { path: string }).path, '/data/my runs');
    assert.equal((parseTrackingUri('file:./mlruns', BASE) as { path: string }).path, '/home/ana/projects/mnist/mlruns');
    assert.equal(parseTrackingUri('/abs/mlruns/', BASE).uri, 'file:///abs/mlruns');
  });

  it('reads sqlite:/// URIs relative, sqlite://// absolute, and .db paths', () => {
    assert.deepEqual(parseTrackingUri('sqlite:///mlflow.db', BASE), {
      kind: 'sqlite',
      uri: 'sqlite:////home/ana/projects/mnist/mlflow.db',
      path: '/home/ana/projects/mnist/mlflow.db',
    });
    assert.equal(parseTrackingUri('sqlite:////var/db/mlflow.db', BASE).uri, 'sqlite:////var/db/mlflow.db');
    assert.equal(parseTrackingUri('data/mlflow.db', BASE).kind, 'sqlite');
    assert.throws(() => parseTrackingUri('sqlite://host/x.db', BASE), TrackingUriError);
  });

  it('canonicalises server URLs and splits off credentials', () => {
    assert.deepEqual(parseTrackingUri('http://127.0.0.1:5000/', BASE), { kind: 'rest', uri: 'http://127.0.0.1:5000' });
    assert.deepEqual(parseTrackingUri('https://ana:s%3Acret@mlflow.example.com/prefix/?x=1#y', BASE), {
      kind: 'rest',
      uri: 'https://mlflow.example.com/prefix',
      credentials: { username: 'ana', password: 's:cret' },
    });
    assert.equal(redactUrl('https://ana:secret@host/x'), 'https://host/x');
    assert.throws(() => parseTrackingUri('http://', BASE), TrackingUriError);
  });

  it('refuses schemes it cannot read with a clear message', () => {
    assert.throws(() => parseTrackingUri('databricks-uc', BASE), /registry URI/);
    assert.deepEqual(parseTrackingUri('databricks://staging', BASE), { kind: 'databricks', uri: 'databricks://staging' });
    assert.equal(shortStoreName(parseTrackingUri('databricks://staging', BASE)), 'Databricks (staging)');
    assert.throws(
      () => parseTrackingUri('mssql://u:p@db/mlflow', BASE),
      (e: Error) => {
        assert.match(e.message, /cannot be read directly.*mlflow server/);
        assert.doesNotMatch(e.message, /u:p/, 'credentials in the URI never reach a message');
        return true;
      },
    );
    assert.throws(() => parseTrackingUri('   ', BASE), /empty/);
  });

  it('splits a database password off the URI (kept as credentials), keeping user and options', () => {
    assert.deepEqual(parseTrackingUri('postgresql+psycopg2://db_user:123@localhost/mlflow_db?sslmode=require', BASE), {
      kind: 'database',
      uri: 'postgresql+psycopg2://db_user@localhost:5432/mlflow_db?sslmode=require',
      credentials: { username: 'db_user', password: '123' },
    });
    assert.deepEqual(parseTrackingUri('mysql://ana@db:3307/mlflow', BASE), { kind: 'database', uri: 'mysql://ana@db:3307/mlflow' });
    assert.equal(shortStoreName(parseTrackingUri('postgresql://db_user:123@localhost/mlflow_db?sslmode=require', BASE)), 'localhost:5432/mlflow_db');
  });

  it('names stores shortly and links runs on a server', () => {
    assert.equal(shortStoreName(parseTrackingUri('./mlruns', BASE)), 'mnist/mlruns');
    assert.equal(shortStoreName(parseTrackingUri('https://mlflow.example.com:8443', BASE)), 'mlflow.example.com:8443');
    assert.equal(runPageUrl('http://localhost:5000/', '1', 'abc'), 'http://localhost:5000/#/experiments/1/runs/abc');
  });
});
