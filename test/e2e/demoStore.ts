// The demo store as the e2e specs use it: its mnist-classifier experiment and baseline run, and
// copies of that run written into the workbench's store as MLflow writes a run.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2e } from './setup';

export const MNIST = '212911124069009075';
export const BASELINE = 'b8dbec4c0e2d4fb08a1491543914eef7';

/**
 * Copies baseline-cnn into mnist-classifier as run `id` named `name`, with `meta` lines of its
 * meta.yaml replaced (`{ lifecycle_stage: 'deleted' }`). Returns the run folder (remove it after).
 */
export function writeRunCopy(id: string, name: string, meta: Record<string, string | number>): string {
  const experiment = join(e2e.server.workspace, 'mlruns', MNIST);
  const target = join(experiment, id);
  cpSync(join(experiment, BASELINE), target, { recursive: true });
  let text = readFileSync(join(target, 'meta.yaml'), 'utf8')
    .split(BASELINE)
    .join(id)
    .replace(/^run_name: .*$/m, `run_name: ${name}`);
  for (const [key, value] of Object.entries(meta)) text = text.replace(new RegExp(`^${key}: .*$`, 'm'), `${key}: ${value}`);
  writeFileSync(join(target, 'meta.yaml'), text);
  writeFileSync(join(target, 'tags', 'mlflow.runName'), name);
  return target;
}
