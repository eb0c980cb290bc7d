/**
 * Two ways to read an `mlflow.db` without a native build:
 * - `node:sqlite` (Node ≥ 22.5; VS Code's extension host runs Node 24): opens the file read-only
 *   and pages on demand. Each statement runs alone (autocommit), so the shared lock it takes is
 *   held for that one query: a training script writing with MLflow's rollback journal never waits
 *   long. A busy timeout covers the moment a writer holds its exclusive lock.
 * - `sql.js` (SQLite in WebAssembly), where `node:sqlite` is missing: reads a snapshot of the whole
 *   file and re-reads it when the file (or its journal) changes. It never locks the file, so a
 *   snapshot taken while a writer is mid-transaction gets the journal played back over it
 *   (hotJournal.ts): it shows the committed state, never uncommitted pages.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MlflowError } from '../types';
import { isHotJournal, rollBack } from './hotJournal';

export type SqlValue = number | string | null | Uint8Array | bigint;
export type Row = Record<string, SqlValue>;
export type BackendName = 'node:sqlite' | 'sql.js';

export interface SqlBackend {
  readonly name: BackendName;
  all(sql: string, params?: SqlValue[]): Row[];
  /** Makes sure the next reads see the file as it is now (sql.js: a fresh snapshot if it changed). */
  refresh(): void;
  close(): void;
}

interface NodeSqliteStatement {
  all(...params: SqlValue[]): Row[];
}
interface NodeSqliteDatabase {
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean; timeout?: number }) => NodeSqliteDatabase;
}

let nodeSqlite: NodeSqliteModule | null | undefined;

/** `node:sqlite` if this runtime has it, else null. Checked once. */
export function loadNodeSqlite(): NodeSqliteModule | null {
  if (nodeSqlite === undefined) {
    try {
      // Not in Node 20's type definitions; bundlers leave `node:` modules external.
      nodeSqlite = require('node:sqlite') as NodeSqliteModule;
    } catch {
      nodeSqlite = null;
    }
  }
  return nodeSqlite;
}

/** node:sqlite waits for a lock synchronously (blocking the thread): keep it short; callers retry. */
const BUSY_TIMEOUT_MS = 100;

class NodeSqliteBackend implements SqlBackend {
  readonly name = 'node:sqlite' as const;
  private readonly db: NodeSqliteDatabase;
  private readonly statements = new Map<string, NodeSqliteStatement>();

  constructor(
    mod: NodeSqliteModule,
    private readonly path: string,
  ) {
    this.db = new mod.DatabaseSync(path, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
  }

  all(sql: string, params: SqlValue[] = []): Row[] {
    try {
      let stmt = this.statements.get(sql);
      if (!stmt) {
        stmt = this.db.prepare(sql);
        this.statements.set(sql, stmt);
      }
      return stmt.all(...params);
    } catch (e) {
      // SQLite's own locking keeps uncommitted data out; a writer holding the file is a wait, and the store retries.
      if (/busy|locked/i.test((e as Error)?.message ?? '')) {
        throw new MlflowError(`${this.path} is busy: being written by another process (MLflow); retrying.`, 'TEMPORARILY_UNAVAILABLE');
      }
      throw e;
    }
  }

  refresh(): void {
    // Every statement reads the live file.
  }

  private closed = false;

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }
}

interface SqlJsStatement {
  bind(values: SqlValue[]): boolean;
  step(): boolean;
  getAsObject(): Row;
  reset(): void;
  free(): void;
}
interface SqlJsDatabase {
  prepare(sql: string): SqlJsStatement;
  close(): void;
}
interface SqlJsStatic {
  Database: new (data?: Uint8Array) => SqlJsDatabase;
}

let sqlJs: Promise<SqlJsStatic> | undefined;

