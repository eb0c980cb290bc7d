// Every finding code with its severity and a one-line summary (for docs, the CLI and tests).
import type { Document } from 'yaml';
import { replaceFix } from './edits';
import type { Finding, Fix, Range, Severity } from './types';
import type { ParsedYaml } from './yaml-document';

export interface RuleInfo {
  severity: Severity;
  summary: string;
}

export const RULES = {
  // Both kinds
  'yaml-syntax': { severity: 'error', summary: 'The file is not valid YAML.' },
  'templated-file': { severity: 'information', summary: 'A Jinja/cookiecutter template: not checked until it is rendered.' },
  'not-a-mapping': { severity: 'error', summary: 'The top level is empty or not a mapping; MLflow cannot load it.' },
  'duplicate-key': { severity: 'warning', summary: 'A key given twice in one mapping; MLflow (PyYAML) keeps the last and ignores the other.' },
  'non-string-key': { severity: 'error', summary: 'A top-level MLmodel key that is not a string (TypeError in MLflow).' },
  // MLproject: environment
  'multiple-environments': { severity: 'error', summary: 'More than one of conda_env, python_env, docker_env (by key presence).' },
  'empty-environment-key': { severity: 'warning', summary: 'An empty environment key, which still counts as an environment.' },
  'environment-file-not-string': { severity: 'error', summary: 'conda_env/python_env must be a path string.' },
  'environment-file-missing': { severity: 'error', summary: 'The conda_env/python_env file does not exist in the project folder.' },
  'environment-file-invalid': { severity: 'error', summary: 'The python_env/conda file is itself invalid.' },
  'docker-env-not-mapping': { severity: 'error', summary: 'docker_env is not a mapping (MLflow crashes with AttributeError).' },
  'docker-image-missing': { severity: 'error', summary: 'docker_env has no image.' },
  'docker-volumes-invalid': { severity: 'error', summary: 'docker_env.volumes is not a list of strings.' },
  'docker-environment-invalid': { severity: 'error', summary: 'docker_env.environment is not a list of strings or lists.' },
  'docker-environment-pair': {
    severity: 'warning',
    summary: 'A docker_env.environment list entry with more than two items, or items that are not plain values.',
  },
  // A warning although every run fails: MLflow's loader accepts it, and only starting the container fails.
  'docker-environment-pair-incomplete': {
    severity: 'warning',
    summary: 'A docker_env.environment list entry with fewer than two items (IndexError when the container starts).',
  },
  'docker-list-invalid': { severity: 'warning', summary: 'docker_env volumes/environment that is 0 or false: loaded, but starting the container fails.' },
  'docker-name-missing': { severity: 'error', summary: 'A Docker project without name (mlflow run fails).' },
  'docker-name-invalid': { severity: 'warning', summary: 'The project name cannot be a Docker repository name.' },
  'unknown-key': { severity: 'warning', summary: 'A key MLflow ignores (top level, docker_env or entry point).' },
  'databricks-spark-job': { severity: 'error', summary: 'databricks_spark_job settings MLflow rejects.' },
  // MLproject: entry points and parameters
  'entry-points-invalid': { severity: 'error', summary: 'entry_points is empty or not a mapping (MLflow crashes).' },
  'entry-point-not-mapping': { severity: 'error', summary: 'An entry point that is not a mapping (MLflow crashes).' },
  'no-main-entry-point': { severity: 'information', summary: 'No main entry point: mlflow run needs -e.' },
  'script-entry-point-missing': { severity: 'warning', summary: 'An entry point named like a script file that does not exist.' },
  'command-script-missing': { severity: 'warning', summary: 'The command runs a script that is not in the project folder.' },
  'name-not-string': { severity: 'warning', summary: 'An entry point or parameter name YAML reads as a number or boolean: mlflow run -e / -P cannot name it.' },
  'command-missing': { severity: 'error', summary: 'An entry point without a command string (mlflow run fails).' },
  'parameters-invalid': { severity: 'error', summary: 'parameters is empty or not a mapping (MLflow crashes).' },
  'parameter-invalid': { severity: 'error', summary: 'A parameter that is neither a type string nor a mapping (MLflow crashes).' },
  'undeclared-placeholder': { severity: 'error', summary: 'A {placeholder} naming no declared parameter (KeyError).' },
  'shell-variable': { severity: 'error', summary: 'A shell ${VAR} in the command; str.format needs ${{VAR}}.' },
  'positional-placeholder': { severity: 'error', summary: 'A {} or {0} placeholder (IndexError: no positional arguments).' },
  'format-syntax': { severity: 'error', summary: 'A stray brace or bad conversion in the command (ValueError).' },
  'placeholder-accessor': { severity: 'warning', summary: 'A placeholder with .attribute or [index], applied to the quoted string.' },
  'placeholder-accessor-fails': { severity: 'error', summary: 'A placeholder .attribute or [key] that Python cannot apply to a string.' },
  'placeholder-format-spec': { severity: 'error', summary: 'A format spec Python rejects for strings (ValueError).' },
  'unused-parameter': { severity: 'information', summary: 'A declared parameter the command never uses.' },
  'malformed-parameter-key': { severity: 'warning', summary: 'A key like type:int (no space after the colon); type and default are lost.' },
  'misspelt-parameter-key': { severity: 'warning', summary: 'A parameter key close to type or default (did you mean); its value is ignored.' },
  'unknown-parameter-key': { severity: 'hint', summary: 'A parameter key other than type and default (ignored by MLflow).' },
  'undocumented-type': { severity: 'hint', summary: 'A parameter type outside string, float, path, uri (treated as string).' },
  'float-default': { severity: 'warning', summary: 'A float parameter whose default is not a number.' },
  'uri-default': { severity: 'error', summary: 'A uri parameter whose default has no scheme (MLflow rejects it).' },
  'path-default-invalid': { severity: 'warning', summary: 'A path default that is a number or boolean (a run using it fails in urlparse).' },
  'path-default-missing': { severity: 'information', summary: 'A path parameter whose default does not exist in the project folder.' },
  // MLmodel
  'flavors-missing': { severity: 'warning', summary: 'No flavors: nothing can load the model.' },
  'flavors-invalid': { severity: 'error', summary: 'flavors is not a mapping.' },
  'pyfunc-invalid': { severity: 'error', summary: 'The python_function flavor is not a mapping, or its data/code is not a path.' },
  'pyfunc-loader-module-missing': { severity: 'error', summary: 'python_function without loader_module (pyfunc.load_model fails).' },
  // A warning: the model loads as far as MLflow checks an MLmodel; only importing the module fails.
  'pyfunc-loader-module-invalid': { severity: 'warning', summary: 'loader_module names a module without _load_pyfunc, such as pickle (AttributeError).' },
  'python-version-not-string': { severity: 'error', summary: 'python_version is not a string (e.g. unquoted 3.10 is the number 3.1).' },
  'pyfunc-env-incomplete': { severity: 'warning', summary: 'python_function.env mapping lacks conda or virtualenv.' },
  'env-vars-invalid': { severity: 'error', summary: 'env_vars is not a list of strings.' },
  'signature-not-mapping': { severity: 'warning', summary: 'signature is not a mapping.' },
  'signature-not-json': { severity: 'error', summary: 'A signature section that is not a JSON string.' },
  'signature-invalid': { severity: 'error', summary: 'A signature schema MLflow cannot parse.' },
  'model-file-missing': { severity: 'warning', summary: 'A file the model names does not exist beside the MLmodel.' },
  'utc-time-invalid': { severity: 'warning', summary: 'utc_time_created is not a timestamp.' },
  'example-info-invalid': { severity: 'warning', summary: 'saved_input_example_info is malformed or has an unknown type.' },
  'sklearn-serialization-format': { severity: 'error', summary: 'An sklearn serialization_format MLflow does not know.' },
  'external-model': { severity: 'error', summary: 'metadata marks the model as external; MLflow cannot load it.' },
  'no-pyfunc-flavor': { severity: 'information', summary: 'No python_function flavor: pyfunc.load_model and serving do not work.' },
} satisfies Record<string, RuleInfo>;

