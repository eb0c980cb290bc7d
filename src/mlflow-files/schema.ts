// Documentation of every MLproject/MLmodel key, for completion and hover (and key lists for the rules).
// Descriptions are our own words, from MLflow's source (its project loader, model loader and schema classes).
// Over 400 lines because it is data: one table per kind of key, read side by side; there is no logic to split off.

export interface KeyDoc {
  /** Markdown, one or two sentences. */
  description: string;
  /** Where MLflow documents it. */
  url: string;
  /** Allowed or typical values, for value completion. */
  values?: readonly string[];
  /** Short type label for hover: `string`, `mapping`, `list of strings`, … */
  type?: string;
  /** Completion snippet body for the value (after `key: `), LSP snippet syntax. */
  snippet?: string;
}

export const DOCS = {
  projects: 'https://mlflow.org/docs/latest/ml/projects/',
  projectEnvironments: 'https://mlflow.org/docs/latest/ml/projects/#project-environments',
  projectParameters: 'https://mlflow.org/docs/latest/ml/projects/#specifying-parameters',
  model: 'https://mlflow.org/docs/latest/ml/model/',
  flavors: 'https://mlflow.org/docs/latest/ml/model/#built-in-model-flavors',
  pyfunc: 'https://mlflow.org/docs/latest/api_reference/python_api/mlflow.pyfunc.html',
  signatures: 'https://mlflow.org/docs/latest/ml/model/signatures/',
  inputExample: 'https://mlflow.org/docs/latest/ml/model/signatures/#input-example',
  pythonEnv: 'https://mlflow.org/docs/latest/ml/projects/#python-environment',
} as const;

const P = DOCS.projects;

export const MLPROJECT_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  name: {
    type: 'string',
    url: P,
    description:
      'Name of the project. A Docker project also tags the image it builds with it, so there it is required and must be a lowercase Docker repository name.',
  },
  conda_env: {
    type: 'path',
    url: DOCS.projectEnvironments,
    description:
      'Path, relative to the project folder, of a Conda environment YAML file the entry points run in. Only one of `conda_env`, `python_env` and `docker_env` may be present.',
  },
  python_env: {
    type: 'path',
    url: DOCS.projectEnvironments,
    description:
      'Path, relative to the project folder, of a `python_env.yaml` (Python version and pip dependencies), restored with virtualenv or uv. Only one of `conda_env`, `python_env` and `docker_env` may be present.',
  },
  docker_env: {
    type: 'mapping',
    url: DOCS.projectEnvironments,
    description:
      'Run the entry points in a Docker container built from `image`; MLflow copies the project into the image. Needs a top-level `name`. Only one environment key may be present.',
    snippet: '\n  image: ${1:image}',
  },
  entry_points: {
    type: 'mapping',
    url: P,
    description: 'Named commands the project can run, each with optional typed `parameters`. `main` runs when `mlflow run` gets no `-e`.',
    snippet: '\n  ${1:main}:\n    parameters:\n      ${2:alpha}: {type: float, default: ${3:0.1}}\n    command: "python ${4:train.py} --alpha {${2:alpha}}"',
  },
  databricks_spark_job: {
    type: 'mapping',
    url: P,
    description: 'Run the project as a Databricks Spark Python job (`python_file`, `parameters`, `python_libraries`) instead of a shell command.',
  },
};
export const MLPROJECT_TOP_LEVEL_KEYS: readonly string[] = Object.keys(MLPROJECT_KEY_DOCS);

export const DOCKER_ENV_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  image: {
    type: 'string',
    url: DOCS.projectEnvironments,
    description: 'Base Docker image, optionally with registry and tag (`repo/img:1.0`). A local image is used if present, otherwise it is pulled.',
  },
  volumes: { type: 'list of strings', url: DOCS.projectEnvironments, description: 'Volume mounts passed to `docker run -v`, such as `"/host/data:/data"`.' },
  environment: {
    type: 'list',
    url: DOCS.projectEnvironments,
    description: 'Container environment variables: `"NAME"` copies it from the host (which must have it), `["NAME", "value"]` sets it.',
  },
};
export const DOCKER_ENV_KEYS: readonly string[] = Object.keys(DOCKER_ENV_KEY_DOCS);

