// Completion, hover, definition, references, rename, code actions, code lenses, symbols and folding,
// over the real protocol. Test documents mark the cursor with ‸ (see parseMarked).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  CompletionList,
  DocumentHighlight,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  MarkupContent,
  Position,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { parseMarked } from '../helpers/markedDocument';
import { LspTestClient, applyEdits, textAt } from './lspClient';

describe('language server: features over the protocol', function () {
  let client: LspTestClient;
  let folder: string;
  let counter = 0;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'mlflow-ls-features-'));
    client = await LspTestClient.start();
  });
  after(async () => {
    await client?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Opens `marked` as a new document (in its own folder, with `files` beside it) and returns where the cursors are. */
  async function open(marked: string, kind: 'mlproject' | 'mlmodel' = 'mlproject', files: Record<string, string> = {}) {
    const { text, positions } = parseMarked(marked);
    const dir = join(folder, `doc${++counter}`);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    const uri = pathToFileURL(join(dir, kind === 'mlproject' ? 'MLproject' : 'MLmodel')).toString();
    await client.open(uri, text, kind);
    return { uri, text, positions, at: positions[0] };
  }

  async function complete(marked: string, kind: 'mlproject' | 'mlmodel' = 'mlproject', files: Record<string, string> = {}) {
    const doc = await open(marked, kind, files);
    const result = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri: doc.uri },
      position: doc.at,
    });
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    return { ...doc, items, labels: items.map((i) => i.label) };
  }

  async function hoverAt(marked: string, kind: 'mlproject' | 'mlmodel' = 'mlproject') {
    const doc = await open(marked, kind);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: doc.uri }, position: doc.at });
    return { ...doc, hover, value: hover ? (hover.contents as MarkupContent).value : '' };
  }

  const PROJECT = [
    'name: demo',
    'entry_points:',
    '  main:',
    '    parameters:',
    '      alpha: {type: float, default: 0.5}',
    '      data: path',
    '    command: "python train.py --alpha {alpha} --data {data} --again {alpha:.2f}"',
    '  evaluate:',
    '    parameters:',
    '      alpha: {type: string, default: x}',
    '    command: python eval.py {alpha}',
    '',
  ].join('\n');

  describe('completion', () => {
    it('offers the top-level keys not yet present, with documentation and a link', async () => {
      const { labels, items } = await complete('name: demo\n‸\nentry_points:\n  main:\n    command: x\n');
      assert.deepEqual([...labels].sort(), ['conda_env', 'databricks_spark_job', 'docker_env', 'python_env']);
      const conda = items.find((i) => i.label === 'conda_env')!;
      assert.match((conda.documentation as MarkupContent).value, /Conda environment/);
      assert.match((conda.documentation as MarkupContent).value, /\(https:\/\/mlflow\.org\/docs\//);
    });

    it('offers docker_env keys inside docker_env, and entry point keys inside an entry point', async () => {
      assert.deepEqual((await complete('docker_env:\n  image: x\n  ‸\n')).labels.sort(), ['environment', 'volumes']);
      assert.deepEqual((await complete('entry_points:\n  main:\n    ‸\n')).labels.sort(), ['command', 'parameters']);
    });

    it('offers parameter keys in block and flow mappings', async () => {
      assert.deepEqual((await complete('entry_points:\n  main:\n    parameters:\n      alpha:\n        ‸\n')).labels.sort(), ['default', 'type']);
      assert.deepEqual((await complete('entry_points:\n  main:\n    parameters:\n      alpha: {type: float, ‸}\n')).labels, ['default']);
    });

    for (const [where, marked] of [
      ['a flow mapping', 'entry_points:\n  main:\n    parameters:\n      alpha: {type: fl‸}\n'],
      ['a block mapping', 'entry_points:\n  main:\n    parameters:\n      alpha:\n        type: ‸\n'],
      ['the short form', 'entry_points:\n  main:\n    parameters:\n      alpha: ‸\n'],
      ['the short form in a flow mapping', 'entry_points:\n  main:\n    parameters: {alpha: ‸}\n'],
    ] as const) {
      it(`offers parameter types in ${where}`, async () => {
        const { labels, items, at } = await complete(marked);
        assert.deepEqual(labels, ['string', 'float', 'path', 'uri']);
        const float = items.find((i) => i.label === 'float')!;
        const edit = float.textEdit as TextEdit;
        assert.equal(edit.range.end.character, at.character);
        assert.match((float.documentation as MarkupContent).value, /number/);
      });
    }

    for (const [where, marked, expected] of [
      ['a block value', 'entry_points:\n  main:\n    parameters:\n      alpha:‸\n', '      alpha: float'],
      ['a flow mapping', 'entry_points:\n  main:\n    parameters:\n      alpha: {type:‸}\n', '      alpha: {type: float}'],
      ['a flow mapping, with a prefix', 'entry_points:\n  main:\n    parameters:\n      alpha: {type:fl‸}\n', '      alpha: {type: float}'],
    ] as const) {
      it(`separates a value completed right after the colon from its key in ${where}`, async () => {
        const { items, text } = await complete(marked);
        const float = items.find((i) => i.label === 'float');
        assert.ok(float, `float offered: ${items.map((i) => i.label).join(', ')}`);
        const edited = applyEdits(text, [float.textEdit as TextEdit]);
        assert.equal(edited.split('\n')[3], expected);
      });
    }

    it('separates a file completed right after python_env: from the key', async () => {
      const { items, text } = await complete('python_env:‸\nentry_points:\n  main:\n    command: x\n', 'mlproject', { 'python_env.yaml': 'python: "3.11"\n' });
      const file = items.find((i) => i.label === 'python_env.yaml');
      assert.ok(file, `python_env.yaml offered: ${items.map((i) => i.label).join(', ')}`);
      assert.equal(applyEdits(text, [file.textEdit as TextEdit]).split('\n')[0], 'python_env: python_env.yaml');
    });

    it('offers the entry point’s parameters after { in a command, closing the brace', async () => {
      const { items, text, at } = await complete(
        'entry_points:\n  main:\n    parameters:\n      alpha: float\n      beta: {type: path, default: data.csv}\n    command: python a.py --alpha {al‸\n  other:\n    parameters: {zeta: float}\n    command: x\n',
      );
      assert.deepEqual(
        items.map((i) => i.label),
        ['alpha', 'beta'],
      );
      assert.equal(items[0].detail, 'float (required)');
      assert.equal(items[1].detail, 'path = data.csv');
      const edited = applyEdits(text, [items[0].textEdit as TextEdit]);
      assert.ok(edited.includes('--alpha {alpha}\n'), edited);
      assert.equal((items[0].textEdit as TextEdit).range.start.character, at.character - 2);
    });

    it('does not add a closing brace that is already there, and offers nothing after an escaped {{', async () => {
      const { items } = await complete('entry_points:\n  main:\n    parameters: {alpha: float}\n    command: "python a.py {‸}"\n');
      assert.equal((items[0].textEdit as TextEdit).newText, 'alpha');
      assert.deepEqual((await complete('entry_points:\n  main:\n    parameters: {alpha: float}\n    command: "echo {{‸"\n')).labels, []);
    });

    it('completes placeholders in a multi-line block command', async () => {
      const { labels } = await complete('entry_points:\n  main:\n    parameters: {alpha: float}\n    command: |\n      python a.py\n        --alpha {‸\n');
      assert.deepEqual(labels, ['alpha']);
    });

    it('completes environment files for conda_env and scripts in a command', async () => {
      const files = { 'conda.yaml': '', 'envs/gpu.yml': '', 'train.py': '', 'run.sh': '', 'README.md': '' };
      assert.deepEqual((await complete('conda_env: ‸\n', 'mlproject', files)).labels, ['envs/', 'conda.yaml']);
      const nested = await complete('conda_env: envs/‸\n', 'mlproject', files);
      assert.deepEqual(nested.labels, ['gpu.yml']);
      assert.equal((nested.items[0].textEdit as TextEdit).range.start.character, 'conda_env: envs/'.length);
      assert.deepEqual((await complete('entry_points:\n  main:\n    command: python ‸\n', 'mlproject', files)).labels, ['envs/', 'train.py']);
      assert.deepEqual((await complete('entry_points:\n  main:\n    command: bash ‸\n', 'mlproject', files)).labels, ['envs/', 'run.sh']);
    });

    it('offers snippets for a new entry point and a new parameter, and declares placeholders the command uses', async () => {
      const ep = await complete('entry_points:\n  ‸\n');
      const snippet = ep.items.find((i) => i.label === 'new entry point')!;
      assert.ok(snippet, ep.labels.join());
      assert.equal(snippet.insertTextFormat, 2);
      assert.match((snippet.textEdit as TextEdit).newText, /parameters:\n\s+\$\{2:alpha\}: \{type: \$\{3\|string,float,path,uri\|\}/);
      const param = await complete('entry_points:\n  main:\n    parameters:\n      alpha: float\n      ‸\n    command: python a.py {alpha} {beta}\n');
      assert.deepEqual(param.labels, ['beta', 'new parameter']);
      assert.match((param.items[0].textEdit as TextEdit).newText, /^beta: \{type: /);
    });

    it('completes MLmodel keys, flavor names, flavor keys, enumerations and signature types', async () => {
      const top = await complete('flavors:\n  sklearn: {}\n‸\n', 'mlmodel');
      assert.ok(top.labels.includes('signature') && top.labels.includes('mlflow_version') && !top.labels.includes('flavors'));
      const flavors = await complete('flavors:\n  ‸\n', 'mlmodel');
      assert.ok(flavors.labels.includes('python_function') && flavors.labels.includes('sklearn') && flavors.labels.includes('pytorch'));
      const sklearn = await complete('flavors:\n  sklearn:\n    ‸\n', 'mlmodel');
      assert.ok(sklearn.labels.includes('pickled_model') && sklearn.labels.includes('sklearn_version') && sklearn.labels.includes('serialization_format'));
      const pyfunc = await complete('flavors:\n  python_function:\n    ‸\n', 'mlmodel');
      assert.ok(pyfunc.labels.includes('loader_module') && pyfunc.labels.includes('python_version'));
      assert.deepEqual((await complete('flavors:\n  sklearn:\n    serialization_format: ‸\n', 'mlmodel')).labels, ['cloudpickle', 'pickle', 'skops']);
      const types = await complete(`signature:\n  inputs: '[{"name": "x", "type": "‸"}]'\n`, 'mlmodel');
      for (const t of ['double', 'long', 'string', 'array', 'tensor']) assert.ok(types.labels.includes(t), t);
      const paramTypes = await complete(`signature:\n  params: '[{"name": "t", "type": "‸"}]'\n`, 'mlmodel');
      assert.ok(paramTypes.labels.includes('float') && !paramTypes.labels.includes('binary'));
      const dtypes = await complete(`signature:\n  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "fl‸"}}]'\n`, 'mlmodel');
      assert.ok(dtypes.labels.includes('float32'));
    });

    it('offers nothing inside a comment', async () => {
      assert.deepEqual((await complete('# conda‸\nname: x\n')).labels, []);
    });
  });

  describe('hover', () => {
    it('documents keys in our words, with a link to MLflow’s docs', async () => {
      const { value, hover, text } = await hoverAt('name: demo\npython_e‸nv: python_env.yaml\n');
      assert.match(value, /python_env\.yaml/);
      assert.match(value, /\]\(https:\/\/mlflow\.org\/docs\/[^)]+\)/);
      assert.equal(textAt(text, hover!.range!), 'python_env');
      assert.match((await hoverAt('entry_points:\n  main:\n    comm‸and: x\n')).value, /str\.format/);
      assert.match((await hoverAt('flavors:\n  python_function:\n    loader_mod‸ule: mlflow.sklearn\n', 'mlmodel')).value, /_load_pyfunc/);
    });

    it('shows a placeholder’s parameter type and default, and warns about an undeclared one', async () => {
      const declared = await hoverAt(PROJECT.replace('--alpha {alpha}', '--alpha {al‸pha}'));
      assert.match(declared.value, /Type: `float`/);
      assert.match(declared.value, /Default: `0\.5`/);
      assert.equal(textAt(declared.text, declared.hover!.range!), '{alpha}');
      const required = await hoverAt(PROJECT.replace('--data {data}', '--data {da‸ta}'));
      assert.match(required.value, /Type: `path`/);
      assert.match(required.value, /Required/);
      const undeclared = await hoverAt('entry_points:\n  main:\n    command: python a.py {mis‸sing}\n');
      assert.match(undeclared.value, /KeyError: 'missing'/);
    });

    it('describes an entry point with its command and a parameter table', async () => {
      const { value } = await hoverAt(PROJECT.replace('  main:', '  ma‸in:'));
      assert.match(value, /python train\.py/);
      assert.match(value, /\| `alpha` \| float \| `0\.5` \|/);
      assert.match(value, /\| `data` \| path \| \*required\* \|/);
    });

    it('shows an MLmodel signature as a table', async () => {
      const mlmodel = [
        'flavors:',
        '  python_function: {loader_module: mlflow.sklearn}',
        'signature:',
        `  inputs: '[{"type": "double", "name": "x"}, {"type": "string", "name": "label", "required": false}]'`,
        `  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}}]'`,
        `  params: '[{"name": "temperature", "type": "float", "default": 0.5, "shape": null}]'`,
      ].join('\n');
      const whole = await hoverAt(mlmodel.replace('signature:', 'sig‸nature:'), 'mlmodel');
      assert.match(whole.value, /\| x \| double \| required \|/);
      assert.match(whole.value, /\| label \| string \| optional \|/);
      assert.match(whole.value, /tensor float32 \(-1, 3\)/);
      assert.match(whole.value, /\| temperature \| float \| 0\.5 \| scalar \|/);
      const inputsOnly = await hoverAt(mlmodel.replace('  inputs:', '  inp‸uts:'), 'mlmodel');
      assert.match(inputsOnly.value, /\*\*inputs\*\*/);
      assert.doesNotMatch(inputsOnly.value, /\*\*outputs\*\*/);
    });

    it('documents a flavor and a parameter type value', async () => {
      assert.match((await hoverAt('flavors:\n  skl‸earn:\n    pickled_model: m.pkl\n', 'mlmodel')).value, /scikit-learn/);
      assert.match((await hoverAt('entry_points:\n  main:\n    parameters:\n      u: {type: u‸ri}\n    command: x {u}\n')).value, /scheme/);
    });
  });

  describe('definition, references, rename', () => {
    const positionOf = (text: string, needle: string, nth = 0, delta = 1): Position => {
      let index = -1;
      for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
      const before = text.slice(0, index + delta).split('\n');
      return { line: before.length - 1, character: before[before.length - 1].length };
    };

    it('goes from a placeholder to its parameter, within its own entry point', async () => {
      const { uri, text } = await open(PROJECT);
      const fromMain = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(text, '{alpha}') });
      assert.equal(fromMain.length, 1);
      assert.deepEqual(fromMain[0].range.start, positionOf(text, '      alpha:', 0, 6));
      const fromEvaluate = await client.request<Location[]>('textDocument/definition', {
        textDocument: { uri },
        position: positionOf(text, 'eval.py {alpha}', 0, 10),
      });
      assert.deepEqual(fromEvaluate[0].range.start, positionOf(text, '      alpha:', 1, 6));
    });

    it('finds every placeholder of a parameter, with or without the declaration', async () => {
      const { uri, text } = await open(PROJECT);
      const position = positionOf(text, 'alpha:', 0, 2);
      const withDeclaration = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri },
        position,
        context: { includeDeclaration: true },
      });
      assert.deepEqual(
        withDeclaration.map((l) => textAt(text, l.range)),
        ['alpha', '{alpha}', '{alpha:.2f}'],
      );
      const fromPlaceholder = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri },
        position: positionOf(text, '{alpha:.2f}'),
        context: { includeDeclaration: false },
      });
      assert.deepEqual(
        fromPlaceholder.map((l) => textAt(text, l.range)),
        ['{alpha}', '{alpha:.2f}'],
      );
    });

    it('renames a parameter and all its placeholders, from either side, leaving other entry points alone', async () => {
      const { uri, text } = await open(PROJECT);
      const prepared = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', {
        textDocument: { uri },
        position: positionOf(text, '{alpha:.2f}'),
      });
      assert.equal(textAt(text, prepared.range), 'alpha');
      for (const position of [positionOf(text, 'alpha:', 0, 1), positionOf(text, '{alpha:.2f}', 0, 3)]) {
        const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'learning_rate' });
        const renamed = applyEdits(text, edit.changes![uri]);
        assert.equal(
          renamed,
          PROJECT.replace('      alpha: {type: float', '      learning_rate: {type: float')
            .replace('--alpha {alpha}', '--alpha {learning_rate}')
            .replace('{alpha:.2f}', '{learning_rate:.2f}'),
        );
      }
    });

    it('keeps quotes around a quoted parameter name and refuses names that cannot work', async () => {
      const { uri, text } = await open('entry_points:\n  main:\n    parameters:\n      "alpha": float\n    command: python a.py {alpha}\n');
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
        textDocument: { uri },
        position: positionOf(text, '{alpha}'),
        newName: 'beta',
      });
      assert.equal(applyEdits(text, edit.changes![uri]), text.replace('"alpha"', '"beta"').replace('{alpha}', '{beta}'));
      await assert.rejects(
        client.request('textDocument/rename', { textDocument: { uri }, position: positionOf(text, '{alpha}'), newName: 'a b' }),
        /cannot be a parameter name/,
      );
    });

    it('highlights a parameter’s declaration and its placeholders, from either side', async () => {
      const { uri, text } = await open(PROJECT);
      for (const position of [positionOf(text, 'alpha:', 0, 2), positionOf(text, '{alpha:.2f}', 0, 3)]) {
        const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri }, position });
        assert.deepEqual(
          highlights.map((h) => [textAt(text, h.range), h.range.start.line, h.kind]),
          [
            ['alpha', 4, 3],
            ['{alpha}', 6, 2],
            ['{alpha:.2f}', 6, 2],
          ],
        );
      }
      const elsewhere = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', {
        textDocument: { uri },
        position: positionOf(text, 'python train'),
      });
      assert.deepEqual(elsewhere, []);
    });

    it('renames a parameter declared twice in both places, so the last one still wins', async () => {
      const { uri, text } = await open(
        'entry_points:\n  main:\n    parameters:\n      alpha: string\n      alpha: {type: float, default: 1}\n    command: python a.py {alpha}\n',
      );
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: positionOf(text, '{alpha}'), newName: 'lr' });
      assert.equal(applyEdits(text, edit.changes![uri]), text.replaceAll('alpha', 'lr'));
    });

    it('has nothing to rename outside parameters and placeholders', async () => {
      const { uri, text } = await open(PROJECT);
      assert.equal(await client.request('textDocument/prepareRename', { textDocument: { uri }, position: positionOf(text, 'python train') }), null);
    });
  });

  describe('code actions', () => {
    async function fixesFor(text: string, code: string) {
      const dir = join(folder, `fix${++counter}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'python_env.yaml'), 'python: "3.11"\n');
      const uri = pathToFileURL(join(dir, 'MLproject')).toString();
      await client.open(uri, text);
      const published = await client.diagnostics(uri, 1);
      const diagnostic = published.diagnostics.find((d) => d.code === code);
      assert.ok(diagnostic, `no ${code} in ${JSON.stringify(published.diagnostics)}`);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      return { uri, actions, diagnostic, apply: (a: CodeAction) => applyEdits(text, a.edit!.changes![uri]) };
    }

    it('declares a parameter a command uses', async () => {
      const text =
        'name: demo\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.1}\n    command: python train.py {alpha} {beta}\n';
      const { actions, apply, diagnostic } = await fixesFor(text, 'undeclared-placeholder');
      const declare = actions.find((a) => a.title === "Declare parameter 'beta'")!;
      assert.ok(declare, actions.map((a) => a.title).join());
      assert.equal(declare.kind, 'quickfix');
      assert.deepEqual(declare.diagnostics, [diagnostic]);
      const fixed = apply(declare);
      assert.match(fixed, /\n {6}beta: \{type: string\}\n/);
      // The fixed text has no error left.
      const uri2 = pathToFileURL(join(folder, `fix${counter}`, 'sub', 'MLproject')).toString();
      await client.open(uri2, fixed.replace('python_env: python_env.yaml\n', ''));
      assert.deepEqual(
        (await client.diagnostics(uri2, 1)).diagnostics.filter((d) => d.severity === 1),
        [],
      );
    });

    it('fixes a misspelt key and a misspelt type', async () => {
      const key = await fixesFor('name: demo\npython_env: python_env.yaml\nentry_point:\n  main:\n    command: python train.py\n', 'unknown-key');
      assert.equal(
        key.apply(key.actions.find((a) => a.title === "Change to 'entry_points'")!),
        'name: demo\npython_env: python_env.yaml\nentry_points:\n  main:\n    command: python train.py\n',
      );
      const type = await fixesFor(
        'name: demo\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      a: {type: flaot, default: 1}\n    command: python t.py {a}\n',
        'undocumented-type',
      );
      assert.match(type.apply(type.actions.find((a) => a.title === "Change to 'float'")!), /a: \{type: float, default: 1\}/);
    });

    it('removes an unused parameter', async () => {
      const text =
        'name: demo\npython_env: python_env.yaml\nentry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.1}\n      unused: {type: string, default: x}\n    command: python train.py {alpha}\n';
      const { actions, apply } = await fixesFor(text, 'unused-parameter');
      const remove = actions.find((a) => a.title === "Remove unused parameter 'unused'")!;
      assert.equal(apply(remove), text.replace('      unused: {type: string, default: x}\n', ''));
    });

    it('offers no fixes for a stale version', async () => {
      const text = 'name: demo\npython_env: python_env.yaml\nentry_points:\n  main:\n    command: python train.py {beta}\n';
      const { uri, diagnostic } = await fixesFor(text, 'undeclared-placeholder');
      await client.change(uri, [{ text: text + '# edited\n' }]);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      assert.deepEqual(actions, []);
    });
  });

  describe('code lenses, symbols, folding', () => {
    it('puts Run and Run with parameters… above each entry point, with the document and entry point as arguments', async () => {
      const { uri, text } = await open(PROJECT);
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.deepEqual(
        lenses.map((l) => [textAt(text, l.range), l.command!.title, l.command!.command, l.command!.arguments]),
        [
          ['main', 'Run', 'mlflow.runEntryPoint', [{ uri, entryPoint: 'main', askParameters: false }]],
          ['main', 'Run with parameters…', 'mlflow.runEntryPoint', [{ uri, entryPoint: 'main', askParameters: true }]],
          ['evaluate', 'Run', 'mlflow.runEntryPoint', [{ uri, entryPoint: 'evaluate', askParameters: false }]],
          ['evaluate', 'Run with parameters…', 'mlflow.runEntryPoint', [{ uri, entryPoint: 'evaluate', askParameters: true }]],
        ],
      );
    });

    it('puts Serve model at the top of an MLmodel', async () => {
      const { uri } = await open('artifact_path: model\nflavors:\n  python_function: {loader_module: mlflow.sklearn}\n', 'mlmodel');
      const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.deepEqual(
        lenses.map((l) => [l.range.start.line, l.command!.title, l.command!.command, l.command!.arguments]),
        [[0, 'Serve model', 'mlflow.serveModel', [{ uri }]]],
      );
    });

    it('outlines entry points with their parameters', async () => {
      const { uri, text } = await open(PROJECT);
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(
        symbols.map((s) => s.name),
        ['name', 'entry_points'],
      );
      const entryPoints = symbols[1].children!;
      assert.deepEqual(
        entryPoints.map((s) => [s.name, s.children!.map((p) => `${p.name}: ${p.detail}`)]),
        [
          ['main', ['alpha: float = 0.5', 'data: path (required)']],
          ['evaluate', ['alpha: string = x']],
        ],
      );
      assert.equal(textAt(text, entryPoints[0].selectionRange), 'main');
      assert.ok(textAt(text, entryPoints[0].range).startsWith('main:\n'));
      assert.ok(textAt(text, entryPoints[0].range).trimEnd().endsWith('{alpha:.2f}"'));
    });

    it('outlines an MLmodel’s flavors and signature', async () => {
      const { uri } = await open(
        `flavors:\n  python_function:\n    loader_module: x\n  sklearn:\n    pickled_model: m.pkl\nsignature:\n  inputs: '[{"type": "double"}]'\n`,
        'mlmodel',
      );
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(
        symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]),
        [
          ['flavors', ['python_function', 'sklearn']],
          ['signature', ['inputs']],
        ],
      );
    });

    it('links the files an MLproject names that exist, and only files', async () => {
      const { uri, text } = await open(
        [
          'python_env: env/python_env.yaml',
          'entry_points:',
          '  main:',
          '    parameters:',
          '      data: {type: path, default: "data/train.csv"}',
          '      remote: {type: path, default: "s3://bucket/x.csv"}',
          '      folder: {type: path, default: data}',
          '    command: "python -u src/train.py --data {data} && bash \'run it.sh\' && python missing.py {remote} {folder}"',
          '  eval.py:',
          '    command: python eval.py',
          '',
        ].join('\n'),
        'mlproject',
        { 'env/python_env.yaml': 'python: "3.10"\n', 'data/train.csv': 'x\n', 'src/train.py': '', 'run it.sh': '', 'eval.py': '' },
      );
      const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      const folderUri = uri.slice(0, uri.lastIndexOf('/'));
      assert.deepEqual(
        links.map((l) => [textAt(text, l.range), l.target!.slice(folderUri.length + 1), l.tooltip]),
        [
          ['env/python_env.yaml', 'env/python_env.yaml', 'Open env/python_env.yaml'],
          ['"data/train.csv"', 'data/train.csv', 'Open data/train.csv'],
          ['src/train.py', 'src/train.py', 'Open src/train.py'],
          ['run it.sh', 'run%20it.sh', 'Open run it.sh'],
          ['eval.py', 'eval.py', 'Open eval.py'],
          ['eval.py', 'eval.py', 'Open eval.py'],
        ],
      );
      assert.deepEqual([...new Set(links.map((l) => l.range.start.line))], [0, 4, 7, 8, 9]);
    });

    it('links the files an MLmodel names beside it', async () => {
      const { uri, text } = await open(
        'flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    model_path: model.pkl\n    env:\n      conda: conda.yaml\n      virtualenv: python_env.yaml\n  sklearn:\n    pickled_model: model.pkl\n',
        'mlmodel',
        { 'model.pkl': 'x', 'conda.yaml': 'name: x\n' },
      );
      const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      assert.deepEqual(
        links.map((l) => [l.range.start.line, textAt(text, l.range), l.target!.split('/').pop()]),
        [
          [3, 'model.pkl', 'model.pkl'],
          [5, 'conda.yaml', 'conda.yaml'],
          [8, 'model.pkl', 'model.pkl'],
        ],
      );
    });

    it('folds mappings, block scalars and comment blocks', async () => {
      const { uri } = await open('# one\n# two\nname: demo\nentry_points:\n  main:\n    command: |\n      python a.py\n      --x 1\n');
      const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
      const pairs = ranges.map((r) => [r.startLine, r.endLine, r.kind ?? '']).sort();
      assert.deepEqual(pairs, [
        [0, 1, 'comment'],
        [3, 7, ''],
        [4, 7, ''],
        [5, 7, ''],
      ]);
    });
  });
});
