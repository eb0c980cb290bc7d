/**
 * A git repository made at test time inside a workspace, and two runs in its `mlruns` store
 * whose tags name commits of it (as MLflow writes them when a script runs from a git
 * checkout): `mlflow.source.git.commit`, `mlflow.source.name` (the script's absolute
 * path), `mlflow.source.type` LOCAL. The first run was made at the first commit (lr 0.01),
 * the second at the second (lr 0.005); the working tree's train.py is then changed again,
 * so each run's source differs from the workspace and from the other's.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const GIT_FIXTURE_EXPERIMENT = '212911124069009075';
export const GIT_FIXTURE_RUN = '5eed5eed5eed5eed5eed5eed5eed0017';
export const GIT_FIXTURE_RUN_NAME = 'from-git-checkout';
export const GIT_FIXTURE_SECOND_RUN = '5eed5eed5eed5eed5eed5eed5eed0018';
export const GIT_FIXTURE_SECOND_RUN_NAME = 'from-git-checkout-2';

export interface GitSourceFixture {
  repo: string;
  /** The first run's commit. */
  commit: string;
  /** The second run's commit. */
  secondCommit: string;
  script: string;
  /** The run folders written into the store. */
  runDirs: string[];
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
  writeFileSync(script, 'import mlflow\n\nlr = 0.005  # second try\nprint("training with", lr)\n');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-a', '-m', 'second version');
  const secondCommit = git('rev-parse', 'HEAD');
  writeFileSync(script, 'import mlflow\n\nlr = 0.001  # changed after the run\nprint("training with", lr)\n');

  const runDirs = [
    writeRun(workspace, GIT_FIXTURE_RUN, GIT_FIXTURE_RUN_NAME, commit, script, '0.01'),
    writeRun(workspace, GIT_FIXTURE_SECOND_RUN, GIT_FIXTURE_SECOND_RUN_NAME, secondCommit, script, '0.005'),
  ];
  return { repo, commit, secondCommit, script, runDirs };
}

/** Removes the repository and the runs, so the store is as it was. */
export function removeGitSourceFixture(fixture: GitSourceFixture): void {
  rmSync(fixture.repo, { recursive: true, force: true });
  for (const dir of fixture.runDirs) rmSync(dir, { recursive: true, force: true });
}

function writeRun(workspace: string, runId: string, runName: string, commit: string, script: string, lr: string): string {
  const run = path.join(workspace, 'mlruns', GIT_FIXTURE_EXPERIMENT, runId);
  for (const dir of ['tags', 'params', 'metrics', 'artifacts']) mkdirSync(path.join(run, dir), { recursive: true });
  writeFileSync(
    path.join(run, 'meta.yaml'),
    [
      `artifact_uri: file://${run}/artifacts`,
      'end_time: 1795131600000',
      "entry_point_name: ''",
      `experiment_id: '${GIT_FIXTURE_EXPERIMENT}'`,
      'lifecycle_stage: active',
      `run_id: ${runId}`,
      `run_name: ${runName}`,
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
    'mlflow.runName': runName,
    'mlflow.source.git.commit': commit,
    'mlflow.source.name': script,
    'mlflow.source.type': 'LOCAL',
    'mlflow.user': 'test',
  };
  for (const [key, value] of Object.entries(tags)) writeFileSync(path.join(run, 'tags', key), value);
  writeFileSync(path.join(run, 'params', 'lr'), lr);
  return run;
}
