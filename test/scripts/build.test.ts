// scripts/build.mjs run on a copy of the repository's layout: an entry file that is
// missing stops the build with its name, rather than silently building no bundle.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');
const ENTRIES = ['src/extension/extension.ts', 'src/language-server/server.ts', 'src/cli/cli.ts', 'src/tracking/index.ts'];

describe('scripts/build.mjs', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-build-'));
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.copyFileSync(path.join(repoRoot, 'scripts/build.mjs'), path.join(root, 'scripts/build.mjs'));
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
    for (const entry of ENTRIES) {
      fs.mkdirSync(path.dirname(path.join(root, entry)), { recursive: true });
      fs.writeFileSync(path.join(root, entry), `export const name = ${JSON.stringify(entry)};\n`);
    }
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const build = () => spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });

  it('builds every bundle, and the SQLite wasm beside them', () => {
    const result = build();
    assert.equal(result.status, 0, result.stderr);
    for (const bundle of ['extension.js', 'language-server.js', 'cli.js', 'tracking.js', 'sql-wasm.wasm']) {
      assert.ok(fs.existsSync(path.join(root, 'dist', bundle)), `dist/${bundle} was not built`);
    }
  });

  it('fails, naming the file, when an entry is missing (a renamed server.ts)', () => {
    fs.rmSync(path.join(root, 'src/language-server/server.ts'));
    const result = build();
    assert.equal(result.status, 1);
    assert.match(result.stderr, /entry file missing: src\/language-server\/server\.ts/);
    assert.ok(!fs.existsSync(path.join(root, 'dist/extension.js')), 'nothing is built from a partial set of entries');
  });
});
