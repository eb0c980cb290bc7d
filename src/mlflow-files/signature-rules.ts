// Signature checks, mirroring mlflow/types/schema.py: Schema.from_json (ColSpec, TensorSpec, Array,
// Object, Map) and ParamSchema.from_json (ParamSpec). Each returns MLflow's complaint, or undefined.
import { isObject, type SignaturePart } from './mlmodel';
import { writtenAsFloat } from './python-json';

const DATA_TYPES = ['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime'];
const COMPOUND = ['array', 'object', 'map', 'any', 'sparkml_vector'];

/** MLflow's verdict on one section (`inputs`, `outputs`, `params`) whose JSON parsed; undefined when fine. */
export function checkSignatureJson(part: SignaturePart): string | undefined {
  const json = part.json;
  // ParamSchema.from_json iterates what json.loads gives: an empty object is an empty list of params.
  if (part.section === 'params' && isObject(json) && Object.keys(json).length === 0) return undefined;
  if (!Array.isArray(json))
    return `${part.section} must be a JSON list of ${part.section === 'params' ? 'parameter' : 'column or tensor'} specs, not ${jsonKind(json)}`;
  return part.section === 'params' ? checkParams(json) : checkSchema(json);
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkSchema(items: unknown[]): string | undefined {
  if (items.length === 0) return 'an empty schema is not allowed ("Creating Schema with empty inputs is not allowed.")';
  const names: unknown[] = [];
  let tensors = 0;
  let unnamedOptional = false;
  for (const [index, item] of items.entries()) {
    if (!isObject(item) || !('type' in item)) return `item ${index + 1} has no "type" (KeyError: 'type')`;
    const name = item.name ?? null;
    names.push(name);
    if (item.type === 'tensor') {
      tensors++;
      const problem = checkTensor(item);
      if (problem) return `item ${index + 1}: ${problem}`;
      continue;
    }
    const problem = checkColumn(item);
    if (problem) return `item ${index + 1}${name !== null ? ` ("${String(name)}")` : ''}: ${problem}`;
    if (name === null && item.required === false) unnamedOptional = true;
  }
  const named = names.filter((n) => n !== null).length;
  if (named !== 0 && named !== names.length) {
    return `named and unnamed items are mixed ("Creating Schema with a combination of named and unnamed inputs is not allowed.")`;
  }
  if (tensors !== 0 && tensors !== items.length) {
    return 'column specs and tensor specs are mixed ("Creating Schema with a combination of ColSpec and TensorSpec is not supported.")';
  }
  if (tensors > 1 && named === 0) return 'several tensors without names ("Creating Schema with multiple unnamed TensorSpecs is not supported.")';
  if (named === 0 && unnamedOptional) return 'unnamed inputs cannot be optional ("Creating Schema with unnamed optional inputs is not supported.")';
  return undefined;
}

function checkColumn(item: Record<string, unknown>): string | undefined {
  const type = item.type;
  if (typeof type === 'string' && DATA_TYPES.includes(type)) {
    if ('optional' in item) {
      return `"optional" was written by MLflow 2.4–2.9 and cannot be read by MLflow 2.18 or later (TypeError: unexpected keyword argument 'optional'); use "required": ${item.optional ? 'false' : 'true'}`;
    }
    const extra = Object.keys(item).find((key) => !['type', 'name', 'required'].includes(key));
    if (extra) return `unexpected key "${extra}" (TypeError: ColSpec got an unexpected keyword argument '${extra}')`;
    return undefined;
  }
  return checkDataType(item, 'column');
}

/** A column/property/item/value type, recursively (Array, Object, Map, AnyType, SparkMLVector). */
function checkDataType(spec: Record<string, unknown>, where: string): string | undefined {
  const type = spec.type;
  if (typeof type === 'string' && DATA_TYPES.includes(type)) return undefined;
  if (type === 'any' || type === 'sparkml_vector') return undefined;
  if (type === 'array') {
    if (!('items' in spec)) return 'an array needs "items" ("Missing keys in Array JSON. Expected to find keys `items` and `type`")';
    if (!isObject(spec.items) || !('type' in spec.items)) return 'array "items" must be an object with a "type"';
    return checkDataType(spec.items, 'array item');
  }
  if (type === 'object') {
    if (!('properties' in spec)) return 'an object needs "properties" ("Missing keys in Object JSON. Expected to find keys `properties` and `type`")';
    const properties = spec.properties;
    if (!isObject(properties) || Object.values(properties).some((p) => !isObject(p))) return '"properties" must map names to {"type": …} objects';
    if (Object.keys(properties).length === 0) return 'an object needs at least one property ("Creating Object with empty properties is not allowed.")';
    for (const [name, property] of Object.entries(properties) as [string, Record<string, unknown>][]) {
      if (!('type' in property)) return `property "${name}" has no "type" ("Missing keys in Property \`${name}\`. Expected to find key \`type\`")`;
      const problem = checkDataType(property, 'property');
      if (problem) return `property "${name}": ${problem}`;
    }
    return undefined;
  }
  if (type === 'map') {
    if (!('values' in spec)) return 'a map needs "values" ("Missing keys in Map JSON")';
    if (!isObject(spec.values) || !('type' in spec.values)) return 'map "values" must be an object with a "type"';
    return checkDataType(spec.values, 'map value');
  }
  const shown = typeof type === 'string' ? `'${type}'` : JSON.stringify(type);
  const hint = typeof type === 'string' ? suggestType(type) : undefined;
  return `unsupported ${where} type ${shown}${hint ? ` (did you mean '${hint}'?)` : ''}; MLflow accepts ${DATA_TYPES.join(', ')}, or ${COMPOUND.join(', ')}`;
}

function suggestType(type: string): string | undefined {
  const aliases: Record<string, string> = {
    int: 'integer',
    int32: 'integer',
    int64: 'long',
    bool: 'boolean',
    str: 'string',
    float64: 'double',
    float32: 'float',
    Any: 'any',
    bytes: 'binary',
    timestamp: 'datetime',
  };
  return aliases[type] ?? (DATA_TYPES.includes(type.toLowerCase()) ? type.toLowerCase() : undefined);
}

function checkTensor(item: Record<string, unknown>): string | undefined {
  const spec = item['tensor-spec'];
  if (spec === undefined) return 'a tensor needs "tensor-spec" ("Missing keys in TensorSpec JSON. Expected to find keys `tensor-spec` and `type`")';
  if (!isObject(spec) || !('dtype' in spec) || !('shape' in spec))
    return '"tensor-spec" needs "dtype" and "shape" ("Missing keys in TensorSpec JSON. Expected to find keys `dtype` and `shape`")';
  const problem = checkNumpyDtype(spec.dtype);
  if (problem) return problem;
  // MLflow takes tuple(shape): anything iterable passes, even if it is not what was meant.
  const shape = spec.shape;
  if (shape === null || typeof shape === 'number' || typeof shape === 'boolean') {
    return `"shape" must be a list such as [-1, 28, 28], not ${JSON.stringify(shape)} (TypeError: object is not iterable)`;
  }
  return undefined;
}

const NUMPY_NAMES = new Set(
  (
    'bool bool_ bool8 int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 float128 float96 complex64 complex128 complex256 ' +
    'object object_ str str_ unicode unicode_ bytes bytes_ string_ void void0 int uint float complex double half single longlong ulonglong short ushort ' +
    'intc uintc intp uintp byte ubyte longdouble clongdouble csingle cdouble longfloat clongfloat singlecomplex cfloat datetime64 timedelta64 a U S V O M m ? b B h H i I l L q Q p P e f d g F D G'
  ).split(' '),
);

/** Whether `np.dtype(value)` works and has no size information (MLflow rejects `<U10`). */
function checkNumpyDtype(dtype: unknown): string | undefined {
  // np.dtype(None) is float64; lists and objects can be structured dtypes: neither is judged here.
  if (dtype === null || typeof dtype === 'object') return undefined;
  if (typeof dtype !== 'string') return `"dtype" must be a NumPy dtype name such as "float32", not ${JSON.stringify(dtype)}`;
  const bare = dtype.replace(/^[<>=|]/, '');
  if (/^[US]\d+$/.test(bare) || /^(str|bytes|unicode)\d+$/.test(bare)) {
    return `dtype "${dtype}" has a size; MLflow does not support sized string dtypes ("Use np.dtype(\\"str\\") instead")`;
  }
  if (NUMPY_NAMES.has(bare)) return undefined;
  if (/^[iufcb]\d{1,2}$/.test(bare)) return undefined; // i4, f8, u1, c16, b1
  if (/^(datetime64|timedelta64|[Mm]8)(\[\d*(Y|M|W|D|h|m|s|ms|us|μs|ns|ps|fs|as)\])?$/.test(bare)) return undefined;
  return `"${dtype}" is not a NumPy dtype (TypeError: data type '${dtype}' not understood)`;
}

function checkParams(items: unknown[]): string | undefined {
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (!isObject(item)) return `item ${index + 1} is not an object`;
    const hasType = 'type' in item || 'dtype' in item;
    if (!('name' in item) || !hasType || !('default' in item)) {
      return `item ${index + 1} needs "name", "type" (or "dtype") and "default" ("Missing keys in ParamSpec JSON"); received ${Object.keys(item).join(', ') || 'no keys'}`;
    }
    const name = String(item.name);
    const type = item.type || item.dtype;
    const label = `param "${name}"`;
    if (type === 'object') {
      const problem = checkDataType({ type, properties: item.properties }, 'param');
      if (problem) return `${label}: ${problem}`;
    } else if (typeof type !== 'string' || !DATA_TYPES.includes(type)) {
      const hint = typeof type === 'string' ? suggestType(type) : undefined;
      return `${label}: unsupported type ${JSON.stringify(type)}${hint ? ` (did you mean '${hint}'?)` : ''} (KeyError in MLflow); use one of ${DATA_TYPES.filter((t) => t !== 'binary').join(', ')} or object`;
    } else if (type === 'binary') {
      return `${label}: binary is not supported for parameters`;
    }
    const shape = item.shape ?? null;
    const isList = Array.isArray(shape) && shape.length === 1 && shape[0] === -1;
    if (shape !== null && !isList) return `${label}: shape must be null (a scalar) or [-1] (a list), not ${JSON.stringify(shape)}`;
    const problem = checkParamDefault(item, String(type), isList);
    if (problem) return `${label}: ${problem}`;
    if (seen.has(name)) return `${label} is declared twice ("Duplicated parameters found in schema")`;
    seen.add(name);
  }
  return undefined;
}

