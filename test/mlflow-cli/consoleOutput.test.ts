import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseRunOutputLine, RunOutputReader, stripTerminalEscapes } from '../../src/mlflow-cli/consoleOutput';

const RUN_LOG = readFileSync(path.join(__dirname, '..', 'fixtures', 'mlflow-console', 'mlflow-run.log'), 'utf8');
const RUN_ID = '26f4e3d456b749f0af3e8ddffb7d6c44';

describe("MLflow's console output", () => {
  it('finds the run id and the outcome in the real mlflow run log', () => {
    const reader = new RunOutputReader();
    const events = [...reader.push(RUN_LOG), ...reader.end()];
    assert.deepEqual(events, [
      { kind: 'started', runId: RUN_ID, command: 'python3 train.py --alpha 0.5 --l1-ratio 0.5' },
      { kind: 'succeeded', runId: RUN_ID },
    ]);
  });

  it('reads the same from a terminal stream: any chunking, CRLF, colours and shell-integration marks', () => {
    const terminal = `\x1b]633;C\x07${RUN_LOG.replace(/\n/g, '\r\n')
      .replace(/=== Running/, '\x1b[32m=== Running')
      .replace(/ID '26f4/, "ID '\x1b[1m26f4")}`;
    for (const size of [1, 7, 64, 4096]) {
      const reader = new RunOutputReader();
      const events = [];
      for (let i = 0; i < terminal.length; i += size) events.push(...reader.push(terminal.slice(i, i + size)));
      events.push(...reader.end());
      assert.deepEqual(
        events.map((e) => `${e.kind} ${e.runId}`),
        [`started ${RUN_ID}`, `succeeded ${RUN_ID}`],
        `chunks of ${size}`,
      );
    }
  });

  it('recognises the failure line the CLI logs', () => {
    assert.deepEqual(parseRunOutputLine(`2026/11/22 19:37:08 ERROR mlflow.cli: === Run (ID '${RUN_ID}') failed ===`), { kind: 'failed', runId: RUN_ID });
    assert.equal(parseRunOutputLine('alpha=0.5 l1_ratio=0.5 rmse=0.8749'), undefined);
    assert.equal(parseRunOutputLine("print('=== Run (ID ) succeeded ===')"), undefined);
  });

  it('ends a final line without a line break and drops runaway lines', () => {
    const reader = new RunOutputReader();
    assert.deepEqual(reader.push(`=== Run (ID '${RUN_ID}') succeeded ===`), []);
    assert.deepEqual(reader.end(), [{ kind: 'succeeded', runId: RUN_ID }]);
    const noisy = new RunOutputReader();
    assert.deepEqual(noisy.push('#'.repeat(100_000)), []);
    assert.deepEqual(noisy.push(`\n=== Run (ID '${RUN_ID}') failed ===\n`), [{ kind: 'failed', runId: RUN_ID }]);
  });

  it('strips escape sequences', () => {
    assert.equal(stripTerminalEscapes('\x1b[1;31mred\x1b[0m \x1b]0;title\x07ok\x1b]633;D;0\x1b\\'), 'red ok');
  });
});
