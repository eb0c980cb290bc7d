// The MLmodel document model: flavors, signature (JSON strings parsed into columns), and the files it names.
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { parsePythonJson } from './python-json';
import type { Range, ValueAt } from './types';
import type { YamlBlockCache } from './yaml-blocks';
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
import { errorMessage } from '../format/errors';

export interface FlavorKey {
  key: string;
  keyRange: Range;
  value: unknown;
  /** Range of the value, or of the key when the value is empty. */
  valueRange: Range;
  node: Node | null;
}

export interface Flavor {
  name: string;
  nameRange: Range;
  keys: FlavorKey[];
  /** Undefined when the flavor's value is not a mapping. */
  node: Node | null;
}

export type SignatureSection = 'inputs' | 'outputs' | 'params';

/** One item of a signature schema, summarised for hover tables. */
export interface SignatureColumn {
  name?: string;
  /** Display type: `double`, `array<string>`, `object{a: long}`, `tensor float32 (-1, 28)`. */
  type: string;
  /** False when the column may be missing; undefined when the JSON does not say. */
  required?: boolean;
  /** Params only. */
  default?: unknown;
  shape?: unknown;
  /** The raw JSON item. */
  json: unknown;
}

export interface SignaturePart {
  section: SignatureSection;
  keyRange: Range;
  valueRange: Range;
  /** The YAML value: MLflow expects a JSON string, or null. */
  raw: unknown;
  /** The parsed JSON, when `raw` is a string holding valid JSON. */
  json?: unknown;
  jsonError?: string;
  /** Whether the items are column specs, tensor specs or inference params. */
  specKind?: 'columns' | 'tensors' | 'params' | 'mixed';
  columns: SignatureColumn[];
}

export interface Signature {
  keyRange: Range;
  /** Undefined when `signature` is not a mapping. */
  parts: SignaturePart[];
  node: Node | null;
}

/** A file or folder the model names, relative to the MLmodel's folder. */
export interface NamedFile {
  /** Where it is named, e.g. `python_function.data`, `sklearn.pickled_model`, `saved_input_example_info.artifact_path`. */
  keyPath: string;
  path: string;
  range: Range;
}

export interface MlmodelModel {
  kind: 'mlmodel';
  parsed: ParsedYaml;
  root?: YAMLMap;
  topLevelKeys: ValueAt<string>[];
  flavorsKeyRange?: Range;
  flavors: Flavor[];
  signature?: Signature;
  files: NamedFile[];
  /** Keys that a later key of the same name overrides (top level, flavors, flavor keys). */
  duplicateKeys: DuplicateKey[];
}

/** Flavor keys that name a file or folder beside the MLmodel. */
export const FILE_KEYS_OF_FLAVORS: readonly string[] = ['data', 'model_path', 'pickled_model', 'python_model', 'model_data', 'saved_model_dir'];

/** `cache`: blocks of an earlier version of the same document, re-used where the text is unchanged (editors). */
export function parseMlmodel(text: string, cache?: YamlBlockCache): MlmodelModel {
  const parsed = parseYaml(text, cache ? { cache } : undefined);
  const model: MlmodelModel = { kind: 'mlmodel', parsed, topLevelKeys: [], flavors: [], files: [], duplicateKeys: [] };
  const root = parsed.rootMap();
  if (!root) return model;
  model.root = root;
  model.topLevelKeys = topLevelKeysOf(parsed, root);
  for (const { key, keyRange, value } of keptEntries(parsed, root, model.duplicateKeys)) {
    if (key === 'flavors') {
      model.flavorsKeyRange = keyRange;
      if (isMap(value)) {
        model.flavors = lastOfEachKey(parsed, value, model.duplicateKeys).map((flavorPair) =>
          readFlavor(parsed, flavorPair.key as Node, flavorPair.value as Node | null, model.duplicateKeys),
        );
      }
    } else if (key === 'signature') {
      model.signature = readSignature(parsed, keyRange, value);
    }
  }
  model.files = namedFiles(parsed, model);
  return model;
}

function readFlavor(parsed: ParsedYaml, keyNode: Node, node: Node | null, duplicates: DuplicateKey[]): Flavor {
  const flavor: Flavor = { name: keyText(keyNode), nameRange: parsed.rangeOf(keyNode), keys: [], node };
  if (!isMap(node)) return flavor;
  for (const { key, keyRange, value } of keptEntries(parsed, node, duplicates)) {
    flavor.keys.push({
      key,
      keyRange,
      value: jsValue(value),
      valueRange: value && value.range ? parsed.rangeOf(value) : keyRange,
      node: value,
    });
  }
  return flavor;
}

