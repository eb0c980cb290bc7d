import * as assert from 'node:assert/strict';
import { lintMlproject, RULES, type Finding } from '../../src/mlflow-files';
import { parseMarked as marked } from '../helpers/markedDocument';
import { applyEdits, memoryFiles, rangeText } from './helpers';

interface Case {
  title: string;
  /** The document; «…» marks the range of each expected finding, in order. */
  doc: string;
  /** Codes of the expected findings, one per marker, in document order. */
  expect: string[];
  files?: Record<string, string>;
  /** Codes left out of the comparison (noise not under test). */
  ignore?: string[];
}

const cases: Case[] = [
  // ---- accepted files: nothing at all
  {
    title: 'a clean project',
    doc: `name: demo
python_env: python_env.yaml
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.1}
      data: {type: path, default: data.csv}
      out: {type: uri, default: "s3://bucket/out"}
    command: "python train.py --alpha {alpha} --data {data} --out {out}"
`,
    files: { 'python_env.yaml': 'python: "3.10"\ndependencies:\n  - mlflow\n', 'data.csv': '', 'train.py': '' },
    expect: [],
  },
  {
    title: 'str.format escapes and field forms',
    doc: `entry_points:
  main:
    parameters:
      a: string
      b: {type: string, default: x}
      c: {type: string, default: y}
    command: "echo \${{HOME}} {{literal}} {a!r} {b:>10} {c:.3}"
`,
    expect: [],
    ignore: ['no-main-entry-point'],
  },
  // ---- YAML and shape
  { title: 'YAML syntax error', doc: 'name: x\nentry_points:\n  main:\n    command: "python x.py\n«»', expect: ['yaml-syntax'] },
  { title: 'an empty file', doc: '«»', expect: ['not-a-mapping'] },
  { title: 'a list at top level', doc: '«- main\n- train»\n', expect: ['not-a-mapping'] },
  {
    title: 'templated file gets one information',
    doc: `«name: {{ cookiecutter.project_name }}»
{% if cookiecutter.docker %}
docker_env: {image: x}
{% endif %}
entry_points: {}
`,
    expect: ['templated-file'],
  },
  // ---- environments
  {
    title: 'two environment keys, one empty',
    doc: `name: x
«conda_env»:
«python_env»: python_env.yaml
entry_points:
  main: {command: "python x.py"}
`,
    files: { 'python_env.yaml': 'python: "3.10"\n', 'x.py': '' },
    expect: ['empty-environment-key', 'multiple-environments'],
  },
  {
    title: 'missing python_env file',
    doc: 'python_env: «envs/python_env.yaml»\nentry_points:\n  main: {command: "python x.py"}\n',
    files: { 'x.py': '' },
    expect: ['environment-file-missing'],
  },
  {
    title: 'invalid python_env file (unquoted version, unknown key)',
    doc: 'python_env: ««python_env.yaml»»\nentry_points:\n  main: {command: "python x.py"}\n',
    files: { 'python_env.yaml': 'python: 3.10\npip: [mlflow]\n', 'x.py': '' },
    expect: ['environment-file-invalid', 'environment-file-invalid'],
  },
  {
    title: 'default conda.yaml that is not valid YAML',
    doc: '«name»: x\nentry_points:\n  main: {command: "python x.py"}\n',
    files: { 'conda.yaml': 'dependencies: [python=3.10\n', 'x.py': '' },
    expect: ['environment-file-invalid'],
  },
  {
    title: 'conda environment whose dependencies are not a list',
    doc: 'conda_env: «env/conda.yml»\nentry_points:\n  main: {command: "python x.py"}\n',
    files: { 'env/conda.yml': 'name: x\ndependencies: python=3.10\n', 'x.py': '' },
    expect: ['environment-file-invalid'],
  },
  {
    title: 'a conda environment MLflow accepts',
    doc: 'conda_env: conda.yaml\nentry_points:\n  main: {command: "python x.py"}\n',
    files: { 'conda.yaml': 'name: x\nchannels: [conda-forge]\ndependencies:\n  - python=3.10\n  - pip\n  - pip:\n    - mlflow\n', 'x.py': '' },
    expect: [],
  },
  {
    title: 'conda_env given as a mapping',
    doc: 'conda_env: «{file: conda.yaml}»\nentry_points:\n  main: {command: "python x.py"}\n',
    expect: ['environment-file-not-string'],
  },
  // ---- docker
  {
    title: 'docker_env given as a string',
    doc: 'name: app\n«docker_env»:\n    my_image\nentry_points:\n  main: {command: "python x.py"}\n',
    expect: ['docker-env-not-mapping'],
  },
  {
    title: 'docker_env without image and without name',
    doc: '«docker_env»:\n  volumes: ["/a:/a"]\nentry_points:\n  main: {command: "python x.py"}\n',
    expect: ['docker-image-missing'],
  },
  {
    title: 'docker project without name',
    doc: '«docker_env»:\n  image: python:3.10\nentry_points:\n  main: {command: "python x.py"}\n',
    expect: ['docker-name-missing'],
  },
  {
    title: 'docker name not a repository name, unknown docker key, bad volumes and env pair',
    doc: `name: «My Project»
docker_env:
  image: python:3.10
  «volume»: ["/a:/a"]
  volumes: ["/a:/a", «5»]
  environment: ["HOME", «["ONLY_NAME"]», «[]», ["A", "1"], «["B", "2", "3"]», «["C", [1]]»]
entry_points:
  main: {command: "python x.py"}
`,
    expect: [
      'docker-name-invalid',
      'unknown-key',
      'docker-volumes-invalid',
      'docker-environment-pair-incomplete',
      'docker-environment-pair-incomplete',
      'docker-environment-pair',
      'docker-environment-pair',
    ],
  },
  {
    title: 'docker environment that is a mapping',
    doc: 'name: app\ndocker_env:\n  image: img\n  environment: «{A: b}»\nentry_points:\n  main: {command: "python x.py"}\n',
    expect: ['docker-environment-invalid'],
  },
  // ---- entry points
  { title: 'entry_points empty', doc: 'name: x\n«entry_points»:\n', expect: ['entry-points-invalid'] },
  { title: 'entry_points a list', doc: 'name: x\nentry_points: «[main]»\n', expect: ['entry-points-invalid'] },
  {
    title: 'entry point that is a string, and no main',
    doc: '«entry_points»:\n  train: «"python train.py"»\n',
    expect: ['no-main-entry-point', 'entry-point-not-mapping'],
  },
  {
    title: 'unknown keys with did-you-mean',
    doc: `name: x
«entry_point»: {}
entry_points:
  main:
    «comand»: "python x.py"
    command: "python x.py"
`,
    expect: ['unknown-key', 'unknown-key'],
  },
  {
    title: 'entry point without command',
    doc: 'entry_points:\n  «main»:\n    parameters: {a: {type: string, default: x}}\n',
    expect: ['command-missing'],
    ignore: ['unused-parameter'],
  },
  {
    title: 'entry point named like a missing script',
    doc: 'entry_points:\n  main: {command: "python main.py"}\n  «train.py»: {command: "python «train.py»"}\n',
    files: { 'main.py': '' },
    expect: ['script-entry-point-missing', 'command-script-missing'],
  },
  // ---- what loads but fails when a run uses it
  {
    title: 'entry point and parameter names YAML reads as numbers or booleans',
    doc: 'entry_points:\n  main:\n    parameters:\n      «1»: float\n    command: python a.py\n  «on»:\n    command: python b.py\n',
    expect: ['name-not-string', 'name-not-string'],
    ignore: ['unused-parameter'],
  },
  {
    title: 'a path default that is a number',
    doc: 'entry_points:\n  main:\n    parameters:\n      p: {type: path, default: «0.4»}\n    command: python a.py {p}\n',
    expect: ['path-default-invalid'],
  },
  {
    title: 'docker volumes and environment that are 0 or false',
    doc: 'name: app\ndocker_env:\n  image: img\n  volumes: «0»\n  environment: «false»\nentry_points:\n  main: {command: "python x.py"}\n',
    expect: ['docker-list-invalid', 'docker-list-invalid'],
  },
  {
    title: 'a second index on a placeholder picks from a single character',
    doc: 'entry_points:\n  main:\n    parameters:\n      d: string\n    command: python a.py «{d[0][1]}» «{d[0][0]}»\n',
    expect: ['placeholder-accessor-fails', 'placeholder-accessor'],
  },
  // ---- duplicate keys: PyYAML keeps the last, and so do we
  {
    title: 'an entry point given twice: only the last counts',
    doc: 'name: p\nentry_points:\n  «main»:\n  main:\n    command: python train.py\n',
    files: { 'train.py': '' },
    expect: ['duplicate-key'],
  },
  {
    title: 'an environment key given twice is one environment',
    doc: 'name: p\n«conda_env»: conda.yaml\nconda_env: conda.yaml\nentry_points:\n  main:\n    command: python train.py\n',
    files: { 'train.py': '', 'conda.yaml': 'name: x\ndependencies:\n  - python=3.10\n' },
    expect: ['duplicate-key'],
  },
  {
    title: 'a parameter given twice: the last declaration counts',
    doc: 'entry_points:\n  main:\n    parameters:\n      «alpha»:\n      alpha: {«type»: float, type: uri, default: «0.1»}\n    command: python t.py {alpha}\n',
    expect: ['duplicate-key', 'duplicate-key', 'uri-default'],
  },
  {
    title: 'parameters given twice: the first mapping is ignored, so its parameter is undeclared',
    doc: 'entry_points:\n  main:\n    «parameters»: {a: string}\n    command: python a.py «{a}» {b}\n    parameters: {b: string}\n',
    expect: ['duplicate-key', 'undeclared-placeholder'],
  },
  {
    title: 'a Docker project’s scripts may live in its image',
    doc: 'name: app\ndocker_env:\n  image: my-image:1\nentry_points:\n  main: {command: "python /app/x.py && python train.py"}\n',
    files: {},
    expect: [],
  },
  {
    title: 'commands that run scripts missing from the project folder',
    doc: `entry_points:
  main:
    parameters:
      alpha: float
    command: "pip install -r requirements.txt && python -u «src/train.py» --alpha {alpha} > log.txt; bash «./eval.sh»"
  prep:
    command: |
      python -m pkg.prepare
      python «prep.py»
      cd sub && python train.py
  fit: {command: "python {alpha}.py && python /opt/fit.py && «./bin/fit»"}
  predict: {command: 'python "«predict.py»"'}
  ok: {command: "python src/ok.py"}
`,
    files: { 'src/ok.py': '' },
    expect: ['command-script-missing', 'command-script-missing', 'command-script-missing', 'command-script-missing', 'command-script-missing'],
    ignore: ['undeclared-placeholder'],
  },
  // ---- parameters
  { title: 'parameters null', doc: 'entry_points:\n  main:\n    «parameters»:\n    command: "python x.py"\n', expect: ['parameters-invalid'] },
  {
    title: 'parameter values that crash MLflow',
    doc: 'entry_points:\n  main:\n    parameters:\n      «a»:\n      b: «0.5»\n    command: "python x.py {a} {b}"\n',
    expect: ['parameter-invalid', 'parameter-invalid'],
  },
  {
    title: 'the flow-mapping trap {type:int, default:10}',
    doc: 'entry_points:\n  main:\n    parameters:\n      n: {«type:int», «default:10»}\n      s: {«type str», default: "x"}\n      f: {type: str, «default="f.pickle"»}\n    command: "python x.py {n} {s} {f}"\n',
    expect: ['malformed-parameter-key', 'malformed-parameter-key', 'malformed-parameter-key', 'malformed-parameter-key'],
    ignore: ['undocumented-type'],
  },
  {
    title: 'undocumented and misspelt types are hints',
    doc: 'entry_points:\n  main:\n    parameters:\n      a: {type: «int», default: 1}\n      b: «str»\n      c: {type: «flaot», default: 1}\n    command: "python x.py {a} {b} {c}"\n',
    expect: ['undocumented-type', 'undocumented-type', 'undocumented-type'],
  },
  {
    title: 'extra parameter keys',
    doc: 'entry_points:\n  main:\n    parameters:\n      a: {type: string, default: x, «description»: hi}\n      b: {type: string, «defualt»: y}\n    command: "python x.py {a} {b}"\n',
    expect: ['unknown-parameter-key', 'misspelt-parameter-key'],
  },
  {
    title: 'float default not a number; uri default without scheme',
    doc: 'entry_points:\n  main:\n    parameters:\n      a: {type: float, default: «abc»}\n      b: {type: float, default: "1e-3"}\n      c: {type: uri, default: «data/x.csv»}\n      d: {type: uri, default: "file:///x"}\n    command: "python x.py {a} {b} {c} {d}"\n',
    expect: ['float-default', 'uri-default'],
  },
  {
    title: 'path default missing',
    doc: 'entry_points:\n  main:\n    parameters:\n      a: {type: path, default: «data/missing.csv»}\n      b: {type: path, default: "s3://bucket/x"}\n    command: "python x.py {a} {b}"\n',
    files: { 'x.py': '' },
    expect: ['path-default-missing'],
  },
  // ---- commands
  {
    title: 'undeclared placeholder and shell variable',
    doc: 'entry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.1}\n    command: "python x.py {alpha} «{alhpa}» $«{HOME}»"\n',
    expect: ['undeclared-placeholder', 'shell-variable'],
  },
  {
    title: 'positional fields',
    doc: 'entry_points:\n  main:\n    command: "find . -exec rm «{}» \\\\; && echo «{0}»"\n',
    expect: ['positional-placeholder', 'positional-placeholder'],
  },
  { title: 'a lone closing brace', doc: 'entry_points:\n  main:\n    command: "python -c \'x«}»\'"\n', expect: ['format-syntax'] },
  { title: 'an unclosed field', doc: "entry_points:\n  main:\n    command: 'echo «{abc»'\n", expect: ['format-syntax'] },
  {
    title: 'field name parts and format specs',
    doc: 'entry_points:\n  main:\n    parameters:\n      a: {type: string, default: x}\n    command: "echo «{a.upper}» «{a.real}» «{a[0]}» «{a[x]}» «{a:.2f}» {a!s:>4}"\n',
    expect: ['placeholder-accessor', 'placeholder-accessor-fails', 'placeholder-accessor', 'placeholder-accessor-fails', 'placeholder-format-spec'].slice(0),
  },
  {
    title: 'unused parameter',
    doc: 'entry_points:\n  main:\n    parameters:\n      a: {type: string, default: x}\n      «b»: {type: string, default: y}\n    command: "python x.py {a}"\n',
    expect: ['unused-parameter'],
  },
  {
    title: 'placeholders in a folded block scalar',
    doc: 'entry_points:\n  main:\n    parameters:\n      a: {type: string, default: x}\n    command: >\n      python x.py\n      --a {a}\n      --b «{b}»\n',
    expect: ['undeclared-placeholder'],
  },
  // ---- databricks
  {
    title: 'databricks spark job with both python_file and entry points, and a path parameter',
    doc: 'databricks_spark_job:\n  «python_file»: job.py\nentry_points:\n  main:\n    parameters:\n      p: {type: «path», default: x}\n    command: "python x.py {p}"\n',
    expect: ['databricks-spark-job', 'databricks-spark-job'],
  },
];

