// Compare runs, artifact diffs and a run's source inside the real extension host: the real
// extension's commands, called with nodes of a second explorer over the same demo store.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMPARE_RUNS_COMMAND, type ChartsRequest } from '../../src/protocol/charts';
import { RunExplorerModel, type ExplorerContext } from '../../src/extension/explorer/runExplorerModel';
import type { RunNode, RunTreeNode } from '../../src/extension/runs/runNodes';
import { findRunNode } from '../../src/extension/runs/revealRun';
import { GIT_FIXTURE_RUN, makeGitSourceFixture, removeGitSourceFixture, type GitSourceFixture } from '../helpers/gitSourceFixture';
import { activateExtension, waitFor, workspaceFolder } from './helpers';

const MNIST = '212911124069009075';
const BASELINE = 'b8dbec4c0e2d4fb08a1491543914eef7';
const RESNET = 'fc6699f6126947e687f841d7c605e9d6';

function memento(): vscode.Memento & { setKeysForSync(): void } {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? values.get(key) : fallback) as T,
    update: async (key: string, value: unknown) => void (value === undefined ? values.delete(key) : values.set(key, value)),
    setKeysForSync: () => undefined,
  };
}

function memoryContext(): ExplorerContext {
  const emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  return {
    workspaceState: memento(),
    globalState: memento(),
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: emitter.event },
  };
}

const activeTab = () => vscode.window.tabGroups.activeTabGroup.activeTab;

describe('Compare runs and diffs (extension host)', function () {
  this.timeout(60_000);
  let explorer: RunExplorerModel;
  let output: vscode.LogOutputChannel;
  let mlruns: string;

  const runNode = async (runId: string): Promise<RunNode> => {
    const found = await findRunNode(explorer.runs, explorer.connections.sessions[0], runId, {});
    assert.equal(found.kind, 'found', `run ${runId}`);
    return (found as { node: RunNode }).node;
  };

  before(async () => {
    await activateExtension();
    output = vscode.window.createOutputChannel('MLflow compare test', { log: true });
    explorer = new RunExplorerModel(memoryContext(), output);
    mlruns = path.join(workspaceFolder().fsPath, 'mlruns');
    await explorer.connections.resolve();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    explorer?.dispose();
    output?.dispose();
  });

  it('opens the compare panel for two runs of the Runs view', async () => {
    const session = explorer.connections.sessions[0];
    const request: ChartsRequest = {
      storeUri: session.uri,
      runs: [
        { run_id: BASELINE, experiment_id: MNIST, run_name: 'baseline-cnn' },
        { run_id: RESNET, experiment_id: MNIST, run_name: 'resnet34-oom' },
      ],
    };
    await vscode.commands.executeCommand(COMPARE_RUNS_COMMAND, request);
    const tab = await waitFor(() => {
      const t = activeTab();
      return t?.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('mlflow.compare') ? t : undefined;
    }, 'the compare panel');
    assert.equal(tab.label, 'Compare: baseline-cnn, resnet34-oom');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('compares an artifact both runs have in the diff editor, read-only on both sides', async () => {
    // The demo's resnet run has no artifacts: give it a changed copy of baseline's hparams.json.
    const source = path.join(mlruns, MNIST, BASELINE, 'artifacts', 'config', 'hparams.json');
    const artifacts = path.join(mlruns, MNIST, RESNET, 'artifacts');
    const hadArtifacts = existsSync(artifacts);
    const target = path.join(artifacts, 'config');
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'hparams.json'), readFileSync(source, 'utf8').replace(/\d+/, '7'));
    try {
      const [a, b] = [await runNode(BASELINE), await runNode(RESNET)];
      const done = vscode.commands.executeCommand('mlflow.compareArtifactsOfRuns', a, [a, b] as RunTreeNode[]);
      // The picker of common paths: hparams.json is the only one, so accept the first item.
      await new Promise((r) => setTimeout(r, 1500));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await done;
      const tab = await waitFor(() => {
        const t = activeTab();
        return t?.input instanceof vscode.TabInputTextDiff ? t : undefined;
      }, 'a diff editor');
      const input = tab.input as vscode.TabInputTextDiff;
      assert.equal(input.original.scheme, 'mlflow-artifact');
      assert.equal(input.original.path, `/${BASELINE}/config/hparams.json`);
      assert.equal(input.modified.path, `/${RESNET}/config/hparams.json`);
      assert.equal(tab.label, 'hparams.json (baseline-cnn ↔ resnet34-oom)');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      // Later specs list the demo store as it was.
      rmSync(hadArtifacts ? target : artifacts, { recursive: true, force: true });
    }
  });

  it("compares a run's source at its commit with the working tree, through the git extension", async () => {
    const fixture = makeGitSourceFixture(workspaceFolder().fsPath);
    // The harness turns git off for speed. As a user who has just switched it on, the command
    // runs at once: the git extension is still starting (no API yet), and the command waits for it.
    const gitConfig = () => vscode.workspace.getConfiguration('git');
    const before = gitConfig().inspect<boolean>('enabled')?.globalValue;
    try {
      await checkSourceCommands(fixture, () => gitConfig().update('enabled', true, vscode.ConfigurationTarget.Global));
    } finally {
      await gitConfig().update('enabled', before, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      removeGitSourceFixture(fixture);
    }
  });

  async function checkSourceCommands(fixture: GitSourceFixture, enableGit: () => Thenable<void>): Promise<void> {
    const storeUri = explorer.connections.sessions[0].uri;
    await waitFor(
      () =>
        runNode(GIT_FIXTURE_RUN).then(
          () => true,
          () => false,
        ),
      'the fixture run in the store',
      20_000,
    );

    await enableGit();
    await vscode.commands.executeCommand('mlflow.compareRunSourceWithWorkspace', { storeUri, runId: GIT_FIXTURE_RUN });
    const tab = await waitFor(
      () => {
        const t = activeTab();
        return t?.input instanceof vscode.TabInputTextDiff ? t : undefined;
      },
      'the source diff editor',
      20_000,
    );
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, 'git');
    assert.equal(input.modified.fsPath, fixture.script);
    assert.equal(tab.label, `train.py (${fixture.commit.slice(0, 8)} ↔ Working Tree)`);
    const original = await vscode.workspace.openTextDocument(input.original);
    assert.match(original.getText(), /lr = 0\.01\n/, 'the left side is the file as committed');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    await vscode.commands.executeCommand('mlflow.openRunSource', { storeUri, runId: GIT_FIXTURE_RUN });
    const opened = await waitFor(
      () => (vscode.window.activeTextEditor?.document.uri.scheme === 'git' ? vscode.window.activeTextEditor : undefined),
      'the source at the commit',
    );
    assert.match(opened.document.getText(), /lr = 0\.01\n/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }
});