export const DATABRICKS_SPARK_JOB_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  python_file: { type: 'string', url: P, description: 'Python file run as the Spark job; when set, entry points are not used.' },
  parameters: { type: 'list of strings', url: P, description: 'Command-line arguments passed to `python_file`.' },
  python_libraries: { type: 'list of strings', url: P, description: 'Python libraries installed on the cluster for the job.' },
};

export const ENTRY_POINT_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  parameters: {
    type: 'mapping',
    url: DOCS.projectParameters,
    description: 'Parameters of this entry point: `name: type` (required) or `name: {type: …, default: …}`. Values are shell-quoted before substitution.',
  },
  command: {
    type: 'string',
    url: P,
    description:
      'Shell command run for this entry point. MLflow fills `{param}` fields with Python `str.format`, so literal braces must be doubled (`${{HOME}}`); parameters passed with `-P` but not declared are appended as `--name value`.',
  },
};
export const ENTRY_POINT_KEYS: readonly string[] = Object.keys(ENTRY_POINT_KEY_DOCS);

export const PARAMETER_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  type: {
    type: 'string',
    url: DOCS.projectParameters,
    values: ['string', 'float', 'path', 'uri'],
    description: 'Parameter type; `string` when omitted. Only `path` and `uri` change how MLflow handles the value.',
  },
  default: {
    type: 'scalar',
    url: DOCS.projectParameters,
    description: 'Value used when the run does not pass this parameter. Without a default the parameter is required.',
  },
};

export interface ParameterTypeDoc {
  description: string;
  documented: boolean;
}

export const PARAMETER_TYPES: Readonly<Record<string, ParameterTypeDoc>> = {
  string: { documented: true, description: 'Free text, substituted as given (shell-quoted). The default type.' },
  float: { documented: true, description: 'A number. MLflow substitutes it as text and does not check that it is one.' },
  path: {
    documented: true,
    description:
      'A file or folder the program reads locally. Local paths must exist and are made absolute; remote URIs (`s3://`, `dbfs:/`, …) are downloaded first.',
  },
  uri: {
    documented: true,
    description: 'A URI passed through unchanged, for programs that read remote storage themselves. It must have a scheme (`s3://…`, `file:///…`).',
  },
  int: { documented: false, description: 'Not a type MLflow knows (some docs list it): the value is passed as plain text, unchecked.' },
};
export const DOCUMENTED_PARAMETER_TYPES: readonly string[] = Object.keys(PARAMETER_TYPES).filter((t) => PARAMETER_TYPES[t].documented);

const M = DOCS.model;

export const MLMODEL_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  artifact_path: {
    type: 'string',
    url: M,
    description: 'Where the model was logged: a run-relative path in MLflow 2.x, the logged model’s artifact URI in 3.x.',
  },
  flavors: {
    type: 'mapping',
    url: DOCS.flavors,
    description: 'The formats this model can be loaded as; each key names a flavor and holds its loader settings.',
  },
  run_id: { type: 'string', url: M, description: 'ID of the tracking run that produced the model (absent when saved outside a run).' },
  model_uuid: { type: 'string', url: M, description: 'Unique ID of this model instance.' },
  model_id: { type: 'string', url: M, description: 'ID of the MLflow 3 LoggedModel (`m-…`); `models:/<model_id>` resolves to it.' },
  utc_time_created: { type: 'timestamp string', url: M, description: "When the model was saved, in UTC (`'YYYY-MM-DD HH:MM:SS.ffffff'`)." },
  mlflow_version: { type: 'string', url: M, description: 'Version of MLflow that wrote this file.' },
  signature: {
    type: 'mapping',
    url: DOCS.signatures,
    description: 'Input and output schema and inference parameters, each a JSON string (`inputs`, `outputs`, `params`).',
  },
  saved_input_example_info: { type: 'mapping', url: DOCS.inputExample, description: 'Where the logged input example is stored and how it is encoded.' },
  databricks_runtime: { type: 'string', url: M, description: 'Databricks Runtime version the model was logged on.' },
  metadata: { type: 'mapping', url: M, description: 'Free-form user metadata. `mlflow.model.isExternal: true` makes the model unloadable.' },
  model_size_bytes: { type: 'integer', url: M, description: 'Total size of the model folder in bytes.' },
  resources: { type: 'mapping', url: M, description: 'Databricks resources (endpoints, indexes, warehouses, …) the model needs when served.' },
  auth_policy: { type: 'mapping', url: M, description: 'Serving authorization: system resources and the API scopes the calling user needs.' },
  env_vars: { type: 'list of strings', url: M, description: 'Names of environment variables the model read during inference (names only, not values).' },
  prompts: { type: 'list of strings', url: M, description: 'Registered prompt versions linked to the model (`prompts:/name/version`).' },
  is_signature_from_type_hint: { type: 'boolean', url: DOCS.signatures, description: 'Internal: the signature was inferred from Python type hints.' },
  type_hint_from_example: { type: 'boolean', url: DOCS.signatures, description: 'Internal: the type hint was inferred from the input example.' },
};
export const MLMODEL_TOP_LEVEL_KEYS: readonly string[] = Object.keys(MLMODEL_KEY_DOCS);

