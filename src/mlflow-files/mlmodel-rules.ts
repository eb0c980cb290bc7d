// MLmodel rules: what `Model.load` (Model.from_dict, ModelSignature.from_dict) and `pyfunc.load_model`
// reject, plus files the model names that are missing beside it. Unknown top-level keys are fine.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { replaceFix } from './edits';
import type { Flavor, MlmodelModel } from './mlmodel';
import { isPythonFalsy } from './mlproject';
import { findPair, jsValue, pairsOf } from './yaml-document';
import { duplicateKeyFindings, finding, yamlSyntaxFindings } from './rules';
import { INPUT_EXAMPLE_TYPES } from './schema';
import { checkSignatureJson } from './signature-rules';
import type { Finding, ProjectFiles, Range } from './types';

export async function lintMlmodelModel(model: MlmodelModel, files?: ProjectFiles): Promise<Finding[]> {
  const { parsed } = model;
  const syntax = yamlSyntaxFindings(parsed);
  if (syntax.length) return syntax;
  const root = model.root;
  const top: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: (parsed.text.split(/\r?\n|\r/, 1)[0] ?? '').length } };
  if (!root) {
    const contents = parsed.doc.contents as Node | null;
    return [
      finding(
        'not-a-mapping',
        contents && contents.range ? parsed.rangeOf(contents) : top,
        'The MLmodel is empty or not a mapping; MLflow cannot load it (it expects keys such as flavors, signature and run_id).',
      ),
    ];
  }
  const findings: Finding[] = duplicateKeyFindings(model.duplicateKeys);
  for (const pair of pairsOf(root)) {
    if (!(isScalar(pair.key) && typeof pair.key.value === 'string')) {
      findings.push(
        finding(
          'non-string-key',
          parsed.rangeOf(pair.key as Node),
          'MLflow passes the top-level keys as keyword arguments, so each must be a string (TypeError: keywords must be strings).',
        ),
      );
    }
  }
  findings.push(...flavorRules(model, top));
  findings.push(...topLevelRules(model));
  findings.push(...signatureRules(model));
  if (files) {
    for (const file of model.files) {
      if (await files.exists(file.path)) continue;
      findings.push(
        finding(
          'model-file-missing',
          file.range,
          `'${file.path}' (named by ${file.keyPath}) does not exist beside the MLmodel. Loading the model needs it; models are often committed without their large files, so this may be expected here.`,
        ),
      );
    }
  }
  return findings;
}

/** Modules named as loader_module by mistake: none has the `_load_pyfunc` that pyfunc.load_model calls. */
const NOT_LOADER_MODULES = new Set([
  'pickle',
  'cPickle',
  'cloudpickle',
  'dill',
  'joblib',
  'json',
  'numpy',
  'pandas',
  'sklearn',
  'torch',
  'tensorflow',
  'keras',
  'xgboost',
  'lightgbm',
  'catboost',
  'onnx',
  'onnxruntime',
  'transformers',
  'statsmodels',
  'prophet',
  'spacy',
]);
/** Flavors whose MLflow module `mlflow.<flavor>` is their pyfunc loader. */
const MLFLOW_LOADER_FLAVORS = new Set([
  'sklearn',
  'xgboost',
  'lightgbm',
  'catboost',
  'pytorch',
  'tensorflow',
  'statsmodels',
  'prophet',
  'onnx',
  'spacy',
  'transformers',
]);

function flavorRules(model: MlmodelModel, top: Range): Finding[] {
  const { parsed, root } = model;
  const findings: Finding[] = [];
  const flavorsPair = findPair(root!, 'flavors');
  const flavorsNode = flavorsPair?.value as Node | null | undefined;
  if (!flavorsPair || jsValue(flavorsNode) === null) {
    findings.push(finding('flavors-missing', model.flavorsKeyRange ?? top, 'The MLmodel has no flavors, so no loader (not even pyfunc) can load the model.'));
    return findings;
  }
  if (!isMap(flavorsNode)) {
    findings.push(
      finding(
        'flavors-invalid',
        parsed.rangeOf(flavorsNode ?? (flavorsPair.key as Node)),
        'flavors must be a mapping from flavor names (python_function, sklearn, …) to their settings.',
      ),
    );
    return findings;
  }
  const pyfunc = model.flavors.find((f) => f.name === 'python_function');
  if (!pyfunc) {
    findings.push(
      finding(
        'no-pyfunc-flavor',
        model.flavorsKeyRange!,
        `There is no python_function flavor, so mlflow.pyfunc.load_model and 'mlflow models serve' cannot load this model; use the ${model.flavors.map((f) => f.name).join(', ') || 'native'} loader.`,
      ),
    );
  } else {
    findings.push(...pyfuncRules(model, pyfunc));
  }
  const sklearn = model.flavors.find((f) => f.name === 'sklearn');
  const format = sklearn?.keys.find((k) => k.key === 'serialization_format');
  // flavor_conf.get("serialization_format", "pickle"): an empty value is None, not the default.
  if (format && !(typeof format.value === 'string' && ['pickle', 'cloudpickle', 'skops'].includes(format.value))) {
    findings.push(
      finding(
        'sklearn-serialization-format',
        format.valueRange,
        format.value === null
          ? 'The sklearn serialization_format is empty, which MLflow reads as None, not as the default ("Unrecognized serialization format: None"); use cloudpickle, pickle or skops, or remove the key.'
          : `MLflow does not know the sklearn serialization_format '${String(format.value)}' ("Unrecognized serialization format"); use cloudpickle, pickle or skops.`,
      ),
    );
  }
  return findings;
}

