// The Node 24 that scripts/install-code-server.sh installs beside code-server, when it
// is there: tests and benches run node:sqlite code in it when this Node lacks node:sqlite.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerInstallDir } from './codeServerCache';

export function installedNode24(): string | undefined {
  try {
    const bin = join(readFileSync(join(codeServerInstallDir(), 'node-dir'), 'utf8').trim(), 'bin', 'node');
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