function wasmPath(): string {
  // Bundled: scripts/build.mjs copies the wasm next to dist/*.js. From source: node_modules.
  const nextToBundle = join(__dirname, 'sql-wasm.wasm');
  if (existsSync(nextToBundle)) return nextToBundle;
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

/**
 * sql.js's WebAssembly is compiled with V8's baseline compiler (Liftoff) only. Otherwise V8 goes on
 * optimising it (TurboFan) on background threads, and Node waits for that work when the process
 * ends: a script or CLI that read an mlflow.db lingered seconds after its last line, under load
 * ten or more, and sometimes never exited (its main thread waiting in a futex). The flag is set
 * only while this one module compiles (V8 keeps the choice per module), then put back.
 * Baseline code runs the few short queries a store makes slower by a small constant factor.
 */
async function compileSqlJs(): Promise<SqlJsStatic> {
  const init = require('sql.js') as (config: { wasmBinary?: ArrayBufferLike }) => Promise<SqlJsStatic>;
  const wasm = readFileSync(wasmPath());
  const v8 = require('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString('--liftoff-only');
  try {
    return await init({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
  } finally {
    v8.setFlagsFromString('--no-liftoff-only');
  }
}

function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= compileSqlJs();
  return sqlJs;
}

/** sql.js copies the file into WebAssembly memory (at most 4 GB, and a copy besides). */
const MAX_SQLJS_BYTES = 1024 * 1024 * 1024;

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

class SqlJsBackend implements SqlBackend {
  readonly name = 'sql.js' as const;
  private db: SqlJsDatabase | undefined;
  private stamp = '';
  private readonly statements = new Map<string, SqlJsStatement>();

  constructor(
    private readonly SQL: SqlJsStatic,
    private readonly path: string,
  ) {
    this.load();
  }

  /** The file's and its journal's size and mtime: a commit may only delete the journal. */
  private fileStamp(): string {
    const s = statSync(this.path);
    const j = statSync(`${this.path}-journal`, { throwIfNoEntry: false });
    return `${s.size}:${s.mtimeMs}:${j ? `${j.ino}:${j.size}:${j.mtimeMs}` : '-'}`;
  }

  /**
   * Reads the file and its journal as one consistent pair (the same stamps before and after), plays
   * a hot journal back, and opens the result. While a writer keeps changing both, it tries a few
   * times; then it keeps the last good snapshot (a committed state) and tries again on the next
   * read, or, with none yet, says the database is being written so that the caller retries.
   * Refuses a file too big to copy into memory.
   */
  private load(): void {
    let data: Buffer | undefined;
    let stamp = '';
    const size = statSync(this.path).size;
    if (size > MAX_SQLJS_BYTES) {
      throw new MlflowError(
        `${this.path} is ${Math.round(size / 1e6)} MB: too large for the sql.js reader, which copies the whole file into memory. A runtime with node:sqlite (Node 22.5 or later, as in current VS Code) reads it directly.`,
        'RESOURCE_EXHAUSTED',
      );
    }
    let consistent = false;
    for (let attempt = 0; attempt < 5 && !consistent; attempt++) {
      if (attempt > 0) sleepSync(20);
      stamp = this.fileStamp();
      data = readFileSync(this.path);
      let journal: Buffer | undefined;
      try {
        journal = readFileSync(`${this.path}-journal`);
      } catch {
        journal = undefined; // no transaction in progress (or it just committed: the stamp tells)
      }
      consistent = stamp === this.fileStamp();
      if (consistent && journal && isHotJournal(journal)) data = rollBack(data, journal);
    }
    if (!consistent) {
      if (this.db) return; // the last snapshot stays; `stamp` unchanged, so the next read tries again
      throw new MlflowError(`${this.path} is busy: being written by another process (MLflow); retrying.`, 'TEMPORARILY_UNAVAILABLE');
    }
    for (const stmt of this.statements.values()) stmt.free();
    this.statements.clear();
    this.db?.close();
    this.db = new this.SQL.Database(data);
    this.stamp = stamp;
  }

  refresh(): void {
    if (this.fileStamp() !== this.stamp) this.load();
  }

  all(sql: string, params: SqlValue[] = []): Row[] {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db!.prepare(sql);
      this.statements.set(sql, stmt);
    }
    try {
      stmt.bind(params);
      const rows: Row[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject());
      return rows;
    } finally {
      stmt.reset();
    }
  }

  close(): void {
    for (const stmt of this.statements.values()) stmt.free();
    this.statements.clear();
    this.db?.close();
    this.db = undefined;
  }
}

export async function openBackend(path: string, prefer?: BackendName): Promise<SqlBackend> {
  if (!existsSync(path)) {
    throw new MlflowError(`No SQLite database at ${path}`, 'RESOURCE_DOES_NOT_EXIST');
  }
  try {
    const mod = prefer === 'sql.js' ? null : loadNodeSqlite();
    if (mod) return new NodeSqliteBackend(mod, path);
    if (prefer === 'node:sqlite') {
      throw new MlflowError('node:sqlite is not available in this runtime (it needs Node 22.5 or later)', 'NOT_IMPLEMENTED');
    }
    const SQL = await loadSqlJs();
    // A writer changing file and journal as we read: wait a little (without blocking), then say so.
    for (let attempt = 0; ; attempt++) {
      try {
        return new SqlJsBackend(SQL, path);
      } catch (e) {
        if (!(e instanceof MlflowError) || e.error_code !== 'TEMPORARILY_UNAVAILABLE' || attempt >= 10) throw e;
        await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 50));
      }
    }
  } catch (e) {
    if (e instanceof MlflowError) throw e;
    throw new MlflowError(`Cannot open ${path} as an SQLite database: ${(e as Error).message}`, 'INVALID_STATE');
  }
}