export const PYFUNC_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  loader_module: {
    type: 'string',
    url: DOCS.pyfunc,
    description: 'Python module imported to load the model; it must define `_load_pyfunc(path)` (e.g. `mlflow.sklearn`). Required.',
  },
  python_version: {
    type: 'string',
    url: DOCS.pyfunc,
    description: 'Python version the model was saved with. Must be a string: unquoted `3.10` is the number 3.1 and breaks `pyfunc.load_model`.',
  },
  data: { type: 'path', url: DOCS.pyfunc, description: 'File or folder, relative to the model folder, handed to the loader.' },
  code: { type: 'path', url: DOCS.pyfunc, description: 'Folder of bundled code added to `sys.path` before loading (null if none).' },
  env: {
    type: 'path or mapping',
    url: DOCS.pyfunc,
    description: 'Environment files used to recreate dependencies: `{conda: conda.yaml, virtualenv: python_env.yaml}` (a single conda path before MLflow 2.0).',
  },
  model_path: { type: 'path', url: DOCS.pyfunc, description: 'Relative path of the serialized model file.' },
  predict_fn: { type: 'string', url: DOCS.pyfunc, description: 'Name of the method `predict()` calls (default `predict`).' },
  streamable: { type: 'boolean', url: DOCS.pyfunc, values: ['true', 'false'], description: 'Whether the model supports `predict_stream`.' },
  predict_stream_fn: { type: 'string', url: DOCS.pyfunc, description: 'Method used for streaming predictions (default `predict_stream`).' },
  model_code_path: { type: 'path', url: DOCS.pyfunc, description: 'Models from code: the script that defines the model with `set_model()`.' },
  config: { type: 'mapping', url: DOCS.pyfunc, description: 'Model configuration passed to the loader.' },
  model_config: { type: 'mapping', url: DOCS.pyfunc, description: 'Model configuration passed to the loader.' },
  python_model: { type: 'path', url: DOCS.pyfunc, description: 'The pickled custom `PythonModel` (usually `python_model.pkl`).' },
  cloudpickle_version: { type: 'string', url: DOCS.pyfunc, description: 'cloudpickle version used to pickle `python_model`.' },
  artifacts: { type: 'mapping', url: DOCS.pyfunc, description: 'Artifacts copied into the model for a custom `PythonModel`, as `name: {path, uri}`.' },
};

