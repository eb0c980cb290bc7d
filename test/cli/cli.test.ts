// The `mlflow-lint` CLI, run as a real process from a bundle built like scripts/build.mjs builds dist/cli.js.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.join(__dirname, '../..');
const CORPUS = path.join(ROOT, 'test/fixtures/corpus');
const VALID_PROJECT = path.join(CORPUS, 'mlproject/mlflow__mlflow-torchserve__examples__E2EBert__MLproject/MLproject');
const BAD_PROJECT = path.join(CORPUS, 'mlproject/rajagurunath__ETML__mlflow__MLproject/MLproject');
const BAD_MODEL = path.join(CORPUS, 'mlmodel/Azure__azureml-examples__sdk__python__endpoints__online__mlflow__sklearn-diabetes__model__MLmodel/MLmodel');

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

describe('mlflow-lint CLI', function () {
  this.timeout(60_000);
  let work: string;
  let cli: string;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'mlflow-lint-'));
    cli = path.join(work, 'cli.js');
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'src/cli/cli.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: cli,
      banner: { js: '#!/usr/bin/env node' },
      logLevel: 'silent',
    });
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: work });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('starts with a shebang so npm can link it as a bin', () => {
    assert.match(readFileSync(cli, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  it('exits 0 on files without errors, printing warnings in text form', () => {
    const { status, stdout, stderr } = run('lint', VALID_PROJECT);
    assert.equal(stderr, '');
    assert.equal(status, 0);
    assert.match(stdout, /MLproject:12:\d+: warning \[malformed-parameter-key\] 'type str' is read as one key/);
    assert.match(stdout, /1 file checked: 0 errors, 2 warnings, \d+ notes\.\n$/);
  });

  it('exits 1 when a file has errors', () => {
    const { status, stdout } = run('lint', BAD_PROJECT, BAD_MODEL);
    assert.equal(status, 1);
    assert.match(stdout, /MLproject:3:\d+: error \[environment-file-missing\]/);
    assert.match(stdout, /MLmodel:10:\d+: error \[python-version-not-string\]/);
    assert.match(stdout, /2 files checked: 2 errors/);
  });

  it('prints JSON findings with 0-based LSP ranges', () => {
    const { status, stdout } = run('lint', '--format', 'json', BAD_MODEL);
    assert.equal(status, 1);
    const findings = JSON.parse(stdout) as JsonFinding[];
    assert.ok(Array.isArray(findings));
    const error = findings.find((f) => f.code === 'python-version-not-string')!;
    assert.deepEqual(Object.keys(error).sort(), ['code', 'file', 'message', 'range', 'severity']);
    assert.equal(error.file, BAD_MODEL);
    assert.equal(error.severity, 'error');
    // Line 10 of the file is `  python_version: 3.10`: 0-based line 9, the value after the key.
    const line = readFileSync(BAD_MODEL, 'utf8').split('\n')[9];
    assert.equal(line.slice(error.range.start.character, error.range.end.character), '3.10');
    assert.deepEqual([error.range.start.line, error.range.end.line], [9, 9]);
    for (const f of findings) assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity));
  });

  it('prints an empty JSON array and exits 0 for a clean file', () => {
    const dir = path.join(work, 'clean');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'MLproject'),
      'name: x\nentry_points:\n  main:\n    parameters:\n      a: {type: float, default: 1}\n    command: "python t.py {a}"\n',
    );
    writeFileSync(path.join(dir, 't.py'), '');
    const { status, stdout } = run('lint', '--format=json', path.join(dir, 'MLproject'));
    assert.equal(status, 0);
    assert.deepEqual(JSON.parse(stdout), []);
  });

  it('searches a directory for MLproject and MLmodel files', () => {
    const { status, stdout } = run('lint', '--format', 'json', path.join(CORPUS, 'mlmodel'));
    assert.equal(status, 1);
    const files = new Set((JSON.parse(stdout) as JsonFinding[]).map((f) => f.file));
    assert.ok([...files].every((f) => f.endsWith('MLmodel')));
    assert.ok(files.has(BAD_MODEL));
    const text = run('lint', path.join(CORPUS, 'mlmodel')).stdout;
    assert.match(text, /36 files checked/);
  });

  it('lints a file with another name when --kind is given', () => {
    const file = path.join(work, 'project.yaml');
    writeFileSync(file, 'entry_points:\n  main:\n    command: "python t.py {missing}"\n');
    assert.equal(run('lint', file).status, 2);
    const { status, stdout } = run('lint', '--kind', 'mlproject', file);
    assert.equal(status, 1);
    assert.match(stdout, /project\.yaml:3:27: error \[undeclared-placeholder\]/);
  });

  it('exits 2 on usage errors, with a message on stderr', () => {
    for (const args of [
      [],
      ['lint'],
      ['lint', '--format', 'xml', VALID_PROJECT],
      ['lint', '--bogus', VALID_PROJECT],
      ['frobnicate'],
      ['lint', path.join(work, 'nope', 'MLproject')],
    ]) {
      const { status, stderr, stdout } = run(...args);
      assert.equal(status, 2, `args ${JSON.stringify(args)}`);
      assert.match(stderr, /^mlflow-lint: /);
      assert.equal(stdout, '');
    }
  });

  it('says a FIFO named MLproject is not a regular file (given, or found in a folder), without reading it', () => {
    const dir = path.join(work, 'fifo');
    mkdirSync(dir);
    const fifo = path.join(dir, 'MLproject');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    for (const target of [fifo, dir]) {
      const { status, stderr, stdout } = run('lint', target);
      assert.equal(status, 2, target);
      assert.equal(stdout, '');
      assert.match(stderr, /^mlflow-lint: '.*fifo\/MLproject' is not a regular file.*\(a named pipe\)\n$/);
      assert.doesNotMatch(stderr, /ENOTDIR|scandir/);
    }
  });

  it('reports brackets nested 10,000 deep as nesting-too-deep (exit 1), not "cannot read: Maximum call stack"', () => {
    const dir = path.join(work, 'deep');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'MLproject'),
      `name: x\nentry_points:\n  main:\n    command: python a.py\n    extra: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
    );
    const { status, stdout, stderr } = run('lint', path.join(dir, 'MLproject'));
    assert.equal(stderr, '');
    assert.equal(status, 1);
    assert.match(stdout, /MLproject:5:312: error \[nesting-too-deep\] Brackets nested more than 300 levels deep/);
  });

  it('prints help and exits 0', () => {
    const { status, stdout } = run('lint', '--help');
    assert.equal(status, 0);
    assert.match(stdout, /Usage: mlflow-lint lint/);
  });
});
