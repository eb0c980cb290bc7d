// Robustness: random and mutated documents never make the parser or the rules throw, and every finding
// is well formed. Fixed seeds, so a failure is reproducible; speed is measured in bench/, not here
// (mocha's timeout only stops a hang).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint, parseMlmodel, parseMlproject, RULES, type FileKind, type Finding, type ProjectFiles } from '../../src/mlflow-files';
import { MLPROJECT_KEY_TOKENS, randomEdit, YAML_PUNCTUATION } from '../helpers/randomEdits';
import { seededRandom } from '../helpers/seededRandom';

const TOKENS = [
  ...MLPROJECT_KEY_TOKENS,
  'volumes',
  'environment',
  'flavors',
  'python_function',
  'loader_module',
  'python_version',
  'signature',
  'inputs',
  'outputs',
  'params',
  'env',
  'conda',
  'virtualenv',
  'data',
  'saved_input_example_info',
  'artifact_path',
  'databricks_spark_job',
  'python_file',
  ...YAML_PUNCTUATION,
  '#',
  '&a',
  '*a',
  '!!str',
  '<<: *a',
  '{alpha}',
  '${HOME}',
  '{{',
  '}}',
  '{}',
  '{0}',
  '{a.b}',
  '{a[0]}',
  '{a!r}',
  '{a:.2f}',
  'float',
  'path',
  'uri',
  'int',
  '3.10',
  '1e3',
  'null',
  '~',
  'true',
  'y',
  'n',
  '0.1',
  '-1',
  's3://b/k',
  'data/x.csv',
  'x.py',
  '|',
  '>',
  '\t',
  '\r\n',
  'é',
  '😀',
  '\u0000',
  '%',
  '{%',
  '[{"type": "double", "name": "x"}]',
  '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]',
  '"optional": true',
  '?',
  '...',
  '---',
  '? ',
  '<<: ',
  '&a {x: 1}',
  '? {a: *a}\n',
  '<<: *a\n',
];

function randomDocument(rand: () => number): string {
  const length = 1 + Math.floor(rand() * 60);
  let text = '';
  for (let i = 0; i < length; i++) text += TOKENS[Math.floor(rand() * TOKENS.length)];
  return text;
}

function mutate(text: string, rand: () => number): string {
  let result = text;
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) result = randomEdit(result, rand, TOKENS, 0.6, 40);
  return result;
}

/** Files that exist or not at random (deterministic per path), with random contents. */
function randomFiles(rand: () => number): ProjectFiles {
  const seed = Math.floor(rand() * 1e9);
  const hash = (p: string) => [...p].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, seed);
  return {
    exists: async (p) => hash(p) % 2 === 0,
    readText: async (p) => (hash(p) % 2 === 0 ? randomDocument(seededRandom(hash(p))) : undefined),
  };
}

function checkFindings(text: string, findings: Finding[]): void {
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const f of findings) {
    assert.ok(f.code in RULES, `unknown code ${f.code}`);
    assert.equal(f.severity, RULES[f.code as keyof typeof RULES].severity);
    const { start, end } = f.range;
    assert.ok(start.line >= 0 && start.character >= 0 && end.line < lines, `range inside the document: ${JSON.stringify(f.range)}`);
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `range ordered: ${JSON.stringify(f.range)}`);
    assert.ok(typeof f.message === 'string' && f.message.length > 0);
    for (const fix of f.fix ?? []) for (const edit of fix.edits) assert.ok(edit.range.end.line < lines + 1);
  }
}

async function run(kind: FileKind, text: string, files?: ProjectFiles): Promise<void> {
  const findings = await lint(kind, text, files);
  checkFindings(text, findings);
  // The model is what the language server walks; building it must not throw either.
  if (kind === 'mlproject') parseMlproject(text);
  else parseMlmodel(text);
}

const CORPUS = path.join(__dirname, '../fixtures/corpus');

function corpusTexts(): { kind: FileKind; text: string }[] {
  const texts: { kind: FileKind; text: string }[] = [];
  for (const kind of ['mlproject', 'mlmodel'] as const) {
    for (const id of readdirSync(path.join(CORPUS, kind)).sort()) {
      const expected = JSON.parse(readFileSync(path.join(CORPUS, kind, id, 'EXPECTED.json'), 'utf8')) as { file: string };
      texts.push({ kind, text: readFileSync(path.join(CORPUS, kind, id, expected.file), 'utf8') });
    }
  }
  return texts;
}

describe('fuzz: random and mutated documents', function () {
  this.timeout(120_000);

  it('3,000 random token documents of each kind', async () => {
    const rand = seededRandom(42);
    for (let i = 0; i < 3000; i++) {
      const text = randomDocument(rand);
      for (const kind of ['mlproject', 'mlmodel'] as const) {
        try {
          await run(kind, text, i % 2 ? randomFiles(rand) : undefined);
        } catch (error) {
          assert.fail(`case ${i} (${kind}) ${JSON.stringify(text)}: ${(error as Error).stack}`);
        }
      }
    }
  });

  it('4,000 mutations of the corpus files', async () => {
    const rand = seededRandom(7);
    const texts = corpusTexts();
    for (let i = 0; i < 4000; i++) {
      const { kind, text } = texts[i % texts.length];
      const mutated = mutate(text, rand);
      try {
        await run(kind, mutated, randomFiles(rand));
      } catch (error) {
        assert.fail(`mutation ${i} (${kind}) ${JSON.stringify(mutated)}: ${(error as Error).stack}`);
      }
    }
  });

  it('a 5 MB MLproject with thousands of entry points', async () => {
    const entry = (i: number) =>
      `  ep_${i}:\n    parameters:\n      alpha: {type: float, default: 0.${i}}\n      data: {type: path, default: data_${i}.csv}\n      n: {type:int, default:10}\n    command: "python train.py --alpha {alpha} --data {data} {n} {missing_${i}} \${HOME}"\n`;
    let text = 'name: big\nentry_points:\n';
    for (let i = 0; text.length < 5_000_000; i++) text += entry(i);
    const findings = await lint('mlproject', text);
    checkFindings(text, findings);
    assert.ok(findings.filter((f) => f.code === 'undeclared-placeholder').length > 20_000);
  });

  it('a 5 MB MLmodel signature', async () => {
    const columns = Array.from({ length: 80_000 }, (_, i) => `{"type": "double", "name": "feature_${i}", "required": true}`);
    const text = `flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    python_version: "3.11"\n    env: {conda: conda.yaml, virtualenv: python_env.yaml}\nsignature:\n  inputs: '[${columns.join(', ')}]'\n`;
    assert.ok(text.length > 5_000_000);
    assert.deepEqual(await lint('mlmodel', text), []);
  });
});