function summary(findings: Finding[], ignore: string[]): string[] {
  return findings.filter((f) => !ignore.includes(f.code)).map((f) => `${f.code} ${rangeText(f.range)}`);
}

describe('MLproject rules', () => {
  for (const c of cases) {
    it(c.title, async () => {
      const { text, ranges } = marked(c.doc);
      assert.equal(ranges.length, c.expect.length, 'test table: one marker per expected finding');
      const findings = await lintMlproject(text, c.files ? memoryFiles(c.files) : undefined);
      const expected = c.expect.map((code, i) => `${code} ${rangeText(ranges[i])}`);
      assert.deepEqual(summary(findings, c.ignore ?? []), expected);
      for (const f of findings) {
        assert.equal(f.severity, RULES[f.code as keyof typeof RULES].severity, `severity of ${f.code}`);
        assert.ok(f.message.length > 20, `message of ${f.code}`);
      }
    });
  }

  it('gives each rule the severity the issue asks for', () => {
    const expected: Record<string, string> = {
      'undeclared-placeholder': 'error',
      'shell-variable': 'error',
      'uri-default': 'error',
      'float-default': 'warning',
      'undocumented-type': 'hint',
      'malformed-parameter-key': 'warning',
      'no-main-entry-point': 'information',
      'unused-parameter': 'information',
      'unknown-key': 'warning',
      'templated-file': 'information',
      'multiple-environments': 'error',
      'docker-env-not-mapping': 'error',
    };
    for (const [code, severity] of Object.entries(expected)) assert.equal(RULES[code as keyof typeof RULES].severity, severity, code);
  });

  it('explains each malformed parameter key by its separator and fixes it', async () => {
    const text =
      'entry_points:\n  main:\n    parameters:\n      a: {type:int}\n      b: {type path}\n      c: {type: str, default="x.pickle"}\n    command: "python x.py {a} {b} {c}"\n';
    const malformed = (await lintMlproject(text)).filter((f) => f.code === 'malformed-parameter-key');
    assert.deepEqual(
      malformed.map((f) => [f.message.split(': YAML ')[1]?.split('.')[0], f.fix?.[0].title, f.fix?.[0].edits[0].newText]),
      [
        ['needs a space after the colon', "Write 'type: int'", 'type: int'],
        ['needs a colon between a key and its value', "Write 'type: path'", 'type: path'],
        ["separates a key from its value with ': ', not '='", 'Write \'default: "x.pickle"\'', 'default: "x.pickle"'],
      ],
    );
  });

  it('quotes a name YAML reads as a boolean as it was written', async () => {
    const text = 'entry_points:\n  on:\n    command: python b.py\n';
    const [finding] = (await lintMlproject(text)).filter((f) => f.code === 'name-not-string');
    assert.match(finding.message, /name on as a boolean/);
    assert.equal(applyEdits(text, finding.fix![0].edits), text.replace('  on:', "  'on':"));
  });

  it('offers to copy a host variable for a one-item docker environment entry', async () => {
    const text = 'name: app\ndocker_env:\n  image: img\n  environment: [[KUBE_MLFLOW_TRACKING_URI]]\nentry_points:\n  main: {command: "python x.py"}\n';
    const incomplete = (await lintMlproject(text)).filter((f) => f.code === 'docker-environment-pair-incomplete');
    assert.equal(incomplete.length, 1);
    assert.equal(incomplete[0].severity, 'warning');
    assert.match(incomplete[0].message, /IndexError/);
    assert.deepEqual(
      incomplete[0].fix?.map((f) => f.title),
      ['Copy KUBE_MLFLOW_TRACKING_URI from the host'],
    );
    assert.equal(applyEdits(text, incomplete[0].fix![0].edits), text.replace('[[KUBE_MLFLOW_TRACKING_URI]]', '[KUBE_MLFLOW_TRACKING_URI]'));
    assert.deepEqual(
      (await lintMlproject(applyEdits(text, incomplete[0].fix![0].edits))).filter((f) => f.code.startsWith('docker-environment')),
      [],
    );
  });

  it('names a few entry points, not thousands, when there is no main', async () => {
    const few = await lintMlproject('entry_points:\n  a:\n    command: x\n  b:\n    command: y\n');
    assert.match(few.find((f) => f.code === 'no-main-entry-point')!.message, /-e <name> \(a, b\)\./);
    const many = await lintMlproject('entry_points:\n' + Array.from({ length: 2000 }, (_, i) => `  step_${i}:\n    command: x\n`).join(''));
    const message = many.find((f) => f.code === 'no-main-entry-point')!.message;
    assert.match(message, /\(step_0, step_1, step_2, step_3, step_4 and 1995 more\)\.$/);
    assert.ok(message.length < 200, message);
  });

  it('quotes MLflow in the multiple-environments message', async () => {
    const findings = await lintMlproject('conda_env: a.yaml\ndocker_env: {image: x}\nname: n\nentry_points: {main: {command: x}}\n');
    const finding = findings.find((f) => f.code === 'multiple-environments');
    assert.match(finding!.message, /Project cannot contain multiple environment fields/);
    assert.match(finding!.message, /conda_env, docker_env/);
  });

  it('does not check files when no ProjectFiles is given', async () => {
    const findings = await lintMlproject('python_env: missing.yaml\nentry_points:\n  main: {command: "python x.py"}\n');
    assert.deepEqual(findings, []);
  });

  it('reads a python_env.yaml that MLflow accepts without complaint', async () => {
    const files = memoryFiles({
      'env/python_env.yaml': 'python: "3.10.12"\nbuild_dependencies:\n  - pip\ndependencies:\n  - -r requirements.txt\n',
      'x.py': '',
    });
    const findings = await lintMlproject('python_env: env/python_env.yaml\nentry_points:\n  main: {command: "python x.py"}\n', files);
    assert.deepEqual(findings, []);
  });

  it('reports each invalid python_env.yaml key with its line', async () => {
    const files = memoryFiles({ 'python_env.yaml': 'python: 3.10\npip: [mlflow]\ndependencies: mlflow\n' });
    const findings = await lintMlproject('python_env: python_env.yaml\nentry_points:\n  main: {command: "python x.py"}\n', files);
    const messages = findings.filter((f) => f.code === 'environment-file-invalid').map((f) => f.message);
    assert.equal(messages.length, 3);
    assert.match(messages[0], /line 1: 'python' is 3\.10, not a string/);
    assert.match(messages[1], /line 2: .*'pip'/);
    assert.match(messages[2], /line 3: 'dependencies' is not a list/);
  });
});
