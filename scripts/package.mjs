// Builds the production bundles and packs them into <name>-<version>.vsix with
// @vscode/vsce, offline, and prints its size. esbuild already bundled every
// dependency, so vsce does not walk node_modules (--no-dependencies).
//
// vsce lists every file under its folder before applying .vscodeignore, which
// takes minutes next to large generated data (bench/.data). So it runs in a
// staging folder holding only the top-level entries .vscodeignore lets through.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, `${manifest.name}-${manifest.version}.vsix`);

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

run(process.execPath, [join(root, 'scripts/build.mjs'), '--production'], root);

// The first path segment of every `!` line of .vscodeignore: what may ship.
const ignoreFile = readFileSync(join(root, '.vscodeignore'), 'utf8');
const shipped = new Set(
  ignoreFile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).split('/')[0]),
);
const staging = mkdtempSync(join(tmpdir(), 'vscode-mlflow-package-'));
try {
  for (const entry of ['.vscodeignore', ...shipped]) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(staging, entry), { recursive: true });
  }
  const vsce = join(root, 'node_modules/@vscode/vsce/vsce');
  // README links are relative to the repository; the manifest's repository URL is
  // not a real host yet, so vsce must not rewrite them against it.
  const args = [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out];
  if (!shipped.has('LICENSE') || !existsSync(join(root, 'LICENSE'))) {
    if (!existsSync(join(root, 'LICENSE.txt'))) args.push('--skip-license');
  }
  run(process.execPath, args, staging);
} finally {
  rmSync(staging, { recursive: true, force: true });
}

const bytes = statSync(out).size;
console.log(`${out}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`);