function pyfuncRules(model: MlmodelModel, pyfunc: Flavor): Finding[] {
  const { parsed } = model;
  if (!isMap(pyfunc.node)) {
    return [
      finding(
        'pyfunc-invalid',
        pyfunc.node?.range ? parsed.rangeOf(pyfunc.node) : pyfunc.nameRange,
        'The python_function flavor must be a mapping with at least loader_module; pyfunc.load_model cannot read it.',
      ),
    ];
  }
  const findings: Finding[] = [];
  const loader = pyfunc.keys.find((k) => k.key === 'loader_module');
  if (!loader || typeof loader.value !== 'string' || loader.value === '') {
    findings.push(
      finding(
        'pyfunc-loader-module-missing',
        loader ? loader.valueRange : pyfunc.nameRange,
        "The python_function flavor has no loader_module, so mlflow.pyfunc.load_model fails (KeyError: 'loader_module'). It names the module that loads the model, e.g. mlflow.sklearn.",
      ),
    );
  }
  if (loader && typeof loader.value === 'string' && NOT_LOADER_MODULES.has(loader.value)) {
    const flavor = model.flavors.map((f) => f.name).find((name) => MLFLOW_LOADER_FLAVORS.has(name));
    findings.push(
      finding(
        'pyfunc-loader-module-invalid',
        loader.valueRange,
        `'${loader.value}' is not a model loader: mlflow.pyfunc.load_model imports loader_module and calls its _load_pyfunc(), which '${loader.value}' does not have (AttributeError). Name the MLflow module of the model's flavor${flavor ? ` (mlflow.${flavor})` : ', e.g. mlflow.sklearn'}, or mlflow.pyfunc.model for a custom PythonModel.`,
        flavor ? [replaceFix(`Change to mlflow.${flavor}`, loader.valueRange, `mlflow.${flavor}`, true)] : undefined,
      ),
    );
  }
  // load_model joins these to the model folder before it imports the loader (TypeError on a non-string).
  for (const key of pyfunc.keys) {
    const checked = key.key === 'data' ? key.value !== undefined : key.key === 'code' ? !isPythonFalsy(key.value) : false;
    if (checked && typeof key.value !== 'string') {
      findings.push(
        finding(
          'pyfunc-invalid',
          key.valueRange,
          `python_function.${key.key} must be a path relative to the model folder; pyfunc.load_model fails on ${key.value === null ? 'an empty value' : JSON.stringify(key.value)} (TypeError in os.path.join).${key.key === 'data' ? ' Remove the key if the model has no data file.' : ''}`,
        ),
      );
    }
  }
  const version = pyfunc.keys.find((k) => k.key === 'python_version');
  if (version && version.value !== null && typeof version.value !== 'string') {
    const source = version.node?.range ? parsed.text.slice(version.node.range[0], parsed.offsetAt(version.valueRange.end)) : String(version.value);
    findings.push(
      finding(
        'python-version-not-string',
        version.valueRange,
        `python_version must be a string, but YAML reads ${source} as the ${typeof version.value === 'number' ? `number ${String(version.value)}` : typeof version.value}, and pyfunc.load_model fails on it ("'float' object has no attribute 'split'"). Quote it: '${source}'.`,
        [replaceFix(`Quote it: '${source}'`, version.valueRange, `'${source.replace(/'/g, "''")}'`, true)],
      ),
    );
  }
  const env = pyfunc.keys.find((k) => k.key === 'env');
  if (env && isMap(env.node)) {
    const keys = pairsOf(env.node).map((p) => String(jsValue(p.key as Node)));
    const missing = ['conda', 'virtualenv'].filter((k) => !keys.includes(k));
    if (missing.length) {
      findings.push(
        finding(
          'pyfunc-env-incomplete',
          env.keyRange,
          `python_function.env has no ${missing.join(' or ')} entry, so restoring the environment with ${missing.includes('virtualenv') ? '--env-manager virtualenv (the default)' : '--env-manager conda'} fails (KeyError: '${missing[0]}').`,
        ),
      );
    }
  }
  return findings;
}