/** Only the mismatches MLflow certainly rejects; borderline conversions are left to MLflow. */
function checkParamDefault(param: Record<string, unknown>, type: string, isList: boolean): string | undefined {
  const value = param.default;
  if (isList) {
    if (!Array.isArray(value)) return `the default must be a list because shape is [-1], not ${JSON.stringify(value)}`;
    for (const [index, element] of value.entries()) {
      const problem = checkScalarDefault(element, type, writtenAsFloat(value, index));
      if (problem) return problem;
    }
    return undefined;
  }
  if (type === 'object') return isObject(value) || value === null ? undefined : `the default must be an object, not ${JSON.stringify(value)}`;
  return checkScalarDefault(value, type, writtenAsFloat(param, 'default'));
}

/**
 * _enforce_param_datatype: the default's exact Python type must be the param's (bool for boolean, int for
 * integer/long, float or int for float/double, str for string); no text is parsed, and `1.0` is a float.
 * Datetimes go through np.datetime64 and are left alone here.
 */
function checkScalarDefault(value: unknown, type: string, writtenAsFloat: boolean): string | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value) || isObject(value)) return `the default ${JSON.stringify(value)} is not a single ${type} (use shape [-1] for a list)`;
  const isInteger = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && !writtenAsFloat;
  const accepted: Record<string, (v: unknown) => boolean> = {
    boolean: (v) => typeof v === 'boolean',
    integer: isInteger,
    long: isInteger,
    float: (v) => typeof v === 'number',
    double: (v) => typeof v === 'number',
    string: (v) => typeof v === 'string',
  };
  if (accepted[type] && !accepted[type](value)) {
    const shown = writtenAsFloat && typeof value === 'number' ? pythonFloatText(value) : JSON.stringify(value);
    return `the default ${shown} is not a${/^[aeiou]/.test(type) ? 'n' : ''} ${type} ("Can not safely convert"): MLflow converts no text or other type here`;
  }
  return undefined;
}

/** How Python prints a float that JavaScript holds as an integer: 1.0, -0.0, 1e+20. */
function pythonFloatText(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? value.toFixed(1) : String(value);
}
