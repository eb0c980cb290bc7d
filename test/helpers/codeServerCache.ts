// Where scripts/install-code-server.sh installs code-server and its Node 24, whether or not it
// has run: VSCODE_MLFLOW_TEST_CACHE (CI points it at a new temporary folder), else
// ~/.cache/vscode-mlflow-test; then the version (CODE_SERVER_VERSION, else the script's default).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function codeServerInstallDir(): string {
  const cacheRoot = process.env.VSCODE_MLFLOW_TEST_CACHE || join(homedir(), '.cache/vscode-mlflow-test');
  return join(cacheRoot, process.env.CODE_SERVER_VERSION || '4.139.1');
}
