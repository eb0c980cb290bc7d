import * as assert from 'node:assert/strict';
import { lintMlmodel, parseMlmodel, RULES } from '../../src/mlflow-files';
import { parsePythonJson } from '../../src/mlflow-files/python-json';
import { parseMarked as marked } from '../helpers/markedDocument';
import { applyEdits, memoryFiles, rangeText } from './helpers';

interface Case {
  title: string;
  doc: string;
  expect: string[];
  files?: Record<string, string>;
  ignore?: string[];
}

const PYFUNC = `flavors:
  python_function:
    loader_module: mlflow.sklearn
    python_version: "3.10.12"
    env: {conda: conda.yaml, virtualenv: python_env.yaml}
`;

const sig = (inputs: string) => `${PYFUNC}signature:\n  inputs: '${inputs}'\n`;

const cases: Case[] = [
  {
    title: 'a clean model with files present',
    doc: `artifact_path: model
${PYFUNC}    model_path: model.pkl
  sklearn:
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.3.0
mlflow_version: 2.9.2
model_uuid: 0123456789abcdef0123456789abcdef
run_id: abc
utc_time_created: '2024-01-31 12:00:00.123456'
my_own_key: anything
signature:
  inputs: '[{"type": "double", "name": "x", "required": true}, {"type": "array", "items": {"type": "string"}, "name": "tags"}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]'
  params: '[{"name": "temperature", "type": "float", "default": 0.5, "shape": null}, {"name": "ids", "dtype": "long", "default": [1, 2], "shape": [-1]}]'
saved_input_example_info:
  artifact_path: input_example.json
  type: dataframe
  pandas_orient: split
`,
    files: { 'model.pkl': '', 'conda.yaml': '', 'python_env.yaml': '', 'input_example.json': '' },
    expect: [],
  },
  { title: 'invalid YAML', doc: 'flavors:\n  python_function: {loader_module: x\n«»', expect: ['yaml-syntax'] },
  { title: 'a scalar document', doc: '«just text»\n', expect: ['not-a-mapping'] },
  { title: 'no flavors', doc: '«run_id: abc»\n', expect: ['flavors-missing'] },
  { title: 'flavors a list', doc: 'flavors: «[python_function]»\n', expect: ['flavors-invalid'] },
  {
    title: 'pyfunc without loader_module, unquoted python_version',
    doc: 'flavors:\n  «python_function»:\n    python_version: «3.10»\n    env: {conda: conda.yaml, virtualenv: python_env.yaml}\n',
    expect: ['pyfunc-loader-module-missing', 'python-version-not-string'],
  },
  {
    title: 'a flavor given twice: the last counts',
    doc: 'flavors:\n  «python_function»:\n  python_function:\n    loader_module: mlflow.sklearn\n    «python_version»: 3.9\n    python_version: "3.10.12"\n',
    expect: ['duplicate-key', 'duplicate-key'],
  },
  {
    title: 'a loader_module without _load_pyfunc (pickle)',
    doc: 'flavors:\n  python_function:\n    loader_module: «pickle»\n    model_path: model.pkl\n  sklearn:\n    pickled_model: model.pkl\n',
    expect: ['pyfunc-loader-module-invalid'],
  },
  {
    title: 'custom loader modules are the user’s: not judged',
    doc: 'flavors:\n  python_function:\n    loader_module: my_package.loader\n    code: code\n  other:\n    loader_module: pickle\n',
    expect: [],
  },
  {
    title: 'env mapping lacking virtualenv',
    doc: 'flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    «env»:\n      conda: conda.yaml\n',
    expect: ['pyfunc-env-incomplete'],
  },
  { title: 'no python_function flavor', doc: '«flavors»:\n  sklearn: {pickled_model: model.pkl}\n', expect: ['no-pyfunc-flavor'] },
  {
    title: 'unknown sklearn serialization format',
    doc: `${PYFUNC}  sklearn:\n    serialization_format: «joblib»\n`,
    expect: ['sklearn-serialization-format'],
  },
  { title: 'env_vars not a list of strings', doc: `${PYFUNC}env_vars: «[1, 2]»\n`, expect: ['env-vars-invalid'] },
  { title: 'utc_time_created not a timestamp', doc: `${PYFUNC}utc_time_created: «yesterday»\n`, expect: ['utc-time-invalid'] },
  { title: 'external model', doc: `${PYFUNC}metadata:\n  «mlflow.model.isExternal»: true\n`, expect: ['external-model'] },
  { title: 'external only as MLflow writes it (the boolean)', doc: `${PYFUNC}metadata:\n  mlflow.model.isExternal: 'true'\n`, expect: [] },
  {
    title: 'input example with unknown type and no artifact_path',
    doc: `${PYFUNC}«saved_input_example_info»:\n  type: «csv»\n`,
    expect: ['example-info-invalid', 'example-info-invalid'],
  },
  { title: 'signature not a mapping', doc: `${PYFUNC}signature: «'[{"type": "double"}]'»\n`, expect: ['signature-not-mapping'] },
  { title: 'signature inputs as a YAML list', doc: `${PYFUNC}signature:\n  inputs: «[{type: double}]»\n`, expect: ['signature-not-json'] },
  { title: 'signature inputs not valid JSON', doc: `${PYFUNC}signature:\n  inputs: «'[{"type": double}]'»\n`, expect: ['signature-not-json'] },
  { title: 'signature with nothing in it', doc: `${PYFUNC}«signature»:\n  inputs: null\n  outputs: ''\n`, expect: ['signature-invalid'] },
  {
    title: 'mixed named and unnamed columns',
    doc: sig('[{"type": "double", "name": "a"}, {"type": "double"}]').replace("'[", "«'[").replace("]'", "]'»"),
    expect: ['signature-invalid'],
  },
  {
    title: 'mixed column and tensor specs',
    doc: sig('[{"type": "double", "name": "a"}, {"type": "tensor", "name": "t", "tensor-spec": {"dtype": "float32", "shape": [-1]}}]')
      .replace("'[", "«'[")
      .replace("]'", "]'»"),
    expect: ['signature-invalid'],
  },
  { title: 'unknown column type', doc: sig('[{"type": "decimal", "name": "a"}]').replace("'[", "«'[").replace("]'", "]'»"), expect: ['signature-invalid'] },
  {
    title: 'the 2.4-2.9 optional key',
    doc: sig('[{"type": "double", "name": "a", "optional": true}]').replace("'[", "«'[").replace("]'", "]'»"),
    expect: ['signature-invalid'],
  },
  {
    title: 'sized string dtype',
    doc: sig('[{"type": "tensor", "tensor-spec": {"dtype": "<U10", "shape": [-1]}}]').replace("'[", "«'[").replace("]'", "]'»"),
    expect: ['signature-invalid'],
  },
  {
    title: 'unknown dtype',
    doc: sig('[{"type": "tensor", "tensor-spec": {"dtype": "float99", "shape": [-1]}}]').replace("'[", "«'[").replace("]'", "]'»"),
    expect: ['signature-invalid'],
  },
  {
    title: 'params without default',
    doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "long"}]'»\n`,
    expect: ['signature-invalid'],
  },
  { title: 'params type int', doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "int", "default": 1}]'»\n`, expect: ['signature-invalid'] },
  {
    title: 'params default that is not a number',
    doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "long", "default": "abc"}]'»\n`,
    expect: ['signature-invalid'],
  },
  {
    title: 'files named by the model that are missing',
    doc: `flavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\n    python_version: "3.11"\n    data: «data»\n    env:\n      conda: «conda.yaml»\n      virtualenv: python_env.yaml\n  dspy:\n    model_path: «model.json»\nsaved_input_example_info:\n  artifact_path: «input_example.json»\n  type: json_object\n`,
    files: { 'python_env.yaml': '' },
    expect: ['model-file-missing', 'model-file-missing', 'model-file-missing', 'model-file-missing'],
  },
  // ---- what MLflow lets through because Python reads the value as false, or iterates it
  { title: 'falsy env_vars are never checked', doc: `${PYFUNC}env_vars: ''\n`, expect: [] },
  { title: 'an empty env_vars mapping is never checked', doc: `${PYFUNC}env_vars: {}\n`, expect: [] },
  {
    title: 'an empty YAML list as a signature section counts as absent',
    doc: `${PYFUNC}signature:\n  inputs: []\n  outputs: '[{"type": "double"}]'\n`,
    expect: [],
  },
  { title: 'params as an empty JSON object is an empty list', doc: `${PYFUNC}signature:\n  outputs: '[{"type": "double"}]'\n  params: '{}'\n`, expect: [] },
  { title: 'params as a non-empty JSON object fails', doc: `${PYFUNC}signature:\n  params: «'{"a": 1}'»\n`, expect: ['signature-invalid'] },
  { title: 'tensor shape and dtype MLflow converts', doc: sig('[{"type": "tensor", "tensor-spec": {"dtype": null, "shape": "(-1,)"}}]'), expect: [] },
  {
    title: 'tensor shape that is not iterable',
    doc: sig('[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": 3}}]').replace("'[", "«'[").replace("]'", "]'»"),
    expect: ['signature-invalid'],
  },
  {
    title: 'pyfunc data that is not a path',
    doc: 'flavors:\n  python_function:\n    loader_module: m\n    data: «null»\n    code: «5»\n',
    expect: ['pyfunc-invalid', 'pyfunc-invalid'],
  },
  {
    title: 'pyfunc code that is empty is skipped',
    doc: 'flavors:\n  python_function:\n    loader_module: m\n    code: null\n    data: model.pkl\n',
    expect: [],
  },
  {
    title: 'an empty sklearn serialization_format is None',
    doc: `${PYFUNC}  sklearn:\n    pickled_model: model.pkl\n    serialization_format: «null»\n`,
    expect: ['sklearn-serialization-format'],
  },
  {
    title: 'params defaults of another type: no text is converted',
    doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "integer", "default": "1"}]'»\n`,
    expect: ['signature-invalid'],
  },
  {
    title: 'params: a boolean is not a float',
    doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "float", "default": true}]'»\n`,
    expect: ['signature-invalid'],
  },
  {
    title: 'params: a number is not a string',
    doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "string", "default": 5}]'»\n`,
    expect: ['signature-invalid'],
  },
  {
    title: 'params: a fraction is not an integer',
    doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "long", "default": 1.5}]'»\n`,
    expect: ['signature-invalid'],
  },
  {
    title: 'params: an integer written as a float is a float (Python reads 1.0 so)',
    doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "long", "default": 1.0}]'»\n`,
    expect: ['signature-invalid'],
  },
  {
    title: 'params: an exponent makes a float',
    doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "integer", "default": 1E2}]'»\n`,
    expect: ['signature-invalid'],
  },
  {
    title: 'params: a float in a list of integers',
    doc: `${PYFUNC}signature:\n  params: «'[{"name": "a", "type": "long", "default": [1, 2.0], "shape": [-1]}]'»\n`,
    expect: ['signature-invalid'],
  },
  {
    title: 'params: floats written like integers are fine for float and double, and text that looks like 1.0 is text',
    doc: `${PYFUNC}signature:\n  outputs: '[{"type": "double"}]'\n  params: '[{"name": "a", "type": "double", "default": 1.0}, {"name": "b", "type": "float", "default": [1e3, -0.0], "shape": [-1]}, {"name": "c", "type": "string", "default": "1.0"}, {"name": "d", "type": "long", "default": 10000000000}]'\n`,
    expect: [],
  },
  {
    title: 'params defaults MLflow converts (int to float/double/long) or keeps',
    doc: `${PYFUNC}signature:\n  outputs: '[{"type": "double"}]'\n  params: '[{"name": "a", "type": "double", "default": 1}, {"name": "b", "type": "float", "default": 2}, {"name": "c", "type": "long", "default": 3}, {"name": "d", "type": "boolean", "default": false}, {"name": "e", "type": "string", "default": null}, {"name": "f", "type": "datetime", "default": "2024-01-01"}, {"name": "g", "type": "integer", "default": [1, 2], "shape": [-1]}]'\n`,
    expect: [],
  },
  { title: 'JSON-syntax MLmodel is fine', doc: '{"flavors": {"python_function": {"loader_module": "m", "env": "conda.yaml"}}}\n', expect: [] },
  { title: 'a non-string top-level key', doc: `${PYFUNC}«1»: x\n`, expect: ['non-string-key'] },
  {
    title: 'object columns, maps and any',
    doc: sig(
      '[{"type": "object", "name": "o", "properties": {"p": {"type": "map", "values": {"type": "any"}}}}, {"type": "any", "name": "z", "required": false}]',
    ),
    expect: [],
  },
];

