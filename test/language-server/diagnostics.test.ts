// Diagnostics over the real protocol: didOpen/didChange → publishDiagnostics, for a table of documents,
// incremental edits, the debounce, untitled documents and neighbouring files (disk and open buffers).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, textAt } from './lspClient';

interface Expected {
  code: string;
  /** The text the diagnostic's range covers. */
  at: string;
}

interface Case {
  name: string;
  kind?: 'mlproject' | 'mlmodel';
  text: string;
  expected: Expected[];
}

const VALID = [
  'name: demo',
  'python_env: python_env.yaml',
  'entry_points:',
  '  main:',
  '    parameters:',
  '      alpha: {type: float, default: 0.1}',
  '    command: python train.py --alpha {alpha}',
  '',
].join('\n');

const CASES: Case[] = [
  { name: 'a valid project', text: VALID, expected: [] },
  {
    name: 'a placeholder naming no parameter',
    text: VALID.replace('--alpha {alpha}', '--alpha {alpha} --beta {beta}'),
    expected: [{ code: 'undeclared-placeholder', at: '{beta}' }],
  },
  {
    name: 'a misspelt top-level key',
    text: VALID.replace('entry_points:', 'entry_point:'),
    expected: [
      { code: 'unknown-key', at: 'entry_point' },
      { code: 'no-main-entry-point', at: 'name' },
    ],
  },
  {
    name: 'a missing environment file',
    text: VALID.replace('python_env.yaml', 'envs/missing.yaml'),
    expected: [{ code: 'environment-file-missing', at: 'envs/missing.yaml' }],
  },
  {
    name: 'two environments',
    text: `conda_env: conda.yaml\n${VALID}`,
    expected: [{ code: 'multiple-environments', at: 'python_env' }],
  },
  {
    name: 'an entry point without command',
    text: 'name: demo\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      a: float\n',
    expected: [{ code: 'command-missing', at: 'main' }],
  },
  {
    name: 'a shell variable in a command',
    text: 'name: demo\npython_env: python_env.yaml\nentry_points:\n  main:\n    command: echo ${HOME}\n',
    expected: [{ code: 'shell-variable', at: '{HOME}' }],
  },
  {
    name: 'an unused parameter',
    text: VALID.replace('      alpha:', '      unused: {type: string, default: x}\n      alpha:'),
    expected: [{ code: 'unused-parameter', at: 'unused' }],
  },
  {
    name: 'invalid YAML',
    text: 'name: demo\nentry_points:\n  main:\n    command: "python train.py\n',
    expected: [{ code: 'yaml-syntax', at: '' }],
  },
  {
    name: 'an MLmodel with an unquoted python_version and a bad signature type',
    kind: 'mlmodel',
    text: [
      'flavors:',
      '  python_function:',
      '    loader_module: mlflow.sklearn',
      '    python_version: 3.10',
      'signature:',
      `  inputs: '[{"type": "double", "name": "x"}]'`,
      `  outputs: '[{"type": "decimal"}]'`,
      '',
    ].join('\n'),
    expected: [
      { code: 'python-version-not-string', at: '3.10' },
      { code: 'signature-invalid', at: `'[{"type": "decimal"}]'` },
    ],
  },
];

