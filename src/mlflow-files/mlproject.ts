// The MLproject document model: what MLflow's project loader would read, with ranges for every part.
import { isMap, isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { scriptsInCommand } from './command-scripts';
import { parseFormatTemplate, type FormatError, type FormatField } from './command-template';
import type { Range, ValueAt } from './types';
import { detach, type YamlBlockCache } from './yaml-blocks';
import {
  findPair,
  jsValue,
  keptEntries,
  keyText,
  lastOfEachKey,
  pairsOf,
  parseYaml,
  topLevelKeysOf,
  type DuplicateKey,
  type ParsedYaml,
} from './yaml-document';

export type EnvironmentKey = 'conda_env' | 'python_env' | 'docker_env';
export const ENVIRONMENT_KEYS: readonly EnvironmentKey[] = ['conda_env', 'python_env', 'docker_env'];

export interface EnvironmentDeclaration {
  key: EnvironmentKey;
  keyRange: Range;
  /** Range of the value, or of the key when the value is empty. */
  valueRange: Range;
  /** The YAML value as MLflow sees it (null when empty). */
  value: unknown;
  /** For `conda_env`/`python_env` with a string value: the path relative to the project folder. */
  file?: string;
  /** For a `docker_env` mapping. */
  image?: ValueAt<unknown>;
}

export interface Placeholder {
  /** The parameter name the field refers to (`alpha` in `{alpha}` and `{alpha!r}`; `''` for `{}`). */
  name: string;
  /** The field as written, braces included. */
  text: string;
  /** Range of the whole field, braces included. */
  range: Range;
  field: FormatField;
}

export interface CommandTemplate {
  /** The command string after YAML parsing (what MLflow formats). */
  text: string;
  /** Range of the command's value in the document. */
  range: Range;
  placeholders: Placeholder[];
  /** Project files the command runs (`python train.py`), relative to the project folder. */
  scripts: ValueAt<string>[];
  /** The first str.format syntax error, if any (str.format stops there). */
  formatError?: { error: FormatError; range: Range };
}

export interface Parameter {
  name: string;
  nameRange: Range;
  /** The name is not a string in YAML (`1:`, `on:`): what it is instead, e.g. `number`. */
  nameType?: string;
  /** Range of the whole `name: …` entry (key to end of value), for removal. */
  entryRange: Range;
  /** Declared with a bare type string (`alpha: float`): no default, so required. */
  shortForm: boolean;
  /** The type as MLflow reads it; absent means `string`. Its range is the type value's. */
  type?: ValueAt<string>;
  /** The default as MLflow reads it; absent or null means the parameter is required. */
  default?: ValueAt<unknown> & { text: string };
  /** Keys of a mapping-form parameter other than `type` and `default`. */
  otherKeys: ValueAt<string>[];
  /** The YAML node of the parameter's value. */
  node: Node | null;
}

export interface EntryPoint {
  name: string;
  nameRange: Range;
  /** The name is not a string in YAML (`1:`, `on:`): what it is instead, e.g. `number`. */
  nameType?: string;
  /** Range from the name to the end of the entry point's value. */
  range: Range;
  command?: CommandTemplate;
  /** Range of the `command` key, when present. */
  commandKeyRange?: Range;
  /** Range of the `parameters` key, when present. */
  parametersKeyRange?: Range;
  parameters: Parameter[];
  /** Parameters declared again later under the same name: MLflow (PyYAML) ignores these. Renamed with the rest. */
  shadowedParameters: Parameter[];
  /** Keys inside this entry point that a later key of the same name overrides. */
  duplicateKeys: DuplicateKey[];
  /** Keys other than `command` and `parameters`. */
  otherKeys: ValueAt<string>[];
  node: Node | null;
}

export interface MlprojectModel {
  kind: 'mlproject';
  parsed: ParsedYaml;
  /** The top-level mapping; undefined when the document is not a mapping (MLflow cannot load it). */
  root?: YAMLMap;
  name?: ValueAt<unknown> & { keyRange: Range };
  /** Environment keys present, in document order (MLflow rejects more than one by key presence). */
  environments: EnvironmentDeclaration[];
  entryPointsKeyRange?: Range;
  /** The entry points MLflow sees: of entry points with the same name, the last. */
  entryPoints: EntryPoint[];
  /** Top-level keys with their ranges, in document order. */
  topLevelKeys: ValueAt<string>[];
  /** Top-level keys and entry point names that a later key of the same name overrides. */
  duplicateKeys: DuplicateKey[];
}

/** `cache`: blocks of an earlier version of the same document, re-used where the text is unchanged (editors). */
export function parseMlproject(text: string, cache?: YamlBlockCache): MlprojectModel {
  const parsed = parseYaml(text, cache ? { cache, nestedKey: 'entry_points' } : undefined);
  const model: MlprojectModel = { kind: 'mlproject', parsed, environments: [], entryPoints: [], topLevelKeys: [], duplicateKeys: [] };
  const root = parsed.rootMap();
  if (!root) return model;
  model.root = root;
  model.topLevelKeys = topLevelKeysOf(parsed, root);
  for (const { key, keyRange, value: valueNode } of keptEntries(parsed, root, model.duplicateKeys)) {
    if (key === 'name') {
      model.name = { value: jsValue(valueNode), range: valueNode ? parsed.rangeOf(valueNode) : keyRange, keyRange };
    } else if ((ENVIRONMENT_KEYS as readonly string[]).includes(key)) {
      model.environments.push(readEnvironment(parsed, key as EnvironmentKey, keyRange, valueNode));
    } else if (key === 'entry_points') {
      model.entryPointsKeyRange = keyRange;
      if (isMap(valueNode)) {
        for (const ep of lastOfEachKey(parsed, valueNode, model.duplicateKeys))
          model.entryPoints.push(cache ? cachedEntryPoint(cache, parsed, ep) : readEntryPoint(parsed, ep));
      }
    }
  }
  return model;
}

/** An entry point read from the same nodes on the same line before (an unchanged block) is the same. */
function cachedEntryPoint(cache: YamlBlockCache, parsed: ParsedYaml, pair: Pair): EntryPoint {
  const key = pair.key as Node | null;
  const line = key?.range ? parsed.positionAt(key.range[0]).line : -1;
  const hit = cache.derived.get(pair);
  if (hit && hit.line === line) return hit.value as EntryPoint;
  const entryPoint = readEntryPoint(parsed, pair);
  // Kept across versions: its texts must not be views of this version's whole text.
  for (const parameter of entryPoint.parameters) if (parameter.default) parameter.default.text = detach(parameter.default.text);
  cache.derived.set(pair, { line, value: entryPoint });
  return entryPoint;
}

function readEnvironment(parsed: ParsedYaml, key: EnvironmentKey, keyRange: Range, node: Node | null): EnvironmentDeclaration {
  const value = jsValue(node);
  const declaration: EnvironmentDeclaration = { key, keyRange, valueRange: node && node.range ? parsed.rangeOf(node) : keyRange, value };
  if (key !== 'docker_env' && typeof value === 'string') declaration.file = value;
  if (key === 'docker_env' && isMap(node)) {
    const imagePair = findPair(node, 'image');
    if (imagePair) {
      const imageNode = imagePair.value as Node | null;
      declaration.image = { value: jsValue(imageNode), range: parsed.rangeOf(imageNode ?? (imagePair.key as Node)) };
    }
  }
  return declaration;
}

/**
 * What an entry point and a parameter share: a name (maybe not a string in YAML), its range, and the whole entry.
 * Callers build their object as a literal from these (no spread): the rules read 32,000 of them in a 5 MB file,
 * and objects of one shape keep those reads fast (spreading made the 5 MB lint 1.5 times slower).
 */
function namedEntry(parsed: ParsedYaml, pair: Pair): { name: string; nameRange: Range; nameType: string | undefined; span: Range; node: Node | null } {
  const keyNode = pair.key as Node;
  const node = pair.value as Node | null;
  return { name: keyText(pair.key), nameRange: parsed.rangeOf(keyNode), nameType: nonStringKeyType(keyNode), span: spanRange(parsed, keyNode, node), node };
}

function readEntryPoint(parsed: ParsedYaml, pair: Pair): EntryPoint {
  const { name, nameRange, nameType, span, node } = namedEntry(parsed, pair);
  const entryPoint: EntryPoint = { name, nameRange, range: span, parameters: [], shadowedParameters: [], duplicateKeys: [], otherKeys: [], node };
  if (nameType) entryPoint.nameType = nameType;
  if (!isMap(node)) return entryPoint;
  for (const { key, keyRange, value } of keptEntries(parsed, node, entryPoint.duplicateKeys)) {
    if (key === 'command') {
      entryPoint.commandKeyRange = keyRange;
      if (isScalar(value) && typeof value.value === 'string') entryPoint.command = readCommand(parsed, value as Scalar<string>);
    } else if (key === 'parameters') {
      entryPoint.parametersKeyRange = keyRange;
      if (isMap(value)) {
        const kept = new Set(lastOfEachKey(parsed, value, entryPoint.duplicateKeys));
        for (const parameter of pairsOf(value)) {
          if (kept.has(parameter)) entryPoint.parameters.push(readParameter(parsed, parameter, entryPoint.duplicateKeys));
          else entryPoint.shadowedParameters.push(readParameter(parsed, parameter, []));
        }
      }
    } else {
      entryPoint.otherKeys.push({ value: key, range: keyRange });
    }
  }
  return entryPoint;
}

function readParameter(parsed: ParsedYaml, pair: Pair, duplicates: DuplicateKey[]): Parameter {
  const { name, nameRange, nameType, span, node } = namedEntry(parsed, pair);
  const parameter: Parameter = { name, nameRange, entryRange: span, shortForm: false, otherKeys: [], node };
  if (nameType) parameter.nameType = nameType;
  if (isScalar(node) && typeof node.value === 'string') {
    parameter.shortForm = true;
    parameter.type = { value: node.value, range: parsed.rangeOf(node) };
    return parameter;
  }
  if (!isMap(node)) return parameter;
  for (const { key, keyRange, value } of keptEntries(parsed, node, duplicates)) {
    if (key === 'type') {
      // MLflow keeps whatever YAML gives (`type: 1` stays the int 1); the rules flag non-strings.
      const v = jsValue(value);
      parameter.type = { value: v === null || v === undefined ? 'null' : String(v), range: value ? parsed.rangeOf(value) : keyRange };
    } else if (key === 'default') {
      const range = value ? parsed.rangeOf(value) : keyRange;
      const text = value && value.range ? parsed.text.slice(value.range[0], parsed.offsetAt(range.end)) : '';
      parameter.default = { value: jsValue(value), range, text };
    } else {
      parameter.otherKeys.push({ value: key, range: keyRange });
    }
  }
  return parameter;
}

function readCommand(parsed: ParsedYaml, node: Scalar<string>): CommandTemplate {
  const text = node.value;
  const range = parsed.rangeOf(node);
  const template = parseFormatTemplate(text);
  const locate = sourceLocator(parsed, node);
  const placeholders: Placeholder[] = template.fields.map((field) => {
    const fieldText = text.slice(field.start, field.end);
    return { name: field.argName, text: fieldText, range: locate(fieldText), field };
  });
  const locateScript = sourceLocator(parsed, node);
  const scripts = scriptsInCommand(text).map((script) => ({ value: script.path, range: locateScript(text.slice(script.start, script.end)) }));
  const command: CommandTemplate = { text, range, placeholders, scripts };
  const error = template.errors[0];
  if (error) command.formatError = { error, range: locate(text.slice(error.start, error.end)) };
  return command;
}

/**
 * Maps a piece of the parsed command back to the source. Quoting and folding can shift offsets, so the
 * piece is looked up verbatim in the scalar's source text, moving forward; when it cannot be found (a
 * field split across folded lines), the whole value's range is used.
 */
function sourceLocator(parsed: ParsedYaml, node: Scalar): (piece: string) => Range {
  const [start, , end] = node.range ?? [0, 0, 0];
  const source = parsed.text.slice(start, end);
  const whole = parsed.rangeOf(node);
  let cursor = 0;
  return (piece) => {
    const found = piece ? source.indexOf(piece, cursor) : -1;
    if (found < 0) return whole;
    cursor = found + piece.length;
    return parsed.rangeOfOffsets(start + found, start + found + piece.length);
  };
}

function spanRange(parsed: ParsedYaml, key: Node, value: Node | null): Range {
  const from = key.range ? key.range[0] : 0;
  const to = value && value.range ? value.range[1] : key.range ? key.range[1] : from;
  return parsed.rangeOf({ range: [from, to, to] } as unknown as Node);
}

/** What a mapping key is when YAML does not read it as a string (`1` a number, `on` a boolean). */
function nonStringKeyType(key: Node): string | undefined {
  if (!isScalar(key) || typeof key.value === 'string') return undefined;
  if (key.value === null) return 'null';
  if (key.value instanceof Date) return 'timestamp';
  return typeof key.value;
}

/** Python's truthiness of a YAML value: None, '', 0, False and empty lists and mappings are false. */
export function isPythonFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && !(value instanceof Date) && Object.keys(value as object).length === 0;
}
