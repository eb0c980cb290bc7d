// PyYAML, which MLflow reads MLproject and MLmodel files with, against the `yaml` package where they
// disagree: indentation inside quotes and brackets (PyYAML ignores it) and tabs (PyYAML allows them only
// in quotes, comments and block text). Each expectation is what PyYAML 6 gives for the document.
import * as assert from 'node:assert/strict';
import { lintMlproject } from '../../src/mlflow-files';
import { pyyamlProblems, pyyamlRepair } from '../../src/mlflow-files/pyyaml-compat';
import { seededRandom } from '../helpers/seededRandom';
import { yamlSyntaxFindings } from '../../src/mlflow-files/rules';
import { parseYaml } from '../../src/mlflow-files/yaml-document';

const PYYAML_REJECTS = Symbol('PyYAML rejects the document');

const table: [string, unknown][] = [
  [
    'signature:\n  outputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1,\n  2]}}]\'\n',
    { signature: { outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 2]}}]' } },
  ],
  ['entry_points:\n  main:\n    command: "python train.py\n\t--x 1"\n', { entry_points: { main: { command: 'python train.py --x 1' } } }],
  ['docker_env:\n    image: img\n    volumes: [\n        "/a:/b"\n  ]\nname: p\n', { docker_env: { image: 'img', volumes: ['/a:/b'] }, name: 'p' }],
  [
    'entry_points:\n  main:\n    command: "python train.py\n    --alpha 1\n\n    --beta 2"\n',
    { entry_points: { main: { command: 'python train.py --alpha 1\n--beta 2' } } },
  ],
  ['- key: "a\nb"\n- other: [1,\n2]\n', [{ key: 'a b' }, { other: [1, 2] }]],
  ['a: 1\n\t\nb: 2\n', PYYAML_REJECTS],
  ['a:\t1\n', PYYAML_REJECTS],
  ['a: 1 \t# c\n', PYYAML_REJECTS],
  ['a: x\ty\n', PYYAML_REJECTS],
  ['a: [1,\t2]\n', PYYAML_REJECTS],
  ['a: [1,\n\t2]\n', PYYAML_REJECTS],
  ['a: {b: 1,\n  \t c: 2}\n', PYYAML_REJECTS],
  ['a: [1,\n  2\t]\n', PYYAML_REJECTS],
  ['a: [1,\n \n\t\n 2]\n', PYYAML_REJECTS],
  ['a: "x\ty"\n', { a: 'x\ty' }],
  ['# c\t\na: 1 # d\te\n', { a: 1 }],
  ['a: |\n  x\ty\n  \tz\n', { a: 'x\ty\n\tz\n' }],
  ['a: |\n  x\n\t\n', PYYAML_REJECTS],
  ["a: it's 'x'\t\n", PYYAML_REJECTS],
  ["a: it's\n", { a: "it's" }],
  ['a: >-\n    x\n    \ty\nb: "c\n  d"\n', { a: 'x\n\ty', b: 'c d' }],
  [
    'entry_points:\n  main:\n    command: "python main.py \\\n              --fold 1 \\\n\t              --knn 2"\n',
    { entry_points: { main: { command: 'python main.py --fold 1 --knn 2' } } },
  ],
  ['a: "x \\\n\\ \\\\\n  y"\n', { a: 'x  \\ y' }],
  ['name: p\n: \nentry_points: 1\n', PYYAML_REJECTS],
  ['? a\n: b\n', { a: 'b' }],
  ['a:\n  : x\n', PYYAML_REJECTS],
  ['a: "x\n: y"\n', { a: 'x : y' }],
  ['a: |\n  x\n  : y\n', { a: 'x\n: y\n' }],
  ['entry_points:\n  main:\n    parameters:\n      lr: {type: float? , default: 0.3}\n', PYYAML_REJECTS],
  ['a: {b: ?c}\n', PYYAML_REJECTS],
  ['a: [x?y]\n', PYYAML_REJECTS],
  ['a: {type: uri, default: http://h/p?x=1}\n', PYYAML_REJECTS],
  ['a: {b: c,\n  ? d: 1}\n', { a: { b: 'c', d: 1 } }],
  ['a: [b, ? c]\n', { a: ['b', { c: null }] }],
  ['a: x?y\n', { a: 'x?y' }],
  ['a: ["b?", c]\n', { a: ['b?', 'c'] }],
  ['a: [b, # c?\n  d]\n', { a: ['b', 'd'] }],
];

