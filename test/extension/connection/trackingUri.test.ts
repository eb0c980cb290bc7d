import * as assert from 'node:assert/strict';
import { storeLocationOf, redactUrl, runPageUrl, shortStoreName, TrackingUriError } from '../../../src/extension/connection/trackingUri';

const BASE = '/home/ana/projects/mnist';

describe('tracking URIs', () => {
  it('reads folders, file: URIs and relative paths as file stores', () => {
    assert.deepEqual(storeLocationOf('./mlruns', BASE), {
      kind: 'file',
      uri: 'file:///home/ana/projects/mnist/mlruns',
      path: '/home/ana/projects/mnist/mlruns',
    });
    assert.equal(storeLocationOf('file:///data/my%20runs', BASE).uri, 'file:///data/my%20runs');
    assert.equal((storeLocationOf('file:///data/my%20runs', BASE) as { path: string }).path, '/data/my runs');
    assert.equal((storeLocationOf('file:./mlruns', BASE) as { path: string }).path, '/home/ana/projects/mnist/mlruns');
    assert.equal(storeLocationOf('/abs/mlruns/', BASE).uri, 'file:///abs/mlruns');
  });

  it('reads sqlite:/// URIs relative, sqlite://// absolute, and .db paths', () => {
    assert.deepEqual(storeLocationOf('sqlite:///mlflow.db', BASE), {
      kind: 'sqlite',
      uri: 'sqlite:////home/ana/projects/mnist/mlflow.db',
      path: '/home/ana/projects/mnist/mlflow.db',
    });
    assert.equal(storeLocationOf('sqlite:////var/db/mlflow.db', BASE).uri, 'sqlite:////var/db/mlflow.db');
    assert.equal(storeLocationOf('data/mlflow.db', BASE).kind, 'sqlite');
    assert.throws(() => storeLocationOf('sqlite://host/x.db', BASE), TrackingUriError);
  });

  it('canonicalises server URLs and splits off credentials', () => {
    assert.deepEqual(storeLocationOf('http://127.0.0.1:5000/', BASE), { kind: 'rest', uri: 'http://127.0.0.1:5000' });
    assert.deepEqual(storeLocationOf('https://ana:s%3Acret@mlflow.example.com/prefix/?x=1#y', BASE), {
      kind: 'rest',
      uri: 'https://mlflow.example.com/prefix',
      credentials: { username: 'ana', password: 's:cret' },
    });
    assert.equal(redactUrl('https://ana:secret@host/x'), 'https://host/x');
    assert.throws(() => storeLocationOf('http://', BASE), TrackingUriError);
  });

  it('refuses schemes it cannot read with a clear message', () => {
    assert.throws(() => storeLocationOf('databricks-uc', BASE), /registry URI/);
    assert.deepEqual(storeLocationOf('databricks://staging', BASE), { kind: 'databricks', uri: 'databricks://staging' });
    assert.equal(shortStoreName(storeLocationOf('databricks://staging', BASE)), 'Databricks (staging)');
    assert.throws(
      () => storeLocationOf('mssql://u:p@db/mlflow', BASE),
      (e: Error) => {
        assert.match(e.message, /cannot be read directly.*mlflow server/);
        assert.doesNotMatch(e.message, /u:p/, 'credentials in the URI never reach a message');
        return true;
      },
    );
    assert.throws(() => storeLocationOf('   ', BASE), /empty/);
  });

  it('splits a database password off the URI (kept as credentials), keeping user and options', () => {
    assert.deepEqual(storeLocationOf('postgresql+psycopg2://db_user:123@localhost/mlflow_db?sslmode=require', BASE), {
      kind: 'database',
      uri: 'postgresql+psycopg2://db_user@localhost:5432/mlflow_db?sslmode=require',
      credentials: { username: 'db_user', password: '123' },
    });
    assert.deepEqual(storeLocationOf('mysql://ana@db:3307/mlflow', BASE), { kind: 'database', uri: 'mysql://ana@db:3307/mlflow' });
    assert.equal(shortStoreName(storeLocationOf('postgresql://db_user:123@localhost/mlflow_db?sslmode=require', BASE)), 'localhost:5432/mlflow_db');
  });

  it('names stores shortly and links runs on a server', () => {
    assert.equal(shortStoreName(storeLocationOf('./mlruns', BASE)), 'mnist/mlruns');
    assert.equal(shortStoreName(storeLocationOf('https://mlflow.example.com:8443', BASE)), 'mlflow.example.com:8443');
    assert.equal(runPageUrl('http://localhost:5000/', '1', 'abc'), 'http://localhost:5000/#/experiments/1/runs/abc');
  });
});
