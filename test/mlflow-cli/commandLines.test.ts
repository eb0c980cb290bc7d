import * as assert from 'node:assert/strict';
import {
  buildDockerCommand,
  dockerImageName,
  mlflowRunCommand,
  modelsServeCommand,
  parseGitProjectUri,
  trackingEnvironment,
  uiCommand,
  type MlflowInvocation,
} from '../../src/mlflow-cli/commandLines';

const MLFLOW: MlflowInvocation = { program: 'mlflow', prefixArgs: [], source: 'path' };
const PYTHON: MlflowInvocation = { program: '/venv/bin/python', prefixArgs: ['-m', 'mlflow'], source: 'interpreter' };

describe('MLflow command lines', () => {
  it('runs an entry point with parameters, one -P each, values untouched', () => {
    const line = mlflowRunCommand(MLFLOW, {
      projectUri: '/work/demo',
      entryPoint: 'main',
      parameters: [
        ['alpha', '0.5'],
        ['note', 'a b; rm -rf ~'],
        ['eq', 'x=y'],
      ],
      cwd: '/work/demo',
    });
    assert.deepEqual(line, {
      program: 'mlflow',
      args: ['run', '/work/demo', '-e', 'main', '-P', 'alpha=0.5', '-P', 'note=a b; rm -rf ~', '-P', 'eq=x=y'],
      env: {},
      cwd: '/work/demo',
    });
  });

  it('adds every run option as mlflow run spells it', () => {
    const line = mlflowRunCommand(PYTHON, {
      projectUri: 'https://github.com/mlflow/mlflow-example.git#sub',
      entryPoint: 'train',
      parameters: [],
      experimentName: 'my exp',
      runName: 'first try',
      envManager: 'virtualenv',
      version: 'main',
      buildImage: true,
      dockerArgs: ['gpus=all', 'rm'],
      backend: 'kubernetes',
      backendConfig: 'kube.json',
    });
    assert.deepEqual(line.args, [
      '-m',
      'mlflow',
      'run',
      'https://github.com/mlflow/mlflow-example.git#sub',
      '-e',
      'train',
      '--experiment-name',
      'my exp',
      '--run-name',
      'first try',
      '--env-manager',
      'virtualenv',
      '-v',
      'main',
      '--build-image',
      '-A',
      'gpus=all',
      '-A',
      'rm',
      '-b',
      'kubernetes',
      '-c',
      'kube.json',
    ]);
    assert.equal(line.program, '/venv/bin/python');
  });

  it('prefers an experiment id to a name', () => {
    const line = mlflowRunCommand(MLFLOW, { projectUri: '.', entryPoint: 'main', parameters: [], experimentId: '12', experimentName: 'ignored' });
    assert.deepEqual(line.args.slice(4), ['--experiment-id', '12']);
  });

  it('passes the store and its credentials in the environment only', () => {
    const tracking = { uri: 'https://mlflow.example.com', token: 'sekrit', username: 'ana', password: 'pw' };
    const line = mlflowRunCommand(MLFLOW, { projectUri: '.', entryPoint: 'main', parameters: [], tracking });
    assert.deepEqual(line.env, {
      MLFLOW_TRACKING_URI: 'https://mlflow.example.com',
      MLFLOW_TRACKING_TOKEN: 'sekrit',
      MLFLOW_TRACKING_USERNAME: 'ana',
      MLFLOW_TRACKING_PASSWORD: 'pw',
    });
    assert.ok(!line.args.some((a) => a.includes('sekrit') || a.includes('pw')));
    assert.deepEqual(trackingEnvironment({ uri: 'file:///x/mlruns' }), { MLFLOW_TRACKING_URI: 'file:///x/mlruns' });
    assert.deepEqual(trackingEnvironment(undefined), {});
  });

  it('serves a model on 127.0.0.1 and the given port', () => {
    const line = modelsServeCommand(MLFLOW, { modelUri: 'runs:/abc/model', port: 40123, envManager: 'local', tracking: { uri: 'sqlite:///m.db' } });
    assert.deepEqual(line.args, ['models', 'serve', '-m', 'runs:/abc/model', '-h', '127.0.0.1', '-p', '40123', '--env-manager', 'local']);
    assert.deepEqual(line.env, { MLFLOW_TRACKING_URI: 'sqlite:///m.db' });
  });

  it('builds a Docker image and starts the UI', () => {
    assert.deepEqual(buildDockerCommand(MLFLOW, { modelUri: 'models:/iris/1', imageName: 'iris' }).args, [
      'models',
      'build-docker',
      '-m',
      'models:/iris/1',
      '-n',
      'iris',
    ]);
    assert.deepEqual(uiCommand(PYTHON, { storeUri: 'sqlite:///a b/mlflow.db' }).args, ['-m', 'mlflow', 'ui', '--backend-store-uri', 'sqlite:///a b/mlflow.db']);
    assert.equal(dockerImageName('Iris Classifier/v2'), 'iris-classifier-v2');
    assert.equal(dockerImageName('---'), 'mlflow-model');
  });

  it('reads a Git project URI with a subfolder and refuses what MLflow refuses', () => {
    assert.deepEqual(parseGitProjectUri(' https://github.com/mlflow/mlflow-example.git '), {
      uri: 'https://github.com/mlflow/mlflow-example.git',
      repository: 'https://github.com/mlflow/mlflow-example.git',
      subdirectory: undefined,
    });
    assert.deepEqual(parseGitProjectUri('https://github.com/mlflow/mlflow.git#examples/sklearn_elasticnet_wine'), {
      uri: 'https://github.com/mlflow/mlflow.git#examples/sklearn_elasticnet_wine',
      repository: 'https://github.com/mlflow/mlflow.git',
      subdirectory: 'examples/sklearn_elasticnet_wine',
    });
    assert.equal((parseGitProjectUri('git@github.com:org/repo.git#a/b') as { subdirectory: string }).subdirectory, 'a/b');
    assert.match(parseGitProjectUri('https://github.com/o/r.git#../x') as string, /"\." in the project subfolder/);
    assert.match(parseGitProjectUri('https://github.com/o/r.git#v1.2') as string, /"\."/);
    assert.match(parseGitProjectUri('https://github.com/o/r.git#') as string, /Nothing follows/);
    assert.match(parseGitProjectUri('') as string, /Enter the URL/);
    assert.match(parseGitProjectUri('/local/folder') as string, /Git URL/);
    assert.match(parseGitProjectUri('https://a b') as string, /spaces/);
  });
});