export const FLAVOR_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  code: { type: 'path', url: DOCS.flavors, description: 'Folder of user code bundled with the model (null if none).' },
  data: { type: 'path', url: DOCS.flavors, description: 'Relative file or folder holding the serialized model.' },
  pickled_model: { type: 'path', url: DOCS.flavors, description: 'Relative path of the serialized estimator file (usually `model.pkl`).' },
  serialization_format: {
    type: 'string',
    url: DOCS.flavors,
    values: ['cloudpickle', 'pickle', 'skops'],
    description: 'How the estimator was serialized: `cloudpickle`, `pickle` or `skops` (the safe, non-pickle format).',
  },
  skops_trusted_types: { type: 'list of strings', url: DOCS.flavors, description: 'Extra types trusted when loading a skops file.' },
  model_data: { type: 'path', url: DOCS.flavors, description: 'Relative folder holding the serialized model (`data`, `sparkml`, …).' },
  extra_files: { type: 'list', url: DOCS.flavors, description: 'Extra files saved with the model, as `[{path: extra_files/…}]`.' },
  model_class: { type: 'string', url: DOCS.flavors, description: 'Fully qualified class of the saved model object.' },
  model_format: { type: 'string', url: DOCS.flavors, values: ['xgb', 'json', 'ubj'], description: 'On-disk booster format.' },
  model_type: { type: 'string', url: DOCS.flavors, description: 'Kind of saved model, e.g. `keras` or `tf2-module` for TensorFlow.' },
  saved_model_dir: { type: 'path', url: DOCS.flavors, description: 'Relative folder of the TensorFlow SavedModel.' },
  save_format: { type: 'string', url: DOCS.flavors, values: ['tf', 'h5'], description: 'Keras save format: `tf` (SavedModel) or `h5`.' },
  keras_backend: { type: 'string', url: DOCS.flavors, values: ['tensorflow', 'jax', 'torch'], description: 'Keras 3 backend used when saving.' },
  task: { type: 'string', url: DOCS.flavors, description: 'Hugging Face pipeline task, e.g. `text-classification` or `llm/v1/chat`.' },
  instance_type: { type: 'string', url: DOCS.flavors, description: 'Pipeline class rebuilt on load.' },
  source_model_name: { type: 'string', url: DOCS.flavors, description: 'Hub repository of the base model.' },
  source_model_revision: { type: 'string', url: DOCS.flavors, description: 'Hub commit of the base model.' },
  components: {
    type: 'list of strings',
    url: DOCS.flavors,
    description: 'Pipeline components saved with the model (tokenizer, feature_extractor, image_processor).',
  },
  framework: { type: 'string', url: DOCS.flavors, values: ['pt', 'tf'], description: 'Backend framework of the pipeline.' },
  torch_dtype: { type: 'string', url: DOCS.flavors, description: 'torch dtype used to load the weights.' },
  model_binary: { type: 'path', url: DOCS.flavors, description: 'Folder with the saved weights (absent when only a hub reference was saved).' },
  peft_adaptor: { type: 'path', url: DOCS.flavors, description: 'Folder of a PEFT/LoRA adapter saved on top of the base model.' },
  streamable: { type: 'boolean', url: DOCS.flavors, description: 'Whether `predict_stream` is supported.' },
  providers: { type: 'list of strings', url: DOCS.flavors, description: 'onnxruntime execution providers used at load.' },
  onnx_session_options: { type: 'mapping', url: DOCS.flavors, description: 'onnxruntime session options used at load.' },
  underlying_model_flavor: { type: 'string', url: DOCS.flavors, description: 'Flavor of the model wrapped by the SHAP explainer.' },
  pickle_module_name: { type: 'string', url: DOCS.flavors, description: 'Pickle module used with `torch.save`.' },
};

export interface FlavorDoc {
  description: string;
  /** Keys its `save_model` writes besides `<library>_version` (see FLAVOR_KEY_DOCS / PYFUNC_KEY_DOCS). */
  keys: readonly string[];
  /** The `<library>_version` key, when there is one. */
  versionKey?: string;
}

const flavor = (library: string, keys: string[], versionKey?: string): FlavorDoc => ({
  description: `Model saved with MLflow's ${library} flavor.`,
  keys,
  versionKey,
});