function readSignature(parsed: ParsedYaml, keyRange: Range, node: Node | null): Signature {
  const signature: Signature = { keyRange, parts: [], node };
  if (!isMap(node)) return signature;
  for (const section of ['inputs', 'outputs', 'params'] as const) {
    const pair = findPair(node, section);
    if (!pair) continue;
    const value = pair.value as Node | null;
    const partKeyRange = parsed.rangeOf(pair.key as Node);
    const part: SignaturePart = {
      section,
      keyRange: partKeyRange,
      valueRange: value && value.range ? parsed.rangeOf(value) : partKeyRange,
      raw: jsValue(value),
      columns: [],
    };
    if (isScalar(value) && typeof value.value === 'string') {
      try {
        part.json = parsePythonJson(value.value, section === 'params');
      } catch (error) {
        part.jsonError = errorMessage(error);
      }
      if (Array.isArray(part.json)) summarise(part, part.json);
    }
    signature.parts.push(part);
  }
  return signature;
}

function summarise(part: SignaturePart, items: unknown[]): void {
  let tensors = 0;
  let columns = 0;
  for (const item of items) {
    const obj = isObject(item) ? item : {};
    const name = typeof obj.name === 'string' ? obj.name : undefined;
    const column: SignatureColumn = { name, type: describeType(part.section === 'params' ? (obj.type ?? obj.dtype) : obj.type, obj), json: item };
    if (typeof obj.required === 'boolean') column.required = obj.required;
    if (part.section === 'params') {
      column.default = obj.default;
      column.shape = obj.shape;
    }
    if (obj.type === 'tensor') tensors++;
    else columns++;
    part.columns.push(column);
  }
  part.specKind = part.section === 'params' ? 'params' : tensors && columns ? 'mixed' : tensors ? 'tensors' : 'columns';
}

/** A short human-readable form of a signature type. */
export function describeType(type: unknown, item: Record<string, unknown>): string {
  if (type === 'tensor') {
    const spec = isObject(item['tensor-spec']) ? item['tensor-spec'] : {};
    const shape = Array.isArray(spec.shape) ? `(${spec.shape.join(', ')})` : '';
    return `tensor ${String(spec.dtype ?? '?')} ${shape}`.trim();
  }
  if (type === 'array') return `array<${describeType(isObject(item.items) ? item.items.type : undefined, isObject(item.items) ? item.items : {})}>`;
  if (type === 'map') return `map<string, ${describeType(isObject(item.values) ? item.values.type : undefined, isObject(item.values) ? item.values : {})}>`;
  if (type === 'object') {
    const properties = isObject(item.properties) ? item.properties : {};
    const inner = Object.entries(properties)
      .map(([key, value]) => `${key}: ${describeType(isObject(value) ? value.type : undefined, isObject(value) ? value : {})}`)
      .join(', ');
    return `object{${inner}}`;
  }
  return typeof type === 'string' ? type : '?';
}

function namedFiles(parsed: ParsedYaml, model: MlmodelModel): NamedFile[] {
  const files: NamedFile[] = [];
  const add = (keyPath: string, value: unknown, range: Range) => {
    if (typeof value === 'string' && value.trim() !== '' && isRelativePath(value)) files.push({ keyPath, path: value, range });
  };
  for (const flavor of model.flavors) {
    for (const key of flavor.keys) {
      if (FILE_KEYS_OF_FLAVORS.includes(key.key)) add(`${flavor.name}.${key.key}`, key.value, key.valueRange);
      if (flavor.name === 'python_function' && key.key === 'env') {
        if (typeof key.value === 'string') add('python_function.env', key.value, key.valueRange);
        else if (isMap(key.node)) {
          for (const pair of pairsOf(key.node)) {
            const name = keyText(pair.key);
            if (name !== 'conda' && name !== 'virtualenv') continue;
            const valueNode = pair.value as Node | null;
            add(`python_function.env.${name}`, jsValue(valueNode), parsed.rangeOf(valueNode ?? (pair.key as Node)));
          }
        }
      }
    }
  }
  const root = model.root;
  const example = root ? findPair(root, 'saved_input_example_info') : undefined;
  if (example && isMap(example.value)) {
    const artifact = findPair(example.value, 'artifact_path');
    if (artifact)
      add(
        'saved_input_example_info.artifact_path',
        jsValue(artifact.value as Node | null),
        parsed.rangeOf((artifact.value as Node | null) ?? (artifact.key as Node)),
      );
  }
  return files;
}

/** A path that lives beside the model: not absolute, not a URI. */
export function isRelativePath(path: string): boolean {
  return !/^([A-Za-z][A-Za-z0-9+.-]*:|\/|\\|~)/.test(path);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