describe('MLmodel rules', () => {
  for (const c of cases) {
    it(c.title, async () => {
      const { text, ranges } = marked(c.doc);
      assert.equal(ranges.length, c.expect.length, 'test table: one marker per expected finding');
      const findings = await lintMlmodel(text, c.files ? memoryFiles(c.files) : undefined);
      const actual = findings.filter((f) => !(c.ignore ?? []).includes(f.code)).map((f) => `${f.code} ${rangeText(f.range)}`);
      assert.deepEqual(
        actual,
        c.expect.map((code, i) => `${code} ${rangeText(ranges[i])}`),
      );
      for (const f of findings) assert.equal(f.severity, RULES[f.code as keyof typeof RULES].severity);
    });
  }

  it('missing model files are warnings, never errors', () => {
    assert.equal(RULES['model-file-missing'].severity, 'warning');
  });

  it('quick fix quotes python_version with its source text', async () => {
    const text = 'flavors:\n  python_function:\n    loader_module: m\n    python_version: 3.10\n    env: {conda: a, virtualenv: b}\n';
    const [finding] = await lintMlmodel(text);
    assert.equal(finding.code, 'python-version-not-string');
    assert.match(finding.message, /number 3\.1\b/);
    const fixed = applyEdits(text, finding.fix![0].edits);
    assert.match(fixed, /python_version: '3\.10'/);
    assert.deepEqual(await lintMlmodel(fixed), []);
  });

  it('quick fix names the flavor’s MLflow module instead of pickle', async () => {
    const text = 'flavors:\n  python_function:\n    loader_module: pickle\n    python_version: "3.10.12"\n  sklearn:\n    pickled_model: model.pkl\n';
    const [finding] = await lintMlmodel(text);
    assert.equal(finding.code, 'pyfunc-loader-module-invalid');
    assert.match(finding.message, /_load_pyfunc/);
    assert.deepEqual(
      finding.fix?.map((f) => f.title),
      ['Change to mlflow.sklearn'],
    );
    assert.deepEqual(await lintMlmodel(applyEdits(text, finding.fix![0].edits)), []);
    const noFlavor = await lintMlmodel('flavors:\n  python_function:\n    loader_module: joblib\n');
    assert.deepEqual(
      noFlavor.map((f) => [f.code, f.fix]),
      [['pyfunc-loader-module-invalid', undefined]],
    );
  });

  it('summarises signature columns for hover tables', () => {
    const model = parseMlmodel(sig('[{"type": "double", "name": "x"}, {"type": "array", "items": {"type": "string"}, "name": "tags", "required": false}]'));
    const inputs = model.signature!.parts[0];
    assert.equal(inputs.specKind, 'columns');
    assert.deepEqual(
      inputs.columns.map((c) => [c.name, c.type, c.required]),
      [
        ['x', 'double', undefined],
        ['tags', 'array<string>', false],
      ],
    );
  });

  it('reads NaN in signature JSON as Python does', async () => {
    const text = `${PYFUNC}signature:\n  params: '[{"name": "a", "type": "double", "default": NaN}]'\n`;
    assert.deepEqual(await lintMlmodel(text), []);
  });
});

describe('parsePythonJson', () => {
  it('reads what json.loads reads, with the same values', () => {
    for (const markFloats of [false, true]) {
      assert.deepEqual(parsePythonJson('[1.0, 1e3, -0.5, "2.0", {"k": 3.25}, NaN]', markFloats), [1, 1000, -0.5, '2.0', { k: 3.25 }, null]);
      assert.deepEqual(parsePythonJson('{"a": "x\\"1.0", "b": "\\u0000", "c": 2.0}', markFloats), { a: 'x"1.0', b: '\u0000', c: 2 });
    }
  });

  it('rejects what json.loads rejects, with JSON.parse’s message for the user’s own text', () => {
    for (const text of ['[01.5]', '[1.]', '[.5]', '[1.0.0]', '[+1.0]', '{"a": 1.0']) {
      assert.throws(
        () => parsePythonJson(text, true),
        (error: Error) => !error.message.includes('pyfloat'),
        text,
      );
    }
  });
});
