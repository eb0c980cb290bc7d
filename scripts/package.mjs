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

/** Relative image paths of a markdown text (`![alt](docs/images/x.png)`); links to pages are not images. */
function readmeImages(markdown) {
  const images = new Set();
  for (const match of markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(match[1])) images.add(match[1].replace(/^\.\//, ''));
  }
  return images;
}

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
    if (entry === 'docs') continue; // only the images README shows, below
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(staging, entry), { recursive: true });
  }
  // The tracking library bundle is for scripts and benchmarks run from the repository; the extension
  // bundles its own copy. (A .vscodeignore line cannot drop it: any `!` line that matches wins.)
  rmSync(join(staging, 'dist/tracking.js'), { force: true });
  // The extension page renders README.md from the installed folder, relative links and all:
  // every image it shows ships, and one that is missing stops the packaging.
  for (const image of readmeImages(readFileSync(join(root, 'README.md'), 'utf8'))) {
    if (!existsSync(join(root, image))) {
      console.error(`README.md shows ${image}, which does not exist`);
      process.exit(1);
    }
    cpSync(join(root, image), join(staging, image));
  }
  const vsce = join(root, 'node_modules/@vscode/vsce/vsce');
  // README links are relative to the repository; the manifest's repository URL is
  // not a real host yet, so vsce must not rewrite them against it. The images ship
  // (above), so the extension page shows them from the installed folder.
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