describe('language server: diagnostics over the protocol', function () {
  let client: LspTestClient;
  let folder: string;
  let uriOf: (name: string) => string;
  let counter = 0;
  /** A fresh URI in the project folder for each document, named as MLflow expects. */
  const fresh = (kind: 'mlproject' | 'mlmodel' = 'mlproject') => uriOf(`case${++counter}/${kind === 'mlproject' ? 'MLproject' : 'MLmodel'}`);

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'mlflow-ls-diag-'));
    uriOf = (name) => pathToFileURL(join(folder, name)).toString();
    // Every case folder gets the neighbours a valid project needs.
    for (let i = 1; i <= 40; i++) {
      const dir = join(folder, `case${i}`);
      require('node:fs').mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'python_env.yaml'), 'python: "3.11"\ndependencies:\n  - mlflow\n');
      writeFileSync(join(dir, 'conda.yaml'), 'name: demo\ndependencies:\n  - python=3.11\n');
      writeFileSync(join(dir, 'train.py'), '');
    }
    client = await LspTestClient.start();
  });
  after(async () => {
    await client?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const summary = (text: string, diagnostics: Diagnostic[]) =>
    diagnostics.map((d) => ({ code: String(d.code), at: textAt(text, d.range) })).sort((a, b) => a.code.localeCompare(b.code));

  for (const c of CASES) {
    it(`on open: ${c.name}`, async () => {
      const uri = fresh(c.kind);
      const version = await client.open(uri, c.text, c.kind ?? 'mlproject');
      const published = await client.diagnostics(uri, version);
      const expected = [...c.expected].sort((a, b) => a.code.localeCompare(b.code));
      assert.deepEqual(summary(c.text, published.diagnostics), expected);
      for (const d of published.diagnostics) {
        assert.equal(d.source, 'mlflow');
        assert.ok(typeof d.message === 'string' && d.message.length > 10, JSON.stringify(d.message));
      }
    });
  }

  it('every diagnostic of the yaml-syntax case points at the line YAML reports', async () => {
    const uri = fresh();
    const text = 'name: demo\nentry_points:\n  main:\n    command: [python, {\n';
    await client.open(uri, text);
    const published = await client.diagnostics(uri, 1);
    assert.ok(published.diagnostics.length >= 1);
    assert.ok(
      published.diagnostics.every((d) => d.code === 'yaml-syntax' && d.range.start.line >= 3),
      JSON.stringify(published.diagnostics),
    );
  });

  it('follows incremental edits: an error appears and disappears with the text', async () => {
    const uri = fresh();
    await client.open(uri, VALID);
    assert.deepEqual((await client.diagnostics(uri, 1)).diagnostics, []);
    // Replace `{alpha}` (line 6) with `{alhpa}`.
    const line = 6;
    const start = VALID.split('\n')[line].indexOf('{alpha}') + 1;
    const v2 = await client.change(uri, [{ range: { start: { line, character: start }, end: { line, character: start + 5 } }, text: 'alhpa' }]);
    const second = await client.diagnostics(uri, v2);
    assert.deepEqual(second.diagnostics.map((d) => d.code).sort(), ['undeclared-placeholder', 'unused-parameter']);
    const v3 = await client.change(uri, [{ range: { start: { line, character: start }, end: { line, character: start + 5 } }, text: 'alpha' }]);
    assert.deepEqual((await client.diagnostics(uri, v3)).diagnostics, []);
  });

  it('debounces a burst of edits: only the last version is validated', async () => {
    const uri = fresh();
    await client.open(uri, VALID);
    await client.diagnostics(uri, 1);
    let last = 1;
    for (let i = 0; i < 5; i++) {
      last = await client.change(uri, [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, text: 'x' }]);
    }
    const result = await client.diagnostics(uri, last);
    assert.equal(result.version, last);
    const versions = (client.published.get(uri) ?? []).map((p) => p.version);
    assert.deepEqual(versions, [1, last], 'intermediate versions must not be validated');
  });

  it('validates untitled documents without checking files on disk', async () => {
    const uri = `untitled:Untitled-${Date.now()}`;
    const text = VALID.replace('python_env.yaml', 'nowhere.yaml').replace('{alpha}', '{alpha} {gamma}');
    await client.open(uri, text, 'mlproject');
    const published = await client.diagnostics(uri, 1);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['undeclared-placeholder'],
    );
  });

  it('prefers an open buffer over the disk for a neighbouring file', async () => {
    const uri = fresh();
    const text = VALID.replace('python_env.yaml', 'unsaved_env.yaml');
    await client.open(uri, text);
    assert.deepEqual(
      (await client.diagnostics(uri, 1)).diagnostics.map((d) => d.code),
      ['environment-file-missing'],
    );
    // The user creates the file in the editor without saving it.
    const envUri = uri.replace(/MLproject$/, 'unsaved_env.yaml');
    const before = client.published.get(uri)!.length;
    await client.open(envUri, 'python: "3.11"\ndependencies:\n  - mlflow\n', 'yaml');
    const deadline = Date.now() + 10000;
    while (client.published.get(uri)!.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const latest = client.published.get(uri)!.at(-1)!;
    assert.deepEqual(latest.diagnostics, []);
  });

  it('clears diagnostics when a document is closed', async () => {
    const uri = fresh();
    await client.open(uri, VALID.replace('{alpha}', '{nope}'));
    assert.ok((await client.diagnostics(uri, 1)).diagnostics.length > 0);
    const cleared = client.diagnostics(uri);
    await client.close(uri);
    assert.deepEqual((await cleared).diagnostics, []);
  });

  it('treats a yaml-language document by its file name (other editors send yaml)', async () => {
    const uri = uriOf(`case${++counter}/mlproject`);
    await client.open(uri, VALID.replace('{alpha}', '{beta}'), 'yaml');
    const published = await client.diagnostics(uri, 1);
    assert.ok(published.diagnostics.some((d) => d.code === 'undeclared-placeholder'));
  });
});
