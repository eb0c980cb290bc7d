/** Experiment, registered-model and model-version filters and orders, over the recorded entities. */
import * as assert from 'node:assert/strict';
import {
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
  SearchSyntaxError,
} from '../../../src/tracking/search';
import type { Experiment, ModelVersion, RegisteredModel } from '../../../src/tracking/types';
import { allExperiments, readJson, shuffled } from './recorded';

// Default (id 0), iris-sklearn, mnist-classifier, old-experiment-deleted
const experiments = shuffled(allExperiments('rest-file-store'));

function experimentNames(filter: string, from: Experiment[] = experiments): string[] {
  return from
    .filter(parseExperimentFilter(filter))
    .map((e) => e.name)
    .sort();
}

function failsAt(fn: () => unknown, position: number, reason: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof SearchSyntaxError && e.position === position && reason.test(e.reason));
}

describe('search: experiment filters', () => {
  const CASES: [string, string[]][] = [
    ["name = 'Default'", ['Default']],
    ["attributes.name LIKE '%-%'", ['iris-sklearn', 'mnist-classifier', 'old-experiment-deleted']],
    ["attribute.name ILIKE 'MNIST%'", ['mnist-classifier']],
    ["name != 'Default'", ['iris-sklearn', 'mnist-classifier', 'old-experiment-deleted']],
    ["tags.team = 'vision'", ['mnist-classifier']],
    ["tags.team != 'vision'", ['iris-sklearn']],
    ['tags.team IS NULL', ['Default', 'old-experiment-deleted']],
    ['tags.team IS NOT NULL', ['iris-sklearn', 'mnist-classifier']],
    ["tags.`mlflow.note.content` LIKE '%CNN%'", ['mnist-classifier']],
    ['creation_time > 1795375817000', ['iris-sklearn', 'mnist-classifier', 'old-experiment-deleted']],
    ['attributes.last_update_time >= 1795375823660', ['old-experiment-deleted']],
    ["creation_time >= 1795375817001 and tag.framework = 'sklearn'", ['iris-sklearn']],
    ['', ['Default', 'iris-sklearn', 'mnist-classifier', 'old-experiment-deleted']],
  ];
  for (const [filter, expected] of CASES) {
    it(JSON.stringify(filter), () => assert.deepEqual(experimentNames(filter), expected));
  }

  it('never matches a missing creation_time', () => {
    const bare: Experiment = { experiment_id: '7', name: 'bare', lifecycle_stage: 'active' };
    assert.deepEqual(experimentNames('creation_time > 0', [bare]), []);
    assert.deepEqual(experimentNames('creation_time < 99999999999999', [bare]), []);
  });

  it('rejects what MLflow rejects, with the position', () => {
    failsAt(() => parseExperimentFilter('metrics.x > 1'), 0, /^Invalid entity type 'metrics'\. Valid entity types are \('attribute', 'tag', 'tags'\)$/);
    failsAt(() => parseExperimentFilter("params.x = 'a'"), 0, /^Invalid entity type 'params'/);
    failsAt(() => parseExperimentFilter("artifact_location = 'x'"), 0, /^Invalid attribute key 'artifact_location' specified/);
    failsAt(() => parseExperimentFilter("name IN ('a')"), 8, /^Only the 'run_id' attribute/);
    failsAt(() => parseExperimentFilter("creation_time > 'abc'"), 16, /^Expected numeric value type for numeric attribute: creation_time/);
    failsAt(() => parseExperimentFilter('name IS NULL'), 5, /^IS NULL \/ IS NOT NULL is only supported for tags/);
    failsAt(() => parseExperimentFilter("name = 'a' OR name = 'b'"), 11, /OR/);
  });
});

describe('search: experiment order', () => {
  const order = (orderBy?: string[], from: Experiment[] = experiments) => [...from].sort(parseExperimentOrderBy(orderBy)).map((e) => e.name);

  it('defaults to creation_time DESC, experiment_id ASC', () => {
    assert.deepEqual(order(), ['old-experiment-deleted', 'iris-sklearn', 'mnist-classifier', 'Default']);
    assert.deepEqual(order([]), order());
  });

  it('orders by name, id and times, missing values last', () => {
    assert.deepEqual(order(['name DESC']), ['old-experiment-deleted', 'mnist-classifier', 'iris-sklearn', 'Default']);
    assert.deepEqual(order(['name']), ['Default', 'iris-sklearn', 'mnist-classifier', 'old-experiment-deleted']);
    assert.deepEqual(order(['attribute.experiment_id ASC']), ['Default', 'mnist-classifier', 'iris-sklearn', 'old-experiment-deleted']);
    const bare: Experiment = { experiment_id: '5', name: 'bare', lifecycle_stage: 'active' };
    assert.deepEqual(order(['last_update_time ASC'], [...experiments, bare]), [
      'Default',
      'mnist-classifier',
      'iris-sklearn',
      'old-experiment-deleted',
      'bare',
    ]);
    assert.deepEqual(order(['last_update_time DESC'], [...experiments, bare]), [
      'old-experiment-deleted',
      'iris-sklearn',
      'mnist-classifier',
      'Default',
      'bare',
    ]);
  });

  it('breaks ties by experiment_id DESC unless the order names it', () => {
    const twins: Experiment[] = ['1', '3', '2'].map((id) => ({ experiment_id: id, name: 'same', lifecycle_stage: 'active' }));
    assert.deepEqual(
      [...twins].sort(parseExperimentOrderBy(['name'])).map((e) => e.experiment_id),
      ['3', '2', '1'],
    );
  });

  it('rejects tags and unknown keys', () => {
    failsAt(() => parseExperimentOrderBy(['tags.team']), 0, /^Invalid order_by entity: tag$/);
    failsAt(() => parseExperimentOrderBy(['attribute.colour DESC']), 10, /^Invalid attribute key 'colour'/);
  });
});

