// Runs the UI suite (test/e2e/**/*.spec.ts): the packaged .vsix installed into
// code-server, driven in headless Chromium with playwright-core. Packages first
// when the .vsix is missing. Extra arguments go to mocha (e.g. --grep MLproject).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = process.env.MLFLOW_VSIX ?? join(root, `${manifest.name}-${manifest.version}.vsix`);
if (!existsSync(vsix)) {
  const packaged = spawnSync(process.execPath, [join(root, 'scripts/package.mjs')], { cwd: root, stdio: 'inherit' });
  if (packaged.status !== 0) process.exit(1);
}

const started = Date.now();
const mocha = join(root, 'node_modules/mocha/bin/mocha.js');
const result = spawnSync(process.execPath, [mocha, '--config', 'test/e2e/mocharc.json', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MLFLOW_VSIX: vsix, MLFLOW_TEST_SUITE: 'e2e' },
});
console.log(`e2e suite finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(result.status ?? 1);
