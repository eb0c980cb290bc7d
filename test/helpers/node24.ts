// The Node 24 that scripts/install-code-server.sh installs beside code-server, when it
// is there: tests and benches run node:sqlite code in it when this Node lacks node:sqlite.
// Same cache folder as the script: VSCODE_MLFLOW_TEST_CACHE (CI points it at a new
// temporary folder), else ~/.cache/vscode-mlflow-test.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function installedNode24(): string | undefined {
  const cacheRoot = process.env.VSCODE_MLFLOW_TEST_CACHE || join(homedir(), '.cache/vscode-mlflow-test');
  const version = process.env.CODE_SERVER_VERSION || '4.139.1';
  try {
    const bin = join(readFileSync(join(cacheRoot, version, 'node-dir'), 'utf8').trim(), 'bin', 'node');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one mocha test file in `node24` with the node:sqlite back end only
 * (MLFLOW_TEST_SQLITE_BACKEND), for the half of a SQLite suite this Node cannot run; the dot
 * reporter's output is returned for the caller to check.
 */
export function runSqliteSuiteInNode24(node24: string, testFile: string): SpawnSyncReturns<string> {
  const root = join(__dirname, '..', '..');
  return spawnSync(
    node24,
    [join(root, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--require', 'tsx/cjs', '--timeout', '20000', '--reporter', 'dot', testFile],
    { cwd: root, env: { ...process.env, MLFLOW_TEST_SQLITE_BACKEND: 'node:sqlite' }, encoding: 'utf8' },
  );
}
