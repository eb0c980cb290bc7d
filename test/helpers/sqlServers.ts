/**
 * Real PostgreSQL and MariaDB servers for tests and benchmarks, from the Debian packages
 * `postgresql` and `mariadb-server` (scripts/prerequisites.sh): each started in a temporary data
 * folder on a free port (as `nobody` when running as root, which both servers refuse), with
 * password authentication for user `mlflow`, and stopped (folder removed) by `stop()`.
 * Also loads MLflow's schema (test/fixtures/sql-schema) and the rows of an SQLite mlflow.db.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DB_USER = 'mlflow';
export const DB_PASSWORD = 'S3cret-pw_42';

export interface SqlServer {
  kind: 'postgresql' | 'mysql';
  port: number;
  /** `postgresql://mlflow:…@127.0.0.1:<port>/<db>` for a database created with createDatabase. */
  uri(database: string, password?: string): string;
  /** Runs statements as the admin (writes allowed), on `database`. */
  admin(database: string, statements: string[]): Promise<Record<string, unknown>[][]>;
  createDatabase(name: string): Promise<void>;
  /** Freezes the server (SIGSTOP): queries sent now wait, in flight. */
  pause(): void;
  /** Kills the server at once (SIGKILL), as when it crashes. */
  kill(): void;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) chownSync(dir, NOBODY.uid, NOBODY.gid);
  return dir;
}

function postgresBin(name: string): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', name))) return join(root, v, 'bin', name);
  return undefined;
}

export const havePostgres = () => postgresBin('postgres') !== undefined;
export const haveMariadb = () => existsSync('/usr/sbin/mariadbd') && spawnSync('sh', ['-c', 'command -v mariadb-install-db']).status === 0;

