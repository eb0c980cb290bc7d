/**
 * A git repository made at test time inside a workspace, and a run in its `mlruns` store
 * whose tags name a commit of it (as MLflow writes them when a script runs from a git
 * checkout): `mlflow.source.git.commit`, `mlflow.source.name` (the script's absolute
 * path), `mlflow.source.type` LOCAL. The working tree's train.py is then changed, so the
 * run's source differs from the workspace.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const GIT_FIXTURE_EXPERIMENT = '212911124069009075';
export const GIT_FIXTURE_RUN = '5eed5eed5eed5eed5eed5eed5eed0017';
export const GIT_FIXTURE_RUN_NAME = 'from-git-checkout';

export interface GitSourceFixture {
  repo: string;
  commit: string;
  script: string;
}

export function makeGitSourceFixture(workspace: string, folder = 'code-fixture'): GitSourceFixture {
  const repo = path.join(workspace, folder);
  mkdirSync(repo, { recursive: true });
  const script = path.join(repo, 'train.py');
  writeFileSync(script, 'import mlflow\n\nlr = 0.01\nprint("training with", lr)\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).trim();
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', 'add', 'train.py');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'first version');
  const commit = git('rev-parse', 'HEAD');
  writeFileSync(script, 'import mlflow\n\nlr = 0.001  # changed after the run\nprint("training with", lr)\n');

  const run = path.join(workspace, 'mlruns', GIT_FIXTURE_EXPERIMENT, GIT_FIXTURE_RUN);
  for (const dir of ['tags', 'params', 'metrics', 'artifacts']) mkdirSync(path.join(run, dir), { recursive: true });
  writeFileSync(
    path.join(run, 'meta.yaml'),
    [
      `artifact_uri: file://${run}/artifacts`,
      'end_time: 1795131600000',
      "entry_point_name: ''",
      `experiment_id: '${GIT_FIXTURE_EXPERIMENT}'`,
      'lifecycle_stage: active',
      `run_id: ${GIT_FIXTURE_RUN}`,
      `run_name: ${GIT_FIXTURE_RUN_NAME}`,
      "source_name: ''",
      'source_type: 4',
      "source_version: ''",
      'start_time: 1795131500000',
      'status: 3',
      'tags: []',
      'user_id: test',
      '',
    ].join('\n'),
  );
  const tags: Record<string, string> = {
    'mlflow.runName': GIT_FIXTURE_RUN_NAME,
    'mlflow.source.git.commit': commit,
    'mlflow.source.name': script,
    'mlflow.source.type': 'LOCAL',
    'mlflow.user': 'test',
  };
  for (const [key, value] of Object.entries(tags)) writeFileSync(path.join(run, 'tags', key), value);
  writeFileSync(path.join(run, 'params', 'lr'), '0.01');
  return { repo, commit, script };
}
