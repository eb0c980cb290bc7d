import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import { readSettings } from '../../src/extension/config';
import { activateExtension, extensionId, manifest, openWorkspaceFile, waitFor, workspaceFolder } from './helpers';

describe('Foundation (extension host)', () => {
  it('activates without error', async () => {
    const extension = await activateExtension();
    assert.equal(extension.isActive, true);
    assert.equal(extension.id.toLowerCase(), extensionId.toLowerCase());
  });

  it('registers every command package.json contributes', async () => {
    await activateExtension();
    const contributed = (manifest.contributes.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('gives MLproject files the mlproject language', async () => {
    const editor = await openWorkspaceFile('MLproject');
    assert.equal(editor.document.languageId, 'mlproject');
    const broken = await openWorkspaceFile('broken-project/MLproject');
    assert.equal(broken.document.languageId, 'mlproject');
  });

  it('gives MLmodel files the mlmodel language, in any folder', async () => {
    const [file] = await vscode.workspace.findFiles('mlruns/**/MLmodel', undefined, 1);
    assert.ok(file, 'the demo workspace has no MLmodel file');
    const document = await vscode.workspace.openTextDocument(file);
    assert.equal(document.languageId, 'mlmodel');
  });

  it('does not give other YAML files an MLflow language', async () => {
    const editor = await openWorkspaceFile('python_env.yaml');
    assert.notEqual(editor.document.languageId, 'mlproject');
    assert.notEqual(editor.document.languageId, 'mlmodel');
  });

  it('resolves the Runs view with its provider: revealing a run selects it there', async () => {
    await activateExtension();
    const storeUri = pathToFileURL(path.join(workspaceFolder().fsPath, 'mlruns')).href;
    const baseline = 'b8dbec4c0e2d4fb08a1491543914eef7';
    await vscode.env.clipboard.writeText('');
    // revealRun finds the run through the extension's own tree provider and reveals it in the view;
    // copyRunId without a node copies the id of the run selected in that view.
    await waitFor(
      async () => {
        await vscode.commands.executeCommand('mlflow.revealRun', storeUri, baseline);
        await vscode.commands.executeCommand('mlflow.copyRunId');
        return (await vscode.env.clipboard.readText()) === baseline;
      },
      'the revealed run selected in the Runs view',
      20_000,
    );
  });

  it('reads its settings under mlflow.*, trimmed and within their bounds', async () => {
    const config = vscode.workspace.getConfiguration('mlflow');
    const target = vscode.ConfigurationTarget.Global;
    await config.update('executable', '   ', target);
    await config.update('trackingUri', '  ./elsewhere/mlruns  ', target);
    await config.update('runs.pageSize', 100_000, target);
    await config.update('remoteRefreshInterval', -3, target);
    try {
      const settings = readSettings();
      assert.equal(settings.executable, 'mlflow', 'a blank executable falls back to mlflow');
      assert.equal(settings.trackingUri, './elsewhere/mlruns');
      assert.equal(settings.runsPageSize, 1000);
      assert.equal(settings.remoteRefreshInterval, 0);
    } finally {
      for (const key of ['executable', 'trackingUri', 'runs.pageSize', 'remoteRefreshInterval']) await config.update(key, undefined, target);
    }
  });
});
