/**
 * A short Node script that uses the SQLite store through sql.js (Node 20) must exit once it is
 * done. V8 compiled sql.js's WebAssembly in the background (TurboFan tier-up) and Node waits for
 * that compilation at exit: seconds after the script's last line, or never (issue 20, item 9).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { DB_PATH } from './fixtures';

const ROOT = join(__dirname, '../../..');
const SCRIPT = `
import { openSqliteStore } from ${JSON.stringify(join(ROOT, 'src/tracking/sqlite'))};
(async () => {
  const store = await openSqliteStore(process.argv[2], { backend: 'sql.js' });
  const { runs } = await store.searchRuns({ experiment_ids: ['1'], max_results: 5 });
  const key = runs[0].data.metrics![0].key;
  const history = await store.getMetricHistory(runs[0].info.run_id, key);
  if (process.argv[3] === 'dispose') store.dispose();
  console.log(JSON.stringify({ runs: runs.length, points: history.length, done: Date.now() }));
})();
`;

/** Runs the script; resolves with how long the process lived after printing its result. */
function exitLag(script: string, dispose: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, DB_PATH, dispose ? 'dispose' : 'keep'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      const exited = Date.now();
      try {
        assert.equal(code, 0, `exit ${code} ${signal} ${err}`);
        const result = JSON.parse(out) as { runs: number; points: number; done: number };
        assert.equal(result.runs, 5);
        assert.ok(result.points > 0);
        resolve(exited - result.done);
      } catch (e) {
        reject(e);
      }
    });
  });
}

describe('a script using the SQLite store (sql.js) exits when done', function () {
  this.timeout(240_000);
  let dir: string;
  let script: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlflow-exit-'));
    script = join(dir, 'script.js');
    // Bundled as a user's script or the CLI would be, with the wasm beside it (scripts/build.mjs does the same).
    await esbuild.build({
      stdin: { contents: SCRIPT, resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: script,
      logLevel: 'silent',
    });
    copyFileSync(join(ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(dir, 'sql-wasm.wasm'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('20 runs (4 at a time, with and without dispose) each exit within 5 s of their last line', async () => {
    const lags: number[] = [];
    for (let round = 0; round < 5; round++) {
      lags.push(...(await Promise.all([0, 1, 2, 3].map((i) => exitLag(script, i % 2 === 0)))));
    }
    assert.equal(lags.length, 20);
    assert.ok(
      lags.every((ms) => ms < 5000),
      `exit lags: ${lags.join(', ')} ms`,
    );
  });
});