export type RuleCode = keyof typeof RULES;

export function finding(code: RuleCode, range: Range, message: string, fix?: Fix[]): Finding {
  const result: Finding = { range, severity: RULES[code].severity as Severity, code, message };
  if (fix && fix.length) result.fix = fix;
  return result;
}

/** Keys MLflow never sees because the same key comes again later in its mapping. */
export function duplicateKeyFindings(duplicates: readonly { key: string; range: Range; winner: Range }[]): Finding[] {
  return duplicates.map((duplicate) =>
    finding(
      'duplicate-key',
      duplicate.range,
      `'${duplicate.key}' is given again on line ${duplicate.winner.start.line + 1}. MLflow reads the file with PyYAML, which keeps the last one, so this one is ignored.`,
    ),
  );
}

/** Syntax errors of a parsed document, one finding each (at most a few: later ones are usually echoes). */
export function yamlSyntaxFindings(parsed: ParsedYaml): Finding[] {
  const errors = (parsed.doc as Document.Parsed).errors;
  if (!errors.length) {
    return parsed.pyyamlProblems.map((problem) => {
      const range = parsed.rangeOfOffsets(problem.offset, problem.offset + problem.length);
      const fix =
        problem.replacement === undefined
          ? undefined
          : [{ title: 'Replace the tab with a space', edits: [{ range, newText: problem.replacement }], preferred: true }];
      return finding('yaml-syntax', range, problem.message, fix);
    });
  }
  return errors.slice(0, 3).map((error) => {
    const [start, end] = error.pos;
    const range = parsed.rangeOfOffsets(start, Math.max(end, start));
    const first = error.message.split('\n')[0];
    return finding('yaml-syntax', range, `Invalid YAML: ${first}`);
  });
}

/** The closest candidate within a small edit distance, for "did you mean" messages. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = word.length <= 4 ? 1 : 2;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance && d <= limit) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  // Damerau-Levenshtein (optimal string alignment): `tpye` is one edit from `type`. Three rolling rows
  // instead of a matrix: it runs for every unknown key and type.
  const width = b.length + 1;
  let before = new Int32Array(width);
  let previous = new Int32Array(width);
  let current = new Int32Array(width);
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j < width; j++) {
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[width - 1];
}

/** `unknown-key` findings for the keys MLflow does not know, with a "did you mean" fix when one is close. */
export function unknownKeys(keys: { value: string; range: Range }[], known: readonly string[], where: string): Finding[] {
  const findings: Finding[] = [];
  for (const key of keys) {
    if (known.includes(key.value)) continue;
    const suggestion = didYouMean(key.value, known);
    const message = suggestion
      ? `'${key.value}' is not ${where}; MLflow ignores it. Did you mean '${suggestion}'?`
      : `'${key.value}' is not ${where}; MLflow ignores it. Known keys: ${known.join(', ')}.`;
    findings.push(finding('unknown-key', key.range, message, suggestion ? [replaceFix(`Change to '${suggestion}'`, key.range, suggestion, true)] : undefined));
  }
  return findings;
}
