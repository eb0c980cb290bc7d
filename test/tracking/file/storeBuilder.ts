/** Builds small `mlruns` folders in temp dirs, in the exact format MLflow writes. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempDir(prefix = 'mlflow-file-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  // Restore permissions a test removed, so cleanup works when not root.
  const walk = (p: string) => {
    try {
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) return;
      fs.chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
      if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
    } catch {
      // gone
    }
  };
  walk(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

export function write(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

export function experiment(root: string, id: string, name: string, extra = ''): string {
  const dir = path.join(root, id);
  write(
    path.join(dir, 'meta.yaml'),
    `artifact_location: file://${dir}\ncreation_time: 1700000000000\nexperiment_id: '${id}'\nlast_update_time: 1700000000000\nlifecycle_stage: active\nname: ${name}\n${extra}`,
  );
  return dir;
}

export interface RunSpec {
  name?: string;
  status?: number | string;
  start?: number;
  lifecycle?: 'active' | 'deleted';
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Record<string, string>;
}

export function run(root: string, expId: string, runId: string, spec: RunSpec = {}): string {
  const dir = path.join(root, expId, runId);
  const start = spec.start ?? 1700000000000;
  write(
    path.join(dir, 'meta.yaml'),
    [
      `artifact_uri: file://${dir}/artifacts`,
      `end_time: ${start + 1000}`,
      "entry_point_name: ''",
      `experiment_id: '${expId}'`,
      `lifecycle_stage: ${spec.lifecycle ?? 'active'}`,
      // PyYAML quotes a string that would read as a number.
      /^[0-9]+$/.test(runId) ? `run_id: '${runId}'` : `run_id: ${runId}`,
      `run_name: ${spec.name ?? runId.slice(0, 6)}`,
      "source_name: ''",
      'source_type: 4',
      "source_version: ''",
      `start_time: ${start}`,
      `status: ${spec.status ?? 3}`,
      'tags: []',
      'user_id: tester',
      '',
    ].join('\n'),
  );
  fs.mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
  for (const [k, v] of Object.entries(spec.params ?? {})) write(path.join(dir, 'params', k), v);
  for (const [k, v] of Object.entries(spec.tags ?? {})) write(path.join(dir, 'tags', k), v);
  for (const [k, v] of Object.entries(spec.metrics ?? {})) write(path.join(dir, 'metrics', k), v);
  return dir;
}

/** Every file's path, size, mtime and bytes: to prove a store was not written to. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) {
      out.set(p, `link:${fs.readlinkSync(p)}`);
    } else if (st.isDirectory()) {
      out.set(p, `dir:${st.mtimeMs}`);
      for (const n of fs.readdirSync(p)) walk(path.join(p, n));
    } else {
      out.set(p, `file:${st.size}:${st.mtimeMs}:${fs.readFileSync(p).toString('base64')}`);
    }
  };
  walk(root);
  return out;
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Sets every file's and folder's mtime under `root` a minute back: a store written before it was
 * opened, not in the last seconds (whose stamps the store reads again: fsRead.changedJustNow).
 */
export function settle(root: string): void {
  const then = new Date(Date.now() - 60_000);
  for (const name of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) fs.utimesSync(path.join(root, name), then, then);
  fs.utimesSync(root, then, then);
}
