// Random and mutated documents (fixed seed, thousands of cases) never crash or hang the server, and
// every answer stays inside the document; a 5 MB file leaves the server answering other documents.
import * as assert from 'node:assert/strict';
import type { Position, Range } from 'vscode-languageserver-protocol';
import { LspTestClient } from './lspClient';
import { seededRandom } from '../helpers/seededRandom';

const MLPROJECT_SEEDS = [
  'name: demo\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.1}\n      data: path\n    command: "python train.py --alpha {alpha} --data {data}"\n  eval:\n    command: |\n      python eval.py\n        --x {x:.2f} ${HOME} {{literal}}\n',
  'docker_env:\n  image: "repo/img:1.0"\n  volumes: ["/a:/b"]\n  environment: [["A", "1"], "B"]\nentry_points:\n  main:\n    parameters:\n      n: {type:int, default:10}\n      "quoted": {type: uri, default: s3://b/k}\n    command: >-\n      python a.py {n}\n      {quoted!r} {}\n',
  'conda_env: conda.yaml\nentry_points:\n  main: python x.py\n  other:\n    parameters: [a, b]\n    command: null\n  third:\n    parameters:\n      a:\n        type: string\n        default: ~\n        description: x\n    command: echo {a} {a.b} {a[0]} }\n',
];
const MLMODEL_SEEDS = [
  'artifact_path: model\nflavors:\n  python_function:\n    env:\n      conda: conda.yaml\n      virtualenv: python_env.yaml\n    loader_module: mlflow.sklearn\n    model_path: model.pkl\n    python_version: 3.10.12\n  sklearn:\n    pickled_model: model.pkl\n    serialization_format: cloudpickle\n    sklearn_version: 1.3.0\nmlflow_version: 2.9.2\nmodel_uuid: 0123\nsignature:\n  inputs: \'[{"type": "double", "name": "x"}, {"type": "array", "items": {"type": "string"}, "name": "tags"}]\'\n  outputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}}]\'\n  params: \'[{"name": "t", "type": "float", "default": 0.5, "shape": null}]\'\nsaved_input_example_info:\n  artifact_path: input_example.json\n  type: dataframe\n  pandas_orient: split\nutc_time_created: \'2024-01-01 00:00:00.000000\'\n',
];
const FRAGMENTS = [
  '{',
  '}',
  '{{',
  '}}',
  ':',
  ': ',
  '- ',
  '"',
  "'",
  '|',
  '>',
  '\n',
  '  ',
  '\t',
  '#',
  '[',
  ']',
  ',',
  '&a ',
  '*a',
  '!!str ',
  '? ',
  '---\n',
  '...\n',
  '\r\n',
  '${X}',
  '{alpha}',
  'type: ',
  'entry_points:\n',
  'parameters:',
  'command: ',
  '😀',
  '\u0000',
  '\\',
  '%YAML 1.2\n',
  '<<: *a\n',
  'flavors:',
  'signature:',
  '"[{\\"type\\"',
  '}]',
  '\ufeff',
];

function mutate(text: string, next: () => number): string {
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const at = () => Math.floor(next() * (text.length + 1));
  const steps = 1 + Math.floor(next() * 4);
  for (let s = 0; s < steps; s++) {
    const op = Math.floor(next() * 7);
    if (op === 0) {
      const a = at();
      text = text.slice(0, a) + text.slice(a + Math.floor(next() * 12));
    } else if (op === 1) {
      const a = at();
      text = text.slice(0, a) + pick(FRAGMENTS) + text.slice(a);
    } else if (op === 2 || op === 3) {
      const lines = text.split('\n');
      const i = Math.floor(next() * lines.length);
      if (op === 2) lines.splice(i, 0, lines[Math.floor(next() * lines.length)]);
      else lines[i] = ' '.repeat(Math.floor(next() * 8)) + lines[i].trimStart();
      text = lines.join('\n');
    } else if (op === 4) {
      const lines = text.split('\n');
      lines.splice(Math.floor(next() * lines.length), 1);
      text = lines.join('\n');
    } else if (op === 5) {
      const a = at();
      text = text.slice(0, a) + String.fromCharCode(Math.floor(next() * 0x3000)) + text.slice(a);
    } else {
      // Cut the document short, as a half-saved or half-typed file would be.
      text = text.slice(0, at());
    }
  }
  return text;
}

/** A document made of random fragments only. */
function noise(next: () => number): string {
  let text = '';
  const n = Math.floor(next() * 40);
  for (let i = 0; i < n; i++) text += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] + (next() < 0.3 ? 'word' : '');
  return text;
}

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

function assertInside(text: string, range: Range, what: string): void {
  const lines = lineCount(text);
  assert.ok(range.start.line >= 0 && range.end.line < lines + 1, `${what}: ${JSON.stringify(range)} outside ${lines} lines`);
  assert.ok(
    range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character),
    `${what}: inverted range ${JSON.stringify(range)}`,
  );
}

