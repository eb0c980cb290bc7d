// Bundles the extension, the language server, the linter CLI and the tracking library
// for Node (CommonJS, `vscode` external), and each webview for the browser.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodeEntries = {
  extension: 'src/extension/extension.ts',
  'language-server': 'src/language-server/server.ts',
  cli: 'src/cli/cli.ts',
  tracking: 'src/tracking/index.ts',
};

/** Webviews: every `src/webviews/<name>/main.ts` becomes `dist/webviews/<name>.js`. */
function webviewEntries() {
  const dir = join(root, 'src/webviews');
  if (!existsSync(dir)) return {};
  const entries = {};
  for (const name of readdirSync(dir)) {
    const main = join(dir, name, 'main.ts');
    if (existsSync(main)) entries[`webviews/${name}`] = main;
  }
  return entries;
}

// An entry that does not exist is an error: a renamed server.ts must not silently build no server.
const missing = Object.values(nodeEntries).filter((file) => !existsSync(join(root, file)));
if (missing.length > 0) {
  console.error(`build: entry file${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')} (renamed? update nodeEntries in scripts/build.mjs)`);
  process.exit(1);
}

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  absWorkingDir: root,
  outdir: join(root, 'dist'),
};

const nodeOptions = {
  ...common,
  entryPoints: Object.fromEntries(Object.entries(nodeEntries).filter(([name]) => name !== 'cli')),
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // pg's optional native binding (`pg.native`) is never used: the pure-JS driver is bundled.
  external: ['vscode', 'pg-native'],
  // sql.js looks for its wasm next to the bundle; it is copied there below. Run from source
  // (tests), the store falls back to require.resolve into node_modules, which the bundle never reaches.
  loader: { '.wasm': 'file' },
  logOverride: { 'require-resolve-not-external': 'silent' },
};

/**
 * uPlot builds a number formatter and reads the time zone when its module loads: the page's first
 * `Intl` use, which loads the locale's data (40-70 ms in a new webview), before the page can ask for
 * its data. Made lazy, the charts page never pays it on its default axes: it formats its numbers
 * without `Intl` (`formatCount`), and only a wall-time axis formats dates through it.
 * A uPlot whose source no longer has these lines fails the build here rather than going slow.
 */
const uplotLazyIntl = {
  name: 'uplot-lazy-intl',
  setup(build) {
    build.onLoad({ filter: /[\\/]uplot[\\/]dist[\\/]uPlot\.esm\.js$/ }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      const edits = [
        [
          "const numFormatter = new Intl.NumberFormat(domEnv ? nav.language : 'en-US');\nconst fmtNum = val => numFormatter.format(val);",
          "let numFormatter;\nconst fmtNum = val => (numFormatter ??= new Intl.NumberFormat(domEnv ? nav.language : 'en-US')).format(val);",
        ],
        ['const localTz = new Intl.DateTimeFormat().resolvedOptions().timeZone;', 'let localTz;'],
        ['else if (tz == localTz)', 'else if (tz == (localTz ??= new Intl.DateTimeFormat().resolvedOptions().timeZone))'],
      ];
      for (const [from, to] of edits) {
        if (!source.includes(from)) throw new Error(`uplot-lazy-intl: ${args.path} no longer has: ${from}`);
        source = source.replace(from, to);
      }
      return { contents: source, loader: 'js' };
    });
  },
};

const browserOptions = {
  ...common,
  entryPoints: webviewEntries(),
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  plugins: [uplotLazyIntl],
};

function copyAssets() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  // Without it the SQLite store cannot open in the packaged extension: fail here, not at a user's first mlflow.db.
  cpSync(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(root, 'dist/sql-wasm.wasm'));
}

copyAssets();
const configs = [nodeOptions];
// The linter CLI is an npm `bin`, so it is built on its own with a shebang line.
configs.push({ ...nodeOptions, entryPoints: { cli: nodeEntries.cli }, banner: { js: '#!/usr/bin/env node' } });
if (Object.keys(browserOptions.entryPoints).length > 0) configs.push(browserOptions);

if (watch) {
  for (const config of configs) {
    const ctx = await esbuild.context(config);
    await ctx.watch();
  }
} else {
  await Promise.all(configs.map((config) => esbuild.build(config)));
}