function topLevelRules(model: MlmodelModel): Finding[] {
  const { parsed, root } = model;
  const findings: Finding[] = [];
  const envVars = findPair(root!, 'env_vars');
  if (envVars) {
    const node = envVars.value as Node | null;
    const value = jsValue(node);
    // The setter checks only a truthy value (`if value and not …`).
    if (!isPythonFalsy(value) && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
      findings.push(
        finding(
          'env-vars-invalid',
          parsed.rangeOf(node ?? (envVars.key as Node)),
          'env_vars must be a list of environment variable names (strings); MLflow refuses to load the model otherwise ("env_vars must be a list of strings").',
        ),
      );
    }
  }
  const created = findPair(root!, 'utc_time_created');
  if (created) {
    const node = created.value as Node | null;
    const value = jsValue(node);
    const ok =
      value === null ||
      value instanceof Date ||
      (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value.trim()));
    if (!ok) {
      findings.push(
        finding(
          'utc-time-invalid',
          parsed.rangeOf(node ?? (created.key as Node)),
          `utc_time_created should be a UTC timestamp such as '2024-01-31 12:00:00.000000', not ${JSON.stringify(value)}.`,
        ),
      );
    }
  }
  const metadata = findPair(root!, 'metadata');
  if (metadata && isMap(metadata.value)) {
    const external = findPair(metadata.value, 'mlflow.model.isExternal');
    const value = external ? jsValue(external.value as Node | null) : undefined;
    // MLflow writes the boolean true; whether it also refuses the text 'true' is not certain, so only the boolean counts.
    if (external && value === true) {
      findings.push(
        finding(
          'external-model',
          parsed.rangeOf(external.key as Node),
          'metadata marks this model as external (mlflow.model.isExternal): its artifacts are not stored in the model folder, and MLflow refuses to load it.',
        ),
      );
    }
  }
  const example = findPair(root!, 'saved_input_example_info');
  if (example) {
    const node = example.value as Node | null;
    if (jsValue(node) !== null && !isMap(node)) {
      findings.push(
        finding(
          'example-info-invalid',
          parsed.rangeOf(node ?? (example.key as Node)),
          'saved_input_example_info must be a mapping with artifact_path and type.',
        ),
      );
    } else if (isMap(node)) {
      const type = findPair(node, 'type');
      const typeValue = type ? jsValue(type.value as Node | null) : undefined;
      if (type && typeValue !== null && !INPUT_EXAMPLE_TYPES.includes(String(typeValue))) {
        findings.push(
          finding(
            'example-info-invalid',
            parsed.rangeOf((type.value as Node | null) ?? (type.key as Node)),
            `MLflow cannot load an input example of type '${String(typeValue)}'; known types: ${INPUT_EXAMPLE_TYPES.join(', ')}.`,
          ),
        );
      }
      if (!findPair(node, 'artifact_path')) {
        findings.push(
          finding(
            'example-info-invalid',
            parsed.rangeOf(example.key as Node),
            'saved_input_example_info has no artifact_path, so the input example cannot be found.',
          ),
        );
      }
    }
  }
  return findings;
}

function signatureRules(model: MlmodelModel): Finding[] {
  const signature = model.signature;
  if (!signature) return [];
  const { parsed } = model;
  const node = signature.node;
  if (node === null || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node)) {
    return [
      finding(
        'signature-not-mapping',
        parsed.rangeOf(node),
        'signature should be a mapping with inputs, outputs and params (JSON strings); MLflow ignores it otherwise, so the model has no signature.',
      ),
    ];
  }
  const findings: Finding[] = [];
  let provided = 0;
  for (const part of signature.parts) {
    // ModelSignature.from_dict reads a section only when it is truthy.
    if (isPythonFalsy(part.raw)) continue;
    provided++;
    if (typeof part.raw !== 'string') {
      const node = findPair(signature.node as never, part.section)?.value as Node | null;
      const what = isSeq(node) ? 'a YAML list' : isMap(node) ? 'a YAML mapping' : 'not a string';
      findings.push(
        finding(
          'signature-not-json',
          part.valueRange,
          `signature.${part.section} is ${what}; MLflow expects the schema as a JSON string (quote it: '[{"type": "double", "name": "x"}]') and fails to load the model.`,
        ),
      );
      continue;
    }
    if (part.jsonError) {
      findings.push(
        finding('signature-not-json', part.valueRange, `signature.${part.section} is not valid JSON (${part.jsonError}); MLflow fails to load the model.`),
      );
      continue;
    }
    const problem = checkSignatureJson(part);
    if (problem) findings.push(finding('signature-invalid', part.valueRange, `signature.${part.section}: ${problem}. MLflow fails to load the model.`));
  }
  if (provided === 0) {
    findings.push(
      finding(
        'signature-invalid',
        signature.keyRange,
        'signature has none of inputs, outputs or params; MLflow fails to load it ("At least one of inputs, outputs or params must be provided"). Remove the key if there is no signature.',
      ),
    );
  }
  return findings;
}
