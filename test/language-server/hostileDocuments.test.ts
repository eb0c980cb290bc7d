// Requests and documents that broke the server in the fault probe (issue 20), over the real LSP
// protocol: positions past the end, brackets nested 10,000 deep, completion on a 50 MB document.
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from './lspClient';

const PROJECT = 'name: demo\nentry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.1}\n    command: "python train.py {alpha}"\n';

describe('language server: hostile requests and documents', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  let logged = 0;

  before(async () => {
    client = await LspTestClient.start({ initializationOptions: { validationDelayMs: 0 } });
  });
  after(async () => {
    await client?.stop();
  });
  beforeEach(() => (logged = client.stderr.length));
  /** What the server logged as a failed handler since the test began. */
  const failures = () => client.stderr.slice(logged).filter((l) => / failed: /.test(l));

  describe('positions past the end (item 10)', () => {
    it('completion, hover and friends at a line past the end answer as at the end, without a failure inside', async () => {
      const uri = 'untitled:past-end/MLproject';
      await client.open(uri, PROJECT);
      await client.diagnostics(uri, 1);
      const textDocument = { uri };
      const lines = PROJECT.split('\n').length;
      for (const position of [
        { line: lines + 5, character: 0 },
        { line: lines + 50, character: 300 },
        { line: 2, character: 500 },
      ]) {
        const completion = await client.request<{ items: { label: string }[] } | null>('textDocument/completion', { textDocument, position });
        const atEnd = await client.request<{ items: { label: string }[] } | null>('textDocument/completion', {
          textDocument,
          position: position.line === 2 ? { line: 2, character: '  main:'.length } : { line: lines - 1, character: 0 },
        });
        assert.deepEqual(
          completion?.items.map((i) => i.label),
          atEnd?.items.map((i) => i.label),
          JSON.stringify(position),
        );
        for (const method of [
          'textDocument/hover',
          'textDocument/definition',
          'textDocument/references',
          'textDocument/prepareRename',
          'textDocument/documentHighlight',
        ]) {
          await client.request(method, { textDocument, position, context: { includeDeclaration: true } });
        }
      }
      // Top-level keys not yet present are offered at the end of the document.
      const end = await client.request<{ items: { label: string }[] }>('textDocument/completion', {
        textDocument,
        position: { line: lines + 5, character: 0 },
      });
      assert.ok(
        end.items.some((i) => i.label === 'python_env'),
        JSON.stringify(end.items.map((i) => i.label)),
      );
      assert.deepEqual(failures(), []);
    });
  });

  describe('brackets nested 10,000 deep (item 11)', () => {
    for (const [name, text, line] of [
      ['a list value', `${PROJECT}    extra: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, 6],
      ['flow mappings at the top', `${PROJECT}deep: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`, 6],
      ['an unclosed pile', `${PROJECT}deep: ${'['.repeat(10_000)}\n`, 6],
    ] as const) {
      it(`${name}: "nesting too deep" as a diagnostic, and the other features keep working`, async () => {
        const uri = `untitled:deep-${name.replace(/\W/g, '')}/MLproject`;
        await client.open(uri, text);
        const { diagnostics } = await client.diagnostics(uri, 1, 30_000);
        const deep = diagnostics.filter((d: Diagnostic) => d.code === 'nesting-too-deep');
        assert.equal(deep.length, 1, JSON.stringify(diagnostics));
        assert.equal(deep[0].range.start.line, line);
        assert.match(String(deep[0].message), /nested more than 300 levels deep/);
        assert.deepEqual(
          diagnostics.filter((d) => d.code === 'internal-error' || /stack/i.test(String(d.message))),
          [],
        );
        const textDocument = { uri };
        const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument, position: { line: 1, character: 3 } });
        assert.match(hover!.contents.value, /entry_points/i);
        const symbols = await client.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument });
        assert.ok(
          symbols.some((s) => s.name === 'entry_points'),
          JSON.stringify(symbols.map((s) => s.name)),
        );
        const completion = await client.request<{ items: { label: string }[] }>('textDocument/completion', {
          textDocument,
          position: { line: 4, character: 21 },
        });
        assert.ok(
          completion.items.some((i) => i.label === 'float'),
          JSON.stringify(completion?.items.map((i) => i.label)),
        );
        assert.deepEqual(failures(), []);
      });
    }

    it('nesting MLflow can read (100 deep) is not reported', async () => {
      const uri = 'untitled:deep-ok/MLproject';
      await client.open(uri, `${PROJECT}    extra: ${'['.repeat(100)}${']'.repeat(100)}\n`);
      const { diagnostics } = await client.diagnostics(uri, 1, 30_000);
      assert.deepEqual(
        diagnostics.filter((d) => d.code === 'nesting-too-deep'),
        [],
      );
    });
  });

  describe('completion on a 50 MB document right after typing (item 12)', () => {
    it('answers from the text around the cursor after edits in its middle and at its end, without waiting for a parse of the whole document', async function () {
      this.timeout(180_000);
      // The editor's default debounce: completion requests arrive right after each keystroke.
      const editor = await LspTestClient.start();
      try {
        const parts = ['name: big', 'python_env: python_env.yaml', 'entry_points:'];
        let size = 0;
        for (let i = 0; size < 50 * 1024 * 1024; i++) {
          const block = `  step_${i}:\n    parameters:\n      alpha: {type: float, default: 0.1}\n      data: {type: path, default: data_${i}.csv}\n    command: "python train.py --alpha {alpha} --data {data} --step ${i}"`;
          parts.push(block);
          size += block.length + 1;
        }
        let lastLine = parts.length + (parts.length - 3) * 4;
        const uri = 'untitled:huge/MLproject';
        await editor.open(uri, `${parts.join('\n')}\n`);
        parts.length = 0;
        const textDocument = { uri };
        type Items = { items: { label: string; textEdit?: { range: { start: { line: number } } } }[] };
        const labels = (list: Items) => list.items.map((i) => i.label).sort();
        const insert = (line: number, character: number, text: string) =>
          editor.change(uri, [{ range: { start: { line, character }, end: { line, character } }, text }]);
        // Placeholders of the entry point the cursor is in, at the start of the document.
        const early = await editor.request<Items>('textDocument/completion', { textDocument, position: { line: 7, character: 39 } });
        assert.deepEqual(labels(early), ['alpha', 'data']);

        // In the middle (25 MB down): a parameter added to step_100000, then a placeholder in its command.
        const middle = 3 + 100_000 * 5;
        await insert(middle + 2, 0, '      gamma: {type: int, default: 1}\n');
        lastLine++;
        const command = await editor.request<Items>('textDocument/completion', { textDocument, position: { line: middle + 5, character: 39 } });
        assert.deepEqual(labels(command), ['alpha', 'data', 'gamma']);
        // The next entry point did not get it.
        const next = await editor.request<Items>('textDocument/completion', { textDocument, position: { line: middle + 10, character: 39 } });
        assert.deepEqual(labels(next), ['alpha', 'data']);

        // A new parameter typed at the end, 50 MB below `entry_points:`: `      b: {type: f`, completion after each character.
        let line = '      b: {type: ';
        await insert(lastLine, 0, `    parameters:\n${line}`);
        for (const ch of 'fl') {
          await insert(lastLine + 1, line.length, ch);
          line += ch;
          const completion = await editor.request<Items>('textDocument/completion', { textDocument, position: { line: lastLine + 1, character: line.length } });
          const float = completion.items.find((i) => i.label === 'float');
          assert.ok(float, JSON.stringify(labels(completion)));
          assert.equal(float.textEdit?.range.start.line, lastLine + 1);
        }
        // A top-level key typed on a new last line: the keys the document has are not offered again.
        await insert(lastLine + 1, line.length, '\nd');
        const topLevel = labels(await editor.request<Items>('textDocument/completion', { textDocument, position: { line: lastLine + 2, character: 1 } }));
        assert.ok(topLevel.includes('docker_env'), JSON.stringify(topLevel));
        for (const present of ['name', 'entry_points', 'python_env']) assert.ok(!topLevel.includes(present), JSON.stringify(topLevel));

        // Answered before the worker got through even the first full parse (it publishes after that).
        assert.equal(editor.published.get(uri), undefined, 'completion waited for a whole-document parse');
        assert.deepEqual(
          editor.stderr.filter((l) => / failed: /.test(l)),
          [],
        );
      } finally {
        await editor.stop();
      }
    });
  });
});