async function waitFor(check: () => Promise<boolean>, what: string, child: ChildProcess, log: () => string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${log()}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not start in ${ms} ms:\n${log()}`);
}

/** The server and its child processes (PostgreSQL's backends each lead their own process group). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  const pids = [child.pid!];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === child.pid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

export async function startPostgres(): Promise<SqlServer> {
  const dir = tempDir('mlflow-pg-');
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, DB_PASSWORD);
  if (asRoot) chownSync(pwfile, NOBODY.uid, NOBODY.gid);
  const ids = asRoot ? NOBODY : {};
  const initArgs = ['-D', data, '-U', DB_USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'];
  const init = spawnSync(postgresBin('initdb')!, initArgs, {
    ...ids,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let log = '';
  const child = spawn(
    postgresBin('postgres')!,
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'].concat([
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'shared_buffers=32MB',
    ]),
    { ...ids, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const pg = require('pg') as typeof import('pg');
  const client = (database: string) => new pg.Client({ host: '127.0.0.1', port, user: DB_USER, password: DB_PASSWORD, database });
  const admin = async (database: string, statements: string[]) => {
    const c = client(database);
    c.on('error', () => undefined);
    await c.connect();
    try {
      const out: Record<string, unknown>[][] = [];
      for (const s of statements) out.push((await c.query(s)).rows);
      return out;
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  await waitFor(
    async () => (await admin('postgres', ['SELECT 1']), true),
    'postgres',
    child,
    () => log,
  );
  return {
    kind: 'postgresql',
    port,
    uri: (database, password = DB_PASSWORD) => `postgresql://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    admin,
    createDatabase: async (name) => void (await admin('postgres', [`CREATE DATABASE ${name}`])),
    pause: () => signalGroup(child, 'SIGSTOP'),
    kill: () => signalGroup(child, 'SIGKILL'),
    stop: async () => {
      await stopChild(child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startMariadb(): Promise<SqlServer> {
  const dir = tempDir('mlflow-maria-');
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const user = asRoot ? ['--user=nobody'] : [];
  const initArgs = ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...user];
  const init = spawnSync('mariadb-install-db', initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}${init.stdout}`);
  const port = await freePort();
  let log = '';
  const child = spawn(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=16M',
      '--innodb-flush-log-at-trx-commit=0',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_general_ci',
      ...user,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
  const rootConn = () => mysql.createConnection({ socketPath: socket, user: 'root', multipleStatements: false });
  await waitFor(
    async () => ((await rootConn()).destroy(), true),
    'mariadbd',
    child,
    () => log,
  );
  const root = await rootConn();
  await root.query(`CREATE USER '${DB_USER}'@'%' IDENTIFIED BY '${DB_PASSWORD}'`);
  await root.query(`GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'%'`);
  root.destroy();
  const admin = async (database: string, statements: string[]) => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port, user: DB_USER, password: DB_PASSWORD, database });
    try {
      // NO_AUTO_VALUE_ON_ZERO: experiment 0 (Default) is stored as 0, as MLflow's store sets it for MySQL.
      await c.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES,NO_AUTO_VALUE_ON_ZERO')");
      const out: Record<string, unknown>[][] = [];
      for (const s of statements) {
        const [rows] = await c.query(s);
        out.push(Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []);
      }
      return out;
    } finally {
      c.destroy();
    }
  };
  return {
    kind: 'mysql',
    port,
    uri: (database, password = DB_PASSWORD) => `mysql+pymysql://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    admin,
    createDatabase: async (name) => void (await admin('mysql', [`CREATE DATABASE ${name} CHARACTER SET utf8mb4`])),
    pause: () => signalGroup(child, 'SIGSTOP'),
    kill: () => signalGroup(child, 'SIGKILL'),
    stop: async () => {
      await stopChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SCHEMA_DIR = join(__dirname, '..', 'fixtures', 'sql-schema');

/** Tables in the order their foreign keys allow. */
export const LOAD_ORDER = [
  'alembic_version',
  'experiments',
  'experiment_tags',
  'runs',
  'metrics',
  'latest_metrics',
  'params',
  'tags',
  'registered_models',
  'registered_model_tags',
  'model_versions',
  'model_version_tags',
  'registered_model_aliases',
  'datasets',
  'inputs',
  'input_tags',
  'logged_models',
  'logged_model_metrics',
  'logged_model_params',
  'logged_model_tags',
];

/** MLflow's schema for the server's dialect, as separate statements. */
export function schemaStatements(kind: SqlServer['kind']): string[] {
  const text = readFileSync(join(SCHEMA_DIR, `${kind}.sql`), 'utf8').replace(/^--.*$/gm, '');
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

interface SqlJsDb {
  exec(sql: string): { columns: string[]; values: unknown[][] }[];
  close(): void;
}

/** Creates `database` with MLflow's schema and copies every row of the SQLite `dbPath` into it, in rowid order. */
export async function loadMlflowDb(server: SqlServer, database: string, dbPath: string, skipTables: string[] = []): Promise<void> {
  await server.createDatabase(database);
  await server.admin(
    database,
    schemaStatements(server.kind).map((s) => (server.kind === 'mysql' ? s.replace(/`/g, '"') : s)),
  );
  const init = require('sql.js') as (c: object) => Promise<{ Database: new (d: Uint8Array) => SqlJsDb }>;
  const SQL = await init({ locateFile: (f: string) => require.resolve(`sql.js/dist/${f}`) });
  const src = new SQL.Database(readFileSync(dbPath));
  try {
    for (const table of LOAD_ORDER.filter((t) => !skipTables.includes(t))) {
      const targetColumns = new Set(
        (
          await server.admin(database, [
            `SELECT column_name AS c FROM information_schema.columns WHERE table_name = '${table}' ` +
              `AND table_schema = ${server.kind === 'mysql' ? 'DATABASE()' : 'current_schema()'}`,
          ])
        )[0].map((r) => String(r.c ?? r.C ?? r.COLUMN_NAME)),
      );
      const result = src.exec(`SELECT * FROM ${table} ORDER BY rowid`)[0];
      if (!result) continue;
      const columns = result.columns.filter((c) => targetColumns.has(c));
      const indexes = columns.map((c) => result.columns.indexOf(c));
      const statements: string[] = [];
      for (let i = 0; i < result.values.length; i += 500) {
        const rows = result.values.slice(i, i + 500).map((row) => `(${indexes.map((k) => literal(row[k], server.kind)).join(', ')})`);
        statements.push(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${rows.join(', ')}`);
      }
      await server.admin(database, statements);
    }
  } finally {
    src.close();
  }
}

/** A value as an SQL literal: quoted for PostgreSQL (which then casts '0' to a boolean), MySQL escapes backslashes. */
function literal(v: unknown, kind: SqlServer['kind']): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return kind === 'postgresql' ? `'${v}'` : String(v);
  const text = String(v).replace(/'/g, "''");
  return `'${kind === 'mysql' ? text.replace(/\\/g, '\\\\') : text}'`;
}

/** Row counts of every loaded table, to check a store wrote nothing. */
export async function rowCounts(server: SqlServer, database: string): Promise<Record<string, number>> {
  const rows = await server.admin(
    database,
    LOAD_ORDER.map((t) => `SELECT count(*) AS n FROM ${t}`),
  );
  return Object.fromEntries(LOAD_ORDER.map((t, i) => [t, Number(rows[i][0].n)]));
}
