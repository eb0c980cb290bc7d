import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, extensionId, manifest, openWorkspaceFile } from './helpers';

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

  it('resolves the Runs and Models views in the MLflow container', async () => {
    await activateExtension();
    const views = manifest.contributes.views?.mlflow?.map((v) => v.id) ?? [];
    assert.deepEqual(views, ['mlflow.runs', 'mlflow.models']);
    for (const id of views) {
      // `<view>.focus` exists once the view is registered with the workbench, and
      // focusing it makes VS Code resolve the view and its data provider.
      await vscode.commands.executeCommand(`${id}.focus`);
    }
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of views) assert.ok(registered.has(`${id}.focus`), `view ${id} is not known to the workbench`);
  });

  it('reads its settings under mlflow.*', async () => {
    const config = vscode.workspace.getConfiguration('mlflow');
    assert.equal(config.inspect<string>('executable')?.defaultValue, 'mlflow');
    assert.equal(config.inspect<string>('trackingUri')?.defaultValue, '');
  });
});
