// Tokenizes MLproject text with the real VS Code TextMate engine and YAML grammar, taken
// from the code-server install the e2e harness uses (skipped when it is not installed).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerInstallDir } from '../helpers/codeServerCache';

const root = join(__dirname, '..', '..');
// Where scripts/install-code-server.sh puts it (in CI, a fresh VSCODE_MLFLOW_TEST_CACHE: a path under HOME skipped these tests there).
const vscodeDir = join(codeServerInstallDir(), 'server/node_modules/code-server/lib/vscode');
const grammars: Record<string, string> = {
  'source.mlproject': join(root, 'syntaxes/mlproject.tmLanguage.json'),
  'source.mlmodel': join(root, 'syntaxes/mlmodel.tmLanguage.json'),
  'source.mlproject.placeholders.injection': join(root, 'syntaxes/mlflow-placeholders.tmLanguage.json'),
  'source.yaml': join(vscodeDir, 'extensions/yaml/syntaxes/yaml.tmLanguage.json'),
};

interface Token {
  text: string;
  scopes: string[];
}

async function loadTokenizer(): Promise<(text: string) => Token[][]> {
  const textmate = require(join(vscodeDir, 'node_modules/vscode-textmate'));
  const oniguruma = require(join(vscodeDir, 'node_modules/vscode-oniguruma'));
  const wasm = readFileSync(join(vscodeDir, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  // The package.json grammar contributions, so the test follows what VS Code will load.
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const injections = new Map<string, string[]>();
  for (const g of manifest.contributes.grammars as { scopeName: string; injectTo?: string[] }[]) {
    for (const target of g.injectTo ?? []) injections.set(target, [...(injections.get(target) ?? []), g.scopeName]);
  }
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      const path = grammars[scopeName];
      if (!path) return null;
      const grammarsYamlDir = join(vscodeDir, 'extensions/yaml/syntaxes');
      // source.yaml includes the versioned YAML grammars by scope name.
      const versioned = /^source\.yaml\.(1\.\d)$/.exec(scopeName);
      const file = versioned ? join(grammarsYamlDir, `yaml-${versioned[1]}.tmLanguage.json`) : path;
      return textmate.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName: string) => injections.get(scopeName),
  });
  for (const v of ['1.0', '1.1', '1.2', '1.3']) grammars[`source.yaml.${v}`] = join(vscodeDir, `extensions/yaml/syntaxes/yaml-${v}.tmLanguage.json`);
  grammars['source.yaml.embedded'] = join(vscodeDir, 'extensions/yaml/syntaxes/yaml-embedded.tmLanguage.json');
  const grammar = await registry.loadGrammar('source.mlproject');
  return (text: string) => {
    let stack = textmate.INITIAL;
    return text.split('\n').map((line) => {
      const r = grammar.tokenizeLine(line, stack);
      stack = r.ruleStack;
      return r.tokens.map((t: { startIndex: number; endIndex: number; scopes: string[] }) => ({
        text: line.slice(t.startIndex, t.endIndex),
        scopes: t.scopes,
      }));
    });
  };
}

function scopesOf(lines: Token[][], text: string, nth = 0): string[] {
  const all = lines.flat().filter((t) => t.text === text);
  assert.ok(all[nth], `no token ${JSON.stringify(text)} in ${JSON.stringify(lines.flat().map((t) => t.text))}`);
  return all[nth].scopes;
}

describe('TextMate grammar: {placeholders} in MLproject commands', function () {
  let tokenize: (text: string) => Token[][];
  before(async function () {
    if (!existsSync(grammars['source.yaml'])) this.skip();
    tokenize = await loadTokenizer();
  });

  it('marks placeholders in a plain command nested under entry_points, keeping YAML scopes elsewhere', () => {
    const lines = tokenize(
      [
        'name: demo',
        'entry_points:',
        '  main:',
        '    parameters:',
        '      alpha: {type: float, default: 0.1}',
        '    command: python train.py --alpha {alpha} {data}',
        'conda_env: conda.yaml',
      ].join('\n'),
    );
    assert.ok(scopesOf(lines, 'alpha', 1).includes('variable.parameter.placeholder.mlproject'));
    assert.ok(scopesOf(lines, 'data').includes('variable.parameter.placeholder.mlproject'));
    assert.ok(scopesOf(lines, '{', 1).includes('punctuation.definition.placeholder.begin.mlproject'));
    // The parameter declaration and the flow mapping's braces are YAML, not placeholders.
    assert.ok(!scopesOf(lines, 'alpha', 0).some((s) => s.includes('placeholder')));
    assert.ok(!scopesOf(lines, '{', 0).some((s) => s.includes('placeholder')));
    assert.ok(scopesOf(lines, 'command').includes('entity.name.tag.yaml'));
    assert.ok(scopesOf(lines, 'conda_env').includes('entity.name.tag.yaml'));
  });

  it('handles double-quoted multi-line, folded and literal block commands, format specs and {{ }} escapes', () => {
    const lines = tokenize(
      [
        'entry_points:',
        '  a:',
        '    command: "python a.py {x} {{literal}}',
        '      --v {v}"',
        '  b:',
        '    command: >',
        '      python b.py',
        '      --y {y}',
        '  c:',
        "    command: 'echo {z}'",
        '  d:',
        '    command: |',
        '      python d.py --w {w:.2f}',
        '    parameters: {w: float}',
      ].join('\n'),
    );
    for (const name of ['x', 'v', 'y', 'z', 'w']) {
      assert.ok(scopesOf(lines, name).includes('variable.parameter.placeholder.mlproject'), name);
    }
    assert.ok(scopesOf(lines, '{{').includes('constant.character.escape.brace.mlproject'));
    assert.ok(scopesOf(lines, 'x').includes('string.quoted.double.yaml'));
    assert.ok(scopesOf(lines, ':.2f').includes('storage.modifier.format-spec.mlproject'));
    assert.ok(!scopesOf(lines, 'literal').some((s) => s.includes('placeholder')));
  });

  it('does not treat keys or comments as placeholders', () => {
    const lines = tokenize(['entry_points:', '  main:', '    "{key}": 1', '    command: python a.py # {note}'].join('\n'));
    assert.ok(!scopesOf(lines, '{key}').some((s) => s.includes('placeholder')));
    assert.ok(!lines[3].some((t) => t.scopes.includes('variable.parameter.placeholder.mlproject')));
  });
});
