// The server's fast paths give what the plain paths give, over the real protocol:
// - a document edited many times (each version parsed with the blocks of the previous one, see
//   src/mlflow-files/yaml-blocks.ts) gets the diagnostics a fresh open of the same text gets;
// - neighbouring files are read from a cache that follows the disk: creating or deleting a file is seen
//   after the client's watched-file notification, and without one (the folder is watched).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from './lspClient';

function project(entryPoints: number): string {
  const lines = ['name: big', 'python_env: python_env.yaml', '', 'entry_points:'];
  for (let i = 0; i < entryPoints; i++) {
    lines.push(`  step_${i}:`, '    parameters:', '      alpha: {type: float, default: 0.1}', `      data: {type: path, default: data/part_${i % 3}.csv}`);
    lines.push(`    command: "python train.py --alpha {alpha} --data {data} --step ${i}"`);
  }
  lines.push('# end', '');
  return lines.join('\n');
}

/** Offset → LSP position in `text`. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const summary = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.code} ${JSON.stringify(d.range)} ${d.message}`).sort();

describe('language server: fast paths give the plain results', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'mlflow-ls-fast-'));
    client = await LspTestClient.start({ initializationOptions: { validationDelayMs: 0 } });
  });
  after(async () => {
    await client?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('a 200-entry-point document edited 30 times has the diagnostics of a fresh open of its text', async () => {
    const dir = join(folder, 'edited');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'python_env.yaml'), 'python: "3.11"\n');
    writeFileSync(join(dir, 'data', 'part_1.csv'), '');
    const uri = pathToFileURL(join(dir, 'MLproject')).toString();
    let text = project(200);
    await client.open(uri, text);
    await client.diagnostics(uri, 1);
    // Typing, new lines, a broken line and its repair, an entry point removed: each a ranged change.
    const edits: [RegExp | string, string][] = [
      ['--step 5"', '--step 5 {beta}"'],
      ['  step_7:\n', '  step_7:\n\n'],
      [
        'alpha: {type: float, default: 0.1}\n    command: "python train.py --alpha {alpha} --data {data} --step 9"',
        'alpha: {type: float, default: 0.1\n    command: "python train.py --alpha {alpha} --data {data} --step 9"',
      ],
      [
        'default: 0.1\n    command: "python train.py --alpha {alpha} --data {data} --step 9"',
        'default: 0.1}\n    command: "python train.py --alpha {alpha} --data {data} --step 9"',
      ],
      ['name: big', 'name: bigger'],
      ['  step_3:', '  step_3x:'],
      ['    command: "python train.py --alpha {alpha} --data {data} --step 150"\n', ''],
      ['# end', '# the end\n# more'],
    ];
    let version = 1;
    for (let round = 0; round < 30; round++) {
      const [from, to] = edits[round % edits.length];
      const at = text.indexOf(from as string);
      if (at < 0) continue;
      const range = { start: positionAt(text, at), end: positionAt(text, at + (from as string).length) };
      text = text.slice(0, at) + to + text.slice(at + (from as string).length);
      version = await client.change(uri, [{ range, text: to }]);
      // Alternate: sometimes wait for each version, sometimes send the next edit at once.
      if (round % 3 !== 1) await client.diagnostics(uri, version);
    }
    const edited = await client.diagnostics(uri, version);
    const freshUri = pathToFileURL(join(dir, 'mlproject')).toString();
    await client.open(freshUri, text);
    const fresh = await client.diagnostics(freshUri, 1);
    assert.ok(edited.diagnostics.length > 10, 'the document has findings to compare');
    assert.deepEqual(summary(edited.diagnostics), summary(fresh.diagnostics));
  });

  it('a 600 KB document (analysed in the worker, sent only its edits) edited 12 times has the diagnostics of a fresh open of its text', async () => {
    const dir = join(folder, 'large');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'python_env.yaml'), 'python: "3.11"\n');
    writeFileSync(join(dir, 'data', 'part_1.csv'), '');
    const uri = pathToFileURL(join(dir, 'MLproject')).toString();
    let text = project(3000);
    assert.ok(text.length > 512 * 1024);
    await client.open(uri, text);
    await client.diagnostics(uri, 1, 60_000);
    // Edits near the start, in the middle and at the end, across lines, each a ranged change.
    const edits: [string, string][] = [
      ['--step 5"', '--step 5 {beta}"'],
      ['  step_1500:\n', '  step_1500:\n\n'],
      ['--step 2999"', '--step 2999 {gamma}"'],
      ['name: big', 'name: bigger'],
      ['    command: "python train.py --alpha {alpha} --data {data} --step 1700"\n', ''],
      ['  step_2:', '  step_2x:'],
    ];
    let version = 1;
    for (let round = 0; round < 12; round++) {
      const [from, to] = edits[round % edits.length];
      const at = text.indexOf(from);
      if (at < 0) continue;
      const range = { start: positionAt(text, at), end: positionAt(text, at + from.length) };
      text = text.slice(0, at) + to + text.slice(at + from.length);
      version = await client.change(uri, [{ range, text: to }]);
    }
    const edited = await client.diagnostics(uri, version, 120_000);
    const freshUri = pathToFileURL(join(dir, 'mlproject')).toString();
    await client.open(freshUri, text);
    const fresh = await client.diagnostics(freshUri, 1, 60_000);
    assert.ok(
      edited.diagnostics.some((d) => String(d.message).includes('gamma')),
      'the edit at the end reached the worker',
    );
    assert.deepEqual(summary(edited.diagnostics), summary(fresh.diagnostics));
  });

  it('sees a neighbouring file created or deleted, after the watched-file notification', async () => {
    const dir = join(folder, 'notified');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train.py'), '');
    const uri = pathToFileURL(join(dir, 'MLproject')).toString();
    const text = 'name: x\nconda_env: conda.yaml\nentry_points:\n  main:\n    command: python train.py\n';
    await client.open(uri, text);
    const codes = async (version?: number) => (await client.diagnostics(uri, version)).diagnostics.map((d) => String(d.code));
    assert.ok((await codes(1)).includes('environment-file-missing'));
    const file = join(dir, 'conda.yaml');
    writeFileSync(file, 'name: x\ndependencies:\n  - python=3.11\n');
    client.published.delete(uri);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).toString(), type: 1 }] });
    assert.deepEqual(await codes(1), []);
    unlinkSync(file);
    client.published.delete(uri);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).toString(), type: 3 }] });
    assert.ok((await codes(1)).includes('environment-file-missing'));
  });

  it('sees a neighbouring file created or deleted without a notification (the folder is watched)', async () => {
    const dir = join(folder, 'watched');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train.py'), '');
    const uri = pathToFileURL(join(dir, 'MLproject')).toString();
    const text = 'name: x\nconda_env: conda.yaml\nentry_points:\n  main:\n    command: python train.py\n';
    await client.open(uri, text);
    assert.ok((await client.diagnostics(uri, 1)).diagnostics.some((d) => d.code === 'environment-file-missing'));
    let version = 1;
    /** Re-validates (by an edit, as typing would) until `done` holds for the diagnostics, or fails after 5 s. */
    const eventually = async (done: (codes: string[]) => boolean, what: string) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        version = await client.change(uri, [{ text: version % 2 ? `${text}# ${version}\n` : text }]);
        const codes = (await client.diagnostics(uri, version)).diagnostics.map((d) => String(d.code));
        if (done(codes)) return;
        if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(codes)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const file = join(dir, 'conda.yaml');
    writeFileSync(file, 'name: x\ndependencies:\n  - python=3.11\n');
    await eventually((codes) => codes.length === 0, 'created file not seen');
    // An edit of the file's content is seen as well (its text is cached with the folder).
    writeFileSync(file, 'name: x\ndependencies: 3\n');
    await eventually((codes) => codes.includes('environment-file-invalid'), 'changed file not seen');
    unlinkSync(file);
    await eventually((codes) => codes.includes('environment-file-missing'), 'deleted file not seen');
  });
});
