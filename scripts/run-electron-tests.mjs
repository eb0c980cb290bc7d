// Runs the test/vscode suite in desktop VS Code with @vscode/test-electron, for
// developers who have VS Code installed. Not part of `npm test` (which runs the
// same suite in code-server). Needs VSCODE_EXECUTABLE, the path of the VS Code
// binary (e.g. /usr/share/code/code); it never downloads VS Code.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const executable = process.env.VSCODE_EXECUTABLE;
if (!executable || !existsSync(executable)) {
  console.error(
    'npm run test:electron needs desktop VS Code: set VSCODE_EXECUTABLE to its binary, e.g.\n' +
      '  VSCODE_EXECUTABLE=/usr/share/code/code npm run test:electron\n' +
      (executable ? `(${executable} does not exist)\n` : '') +
      'Without VS Code, `npm test` runs the same suite in code-server.',
  );
  process.exit(1);
}
if (!existsSync(join(root, 'dist/extension.js'))) {
  console.error('dist/extension.js is missing: run npm run build first');
  process.exit(1);
}

const require = createRequire(import.meta.url);
require('tsx/cjs');
const { buildVscodeSuite } = require('../test/harness/vscodeSuite.ts');
const { runTests } = require('@vscode/test-electron');

const bundle = await buildVscodeSuite();
const scratch = mkdtempSync(join(tmpdir(), 'vscode-mlflow-electron-'));
const workspace = join(scratch, 'demo');
cpSync(join(root, 'demo'), workspace, { recursive: true });
try {
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: root,
    extensionTestsPath: bundle,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(scratch, 'user-data')],
  });
} catch (error) {
  console.error(`test/vscode suite failed in desktop VS Code: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
