import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { launchInTerminal } from '../../src/extension/run/terminalLaunch';
import { activateExtension, openWorkspaceFile, waitFor, workspaceFolder } from './helpers';

/**
 * Run Project and Serve Model in the real VS Code, with a stand-in `mlflow`
 * (test/fixtures/fake-mlflow/mlflow) that records its arguments, prints MLflow's log lines,
 * writes a run into the workspace's copy of the demo store and serves a fake scoring server.
 */
describe('Run Project and Serve Model', () => {
  let extensionPath: string;
  let dir: string;
  let fake: string;
  const config = () => vscode.workspace.getConfiguration('mlflow');

  /** The arguments of every call of the stand-in so far, oldest first. */
  const calls = (): string[][] =>
    readdirSync(dir)
      .filter((f) => f.startsWith('mlflow.call-'))
      .map((f) => ({ f, at: Number(f.slice('mlflow.call-'.length)) }))
      .sort((a, b) => a.at - b.at)
      .map(({ f }) => readFileSync(path.join(dir, f), 'utf8').split('\0').slice(0, -1));
  const clearCalls = () => {
    for (const f of readdirSync(dir)) if (f.startsWith('mlflow.call-')) rmSync(path.join(dir, f));
  };

  before(async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    extensionPath = (await activateExtension()).extensionPath;
    // A folder name the shell would split or expand if the program path were not quoted.
    dir = mkdtempSync(path.join(tmpdir(), "fake mlflow $HOME 'q' "));
    fake = path.join(dir, 'mlflow');
    for (const file of ['mlflow', 'fake_scoring_server.py'])
      copyFileSync(path.join(extensionPath, 'test', 'fixtures', 'fake-mlflow', file), path.join(dir, file));
    await config().update('executable', fake, vscode.ConfigurationTarget.Global);
    await config().update('run.envManager', 'local', vscode.ConfigurationTarget.Global);
    await config().update('terminal.shellIntegrationTimeout', 60, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const terminal of vscode.window.terminals) if (terminal.name.startsWith('MLflow')) terminal.dispose();
    await config().update('executable', undefined, vscode.ConfigurationTarget.Global);
    await config().update('run.envManager', undefined, vscode.ConfigurationTarget.Global);
    await config().update('terminal.shellIntegrationTimeout', undefined, vscode.ConfigurationTarget.Global);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a Run and a Run with parameters… lens above each entry point of the demo MLproject', async () => {
    const editor = await openWorkspaceFile('MLproject');
    const lenses = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return found.filter((l) => l.command?.command === 'mlflow.runEntryPoint').length >= 4 ? found : undefined;
    }, 'the Run lenses');
    const runs = lenses.filter((l) => l.command?.command === 'mlflow.runEntryPoint');
    assert.deepEqual(
      runs.map((l) => [l.command!.title, (l.command!.arguments![0] as { entryPoint: string }).entryPoint]),
      [
        ['Run', 'main'],
        ['Run with parameters…', 'main'],
        ['Run', 'validate'],
        ['Run with parameters…', 'validate'],
      ],
    );
  });

  it('"Run" runs mlflow run <dir> -e <entry> in a new terminal, with the store in its environment, and the run lands in the store', async () => {
    clearCalls();
    const mlproject = vscode.Uri.joinPath(workspaceFolder(), 'MLproject');
    const started = await vscode.commands.executeCommand<boolean>('mlflow.runEntryPoint', {
      uri: mlproject.toString(),
      entryPoint: 'main',
      askParameters: false,
    });
    assert.equal(started, true);
    const [args] = await waitFor(() => (calls().length ? calls() : undefined), 'the stand-in mlflow to be called', 20_000);
    assert.deepEqual(args, ['run', workspaceFolder().fsPath, '-e', 'main', '--env-manager', 'local']);
    const terminal = vscode.window.terminals.find((t) => t.name === 'MLflow: demo-elasticnet · main');
    assert.ok(terminal, 'a terminal named after the project and entry point');
    // The stand-in wrote its run where MLFLOW_TRACKING_URI pointed: the workspace's mlruns.
    const store = path.join(workspaceFolder().fsPath, 'mlruns', '0');
    const runId = await waitFor(
      () => {
        // The stand-in makes the run's folder before its meta.yaml, as MLflow does.
        const finished = (f: string) =>
          existsSync(path.join(store, f, 'meta.yaml')) && readFileSync(path.join(store, f, 'meta.yaml'), 'utf8').includes('status: 3');
        return readdirSync(store).find((f) => /^[0-9a-f]{32}$/.test(f) && finished(f));
      },
      'a finished run in mlruns/0',
      60_000,
    );
    assert.equal(readFileSync(path.join(store, runId, 'tags', 'mlflow.project.entryPoint'), 'utf8'), 'main');
  });

  it('a new run never reuses a busy terminal, and Run Again repeats the last run', async () => {
    clearCalls();
    const before = vscode.window.terminals.length;
    assert.equal(await vscode.commands.executeCommand<boolean>('mlflow.runAgain'), true);
    const [args] = await waitFor(() => (calls().length ? calls() : undefined), 'Run Again to call mlflow', 20_000);
    assert.deepEqual(args, ['run', workspaceFolder().fsPath, '-e', 'main', '--env-manager', 'local']);
    assert.equal(vscode.window.terminals.length, before + 1);
  });

  for (const path_ of ['shell integration', 'sendText'] as const) {
    it(`passes hostile values as single arguments through the real terminal shell (${path_}), running nothing`, async () => {
      clearCalls();
      if (path_ === 'sendText') await config().update('terminal.shellIntegrationTimeout', 0, vscode.ConfigurationTarget.Global);
      try {
        const marker = path.join(tmpdir(), `pwned-${process.pid}-${Date.now()}`);
        const hostile = [`a b; touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, "'quoted'", '"double"', '%PATH%', '!x', 'unicode é 日本', ''];
        const launched = await launchInTerminal(
          {
            program: fake,
            args: ['run', workspaceFolder().fsPath, '-e', 'main', ...hostile.flatMap((v, i) => ['-P', `p${i}=${v}`])],
            env: {},
            cwd: workspaceFolder().fsPath,
          },
          { name: `MLflow: hostile ${path_}`, icon: 'play', output: vscode.window.createOutputChannel('hostile test', { log: true }) },
        );
        assert.ok(launched);
        assert.equal(launched.execution !== undefined, path_ === 'shell integration', 'the command ran the intended way');
        const [args] = await waitFor(() => (calls().length ? calls() : undefined), 'the stand-in mlflow to be called', 20_000);
        assert.deepEqual(
          args.slice(4),
          hostile.flatMap((v, i) => ['-P', `p${i}=${v}`]),
        );
        assert.equal(existsSync(marker), false, 'no command inside a value ran');
        launched.terminal.dispose();
      } finally {
        await config().update('terminal.shellIntegrationTimeout', 60, vscode.ConfigurationTarget.Global);
      }
    });
  }

  it('refuses a value with a line break before opening a terminal', async () => {
    const before = vscode.window.terminals.length;
    const launched = await launchInTerminal(
      { program: fake, args: ['run', '.', '-P', 'x=two\nlines'], env: {} },
      { name: 'MLflow: newline', icon: 'play', output: vscode.window.createOutputChannel('newline test', { log: true }) },
    );
    assert.equal(launched, undefined);
    assert.equal(vscode.window.terminals.length, before);
  });

  it('serves the demo model on a free port, waits for /ping, and Send Request shows the answer', async () => {
    clearCalls();
    const modelDir = path.join(workspaceFolder().fsPath, 'mlruns', '469638688653584371', 'models', 'm-6a58aba182b84bb88ff00d0496e3b19b', 'artifacts');
    const mlmodel = vscode.Uri.file(path.join(modelDir, 'MLmodel'));
    const url = await vscode.commands.executeCommand<string | undefined>('mlflow.serveModel', { uri: mlmodel.toString() });
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const port = url!.split(':').pop()!;
    const serveCall = calls().find((c) => c[0] === 'models');
    assert.deepEqual(serveCall, ['models', 'serve', '-m', modelDir, '-h', '127.0.0.1', '-p', port]);
    assert.notEqual(port, '5000');
    const answer = await vscode.commands.executeCommand<string | undefined>(
      'mlflow.sendRequest',
      url,
      vscode.Uri.file(path.join(modelDir, 'input_example.json')),
    );
    const parsed = JSON.parse(answer ?? '{}') as { predictions: number[]; received_content_type: string; received_keys: string[] };
    assert.deepEqual(parsed.predictions, [1, 2, 2]);
    assert.equal(parsed.received_content_type, 'application/json');
    assert.deepEqual(parsed.received_keys, ['dataframe_split'], 'input_example.json wrapped as dataframe_split');
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'mlflow-response' && e.document.languageId === 'json');
    assert.ok(shown, 'the answer is shown in a JSON editor');
    assert.match(shown.document.getText(), /"predictions"/);
    vscode.window.terminals.find((t) => t.name.startsWith('MLflow Serve'))?.dispose();
  });
});
