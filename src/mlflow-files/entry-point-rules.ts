// Entry points, parameters and commands: MLflow's EntryPoint/Parameter constructors (load time) and
// EntryPoint.compute_command, which fills the command with Python's str.format (run time).
// Over 400 lines (formatted) because it follows those few MLflow functions check by check, in their order;
// split further, one function's checks would sit in several files.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { argumentKind } from './command-template';
import { declareParameterFix, removeParameterFix, replaceFix } from './edits';
import type { EntryPoint, MlprojectModel, Parameter } from './mlproject';
import { didYouMean, finding, unknownKeys } from './rules';
import { DOCUMENTED_PARAMETER_TYPES, ENTRY_POINT_KEYS } from './schema';
import type { Finding, Fix, ProjectFiles } from './types';
import { findPair, jsValue } from './yaml-document';

export async function lintEntryPoints(model: MlprojectModel, files?: ProjectFiles): Promise<Finding[]> {
  const { parsed, root } = model;
  const findings: Finding[] = [];
  const entryPointsPair = root ? findPair(root, 'entry_points') : undefined;
  if (entryPointsPair) {
    const value = entryPointsPair.value as Node | null;
    if (!isMap(value)) {
      const what = jsValue(value) === null ? 'empty' : isSeq(value) ? 'a list' : 'a single value';
      findings.push(
        finding(
          'entry-points-invalid',
          jsValue(value) !== null && value?.range ? parsed.rangeOf(value) : model.entryPointsKeyRange!,
          `entry_points is ${what}; it must be a mapping from entry point names to {parameters, command}. MLflow crashes on this ("'${what === 'empty' ? 'NoneType' : what === 'a list' ? 'list' : 'str'}' object has no attribute 'items'"). Remove the key if the project has no entry points.`,
        ),
      );
      return findings;
    }
  }
  // A Databricks job with python_file ignores entry points altogether.
  const databricks = root ? findPair(root, 'databricks_spark_job')?.value : undefined;
  const databricksPythonFile = isMap(databricks) && !!findPair(databricks, 'python_file');
  if (!model.entryPoints.some((e) => e.name === 'main') && !databricksPythonFile) {
    findings.push(
      finding(
        'no-main-entry-point',
        model.entryPointsKeyRange ?? model.topLevelKeys[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        `There is no 'main' entry point, so a plain 'mlflow run' fails; run it with -e <name>${model.entryPoints.length ? ` (${namesInBrief(model.entryPoints.map((e) => e.name))})` : ''}.`,
      ),
    );
  }
  for (const entryPoint of model.entryPoints) findings.push(...(await lintEntryPoint(model, entryPoint, files)));
  return findings;
}

/** A few names for a message; a generated project may have thousands. */
function namesInBrief(names: string[], shown = 5): string {
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

/** An entry point name `mlflow run -e` would also accept as a script file. */
export const SCRIPT_ENTRY_POINT = /\.(py|sh|R)$/;

async function lintEntryPoint(model: MlprojectModel, entryPoint: EntryPoint, files?: ProjectFiles): Promise<Finding[]> {
  const { parsed } = model;
  const findings: Finding[] = [];
  if (entryPoint.nameType) findings.push(nameNotString(parsed, 'entry point', entryPoint.nameType, entryPoint.nameRange));
  if (files && SCRIPT_ENTRY_POINT.test(entryPoint.name) && !(await files.exists(entryPoint.name))) {
    findings.push(
      finding(
        'script-entry-point-missing',
        entryPoint.nameRange,
        `The entry point '${entryPoint.name}' is named like a script, but no file '${entryPoint.name}' exists in the project folder. MLflow runs the declared command, but 'mlflow run -e ${entryPoint.name}' looks like it runs that file.`,
      ),
    );
  }
  if (!isMap(entryPoint.node)) {
    const value = jsValue(entryPoint.node);
    const fix: Fix[] | undefined =
      typeof value === 'string' && entryPoint.node?.range
        ? [replaceFix('Make it {command: …}', parsed.rangeOf(entryPoint.node), `{command: ${JSON.stringify(value)}}`, true)]
        : undefined;
    findings.push(
      finding(
        'entry-point-not-mapping',
        jsValue(entryPoint.node) !== null && entryPoint.node?.range ? parsed.rangeOf(entryPoint.node) : entryPoint.nameRange,
        `The entry point '${entryPoint.name}' must be a mapping with 'command' (and optionally 'parameters'); MLflow crashes on this value ("object has no attribute 'get'").`,
        fix,
      ),
    );
    return findings;
  }
  findings.push(...unknownKeys(entryPoint.otherKeys, ENTRY_POINT_KEYS, 'an entry point key'));
  const parametersPair = findPair(entryPoint.node, 'parameters');
  if (parametersPair && !isMap(parametersPair.value)) {
    const value = parametersPair.value as Node | null;
    findings.push(
      finding(
        'parameters-invalid',
        jsValue(value) !== null && value?.range ? parsed.rangeOf(value) : entryPoint.parametersKeyRange!,
        `parameters of '${entryPoint.name}' must be a mapping from parameter names to a type or {type, default}; MLflow crashes on ${jsValue(value) === null ? 'an empty value' : 'this value'} ("object has no attribute 'items'"). Remove the key if there are no parameters.`,
      ),
    );
  }
  for (const parameter of entryPoint.parameters) findings.push(...(await lintParameter(model, parameter, files)));
  findings.push(...lintCommand(model, entryPoint));
  // A Docker project may run scripts that its image holds: without --build-image MLflow runs the image as it is.
  const inDocker = model.environments.some((e) => e.key === 'docker_env');
  if (files && entryPoint.command && !inDocker) {
    for (const script of entryPoint.command.scripts) {
      if (await files.exists(script.value)) continue;
      findings.push(
        finding(
          'command-script-missing',
          script.range,
          `The command of '${entryPoint.name}' runs '${script.value}', which is not in the project folder. MLflow runs the command from that folder, so the run fails unless the file is there when it starts.`,
        ),
      );
    }
  }
  return findings;
}

/** `type:int`, `type int`, `default=3`: one key where a key and its value were meant. */
const MALFORMED_KEY = /^(type|default)(\s*[:=]\s*|\s+)(\S[\s\S]*)$/;

/** `mlflow run -e NAME` and `-P NAME=…` pass text, which never equals a number or boolean key. */
function nameNotString(parsed: MlprojectModel['parsed'], what: 'entry point' | 'parameter', type: string, range: Finding['range']): Finding {
  const source = parsed.text.slice(parsed.offsetAt(range.start), parsed.offsetAt(range.end));
  const quoted = `'${source.replace(/'/g, "''")}'`;
  return finding(
    'name-not-string',
    range,
    `YAML reads the ${what} name ${source} as a ${type}, but 'mlflow run' ${what === 'entry point' ? '-e' : '-P'} passes text, which never matches it, so ${what === 'entry point' ? 'this entry point cannot be run from the command line' : 'no value given on the command line reaches it'}. Quote it: ${quoted}.`,
    [replaceFix(`Quote it: ${quoted}`, range, quoted, true)],
  );
}

async function lintParameter(model: MlprojectModel, parameter: Parameter, files?: ProjectFiles): Promise<Finding[]> {
  const { parsed } = model;
  const findings: Finding[] = [];
  if (parameter.nameType) findings.push(nameNotString(parsed, 'parameter', parameter.nameType, parameter.nameRange));
  const node = parameter.node;
  const isString = isScalar(node) && typeof node.value === 'string';
  if (!isString && !isMap(node)) {
    const value = jsValue(node);
    findings.push(
      finding(
        'parameter-invalid',
        value !== null && node?.range ? parsed.rangeOf(node) : parameter.nameRange,
        `Parameter '${parameter.name}' must be a type name (alpha: float) or a mapping ({type: float, default: 0.1}); MLflow crashes on ${value === null ? 'an empty value' : `the value ${JSON.stringify(value)}`}.`,
        value !== null && value !== undefined && node?.range
          ? [
              replaceFix(
                `Make ${JSON.stringify(value)} the default`,
                parsed.rangeOf(node),
                `{type: ${typeof value === 'number' ? 'float' : 'string'}, default: ${parsed.text.slice(node.range[0], parsed.offsetAt(parsed.rangeOf(node).end))}}`,
              ),
            ]
          : undefined,
      ),
    );
    return findings;
  }
  if (isMap(node)) {
    const malformed = parameter.otherKeys.filter((key) => MALFORMED_KEY.test(key.value));
    if (malformed.length) {
      const edits = malformed.map((key) => {
        const [, name, , rest] = MALFORMED_KEY.exec(key.value)!;
        return { range: key.range, newText: `${name}: ${rest}` };
      });
      for (const key of malformed) {
        const [, name, separator, rest] = MALFORMED_KEY.exec(key.value)!;
        const why = separator.includes(':')
          ? 'YAML needs a space after the colon'
          : separator.includes('=')
            ? "YAML separates a key from its value with ': ', not '='"
            : 'YAML needs a colon between a key and its value';
        findings.push(
          finding(
            'malformed-parameter-key',
            key.range,
            `'${key.value}' is read as one key, not '${name}: ${rest}': ${why}. MLflow therefore sees no ${name} for '${parameter.name}'${name === 'type' ? ' (it becomes string)' : ' (the parameter becomes required)'}.`,
            [{ title: edits.length > 1 ? "Separate each key from its value with ': '" : `Write '${name}: ${rest}'`, edits, preferred: true }],
          ),
        );
      }
    }
    for (const key of parameter.otherKeys) {
      if (MALFORMED_KEY.test(key.value)) continue;
      const suggestion = didYouMean(key.value, ['type', 'default']);
      findings.push(
        finding(
          suggestion ? 'misspelt-parameter-key' : 'unknown-parameter-key',
          key.range,
          suggestion
            ? `'${key.value}' is not a parameter key; MLflow ignores it, so the parameter has no ${suggestion}. Did you mean '${suggestion}'?`
            : `'${key.value}' is not a parameter key that MLflow reads (only type and default are); it is ignored.`,
          suggestion ? [replaceFix(`Change to '${suggestion}'`, key.range, suggestion, true)] : undefined,
        ),
      );
    }
  }
  const type = parameter.type;
  if (type && !DOCUMENTED_PARAMETER_TYPES.includes(type.value)) {
    const suggestion = didYouMean(type.value, DOCUMENTED_PARAMETER_TYPES) ?? (type.value === 'str' ? 'string' : undefined);
    findings.push(
      finding(
        'undocumented-type',
        type.range,
        `'${type.value}' is not one of the documented parameter types (${DOCUMENTED_PARAMETER_TYPES.join(', ')}). MLflow accepts it and treats the value as a plain string, without checking it.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
        suggestion ? [replaceFix(`Change to '${suggestion}'`, type.range, suggestion)] : undefined,
      ),
    );
  }
  const defaultValue = parameter.default;
  if (defaultValue && defaultValue.value !== null && defaultValue.value !== undefined) {
    const typeName = type?.value ?? 'string';
    if (typeName === 'float' && !isPythonFloat(defaultValue.value)) {
      findings.push(
        finding(
          'float-default',
          defaultValue.range,
          `The default of float parameter '${parameter.name}' is not a number. MLflow passes it through unchecked, so the program receives ${JSON.stringify(String(defaultValue.value))}.`,
        ),
      );
    }
    if (typeName === 'uri' && !hasUriScheme(defaultValue.value)) {
      findings.push(
        finding(
          'uri-default',
          defaultValue.range,
          `The default of uri parameter '${parameter.name}' has no scheme, so every run that relies on it fails ("Expected URI for parameter ${parameter.name} but got ${String(defaultValue.value)}"). Use e.g. file:///abs/path or s3://bucket/key, or make the type path.`,
        ),
      );
    }
    if (typeName === 'path' && (typeof defaultValue.value === 'number' || typeof defaultValue.value === 'boolean')) {
      findings.push(
        finding(
          'path-default-invalid',
          defaultValue.range,
          `The default of path parameter '${parameter.name}' is the ${typeof defaultValue.value} ${String(defaultValue.value)}, not text: a run that uses it fails (AttributeError in urllib.parse). Quote it if it is a file name.`,
        ),
      );
    }
    if (typeName === 'path' && files && typeof defaultValue.value === 'string') {
      const local = localPath(defaultValue.value);
      if (local !== undefined && !(await files.exists(local))) {
        findings.push(
          finding(
            'path-default-missing',
            defaultValue.range,
            `The default '${defaultValue.value}' of path parameter '${parameter.name}' does not exist in the project folder. MLflow resolves it from the folder 'mlflow run' is started in and fails if it is missing there.`,
          ),
        );
      }
    }
  }
  return findings;
}

function lintCommand(model: MlprojectModel, entryPoint: EntryPoint): Finding[] {
  const { parsed } = model;
  const findings: Finding[] = [];
  const node = isMap(entryPoint.node) ? (findPair(entryPoint.node, 'command')?.value as Node | null | undefined) : undefined;
  const command = entryPoint.command;
  if (!command) {
    const has = node !== undefined && jsValue(node) !== null;
    findings.push(
      finding(
        'command-missing',
        has && node?.range ? parsed.rangeOf(node) : (entryPoint.commandKeyRange ?? entryPoint.nameRange),
        has
          ? `The command of '${entryPoint.name}' must be a string; MLflow cannot fill in its parameters ("object has no attribute 'format'").`
          : `The entry point '${entryPoint.name}' has no command, so 'mlflow run -e ${entryPoint.name}' fails ("'NoneType' object has no attribute 'format'").`,
      ),
    );
    return findings;
  }
  const declared = new Set(entryPoint.parameters.map((p) => p.name));
  const used = new Set<string>();
  for (const placeholder of command.placeholders) {
    const field = placeholder.field;
    const kind = argumentKind(field.argName);
    if (kind !== 'keyword') {
      const exact = placeholder.text.length === field.end - field.start && placeholder.range.start.line === placeholder.range.end.line;
      findings.push(
        finding(
          'positional-placeholder',
          placeholder.range,
          `'${placeholder.text}' is a positional field, but MLflow fills the command with named parameters only, so the run fails ("IndexError: Replacement index ${kind === 'auto' ? 0 : field.argName} out of range"). Write literal braces doubled: '${escape(placeholder.text)}'.`,
          exact ? [replaceFix('Escape the braces', placeholder.range, escape(placeholder.text), true)] : undefined,
        ),
      );
      continue;
    }
    if (!declared.has(field.argName)) {
      findings.push(undeclared(model, entryPoint, placeholder.text, field.argName, field.afterDollar, placeholder.range, [...declared]));
      continue;
    }
    used.add(field.argName);
    if (field.accessors) findings.push(...accessorFindings(placeholder.text, field.argName, field.accessors, placeholder.range));
    if (field.formatSpec !== undefined && !field.formatSpec.includes('{') && !STRING_FORMAT_SPEC.test(field.formatSpec)) {
      findings.push(
        finding(
          'placeholder-format-spec',
          placeholder.range,
          `'${placeholder.text}' applies the format spec ':${field.formatSpec}' to the parameter's shell-quoted string, which Python rejects for strings (ValueError), so the run fails. MLflow substitutes parameters as text; format the number in the program instead.`,
        ),
      );
    }
  }
  if (command.formatError) {
    const { error, range } = command.formatError;
    const single = error.kind === 'single-close' || error.kind === 'single-open';
    findings.push(
      finding(
        'format-syntax',
        range,
        `MLflow fills the command with Python's str.format, which fails here (${error.pythonMessage}). A literal brace must be doubled ({{ or }}).`,
        single && range.start.line === range.end.line && range.end.character - range.start.character === 1
          ? [replaceFix('Double the brace', range, error.kind === 'single-close' ? '}}' : '{{', true)]
          : undefined,
      ),
    );
  } else {
    for (const parameter of entryPoint.parameters) {
      if (used.has(parameter.name)) continue;
      const fix = removeParameterFix(parsed, entryPoint, parameter);
      findings.push(
        finding(
          'unused-parameter',
          parameter.nameRange,
          `The command of '${entryPoint.name}' does not use parameter '${parameter.name}' ({${parameter.name}} is missing), so its value never reaches the program.`,
          fix ? [fix] : undefined,
        ),
      );
    }
  }
  return findings;
}

function undeclared(
  model: MlprojectModel,
  entryPoint: EntryPoint,
  text: string,
  name: string,
  afterDollar: boolean,
  range: Finding['range'],
  declared: string[],
): Finding {
  const exact = range.end.character - range.start.character === text.length && range.start.line === range.end.line;
  if (afterDollar) {
    return finding(
      'shell-variable',
      range,
      `'$${text}' looks like a shell variable, but MLflow fills the command with Python's str.format first and fails on it (KeyError: '${name}'). Write it as '$${escape(text)}'.`,
      exact ? [replaceFix(`Write $${escape(text)}`, range, escape(text), true)] : undefined,
    );
  }
  const fixes: Fix[] = [];
  const suggestion = didYouMean(name, declared);
  if (suggestion && exact) fixes.push(replaceFix(`Change to {${suggestion}}`, range, text.replace(name, suggestion), true));
  const declare = declareParameterFix(model.parsed, entryPoint, name);
  if (declare) fixes.push(declare);
  if (exact) fixes.push(replaceFix('Escape the braces (literal text)', range, escape(text)));
  return finding(
    'undeclared-placeholder',
    range,
    `'${text}' names no declared parameter of '${entryPoint.name}', so every run fails (KeyError: '${name}')${suggestion ? `. Did you mean '${suggestion}'?` : '. Declare it under parameters, or double the braces for literal text.'}`,
    fixes,
  );
}

// Attributes of Python's str that formatting can read (they render as "<built-in method …>").
const STR_ATTRIBUTES = new Set(
  'capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill'.split(
    ' ',
  ),
);

function accessorFindings(text: string, name: string, accessors: string, range: Finding['range']): Finding[] {
  const parts = accessors.match(/\.[^.[]*|\[[^\]]*\]?/g) ?? [];
  // After one index the value is a single character, so a second index other than 0 or -1 is out of range.
  let indexed = false;
  for (const part of parts) {
    if (part.startsWith('[') && /^\[\d+\]$/.test(part) && indexed && part !== '[0]') {
      return [
        finding(
          'placeholder-accessor-fails',
          range,
          `'${text}' indexes a single character (the first index already picked one), so the run fails (IndexError: string index out of range). Use {${name}}.`,
        ),
      ];
    }
    if (part.startsWith('[')) indexed = true;
    else indexed = false;
    if (part.startsWith('.')) {
      const attr = part.slice(1);
      if (!STR_ATTRIBUTES.has(attr) && !attr.startsWith('__')) {
        return [
          finding(
            'placeholder-accessor-fails',
            range,
            `'${text}' reads attribute '${attr}' of the parameter's string value, which does not exist, so the run fails (AttributeError). Use {${name}}.`,
          ),
        ];
      }
    } else if (!/^\[\d+\]$/.test(part)) {
      return [
        finding(
          'placeholder-accessor-fails',
          range,
          `'${text}' indexes the parameter's string value with a non-integer, so the run fails (TypeError: string indices must be integers). Use {${name}}.`,
        ),
      ];
    }
  }
  return [
    finding(
      'placeholder-accessor',
      range,
      `'${text}' applies '${accessors}' to the parameter's shell-quoted string value, not to a number or list; it is probably not what you want. Use {${name}}.`,
    ),
  ];
}

const STRING_FORMAT_SPEC = /^(?:[\s\S]?[<>^])?0?\d*(?:\.\d+)?s?$/;

function escape(text: string): string {
  return text.replace(/[{}]/g, (b) => b + b);
}

/** Python's float() on the value YAML gives: numbers, booleans and numeric strings. */
export function isPythonFloat(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value !== 'string') return false;
  return /^\s*[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf|infinity|nan)\s*$/i.test(value);
}

/** `urllib.parse.urlparse(str(value)).scheme` is non-empty (MLflow's data_utils.is_uri). */
export function hasUriScheme(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  // Python's urlparse strips leading C0 controls and spaces, as WHATWG URL parsing does.
  // eslint-disable-next-line no-control-regex
  const stripped = value.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(stripped);
}

/** The local path of a `path` value, or undefined when MLflow would download it (a URI other than file:). */
export function localPath(value: string): string | undefined {
  if (/^file:\/\//.test(value)) return undefined; // absolute file URIs are outside the project folder
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && !/^[A-Za-z]:[\\/]/.test(value)) return undefined;
  if (/^([\\/]|~|[A-Za-z]:[\\/])/.test(value)) return undefined;
  return value;
}
