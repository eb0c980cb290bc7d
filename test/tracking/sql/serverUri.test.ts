/** SQLAlchemy database URIs as MLflow takes them: parts, defaults, options, and the password never shown. */
import * as assert from 'node:assert/strict';
import { parseDatabaseUri, redactPassword } from '../../../src/tracking/sql/serverUri';

describe('parseDatabaseUri: SQLAlchemy URLs for PostgreSQL and MySQL', () => {
  it("reads the tutorial's postgresql+psycopg2 URI, with the default port", () => {
    const loc = parseDatabaseUri('postgresql+psycopg2://db_user:123@localhost/mlflow_db');
    assert.deepEqual(
      { ...loc },
      {
        dialect: 'postgresql',
        driver: 'psycopg2',
        host: 'localhost',
        port: 5432,
        database: 'mlflow_db',
        user: 'db_user',
        password: '123',
        options: {},
        redacted: 'postgresql+psycopg2://db_user:***@localhost:5432/mlflow_db',
      },
    );
  });

  it('decodes percent-encoded user and password, keeps query options (sslmode, ssl_ca, charset)', () => {
    const pg = parseDatabaseUri('postgresql+pg8000://ana%40corp:p%40ss%2Fw@db.example.com:6543/ml?sslmode=verify-full&sslrootcert=/etc/ca.pem');
    assert.equal(pg.user, 'ana@corp');
    assert.equal(pg.password, 'p@ss/w');
    assert.equal(pg.port, 6543);
    assert.deepEqual(pg.options, { sslmode: 'verify-full', sslrootcert: '/etc/ca.pem' });
    assert.equal(pg.redacted, 'postgresql+pg8000://ana%40corp:***@db.example.com:6543/ml');
    const my = parseDatabaseUri('mysql+mysqldb://root@[::1]/mlflow?ssl_ca=/ca.pem&charset=utf8mb4');
    assert.equal(my.dialect, 'mysql');
    assert.equal(my.host, '::1');
    assert.equal(my.port, 3306);
    assert.equal(my.password, undefined);
    assert.deepEqual(my.options, { ssl_ca: '/ca.pem', charset: 'utf8mb4' });
    assert.equal(my.redacted, 'mysql+mysqldb://root@[::1]:3306/mlflow');
  });

  it('a socket folder in ?host= (libpq style) and postgres:// are accepted', () => {
    const loc = parseDatabaseUri('postgres:///mlflow?host=/var/run/postgresql');
    assert.equal(loc.host, '/var/run/postgresql');
    assert.equal(loc.database, 'mlflow');
  });

  it('refuses an unknown driver or a missing database without echoing the password', () => {
    for (const uri of ['postgresql+jdbc://u:hunter2@h/db', 'mysql://u:hunter2@h']) {
      assert.throws(
        () => parseDatabaseUri(uri),
        (e: Error) => /INVALID|driver|database/.test(e.message) && !e.message.includes('hunter2'),
      );
    }
  });

  it('redactPassword hides passwords inside any text', () => {
    assert.equal(redactPassword('failed: postgresql://u:hunter2@h:5432/db and mysql://x:y@z/w'), 'failed: postgresql://u:***@h:5432/db and mysql://x:***@z/w');
  });
});
