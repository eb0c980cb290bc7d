/**
 * Entry-point parameters as the run prompts need them, and their validation before anything
 * runs. MLflow itself checks only `path` (the file exists) and `uri` (has a scheme), and only
 * once the run starts; a `float` that is not a number fails inside the user's code. Plain
 * module: reads the MLproject through src/mlflow-files, the disk through `fileExists`.
 */
import * as path from 'node:path';
import type { EntryPoint, MlprojectModel } from '../mlflow-files';
import { hasUriScheme, isPythonFloat } from '../mlflow-files/entry-point-rules';

export interface ParameterSpec {
  name: string;
  /** As declared; MLflow treats anything but float, path and uri as a string. */
  type: string;
  /** The default as text, as MLflow would pass it (`str(default)`); undefined when required. */
  defaultText?: string;
}

export interface EntryPointSpec {
  name: string;
  parameters: ParameterSpec[];
}

/** Python's `str()` of a YAML default: `True`/`False`, `None` never (that means required). */
function pythonText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  return String(value);
}

function entryPointSpec(entryPoint: EntryPoint): EntryPointSpec {
  return {
    name: entryPoint.name,
    parameters: entryPoint.parameters.map((p) => {
      const value = p.default?.value;
      const required = value === undefined || value === null;
      // A number keeps its written text (`1.0` stays `1.0`, which YAML reads as the number 1).
      const written = p.default?.text.trim() ?? '';
      const defaultText = required ? undefined : typeof value === 'number' && isPythonFloat(written) ? written : pythonText(value);
      return { name: p.name, type: (p.type?.value ?? 'string').trim().toLowerCase(), defaultText };
    }),
  };
}

/**
 * The entry points of a project. MLflow also runs a script that is not declared
 * (`-e train.py` runs `python train.py`, `-e run.sh` runs it with bash), without parameters.
 */
export function projectEntryPoints(model: MlprojectModel | undefined): EntryPointSpec[] {
  if (!model) return [];
  return model.entryPoints.filter((e) => e.nameType === undefined).map(entryPointSpec);
}

export interface ValidationContext {
  /** The run's working folder: relative `path` values are resolved there, as MLflow resolves them. */
  cwd: string;
  fileExists(absolutePath: string): boolean;
}

/**
 * Why a value is not acceptable for the parameter, or undefined when it is. `value` undefined
 * means "not given": the default is used, and a required parameter must be given.
 */
export function validateParameter(spec: ParameterSpec, value: string | undefined, context: ValidationContext): string | undefined {
  if (/[\r\n]/.test(value ?? '')) return `${spec.name}: a value cannot contain a line break.`;
  const effective = value ?? spec.defaultText;
  if (effective === undefined) return `${spec.name} is required (it has no default).`;
  switch (spec.type) {
    case 'float':
      return isPythonFloat(effective) ? undefined : `${spec.name} is a float: "${effective}" is not a number.`;
    case 'uri':
      return hasUriScheme(effective) ? undefined : `${spec.name} is a uri: "${effective}" has no scheme (file:, s3:, https:, …).`;
    case 'path': {
      // MLflow downloads a path given as a URI (s3://, https://) and checks a local one exists.
      if (hasUriScheme(effective) && !/^[A-Za-z]:[\\/]/.test(effective)) return undefined;
      if (effective === '') return `${spec.name} is a path: give a file or folder.`;
      const absolute = path.resolve(context.cwd, effective);
      return context.fileExists(absolute) ? undefined : `${spec.name} is a path: "${effective}" does not exist (relative paths are read from ${context.cwd}).`;
    }
    default:
      return undefined;
  }
}

/** Every problem with the values (given ones and defaults) of an entry point's parameters. */
export function validateParameters(spec: EntryPointSpec, values: ReadonlyMap<string, string>, context: ValidationContext): string[] {
  return spec.parameters.map((p) => validateParameter(p, values.get(p.name), context)).filter((m): m is string => m !== undefined);
}

/**
 * `key=value` for an extra parameter. MLflow appends an undeclared parameter to the command as
 * `--key value` with the value quoted but the key not, so a key is limited to plain characters.
 */
export function parseExtraParameter(text: string): [string, string] | string {
  const equals = text.indexOf('=');
  if (equals <= 0) return 'Write an extra parameter as key=value.';
  const key = text.slice(0, equals).trim();
  const value = text.slice(equals + 1);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(key)) {
    return (
      `"${key}" is not a plain name: MLflow writes an undeclared parameter into the command as --${key}, unquoted, ` +
      'so only letters, digits, _ . and - are allowed.'
    );
  }
  if (/[\r\n]/.test(value)) return 'A value cannot contain a line break.';
  return [key, value];
}