export const FLAVOR_DOCS: Readonly<Record<string, FlavorDoc>> = {
  python_function: {
    description: 'The generic Python flavor: `mlflow.pyfunc.load_model`, `mlflow models serve` and batch scoring use it.',
    keys: Object.keys(PYFUNC_KEY_DOCS),
  },
  sklearn: flavor('scikit-learn', ['pickled_model', 'serialization_format', 'skops_trusted_types', 'code', 'extra_files'], 'sklearn_version'),
  pytorch: flavor('PyTorch', ['model_data', 'code', 'extra_files', 'pickle_module_name'], 'pytorch_version'),
  tensorflow: flavor('TensorFlow', ['code', 'data', 'model_type', 'keras_version', 'save_format', 'saved_model_dir', 'meta_graph_tags', 'signature_def_key']),
  keras: flavor('Keras 3', ['data', 'keras_backend', 'save_exported_model'], 'keras_version'),
  xgboost: flavor('XGBoost', ['data', 'model_class', 'model_format', 'code', 'extra_files'], 'xgb_version'),
  lightgbm: flavor('LightGBM', ['data', 'model_class', 'code', 'serialization_format', 'skops_trusted_types', 'extra_files'], 'lgb_version'),
  catboost: flavor('CatBoost', ['model_type', 'save_format', 'data', 'code'], 'catboost_version'),
  onnx: flavor('ONNX', ['data', 'providers', 'onnx_session_options', 'code'], 'onnx_version'),
  transformers: flavor(
    'Hugging Face Transformers',
    [
      'code',
      'task',
      'instance_type',
      'framework',
      'torch_dtype',
      'model_binary',
      'pipeline_model_type',
      'source_model_name',
      'source_model_revision',
      'components',
      'peft_adaptor',
      'prompt_template',
    ],
    'transformers_version',
  ),
  sentence_transformers: flavor('Sentence Transformers', ['code', 'source_model_name', 'pipeline_model_type'], 'sentence_transformers_version'),
  langchain: flavor('LangChain', ['code', 'streamable', 'model_type', 'model_data', 'model_code_path', 'config', 'databricks_dependency'], 'langchain_version'),
  llama_index: flavor('LlamaIndex', ['code', 'engine_type'], 'llama_index_version'),
  openai: flavor('OpenAI', ['data', 'code'], 'openai_version'),
  dspy: flavor('DSPy', ['model_path', 'code']),
  spark: flavor('Spark MLlib', ['model_data', 'model_class', 'code'], 'pyspark_version'),
  h2o: flavor('H2O', ['data', 'code'], 'h2o_version'),
  statsmodels: flavor('statsmodels', ['data', 'code'], 'statsmodels_version'),
  prophet: flavor('Prophet', ['model_type', 'data', 'code'], 'prophet_version'),
  pmdarima: flavor('pmdarima', ['model_type', 'data', 'code'], 'pmdarima_version'),
  diviner: flavor('Diviner', ['model_type', 'data', 'code', 'fit_with_spark'], 'diviner_version'),
  spacy: flavor('spaCy', ['data', 'code'], 'spacy_version'),
  paddle: flavor('PaddlePaddle', ['pickled_model', 'code'], 'paddle_version'),
  shap: flavor('SHAP', ['serialized_explainer', 'underlying_model_flavor', 'code'], 'shap_version'),
  johnsnowlabs: flavor('John Snow Labs', ['model_data', 'code'], 'pyspark_version'),
  promptflow: flavor('Prompt flow', ['version', 'entry', 'python_requirements_txt']),
  diffusers: flavor('Diffusers', ['base_model', 'adapter_type', 'adapter_weights', 'weight_name', 'code'], 'diffusers_version'),
  crate: flavor('R (crate)', ['version', 'model']),
};

/** Description of `<library>_version` keys. */
export function versionKeyDoc(key: string): KeyDoc {
  return { type: 'string', url: DOCS.flavors, description: `Version of ${key.replace(/_version$/, '')} used to save the model.` };
}

export const SIGNATURE_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  inputs: {
    type: 'JSON string',
    url: DOCS.signatures,
    description: 'Input schema: a JSON list of column specs (`{"type": "double", "name": "x"}`) or tensor specs, as a string.',
  },
  outputs: { type: 'JSON string', url: DOCS.signatures, description: 'Output schema, in the same JSON form as `inputs`.' },
  params: { type: 'JSON string', url: DOCS.signatures, description: 'Inference parameters: a JSON list of `{"name", "type", "default", "shape"}`.' },
};

export const COLUMN_TYPES: Readonly<Record<string, string>> = {
  boolean: 'true/false',
  integer: '32-bit signed integer',
  long: '64-bit signed integer',
  float: '32-bit floating point',
  double: '64-bit floating point',
  string: 'text',
  binary: 'raw bytes (base64 in JSON)',
  datetime: 'timestamp (datetime64[ns])',
};

export const COMPOUND_COLUMN_TYPES: Readonly<Record<string, string>> = {
  array: 'a list whose elements have the type in `items`',
  object: 'a JSON object whose fields are described in `properties`',
  map: 'string keys with values of the type in `values`',
  any: 'any JSON value, not validated',
  sparkml_vector: 'a Spark ML vector',
};

/** Common NumPy dtype names accepted in tensor specs (any `np.dtype` name works; sized strings do not). */
export const TENSOR_DTYPES: readonly string[] = [
  'bool',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float16',
  'float32',
  'float64',
  'complex64',
  'complex128',
  'object',
  'str',
  'bytes',
  'datetime64',
  'timedelta64',
];