describe('search: registered models and model versions', () => {
  const models: RegisteredModel[] = readJson('rest-file-store', 'registered_models_search.json').registered_models;
  const prompt: RegisteredModel = { name: 'qa-prompt', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }], creation_timestamp: 1 };
  const all = shuffled([...models, prompt]);
  const modelNames = (filter?: string) =>
    all
      .filter(parseRegisteredModelFilter(filter))
      .map((m) => m.name)
      .sort();

  it('filters registered models by name and tags', () => {
    assert.deepEqual(modelNames("name = 'iris-classifier'"), ['iris-classifier']);
    assert.deepEqual(modelNames("name LIKE '%-%'"), ['iris-classifier', 'qa-prompt']);
    assert.deepEqual(modelNames("name ILIKE 'IRIS%'"), ['iris-classifier']);
    assert.deepEqual(modelNames(undefined), ['iris-classifier', 'qa-prompt']);
  });

  it("treats a missing mlflow.prompt.is_prompt tag as 'false', as MLflow does", () => {
    assert.deepEqual(modelNames("tags.`mlflow.prompt.is_prompt` = 'false'"), ['iris-classifier']);
    assert.deepEqual(modelNames("tags.`mlflow.prompt.is_prompt` != 'true'"), ['iris-classifier']);
    assert.deepEqual(modelNames("tags.`mlflow.prompt.is_prompt` = 'true'"), ['qa-prompt']);
    assert.deepEqual(modelNames("tags.other = 'x'"), []);
  });

  it('rejects keys registered models do not have', () => {
    failsAt(() => parseRegisteredModelFilter("run_id = 'x'"), 0, /^Invalid attribute key 'run_id' specified\. Valid keys are '\{'name'\}'$/);
    failsAt(() => parseRegisteredModelFilter('metrics.x > 1'), 0, /^Invalid entity type 'metrics'/);
    failsAt(() => parseRegisteredModelFilter('tags.x IS NULL'), 7, /^Invalid comparator 'IS NULL'/);
  });

  it('orders registered models by name unless told otherwise', () => {
    const names = (o?: string[]) => [...all].sort(parseRegisteredModelOrderBy(o)).map((m) => m.name);
    assert.deepEqual(names(), ['iris-classifier', 'qa-prompt']);
    assert.deepEqual(names(['name DESC']), ['qa-prompt', 'iris-classifier']);
    assert.deepEqual(names(['creation_timestamp ASC']), ['qa-prompt', 'iris-classifier']);
    failsAt(() => parseRegisteredModelOrderBy(['tags.x']), 0, /^Invalid order_by entity: tag$/);
  });

  const versions: ModelVersion[] = readJson('rest-file-store', 'model_versions_search.json').model_versions;
  const deleted: ModelVersion = { ...versions[0], version: '3', current_stage: 'Deleted_Internal' };
  const otherModel: ModelVersion = { name: 'other', version: '1', run_id: 'abc', source: 'models:/m-x', tags: [] };
  const allVersions = shuffled([...versions, deleted, otherModel]);
  const pick = (filter?: string) =>
    allVersions
      .filter(parseModelVersionFilter(filter))
      .map((v) => `${v.name}/${v.version}`)
      .sort();

  it('filters model versions by name, version_number, run_id, source_path and tags', () => {
    assert.deepEqual(pick("name = 'iris-classifier'"), ['iris-classifier/1', 'iris-classifier/2']);
    assert.deepEqual(pick("name = 'iris-classifier' and version_number > 1"), ['iris-classifier/2']);
    assert.deepEqual(pick("version_number = '1'"), ['iris-classifier/1', 'other/1']);
    assert.deepEqual(pick("run_id IN ('aa52b661252f4e859aa67fea7969493c', 'abc')"), ['iris-classifier/2', 'other/1']);
    assert.deepEqual(pick("source_path LIKE 'models:/m-6a58%'"), ['iris-classifier/2']);
    assert.deepEqual(pick("tags.validation_status = 'approved'"), ['iris-classifier/2']);
    assert.deepEqual(pick(''), ['iris-classifier/1', 'iris-classifier/2', 'other/1']);
  });

  it('rejects NOT IN and numbers for string keys on model versions', () => {
    failsAt(() => parseModelVersionFilter("run_id NOT IN ('a')"), 7, /^Invalid comparator 'NOT IN'/);
    failsAt(() => parseModelVersionFilter('name = 3'), 7, /^Expected a quoted string value for attributes/);
    failsAt(() => parseModelVersionFilter("current_stage = 'None'"), 0, /^Invalid attribute key 'current_stage'/);
  });

  it('orders model versions by name ASC, then version DESC, unless told otherwise', () => {
    const order = (o?: string[]) =>
      [...allVersions]
        .filter((v) => v.current_stage !== 'Deleted_Internal')
        .sort(parseModelVersionOrderBy(o))
        .map((v) => `${v.name}/${v.version}`);
    assert.deepEqual(order(), ['iris-classifier/2', 'iris-classifier/1', 'other/1']);
    assert.deepEqual(order(['version_number ASC']), ['iris-classifier/1', 'other/1', 'iris-classifier/2']);
    assert.deepEqual(order(['creation_timestamp DESC']), ['iris-classifier/2', 'iris-classifier/1', 'other/1']);
  });
});