describe('language server: robustness', function () {
  this.timeout(240000);
  let client: LspTestClient;

  before(async () => {
    // No debounce: every version is validated, so the rules see every mutated document too.
    client = await LspTestClient.start({ initializationOptions: { validationDelayMs: 0 } });
  });
  after(async () => {
    await client?.stop();
  });

  async function exercise(uri: string, text: string, version: number, next: () => number): Promise<void> {
    const lines = text.split(/\r\n|\r|\n/);
    const randomPosition = (): Position => {
      const line = Math.floor(next() * (lines.length + 1));
      return { line, character: Math.floor(next() * ((lines[line] ?? '').length + 2)) };
    };
    const textDocument = { uri };
    const whole = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
    const results = await Promise.all([
      client.request('textDocument/completion', { textDocument, position: randomPosition() }),
      client.request('textDocument/hover', { textDocument, position: randomPosition() }),
      client.request('textDocument/definition', { textDocument, position: randomPosition() }),
      client.request('textDocument/references', { textDocument, position: randomPosition(), context: { includeDeclaration: true } }),
      client.request('textDocument/prepareRename', { textDocument, position: randomPosition() }),
      client.request('textDocument/rename', { textDocument, position: randomPosition(), newName: 'renamed' }),
      client.request('textDocument/documentSymbol', { textDocument }),
      client.request('textDocument/foldingRange', { textDocument }),
      client.request('textDocument/codeLens', { textDocument }),
      client.request('textDocument/codeAction', { textDocument, range: whole, context: { diagnostics: [] } }),
    ]);
    const [, hover, definition, references, , , symbols, , lenses] = results as unknown as [
      unknown,
      { range?: Range } | null,
      { range: Range }[],
      { range: Range }[],
      unknown,
      unknown,
      { range: Range; selectionRange: Range; name: string }[],
      unknown,
      { range: Range }[],
    ];
    if (hover?.range) assertInside(text, hover.range, 'hover');
    for (const l of [...definition, ...references, ...lenses]) assertInside(text, l.range, 'location');
    for (const s of symbols) {
      assertInside(text, s.range, 'symbol');
      assert.ok(s.name.length > 0);
    }
    const published = await client.diagnostics(uri, version, 20000);
    for (const d of published.diagnostics) assertInside(text, d.range, `diagnostic ${d.code}`);
  }

  for (const [kind, seeds, cases, seed] of [
    ['mlproject', MLPROJECT_SEEDS, 2000, 0x5eed],
    ['mlmodel', MLMODEL_SEEDS, 1000, 0xbeef],
  ] as const) {
    it(`survives ${cases} mutated and random ${kind} documents (seed ${seed})`, async () => {
      const next = seededRandom(seed);
      const uri = `untitled:fuzz-${kind}`;
      await client.open(uri, seeds[0], kind);
      await client.diagnostics(uri, 1);
      let version: number;
      // The first input for each distinct internal error, so one bug does not hide the next.
      const reproducers = new Map<string, string>();
      for (let i = 0; i < cases; i++) {
        const text = next() < 0.1 ? noise(next) : mutate(seeds[Math.floor(next() * seeds.length)], next);
        version = await client.change(uri, [{ text }]);
        const logged = client.stderr.length;
        try {
          await exercise(uri, text, version, next);
        } catch (error) {
          throw new Error(`case ${i} failed for ${JSON.stringify(text)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        for (const line of client.stderr.slice(logged)) {
          const failure = / failed: (.*)/.exec(line);
          if (failure && !reproducers.has(failure[1])) reproducers.set(failure[1], text);
        }
      }
      assert.ok(client.alive, 'the server exited');
      assert.deepEqual(
        [...reproducers].map(([error, text]) => `${error} <- ${JSON.stringify(text)}`),
        [],
        'a handler or rule threw',
      );
    });
  }

  it('stays responsive with a 5 MB MLproject open', async () => {
    const parts = ['name: big', 'python_env: python_env.yaml', 'entry_points:'];
    let size = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const block = `  step_${i}:\n    parameters:\n      alpha: {type: float, default: 0.1}\n      data: {type: path, default: data_${i}.csv}\n    command: "python train.py --alpha {alpha} --data {data} --step ${i}"`;
      parts.push(block);
      size += block.length + 1;
    }
    const big = parts.join('\n') + '\n';
    const bigUri = 'untitled:big/MLproject';
    await client.open(bigUri, big, 'mlproject');
    // Another document is served while the big one is open.
    const smallUri = 'untitled:small/MLproject';
    await client.open(smallUri, 'entry_points:\n  main:\n    parameters: {a: float}\n    command: python a.py {a} {b}\n', 'mlproject');
    const small = await client.diagnostics(smallUri, 1, 60000);
    assert.deepEqual(
      small.diagnostics.map((d) => d.code),
      ['undeclared-placeholder'],
    );
    const completion = await client.request<{ items: { label: string }[] }>('textDocument/completion', {
      textDocument: { uri: smallUri },
      position: { line: 2, character: 19 },
    });
    assert.ok(completion.items.some((i) => i.label === 'float'));
    // The small document was answered while the big one was still being checked.
    assert.equal(client.published.get(bigUri), undefined, 'the big document was checked before the small one was served');
    const bigDiagnostics = await client.diagnostics(bigUri, 1, 120000);
    // data_<i>.csv defaults are not checked for untitled documents, and everything else is valid.
    assert.deepEqual(
      bigDiagnostics.diagnostics.filter((d) => d.severity === 1),
      [],
    );
    // An edit at the end of the big file, then requests on it.
    const lastLine = big.split('\n').length - 1;
    const v2 = await client.change(bigUri, [
      { range: { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: 0 } }, text: '  extra:\n    command: python x.py {nope}\n' },
    ]);
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: bigUri },
      position: { line: 1, character: 3 },
    });
    assert.match(hover!.contents.value, /python_env/);
    const after = await client.diagnostics(bigUri, v2, 120000);
    assert.deepEqual(
      after.diagnostics.filter((d) => d.severity === 1).map((d) => d.code),
      ['undeclared-placeholder'],
    );
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: bigUri } });
    assert.equal(symbols.length, 3);
  });
});
