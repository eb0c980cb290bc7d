/**
 * Run explorer speed in the real VS Code (code-server + headless Chromium) on a generated
 * 10,000-run file store: runs test/e2e/explorerSpeed.spec.ts with MLFLOW_E2E_EXPLORER_SPEED=1
 * (the spec is skipped in the plain e2e suite, whose time budget has no room for generating the
 * store) and prints the figures it measured: explorerExpand10kMs, explorerFilterApplyIndexFillingMs
 * (a filter right after the expand, while the store reads every run into its index),
 * explorerFilterApplyMs and explorerRefilterMs (once the index is filled: medians of five rounds,
 * the first round beside them as ...FirstMs). Their floors are the library's share, measured in
 * tracking.bench.ts (firstPageMs, filteredSearchMs, filteredSearchWarmMs).
 *
 * Needs the packaged .vsix (made when missing) and code-server (installed once by the
 * harness). Human lines on stderr, one JSON object as the last stdout line.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const res = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-e2e-tests.mjs'), '--grep', 'Explorer speed'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, MLFLOW_E2E_EXPLORER_SPEED: '1' },
  maxBuffer: 64 * 1024 * 1024,
});
process.stderr.write(res.stdout ?? '');
process.stderr.write(res.stderr ?? '');
const line = (res.stdout ?? '').split('\n').find((l) => l.startsWith('EXPLORER_FIGURES '));
if (res.status !== 0 || !line) {
  process.stderr.write(`explorer bench: the e2e spec failed (exit ${res.status})\n`);
  process.exit(1);
}
process.stdout.write(line.slice('EXPLORER_FIGURES '.length) + '\n');
