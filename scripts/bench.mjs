// Runs every bench/*.bench.ts in its own Node process and merges the JSON object each
// prints on its last line of stdout. `npm run bench -- --json` prints only the merged object;
// without --json each bench's human-readable lines (on stderr) are shown as well.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((a) => !a.startsWith('--'));
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const merged = {};
let failed = false;
for (const file of benches) {
  const res = spawnSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', join('bench', file)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', json ? 'pipe' : 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = (res.stdout ?? '').trim().split('\n');
  const last = lines[lines.length - 1];
  try {
    if (res.status !== 0) throw new Error(`exit ${res.status}`);
    Object.assign(merged, JSON.parse(last));
  } catch (e) {
    failed = true;
    process.stderr.write(`bench ${file} failed (${e.message})\n${res.stderr ?? ''}\n`);
  }
}
process.stdout.write(JSON.stringify(merged, null, json ? 0 : 2) + '\n');
process.exit(failed ? 1 : 0);
