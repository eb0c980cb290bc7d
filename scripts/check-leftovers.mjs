// Fails (and kills them) if any process started during this `npm test` run is
// still alive: scripts/test.sh exports MLFLOW_TEST_RUN_ID, and every server,
// browser and helper the suites start inherits it.
import { readdirSync, readFileSync } from 'node:fs';

const id = process.env.MLFLOW_TEST_RUN_ID;
if (!id) {
  console.error('MLFLOW_TEST_RUN_ID is not set');
  process.exit(2);
}
const marker = `MLFLOW_TEST_RUN_ID=${id}`;
const leftovers = [];
for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
  if (Number(pid) === process.pid || Number(pid) === process.ppid) continue;
  try {
    if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker)) continue;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    leftovers.push({ pid: Number(pid), command });
  } catch {
    // gone meanwhile, or not ours to read
  }
}
if (leftovers.length === 0) {
  console.log('no process left behind');
  process.exit(0);
}
console.error(`${leftovers.length} process(es) left behind by the suites:`);
for (const { pid, command } of leftovers) {
  console.error(`  ${pid} ${command.slice(0, 200)}`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
process.exit(1);
