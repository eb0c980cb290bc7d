// The bundled server runs on its own, as Neovim, Helix or Emacs start it: `node language-server.js --stdio`.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleServer, LspTestClient } from './lspClient';

describe('language server: standalone bundle', function () {
  let dir: string;
  let bundle: string;
  let client: LspTestClient | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlflow-ls-bundle-'));
    bundle = join(dir, 'language-server.js');
    await bundleServer(bundle);
  });
  // Each test starts its own server, so either passes alone and in any order.
  beforeEach(async () => {
    client = await LspTestClient.start({ serverScript: bundle });
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('does not need the vscode module', () => {
    assert.doesNotMatch(readFileSync(bundle, 'utf8'), /require\(["']vscode["']\)/);
  });

  it('answers initialize with its capabilities and publishes diagnostics over --stdio', async () => {
    const capabilities = client!.initializeResult!.capabilities;
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
    for (const provider of [
      'completionProvider',
      'hoverProvider',
      'definitionProvider',
      'referencesProvider',
      'renameProvider',
      'documentSymbolProvider',
      'foldingRangeProvider',
      'codeActionProvider',
      'codeLensProvider',
      'documentHighlightProvider',
      'documentLinkProvider',
    ]) {
      assert.ok(capabilities[provider], provider);
    }
    const uri = 'untitled:MLproject';
    await client!.open(uri, 'entry_points:\n  main:\n    command: python a.py {x}\n', 'mlproject');
    const published = await client!.diagnostics(uri, 1);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['undeclared-placeholder'],
    );
  });

  it('hands a large document to its analysis worker (the bundle loads itself as the worker)', async function () {
    // Waits up to 60 s for the worker's diagnostics below; mocha's default 20 s cut it short on a busy machine.
    this.timeout(90_000);
    const blocks = ['entry_points:'];
    for (let i = 0; blocks.join('\n').length < 400 * 1024; i++) blocks.push(`  step_${i}:\n    parameters: {a: float}\n    command: python a.py {a}`);
    blocks.push('  broken:\n    command: python b.py {missing}');
    mkdirSync(join(dir, 'large'));
    writeFileSync(join(dir, 'large', 'a.py'), '');
    const uri = pathToFileURL(join(dir, 'large', 'MLproject')).toString();
    await client!.open(uri, blocks.join('\n') + '\n', 'mlproject');
    const published = await client!.diagnostics(uri, 1, 60000);
    assert.deepEqual(
      published.diagnostics.filter((d) => d.severity === 1).map((d) => d.code),
      ['undeclared-placeholder'],
    );
    const symbols = await client!.request<{ children?: unknown[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols[0].children!.length, blocks.length - 1);
    // The worker checks the files beside the document too: a.py exists and is linked, b.py does not.
    const links = await client!.request<{ target: string }[]>('textDocument/documentLink', { textDocument: { uri } });
    assert.equal(links.length, blocks.length - 2);
    assert.ok(links.every((l) => l.target === pathToFileURL(join(dir, 'large', 'a.py')).toString()));
    assert.deepEqual(
      published.diagnostics.filter((d) => d.code === 'command-script-missing').map((d) => d.range.start.line),
      [blocks.join('\n').split('\n').length - 1],
    );
    assert.equal(client!.stderr.filter((line) => /failed|stopped/.test(line)).length, 0, client!.stderr.join(''));
  });
});
