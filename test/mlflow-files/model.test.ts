import * as assert from 'node:assert/strict';
import { fileKindOf, lintMlproject, parseMlproject, parseYaml, type Finding } from '../../src/mlflow-files';
import { keyDocAt, keysAt } from '../../src/mlflow-files/schema';
import { parseMarked as marked } from '../helpers/markedDocument';
import { applyEdits } from './helpers';

describe('MLproject/MLmodel model API', () => {
  it('recognises file names as MLflow does', () => {
    assert.equal(fileKindOf('/a/b/MLproject'), 'mlproject');
    assert.equal(fileKindOf('MLProject'), 'mlproject');
    assert.equal(fileKindOf('C:\\x\\mlproject'), 'mlproject');
    assert.equal(fileKindOf('dir/MLmodel'), 'mlmodel');
    assert.equal(fileKindOf('mlmodel'), undefined);
    assert.equal(fileKindOf('MLproject.yaml'), undefined);
  });

  it('parses entry points, parameters and placeholders with ranges', () => {
    const { text, ranges } = marked(`name: demo
entry_points:
  «main»:
    parameters:
      «alpha»: {type: «float», default: «0.1»}
      «data»: «path»
    command: «"python t.py {alpha} «{data}»"»
`);
    const model = parseMlproject(text);
    const [main] = model.entryPoints;
    assert.equal(main.name, 'main');
    assert.deepEqual(main.nameRange, ranges[0]);
    const [alpha, data] = main.parameters;
    assert.deepEqual([alpha.name, alpha.type?.value, alpha.default?.value, alpha.default?.text], ['alpha', 'float', 0.1, '0.1']);
    assert.deepEqual([alpha.nameRange, alpha.type?.range, alpha.default?.range], [ranges[1], ranges[2], ranges[3]]);
    assert.deepEqual([data.name, data.shortForm, data.type?.value, data.default], ['data', true, 'path', undefined]);
    assert.deepEqual([data.nameRange, data.type?.range], [ranges[4], ranges[5]]);
    assert.equal(main.command?.text, 'python t.py {alpha} {data}');
    assert.deepEqual(main.command?.range, ranges[6]);
    assert.deepEqual(
      main.command?.placeholders.map((p) => p.name),
      ['alpha', 'data'],
    );
    assert.deepEqual(main.command?.placeholders[1].range, ranges[7]);
    assert.equal(model.name?.value, 'demo');
  });

  it('reads YAML as PyYAML does (y/n are strings, 3.10 is a float)', () => {
    const parsed = parseYaml('n: y\nv: 3.10\nt: yes\ne: 1e3\n');
    assert.deepEqual(parsed.doc.toJSON(), { n: 'y', v: 3.1, t: true, e: '1e3' });
  });

  it('maps positions and offsets both ways, in UTF-16 units', () => {
    const parsed = parseYaml('name: "héllo 😀"\r\nx: 1\n');
    assert.deepEqual(parsed.positionAt(0), { line: 0, character: 0 });
    const offset = parsed.text.indexOf('x');
    assert.deepEqual(parsed.positionAt(offset), { line: 1, character: 0 });
    assert.equal(parsed.offsetAt({ line: 1, character: 0 }), offset);
    assert.equal(parsed.offsetAt({ line: 0, character: 99 }), parsed.text.indexOf('\r'));
  });

  it('tells completion and hover where the cursor is', () => {
    const text = 'entry_points:\n  main:\n    parameters:\n      alpha: {type: float}\n    command: x\n';
    const parsed = parseYaml(text);
    const at = (needle: string, delta = 0) => parsed.nodePathAt(text.indexOf(needle) + delta);
    assert.deepEqual(pick(at('type')), { path: ['entry_points', 'main', 'parameters', 'alpha', 'type'], on: 'key' });
    assert.deepEqual(pick(at('float', 2)), { path: ['entry_points', 'main', 'parameters', 'alpha', 'type'], on: 'value' });
    assert.deepEqual(pick(at('command')), { path: ['entry_points', 'main', 'command'], on: 'key' });
    assert.deepEqual(pick(parseYaml('').nodePathAt(0)), { path: [], on: 'none' });
    // Between the colon and the value, and after a key with no value yet.
    assert.deepEqual(pick(at('{type: float}', 6)), { path: ['entry_points', 'main', 'parameters', 'alpha', 'type'], on: 'value' });
    const typing = parseYaml('entry_points:\n  main:\n    command: \n');
    assert.deepEqual(pick(typing.nodePathAt('entry_points:\n  main:\n    command: '.length)), { path: ['entry_points', 'main', 'command'], on: 'value' });
    assert.equal(keyDocAt('mlproject', ['entry_points', 'main', 'parameters', 'alpha', 'type'])?.values?.includes('uri'), true);
    assert.deepEqual(keysAt('mlproject', ['docker_env']), ['image', 'volumes', 'environment']);
    assert.ok(keyDocAt('mlmodel', ['flavors', 'sklearn', 'sklearn_version'])?.description.includes('sklearn'));
  });
});

