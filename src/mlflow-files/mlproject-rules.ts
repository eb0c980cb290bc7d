// MLproject rules: structure, environments and Docker, following MLflow's `load_project` line by line
// (mlflow/projects/_project_spec.py) and `validate_docker_env`. Entry points and commands are in
// entry-point-rules.ts.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { checkCondaEnvFile, checkPythonEnvFile, type EnvironmentFileProblem } from './environment-files';
import { lintEntryPoints } from './entry-point-rules';
import { replaceFix } from './edits';
import { isPythonFalsy, type EnvironmentDeclaration, type MlprojectModel } from './mlproject';
import { duplicateKeyFindings, finding, unknownKeys, yamlSyntaxFindings } from './rules';
import { MLPROJECT_TOP_LEVEL_KEYS, DOCKER_ENV_KEYS } from './schema';
import type { Finding, ProjectFiles, Range } from './types';
import { findPair, jsValue, keyText, pairsOf } from './yaml-document';

/** One answer per path for the length of a lint: a generated project names the same script thousands of times. */
function askedOnce(files: ProjectFiles): ProjectFiles {
  const exists = new Map<string, Promise<boolean>>();
  const texts = new Map<string, Promise<string | undefined>>();
  return {
    exists(path) {
      let answer = exists.get(path);
      if (!answer) exists.set(path, (answer = files.exists(path)));
      return answer;
    },
    readText(path) {
      let answer = texts.get(path);
      if (!answer) texts.set(path, (answer = files.readText(path)));
      return answer;
    },
  };
}

export async function lintMlprojectModel(model: MlprojectModel, projectFiles?: ProjectFiles): Promise<Finding[]> {
  const files = projectFiles && askedOnce(projectFiles);
  const { parsed } = model;
  if (parsed.templated) {
    return [
      finding(
        'templated-file',
        firstLineRange(model),
        'This MLproject is a template (Jinja/cookiecutter tags such as {% %} or {{ cookiecutter.… }}); it is checked once it has been rendered.',
      ),
    ];
  }
  const syntax = yamlSyntaxFindings(parsed);
  if (syntax.length) return syntax;
  if (!model.root) {
    const contents = parsed.doc.contents as Node | null;
    const what = contents === null || (isScalar(contents) && contents.value === null) ? 'is empty' : isSeq(contents) ? 'is a list' : 'is a single value';
    return [
      finding(
        'not-a-mapping',
        contents && contents.range ? parsed.rangeOf(contents) : firstLineRange(model),
        `The MLproject ${what}; MLflow expects a mapping of keys such as name, entry_points and conda_env, and fails to load it (AttributeError on yaml_obj.keys()).`,
      ),
    ];
  }
  const findings: Finding[] = duplicateKeyFindings(model.duplicateKeys);
  for (const entryPoint of model.entryPoints) findings.push(...duplicateKeyFindings(entryPoint.duplicateKeys));
  findings.push(...unknownKeys(model.topLevelKeys, MLPROJECT_TOP_LEVEL_KEYS, 'a top-level MLproject key'));
  findings.push(...environmentRules(model));
  const databricks = findPair(model.root, 'databricks_spark_job');
  if (databricks) findings.push(...databricksRules(model, databricks.value as Node | null, parsed.rangeOf(databricks.key as Node)));
  else {
    findings.push(...dockerRules(model));
    if (files) findings.push(...(await environmentFileRules(model, files)));
  }
  findings.push(...(await lintEntryPoints(model, files)));
  return findings;
}

function firstLineRange(model: MlprojectModel): Range {
  const firstLine = model.parsed.text.split(/\r?\n|\r/, 1)[0] ?? '';
  return { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } };
}

function environmentRules(model: MlprojectModel): Finding[] {
  const findings: Finding[] = [];
  const { environments } = model;
  if (environments.length > 1) {
    const names = environments.map((e) => e.key).join(', ');
    for (const extra of environments.slice(1)) {
      findings.push(
        finding(
          'multiple-environments',
          extra.keyRange,
          `An MLproject may name only one environment, but this one has ${names}. MLflow counts a key even when its value is empty and refuses to load the project ("Project cannot contain multiple environment fields").`,
        ),
      );
    }
  }
  for (const env of environments) {
    if (isPythonFalsy(env.value)) {
      findings.push(
        finding(
          'empty-environment-key',
          env.keyRange,
          `'${env.key}' has no value. MLflow ignores it when choosing the environment but still counts it as one, so it conflicts with any other environment key; remove it or fill it in.`,
        ),
      );
    } else if (env.key !== 'docker_env' && typeof env.value !== 'string') {
      findings.push(
        finding(
          'environment-file-not-string',
          env.valueRange,
          `'${env.key}' must be a path to a file relative to the project folder; MLflow fails with a TypeError when joining it to the project path.`,
        ),
      );
    }
  }
  return findings;
}