describe('PyYAML compatibility', () => {
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)} → ${expected === PYYAML_REJECTS ? 'syntax error' : 'reads as PyYAML does'}`, () => {
      const parsed = parseYaml(text);
      const syntax = yamlSyntaxFindings(parsed);
      if (expected === PYYAML_REJECTS) {
        assert.ok(syntax.length > 0, 'a syntax error');
        return;
      }
      assert.deepEqual(syntax, []);
      assert.deepEqual(parsed.doc.toJS(), expected);
    });
  }

  it('keeps the ranges of the original text after re-indenting', () => {
    const text = 'signature:\n  outputs: \'[{"type": "double",\n  "name": "x"}]\'\nflavors:\n  python_function: {loader_module: m}\n';
    const parsed = parseYaml(text);
    assert.deepEqual(parsed.doc.errors, []);
    const flavors = parsed.rootMap()!.items[1];
    assert.deepEqual(parsed.rangeOf(flavors.key as never), { start: { line: 3, character: 0 }, end: { line: 3, character: 7 } });
    const outputs = (parsed.rootMap()!.items[0].value as { items: { value: never }[] }).items[0].value;
    const range = parsed.rangeOf(outputs);
    assert.deepEqual(range, { start: { line: 1, character: 11 }, end: { line: 2, character: 16 } });
  });

  it('maps every offset of a repaired text back into the original', () => {
    const text = 'a: [\n1,\n\t2\n]\nb: "x\n\n  y"\n';
    const repair = pyyamlRepair(text)!;
    assert.notEqual(repair.text, text);
    let previous = -1;
    for (let offset = 0; offset <= repair.text.length; offset++) {
      const original = repair.toOriginal(offset);
      assert.ok(original >= previous && original <= text.length, `offset ${offset} → ${original}`);
      previous = original;
    }
    assert.equal(repair.toOriginal(repair.text.length), text.length);
  });

  it('does not try to repair a quote or bracket left open (PyYAML fails on it too)', () => {
    assert.equal(pyyamlRepair('a:\n  b: "x\nc: 1\nd: 2\n'), undefined);
    assert.equal(pyyamlRepair('a: [1,\n2\nb: 3\n'), undefined);
    assert.notEqual(pyyamlRepair('a: [1,\n2]\nb: 3\n'), undefined);
  });

  it('fixes a rejected tab with a space', () => {
    const parsed = parseYaml('a:\t1\n');
    const [finding] = yamlSyntaxFindings(parsed);
    assert.equal(finding.code, 'yaml-syntax');
    assert.deepEqual(finding.range, { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } });
    assert.equal(finding.fix?.[0].edits[0].newText, ' ');
    const [emptyKey] = yamlSyntaxFindings(parseYaml('name: p\n: \nb: 1\n'));
    assert.match(emptyKey.message, /a value without a key/);
    assert.deepEqual(emptyKey.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } });
    assert.equal(emptyKey.fix, undefined);
  });

  it('never throws on random text, and a repair maps back inside the original', async () => {
    const random = seededRandom(777);
    const pieces = ['a', ': ', ':', '\n', '  ', '\t', '"', "'", '[', ']', '{', '}', ',', '#', '|', '>', '-', '\\', '?', 'x y', '\r\n'];
    let repaired = 0;
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 30);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      for (const problem of pyyamlProblems(text, 100)) assert.ok(problem.offset >= 0 && problem.offset < text.length, JSON.stringify(text));
      const repair = pyyamlRepair(text);
      if (repair) {
        repaired++;
        let previous = 0;
        for (let offset = 0; offset <= repair.text.length; offset++) {
          const original = repair.toOriginal(offset);
          assert.ok(original >= previous && original <= text.length, JSON.stringify({ text, offset }));
          previous = original;
        }
      }
      await lintMlproject(text);
    }
    assert.ok(repaired > 100, `only ${repaired} texts needed a repair: the generator no longer exercises it`);
  });
});