function pick(p: { path: (string | number)[]; on: string }) {
  return { path: p.path, on: p.on };
}

describe('MLproject quick fixes', () => {
  async function fixOf(text: string, code: string, index = 0): Promise<{ finding: Finding; apply: (i?: number) => string }> {
    const findings = await lintMlproject(text);
    const finding = findings.find((f) => f.code === code);
    assert.ok(finding, `${code} in ${JSON.stringify(findings.map((f) => f.code))}`);
    assert.ok(finding.fix && finding.fix.length > index, `${code} has a fix`);
    return { finding, apply: (i = index) => applyEdits(text, finding.fix![i].edits) };
  }

  it('rewrites {type:int, default:10} with the missing spaces', async () => {
    const text = 'entry_points:\n  main:\n    parameters:\n      n: {type:int, default:10}\n    command: "python x.py {n}"\n';
    const { apply } = await fixOf(text, 'malformed-parameter-key');
    const fixed = apply();
    assert.match(fixed, /n: \{type: int, default: 10\}/);
    const model = parseMlproject(fixed);
    assert.deepEqual([model.entryPoints[0].parameters[0].type?.value, model.entryPoints[0].parameters[0].default?.value], ['int', 10]);
  });

  it('declares an undeclared placeholder in an existing block', async () => {
    const text = 'entry_points:\n  main:\n    parameters:\n      a: {type: string, default: x}\n    command: "python x.py {a} {epochs}"\n';
    const { apply, finding } = await fixOf(text, 'undeclared-placeholder');
    assert.equal(finding.fix![0].title, "Declare parameter 'epochs'");
    const fixed = apply();
    assert.equal(
      fixed,
      'entry_points:\n  main:\n    parameters:\n      a: {type: string, default: x}\n      epochs: {type: string}\n    command: "python x.py {a} {epochs}"\n',
    );
    assert.deepEqual(
      (await lintMlproject(fixed)).filter((f) => f.severity === 'error'),
      [],
    );
  });

  it('declares a placeholder where there are no parameters yet', async () => {
    const text = 'entry_points:\n  main:\n    command: "python x.py {epochs}"\n';
    const fixed = (await fixOf(text, 'undeclared-placeholder')).apply();
    assert.equal(fixed, 'entry_points:\n  main:\n    parameters:\n      epochs: {type: string}\n    command: "python x.py {epochs}"\n');
  });

  it("keeps the file's indentation and line breaks when declaring", async () => {
    const text = 'entry_points:\r\n    main:\r\n        command: "python x.py {epochs}"\r\n';
    const findings = await lintMlproject(text);
    const fix = findings.find((f) => f.code === 'undeclared-placeholder')!.fix!.find((f) => f.title.startsWith('Declare'))!;
    const lines = text.split('\r\n');
    assert.equal(fix.edits[0].range.start.line, 2);
    assert.equal(fix.edits[0].newText, '        parameters:\r\n            epochs: {type: string}\r\n');
    assert.equal(lines.length, 4);
  });

  it('offers the declared name for a misspelt placeholder first', async () => {
    const text = 'entry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.1}\n    command: "python x.py {alpah}"\n';
    const { finding, apply } = await fixOf(text, 'undeclared-placeholder');
    assert.equal(finding.fix![0].title, 'Change to {alpha}');
    assert.match(apply(), /\{alpha\}"/);
  });

  it('escapes a shell variable', async () => {
    const text = 'entry_points:\n  main:\n    command: "echo ${HOME}"\n';
    assert.match((await fixOf(text, 'shell-variable')).apply(), /echo \$\{\{HOME\}\}/);
  });

  it('removes an unused parameter', async () => {
    const text =
      'entry_points:\n  main:\n    parameters:\n      a: {type: string, default: x}\n      b:\n        type: string\n        default: y\n    command: "python x.py {a}"\n';
    const fixed = (await fixOf(text, 'unused-parameter')).apply();
    assert.equal(fixed, 'entry_points:\n  main:\n    parameters:\n      a: {type: string, default: x}\n    command: "python x.py {a}"\n');
  });

  it('corrects a misspelt key and a misspelt type', async () => {
    const text = 'name: x\nentry_point:\n  main: {command: x}\n';
    assert.match((await fixOf(text, 'unknown-key')).apply(), /^entry_points:/m);
    const typed = 'entry_points:\n  main:\n    parameters:\n      a: {type: flaot, default: 1}\n    command: "x {a}"\n';
    assert.match((await fixOf(typed, 'undocumented-type')).apply(), /type: float/);
  });
});
