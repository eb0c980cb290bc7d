// Runs test/vscode/**/*.test.ts inside the extension host of code-server (real
// VS Code 1.139 in headless Chromium), after building the extension (esbuild, ~1 s).
// MLFLOW_VSCODE_TEST_GREP=<text> runs only matching tests; MLFLOW_TEST_VERBOSE=1 echoes the workbench log.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0) {
  console.error('npm run build failed: the vscode suite did not run');
  process.exit(1);
}

const require = createRequire(import.meta.url);
require('tsx/cjs');
const { runVscodeSuite } = require('../test/harness/vscodeSuite.ts');
const { recordStats } = require('../test/harness/stats.ts');

const started = Date.now();
try {
  const result = await runVscodeSuite();
  recordStats('vscode', result);
  console.log(`vscode suite finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = result.failed > 0 || result.exitCode !== 0 ? 1 : 0;
} catch (error) {
  console.error(`vscode suite could not run: ${error instanceof Error ? error.stack : error}`);
  recordStats('vscode', { passed: 0, failed: 1, pending: 0 });
  process.exitCode = 1;
}