function dockerRules(model: MlprojectModel): Finding[] {
  const env = model.environments.find((e) => e.key === 'docker_env');
  if (!env || isPythonFalsy(env.value)) return [];
  const { parsed } = model;
  const node = findPair(model.root!, 'docker_env')!.value as Node | null;
  if (!isMap(node)) {
    const hint = typeof env.value === 'string' ? ` Write it as a mapping: docker_env: {image: ${env.value}}.` : '';
    const fix =
      typeof env.value === 'string' ? [replaceFix('Write docker_env as {image: …}', env.valueRange, `{image: ${JSON.stringify(env.value)}}`, true)] : undefined;
    return [
      finding(
        'docker-env-not-mapping',
        env.keyRange,
        `docker_env must be a mapping with an 'image' key; MLflow crashes on this value ("'${pyTypeName(env.value)}' object has no attribute 'get'").${hint}`,
        fix,
      ),
    ];
  }
  const findings: Finding[] = [];
  findings.push(
    ...unknownKeys(
      pairsOf(node).map((p) => ({ value: keyText(p.key), range: parsed.rangeOf(p.key as Node) })),
      DOCKER_ENV_KEYS,
      'a docker_env key',
    ),
  );
  if (!env.image || isPythonFalsy(env.image.value)) {
    findings.push(
      finding(
        'docker-image-missing',
        env.image ? env.image.range : env.keyRange,
        'docker_env needs an \'image\' (MLflow: "Docker environment specified but no image attribute found.")',
      ),
    );
    return findings;
  }
  const volumes = findPair(node, 'volumes');
  if (volumes && !isPythonFalsy(jsValue(volumes.value as Node | null))) {
    const value = volumes.value as Node | null;
    const items = isSeq(value) ? value.items : undefined;
    const bad = items ? items.find((item) => !(isScalar(item) && typeof item.value === 'string')) : value;
    if (bad !== undefined) {
      findings.push(
        finding(
          'docker-volumes-invalid',
          parsed.rangeOf((bad as Node) ?? value),
          'docker_env.volumes must be a list of strings such as "/host/path:/container/path" (MLflow: "Docker volumes must be a list of strings").',
        ),
      );
    }
  }
  // The loader checks only truthy values; starting the container then iterates whatever is not None.
  for (const key of ['volumes', 'environment']) {
    const pair = findPair(node, key);
    const value = pair ? jsValue(pair.value as Node | null) : undefined;
    if (pair && (value === 0 || value === false)) {
      findings.push(
        finding(
          'docker-list-invalid',
          parsed.rangeOf(pair.value as Node),
          `docker_env.${key} is ${String(value)}: MLflow loads the project, but every run fails when it starts the container (TypeError: '${typeof value === 'number' ? 'int' : 'bool'}' object is not iterable). Use a list, or remove the key.`,
        ),
      );
    }
  }
  const environment = findPair(node, 'environment');
  if (environment && !isPythonFalsy(jsValue(environment.value as Node | null))) {
    const value = environment.value as Node | null;
    if (!isSeq(value)) {
      findings.push(finding('docker-environment-invalid', parsed.rangeOf(value), dockerEnvironmentMessage));
    } else {
      for (const item of value.items as (Node | null)[]) {
        if (isScalar(item) && typeof item.value === 'string') continue;
        if (isSeq(item)) {
          const pair = item.items as Node[];
          if (pair.length < 2) {
            // local.py reads user_entry[0] and user_entry[1] when it starts the container.
            const only = pair[0];
            const name = isScalar(only) && typeof only.value === 'string' ? only.value : undefined;
            findings.push(
              finding(
                'docker-environment-pair-incomplete',
                parsed.rangeOf(item),
                `This docker_env.environment entry is a list ${pair.length ? 'with only a name' : 'with nothing in it'}, so every 'mlflow run' fails when it starts the container (IndexError: list index out of range). Set a variable with ["NAME", "value"], or copy one from the host with a plain "NAME".`,
                name !== undefined && only.range
                  ? [replaceFix(`Copy ${name} from the host`, parsed.rangeOf(item), parsed.text.slice(only.range[0], only.range[1]), true)]
                  : undefined,
              ),
            );
          } else if (
            pair.length !== 2 ||
            !pair.every((p) => isScalar(p) && (typeof p.value === 'string' || typeof p.value === 'number' || typeof p.value === 'boolean'))
          ) {
            findings.push(
              finding(
                'docker-environment-pair',
                parsed.rangeOf(item),
                pair.length > 2
                  ? 'This docker_env.environment entry has more than two items; MLflow uses the first as the name and the second as the value and ignores the rest.'
                  : 'This docker_env.environment entry should be a pair of plain values ["NAME", "value"]; MLflow hands Docker NAME=value with each item as Python prints it.',
              ),
            );
          }
          continue;
        }
        findings.push(finding('docker-environment-invalid', parsed.rangeOf(item), dockerEnvironmentMessage));
        break;
      }
    }
  }
  // Run-time checks of `mlflow run` (validate_docker_env).
  const name = model.name;
  if (!name || isPythonFalsy(name.value)) {
    findings.push(
      finding(
        'docker-name-missing',
        name ? name.range : env.keyRange,
        'A Docker project needs a top-level name: MLflow tags the image it builds with it, and mlflow run fails without it ("Project name in MLProject must be specified when using docker for image tagging.").',
      ),
    );
  } else if (typeof name.value !== 'string' || !DOCKER_REPOSITORY.test(name.value)) {
    findings.push(
      finding(
        'docker-name-invalid',
        name.range,
        `MLflow tags the Docker image with the project name, but '${String(name.value)}' is not a valid Docker repository name (lowercase letters, digits and . _ - separators).`,
      ),
    );
  }
  return findings;
}

