/**
 * The generated 10,000-run file store of test/e2e/explorerSpeed.spec.ts, made once into a temp
 * folder named after the generator's version (writing ~400,000 files takes a while), and reused.
 * `npx tsx test/helpers/explorerSpeedStore.ts` makes it ahead of time and prints where.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { seededRandom } from './seededRandom';

const RUNS = 10_000;
const PARAMS = 20;
const METRICS = 10;
export const EXP_ID = '100000000000000001';
export const EXP_NAME = 'speed-10k';
/** Change when the generated data changes: the cached copy is keyed by it. */
const GENERATOR = 'v1';

/** The 10,000-run store, as MLflow writes it (20 params, 10 metrics of 3 steps, 5 tags per run). */
export function generatedStore(): string {
  const base = join(os.tmpdir(), `vscode-mlflow-explorer-10k-${GENERATOR}`);
  const root = join(base, 'mlruns');
  if (fs.existsSync(join(base, 'complete'))) return root;
  fs.rmSync(base, { recursive: true, force: true });
  const exp = join(root, EXP_ID);
  fs.mkdirSync(join(exp, 'tags'), { recursive: true });
  fs.writeFileSync(
    join(exp, 'meta.yaml'),
    `artifact_location: file://${exp}\ncreation_time: 1700000000000\nexperiment_id: '${EXP_ID}'\n` +
      `last_update_time: 1700000000000\nlifecycle_stage: active\nname: ${EXP_NAME}\n`,
  );
  const rand = seededRandom(19);
  for (let i = 0; i < RUNS; i++) {
    const runId = `${i.toString(16).padStart(8, '0')}${'5eed'.repeat(6)}`;
    const dir = join(exp, runId);
    const start = 1700000000000 + i * 1000;
    for (const sub of ['params', 'metrics', 'tags', 'artifacts']) fs.mkdirSync(join(dir, sub), { recursive: true });
    fs.writeFileSync(
      join(dir, 'meta.yaml'),
      `artifact_uri: file://${dir}/artifacts\nend_time: ${start + 60_000}\nentry_point_name: ''\nexperiment_id: '${EXP_ID}'\n` +
        `lifecycle_stage: active\nrun_id: ${runId}\nrun_name: run-${i}\nsource_name: ''\nsource_type: 4\nsource_version: ''\n` +
        `start_time: ${start}\nstatus: 3\ntags: []\nuser_id: bench\n`,
    );
    for (let p = 0; p < PARAMS; p++) fs.writeFileSync(join(dir, 'params', `p${p}`), p === 1 ? ['x', 'y', 'z'][Math.floor(rand() * 3)] : String(rand()));
    for (let m = 0; m < METRICS; m++) {
      let text = '';
      for (let s = 0; s < 3; s++) text += `${start + s * 10} ${rand()} ${s}\n`;
      fs.writeFileSync(join(dir, 'metrics', `m${m}`), text);
    }
    const tags: Record<string, string> = {
      'mlflow.runName': `run-${i}`,
      'mlflow.user': 'bench',
      'mlflow.source.type': 'LOCAL',
      'mlflow.source.name': 'train.py',
      team: i % 2 ? 'vision' : 'nlp',
    };
    for (const [k, v] of Object.entries(tags)) fs.writeFileSync(join(dir, 'tags', k), v);
  }
  fs.writeFileSync(join(base, 'complete'), '');
  return root;
}

if (require.main === module) process.stdout.write(`${generatedStore()}\n`);
