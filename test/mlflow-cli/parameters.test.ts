import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseMlproject } from '../../src/mlflow-files';
import { parseExtraParameter, projectEntryPoints, validateParameter, validateParameters, type ParameterSpec } from '../../src/mlflow-cli/parameters';

const DEMO = path.join(__dirname, '..', '..', 'demo');
const context = { cwd: DEMO, fileExists: existsSync };

describe('entry-point parameters', () => {
  it("reads the demo project's entry points and defaults through the MLproject parser", () => {
    const specs = projectEntryPoints(parseMlproject(readFileSync(path.join(DEMO, 'MLproject'), 'utf8')));
    assert.deepEqual(specs, [
      {
        name: 'main',
        parameters: [
          { name: 'alpha', type: 'float', defaultText: '0.1' },
          { name: 'l1_ratio', type: 'float', defaultText: '0.5' },
          { name: 'epochs', type: 'int', defaultText: '20' },
        ],
      },
      { name: 'validate', parameters: [{ name: 'data_path', type: 'path', defaultText: 'data' }] },
    ]);
  });

  it('keeps required parameters (short form, null default) without a default, and Python text for others', () => {
    const text = [
      'entry_points:',
      '  main:',
      '    parameters:',
      '      a: float',
      '      b: {type: string, default: null}',
      '      c: {type: float, default: 1.0}',
      '      d: {default: true}',
      '      e: {type: string, default: hello world}',
      '    command: "python x.py {a} {b} {c} {d} {e}"',
    ].join('\n');
    const [main] = projectEntryPoints(parseMlproject(text));
    assert.deepEqual(main.parameters, [
      { name: 'a', type: 'float', defaultText: undefined },
      { name: 'b', type: 'string', defaultText: undefined },
      { name: 'c', type: 'float', defaultText: '1.0' },
      { name: 'd', type: 'string', defaultText: 'True' },
      { name: 'e', type: 'string', defaultText: 'hello world' },
    ]);
  });

  it('checks floats as Python float() reads them', () => {
    const alpha: ParameterSpec = { name: 'alpha', type: 'float', defaultText: '0.1' };
    for (const ok of ['0.5', '1', '-2e-3', ' 3 ', 'inf', 'NaN', '1_000.5', undefined])
      assert.equal(validateParameter(alpha, ok, context), undefined, String(ok));
    for (const bad of ['abc', '', '0.5.1', '1,5']) assert.match(validateParameter(alpha, bad, context) ?? '', /alpha is a float: ".*" is not a number/, bad);
  });

  it('checks that a path exists relative to the run folder, and lets MLflow download URIs', () => {
    const dataPath: ParameterSpec = { name: 'data_path', type: 'path', defaultText: 'data' };
    assert.equal(validateParameter(dataPath, undefined, context), undefined);
    assert.equal(validateParameter(dataPath, 'train.py', context), undefined);
    assert.equal(validateParameter(dataPath, path.join(DEMO, 'MLproject'), context), undefined);
    assert.equal(validateParameter(dataPath, 's3://bucket/data.csv', context), undefined);
    assert.match(validateParameter(dataPath, 'missing.csv', context) ?? '', /"missing.csv" does not exist/);
    assert.match(validateParameter(dataPath, '~/data', context) ?? '', /does not exist/);
    assert.match(validateParameter(dataPath, '', context) ?? '', /give a file or folder/);
  });

  it('checks that a uri has a scheme', () => {
    const uri: ParameterSpec = { name: 'src', type: 'uri', defaultText: undefined };
    assert.equal(validateParameter(uri, 's3://b/k', context), undefined);
    assert.equal(validateParameter(uri, 'file:///tmp/x', context), undefined);
    assert.match(validateParameter(uri, 'relative/path', context) ?? '', /has no scheme/);
    assert.match(validateParameter(uri, undefined, context) ?? '', /src is required/);
  });

  it('accepts any string, reports every problem of an entry point, and refuses line breaks', () => {
    const spec = {
      name: 'main',
      parameters: [
        { name: 'note', type: 'string', defaultText: '' },
        { name: 'n', type: 'float', defaultText: undefined },
        { name: 'p', type: 'path', defaultText: 'nope' },
      ],
    };
    assert.equal(validateParameter(spec.parameters[0], '$(whoami); `id`', context), undefined);
    assert.deepEqual(validateParameters(spec, new Map([['note', 'x']]), context).length, 2);
    assert.match(validateParameter(spec.parameters[0], 'a\nb', context) ?? '', /line break/);
  });

  it('reads extra parameters as key=value with a plain key', () => {
    assert.deepEqual(parseExtraParameter('batch_size=32'), ['batch_size', '32']);
    assert.deepEqual(parseExtraParameter('expr=a=b'), ['expr', 'a=b']);
    assert.deepEqual(parseExtraParameter('empty='), ['empty', '']);
    assert.match(parseExtraParameter('novalue') as string, /key=value/);
    assert.match(parseExtraParameter('=x') as string, /key=value/);
    assert.match(parseExtraParameter('x; rm -rf ~=1') as string, /not a plain name/);
  });
});