const DOCKER_REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

const dockerEnvironmentMessage =
  'docker_env.environment must be a list whose items are a variable name to copy from the host ("NAME") or a pair that sets one (["NAME", "value"]); MLflow refuses to load the project otherwise.';

function pyTypeName(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  return 'object';
}

async function environmentFileRules(model: MlprojectModel, files: ProjectFiles): Promise<Finding[]> {
  if (model.environments.length > 1) return [];
  const env = model.environments[0] as EnvironmentDeclaration | undefined;
  if (env && env.key === 'docker_env' && !isPythonFalsy(env.value)) return [];
  if (env && env.file !== undefined && env.file !== '') {
    const kind = env.key === 'python_env' ? 'python_env' : 'conda environment';
    if (!(await files.exists(env.file))) {
      return [
        finding(
          'environment-file-missing',
          env.valueRange,
          `The ${kind} file '${env.file}' does not exist relative to the project folder; MLflow refuses to load the project ("Project specified ${kind} file ${env.file}, but no such file was found.").`,
        ),
      ];
    }
    return checkEnvironmentFile(env.key === 'python_env' ? 'python_env' : 'conda', env.file, env.valueRange, files);
  }
  // No environment key: MLflow picks up python_env.yaml, else conda.yaml, beside the MLproject.
  if (env && !isPythonFalsy(env.value)) return [];
  const anchor = model.topLevelKeys[0]?.range ?? firstLineRange(model);
  if (await files.exists('python_env.yaml')) return checkEnvironmentFile('python_env', 'python_env.yaml', anchor, files, true);
  if (await files.exists('conda.yaml')) return checkEnvironmentFile('conda', 'conda.yaml', anchor, files, true);
  return [];
}

async function checkEnvironmentFile(kind: 'python_env' | 'conda', file: string, range: Range, files: ProjectFiles, implicit = false): Promise<Finding[]> {
  const text = await files.readText(file);
  if (text === undefined) return [];
  const problems: EnvironmentFileProblem[] = kind === 'python_env' ? checkPythonEnvFile(text) : checkCondaEnvFile(text);
  return problems.map((problem) =>
    finding(
      'environment-file-invalid',
      range,
      `${implicit ? `MLflow uses '${file}' from the project folder, but ` : `The ${kind === 'python_env' ? 'python_env' : 'conda environment'} file '${file}' is invalid: `}${problem.line ? `line ${problem.line}: ` : ''}${problem.message}.`,
    ),
  );
}

function databricksRules(model: MlprojectModel, node: Node | null, keyRange: Range): Finding[] {
  const { parsed } = model;
  const findings: Finding[] = [];
  const value = jsValue(node);
  if (value === null) return findings; // `databricks_spark_job:` with no value is treated as absent.
  if (!isMap(node)) {
    return [
      finding(
        'databricks-spark-job',
        parsed.rangeOf(node),
        'databricks_spark_job must be a mapping (python_file, parameters, python_libraries); MLflow crashes on this value.',
      ),
    ];
  }
  const pythonFile = findPair(node, 'python_file');
  const hasPythonFile = !!pythonFile && jsValue(pythonFile.value as Node | null) !== null;
  const hasEntryPoints = model.entryPoints.length > 0;
  if (!hasPythonFile && !hasEntryPoints) {
    findings.push(
      finding(
        'databricks-spark-job',
        keyRange,
        "A Databricks Spark job needs either 'databricks_spark_job.python_file' or 'entry_points' (MLflow refuses to load the project).",
      ),
    );
  }
  if (hasPythonFile && hasEntryPoints) {
    findings.push(
      finding(
        'databricks-spark-job',
        parsed.rangeOf(pythonFile!.key as Node),
        "A Databricks Spark job cannot set both 'databricks_spark_job.python_file' and 'entry_points' (MLflow refuses to load the project).",
      ),
    );
  }
  for (const entryPoint of model.entryPoints) {
    for (const parameter of entryPoint.parameters) {
      if (parameter.type?.value === 'path') {
        findings.push(
          finding('databricks-spark-job', parameter.type.range, `A Databricks Spark job does not support parameters of type 'path' ('${parameter.name}').`),
        );
      }
    }
  }
  for (const env of model.environments) {
    const what = env.key === 'docker_env' ? 'a docker' : env.key === 'python_env' ? 'a python' : 'a conda';
    findings.push(finding('databricks-spark-job', env.keyRange, `A Databricks Spark job does not support setting ${what} environment.`));
  }
  return findings;
}
