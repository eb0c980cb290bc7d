// Checks of the environment files an MLproject uses: `python_env.yaml` as MLflow's `_PythonEnv` reads it,
// and a conda environment file as far as conda itself needs it.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { pairsOf } from './yaml-document';
import { keyText, parseYaml } from './yaml-document';

export interface EnvironmentFileProblem {
  /** 1-based line in the environment file, when known. */
  line?: number;
  message: string;
}

const PYTHON_ENV_KEYS = ['python', 'build_dependencies', 'dependencies'];

// An editor re-validates the MLproject on every keystroke, and with it the same environment file: the
// answers for the last few texts are kept (small files only).
const recent = new Map<string, EnvironmentFileProblem[]>();

function remembered(kind: string, text: string, check: (text: string) => EnvironmentFileProblem[]): EnvironmentFileProblem[] {
  if (text.length > 64 * 1024) return check(text);
  const key = kind + '\0' + text;
  let problems = recent.get(key);
  if (!problems) {
    problems = check(text);
    recent.set(key, problems);
    if (recent.size > 16) recent.delete(recent.keys().next().value!);
  }
  return problems.map((problem) => ({ ...problem }));
}

/** Problems MLflow's `_PythonEnv(**yaml.safe_load(f))` raises on; empty when the file is usable. */
export function checkPythonEnvFile(text: string): EnvironmentFileProblem[] {
  return remembered('python_env', text, pythonEnvProblems);
}

/** Problems that stop conda from creating the environment at all. */
export function checkCondaEnvFile(text: string): EnvironmentFileProblem[] {
  return remembered('conda', text, condaEnvProblems);
}

function pythonEnvProblems(text: string): EnvironmentFileProblem[] {
  const parsed = parseYaml(text);
  const lineOf = (node: Node | null | undefined) => (node && node.range ? parsed.positionAt(node.range[0]).line + 1 : undefined);
  if (parsed.doc.errors.length) {
    const error = parsed.doc.errors[0];
    return [{ line: parsed.positionAt(error.pos[0]).line + 1, message: `it is not valid YAML (${error.message.split('\n')[0]})` }];
  }
  const root = parsed.doc.contents;
  if (!isMap(root)) {
    return [{ line: lineOf(root as Node | null), message: 'its top level is not a mapping (MLflow fails with TypeError)' }];
  }
  const problems: EnvironmentFileProblem[] = [];
  for (const pair of pairsOf(root)) {
    const key = keyText(pair.key);
    const value = pair.value as Node | null;
    const line = lineOf(pair.key as Node);
    if (!PYTHON_ENV_KEYS.includes(key)) {
      problems.push({ line, message: `it has the key '${key}', which MLflow rejects ("_PythonEnv.__init__() got an unexpected keyword argument '${key}'")` });
      continue;
    }
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (key === 'python' && !(isScalar(value) && typeof value.value === 'string')) {
      const shown = isScalar(value) ? parsed.text.slice(value.range![0], value.range![1]).trim() : 'a collection';
      problems.push({ line: lineOf(value), message: `'python' is ${shown}, not a string ("\`python\` must be a string"); quote the version` });
    }
    if (key !== 'python' && !isSeq(value)) {
      problems.push({ line: lineOf(value), message: `'${key}' is not a list ("\`${key}\` must be a list")` });
    }
  }
  return problems;
}

function condaEnvProblems(text: string): EnvironmentFileProblem[] {
  const parsed = parseYaml(text);
  if (parsed.doc.errors.length) {
    const error = parsed.doc.errors[0];
    return [{ line: parsed.positionAt(error.pos[0]).line + 1, message: `it is not valid YAML (${error.message.split('\n')[0]})` }];
  }
  const root = parsed.doc.contents;
  if (!isMap(root)) return [{ message: 'its top level is not a mapping' }];
  const dependencies = pairsOf(root).find((pair) => keyText(pair.key) === 'dependencies');
  const value = dependencies?.value as Node | null | undefined;
  if (value && !isSeq(value) && !(isScalar(value) && value.value === null)) {
    return [{ line: parsed.positionAt(value.range![0]).line + 1, message: "'dependencies' is not a list" }];
  }
  return [];
}