export const SAVED_INPUT_EXAMPLE_KEY_DOCS: Readonly<Record<string, KeyDoc>> = {
  artifact_path: { type: 'path', url: DOCS.inputExample, description: 'File, relative to the model folder, holding the input example.' },
  type: {
    type: 'string',
    url: DOCS.inputExample,
    values: ['dataframe', 'ndarray', 'json_object', 'sparse_matrix_csc', 'sparse_matrix_csr'],
    description: 'How the example is encoded.',
  },
  pandas_orient: { type: 'string', url: DOCS.inputExample, values: ['split', 'values'], description: 'Pandas JSON orientation of a DataFrame example.' },
  serving_input_path: { type: 'path', url: DOCS.inputExample, description: 'Ready-to-send REST payload for `/invocations`.' },
  params: { type: 'string', url: DOCS.inputExample, description: 'The example file holds `{"inputs": …, "params": …}`.' },
  format: { type: 'string', url: DOCS.inputExample, values: ['tf-serving'], description: 'Legacy tensor encoding marker.' },
};
export const INPUT_EXAMPLE_TYPES: readonly string[] = SAVED_INPUT_EXAMPLE_KEY_DOCS.type.values!;

/**
 * Documentation of the key at `path` (as from ParsedYaml.nodePathAt), for hover. Entry point and
 * parameter names are free, so `['entry_points', '<any>', 'parameters', '<any>', 'type']` resolves.
 */
export function keyDocAt(kind: 'mlproject' | 'mlmodel', path: readonly (string | number)[]): KeyDoc | undefined {
  const [a, b, c, , e] = path.map(String);
  if (kind === 'mlproject') {
    if (path.length === 1) return MLPROJECT_KEY_DOCS[a];
    if (a === 'docker_env' && path.length === 2) return DOCKER_ENV_KEY_DOCS[b];
    if (a === 'databricks_spark_job' && path.length === 2) return DATABRICKS_SPARK_JOB_KEY_DOCS[b];
    if (a === 'entry_points' && path.length === 3) return ENTRY_POINT_KEY_DOCS[c];
    if (a === 'entry_points' && c === 'parameters' && path.length === 5) return PARAMETER_KEY_DOCS[e];
    return undefined;
  }
  if (path.length === 1) return MLMODEL_KEY_DOCS[a];
  if (a === 'flavors' && path.length === 2) {
    const doc = FLAVOR_DOCS[b];
    return doc ? { type: 'mapping', url: DOCS.flavors, description: doc.description } : undefined;
  }
  if (a === 'flavors' && path.length === 3) {
    if (b === 'python_function' && PYFUNC_KEY_DOCS[c]) return PYFUNC_KEY_DOCS[c];
    if (c.endsWith('_version')) return versionKeyDoc(c);
    return FLAVOR_KEY_DOCS[c];
  }
  if (a === 'signature' && path.length === 2) return SIGNATURE_KEY_DOCS[b];
  if (a === 'saved_input_example_info' && path.length === 2) return SAVED_INPUT_EXAMPLE_KEY_DOCS[b];
  return undefined;
}

/** Keys that may be completed inside the mapping at `path` (the path of the mapping itself). */
export function keysAt(kind: 'mlproject' | 'mlmodel', path: readonly (string | number)[]): readonly string[] {
  const [a, b, c] = path.map(String);
  if (kind === 'mlproject') {
    if (path.length === 0) return MLPROJECT_TOP_LEVEL_KEYS;
    if (a === 'docker_env' && path.length === 1) return DOCKER_ENV_KEYS;
    if (a === 'databricks_spark_job' && path.length === 1) return Object.keys(DATABRICKS_SPARK_JOB_KEY_DOCS);
    if (a === 'entry_points' && path.length === 2) return ENTRY_POINT_KEYS;
    if (a === 'entry_points' && c === 'parameters' && path.length === 4) return Object.keys(PARAMETER_KEY_DOCS);
    return [];
  }
  if (path.length === 0) return MLMODEL_TOP_LEVEL_KEYS;
  if (a === 'flavors' && path.length === 1) return Object.keys(FLAVOR_DOCS);
  if (a === 'flavors' && path.length === 2) {
    const doc = FLAVOR_DOCS[b];
    return doc ? [...(doc.versionKey ? [doc.versionKey] : []), ...doc.keys] : [];
  }
  if (a === 'signature' && path.length === 1) return Object.keys(SIGNATURE_KEY_DOCS);
  if (a === 'saved_input_example_info' && path.length === 1) return Object.keys(SAVED_INPUT_EXAMPLE_KEY_DOCS);
  return [];
}
