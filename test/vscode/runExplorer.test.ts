// The run explorer inside the real extension host: its tree model (the same classes the
// views use) driven over the demo workspace's file store and over a recorded MLflow
// server, plus the real extension's commands (open artifact, charts hand-off).
import * as assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import { sqliteAt } from '../../src/extension/connection/trackingUri';
import { openLocalStore, storeChoices, type StoreChoice } from '../../src/extension/connection/storeCommands';
import { RunExplorerModel, type ExplorerContext } from '../../src/extension/explorer/runExplorerModel';
import { findRunNode } from '../../src/extension/runs/revealRun';
import type { RunTreeNode } from '../../src/extension/runs/runNodes';
import { startRecordedServer, type RecordedServer } from '../helpers/recordedMlflowServer';
import { activateExtension, extensionId, MemoryMemento, waitFor, workspaceFolder } from './helpers';

const MNIST = '212911124069009075';
const BASELINE = 'b8dbec4c0e2d4fb08a1491543914eef7';

/** Storage for a second explorer instance beside the extension's own (which keeps its real storage). */
function memoryContext(): ExplorerContext {
  const secrets = new Map<string, string>();
  const emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  return {
    workspaceState: new MemoryMemento(),
    globalState: new MemoryMemento(),
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => void secrets.set(key, value),
      delete: async (key: string) => void secrets.delete(key),
      onDidChange: emitter.event,
    },
  };
}

/** Select Store's items under each separator, as `label — description` lines. */
function choiceGroups(items: StoreChoice[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  let group = '';
  for (const item of items) {
    if (item.kind === vscode.QuickPickItemKind.Separator) {
      group = item.label;
      continue;
    }
    (groups[group] ??= []).push(item.description ? `${item.label} — ${item.description}` : item.label);
  }
  return groups;
}

/** Where Select Store says a recent store is: the folder holding the store's folder, `~` for home. */
function shownFolder(folder: string): string {
  const home = homedir();
  return folder.startsWith(home + path.sep) ? `~${folder.slice(home.length)}` : folder;
}

/**
 * A file store with one experiment of `count` runs, `run-1` the oldest (so the last in the
 * default order, newest first); even runs have `lr` 0.1, odd ones 0.01.
 */
function writeManyRunsStore(mlruns: string, count: number): string[] {
  const experiment = path.join(mlruns, '1');
  mkdirSync(experiment, { recursive: true });
  const experimentUri = pathToFileURL(experiment).href;
  writeFileSync(
    path.join(experiment, 'meta.yaml'),
    `artifact_location: ${experimentUri}\ncreation_time: 1790000000000\nexperiment_id: '1'\nlast_update_time: 1790000000000\nlifecycle_stage: active\nname: many-runs\n`,
  );
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const id = i.toString(16).padStart(32, '0');
    const dir = path.join(experiment, id);
    mkdirSync(path.join(dir, 'tags'), { recursive: true });
    mkdirSync(path.join(dir, 'params'));
    const start = 1_790_000_000_000 + i * 60_000;
    writeFileSync(
      path.join(dir, 'meta.yaml'),
      [
        `artifact_uri: ${experimentUri}/${id}/artifacts`,
        `end_time: ${start + 50_000}`,
        "entry_point_name: ''",
        "experiment_id: '1'",
        'lifecycle_stage: active',
        `run_id: '${id}'`, // quoted, as MLflow writes a string that reads as a number
        `run_name: run-${i}`,
        "source_name: ''",
        'source_type: 4',
        "source_version: ''",
        `start_time: ${start}`,
        'status: 3',
        'tags: []',
        'user_id: test',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'tags', 'mlflow.runName'), `run-${i}`);
    writeFileSync(path.join(dir, 'params', 'lr'), i % 2 === 0 ? '0.1' : '0.01');
    ids.push(id);
  }
  return ids;
}

describe('Run explorer (extension host)', function () {
  this.timeout(60_000);
  let explorer: RunExplorerModel;
  let output: vscode.LogOutputChannel;
  let mlruns: string;

  const label = (node: RunTreeNode) => {
    const item = explorer.runs.getTreeItem(node);
    return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  };
  const children = (node?: RunTreeNode) => explorer.runs.getChildren(node);
  const child = async (parent: RunTreeNode | undefined, name: string) => {
    const list = await children(parent);
    const found = list.find((n) => label(n) === name);
    assert.ok(found, `no "${name}" under ${parent ? label(parent) : 'the root'}: ${list.map(label).join(', ')}`);
    return found;
  };

  before(async () => {
    await activateExtension();
    output = vscode.window.createOutputChannel('MLflow run explorer test', { log: true });
    explorer = new RunExplorerModel(memoryContext(), output);
    mlruns = path.join(workspaceFolder().fsPath, 'mlruns');
    await explorer.connections.resolve();
  });

  after(() => {
    explorer?.dispose();
    output?.dispose();
  });

  it('finds the demo workspace store', () => {
    const [session, ...others] = explorer.connections.sessions;
    assert.equal(others.length, 0);
    assert.equal(session.kind, 'file');
    assert.equal(session.origin, 'workspace');
    assert.equal(session.uri, pathToFileURL(mlruns).href);
  });

  it('lists the experiments and the runs of the demo store, nested runs under their parent', async () => {
    assert.deepEqual((await children()).map(label), ['Default', 'iris-sklearn', 'mnist-classifier']);
    const mnist = await child(undefined, 'mnist-classifier');
    const runs = await children(mnist);
    assert.deepEqual(runs.map(label), ['live-training', 'resnet34-oom', 'baseline-cnn', 'lr-sweep']);
    const icons = runs.map((n) => (explorer.runs.getTreeItem(n).iconPath as vscode.ThemeIcon).id);
    assert.deepEqual(icons, ['sync~spin', 'error', 'pass', 'pass']);
    const sweep = await child(mnist, 'lr-sweep');
    const lr = await child(sweep, 'lr-0.01');
    await child(lr, 'lr-0.01-fold-0');
    assert.equal(explorer.runs.getParent(lr), sweep);
    const item = explorer.runs.getTreeItem(sweep);
    assert.equal(item.tooltip, undefined, 'a run row crosses to the window without its tooltip');
    const resolved = await explorer.runs.resolveTreeItem(item, sweep);
    assert.match((resolved.tooltip as vscode.MarkdownString).value, /Run ID: `fcff8f3e0305430cab4fd67188dca7e8`/);
    assert.equal(item.id, `${explorer.connections.sessions[0].uri}|run:fcff8f3e0305430cab4fd67188dca7e8`);
  });

  it("shows a run's params and metrics with the values in its files", async () => {
    const run = await child(await child(undefined, 'mnist-classifier'), 'baseline-cnn');
    assert.deepEqual((await children(run)).map(label).slice(0, 4), ['Parameters', 'Metrics', 'Tags', 'Artifacts']);
    const params = await children(await child(run, 'Parameters'));
    const runDir = path.join(mlruns, MNIST, BASELINE);
    for (const name of ['lr', 'optimizer', 'epochs', 'data.path']) {
      const node = params.find((n) => label(n) === name);
      assert.ok(node, `param ${name}`);
      assert.equal(explorer.runs.getTreeItem(node).description, readFileSync(path.join(runDir, 'params', name), 'utf8'));
    }
    const metrics = await children(await child(run, 'Metrics'));
    const loss = metrics.find((n) => label(n) === 'loss');
    assert.ok(loss);
    const lines = readFileSync(path.join(runDir, 'metrics', 'loss'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number));
    const last = lines.reduce((a, b) => (b[2] > a[2] || (b[2] === a[2] && b[0] >= a[0]) ? b : a));
    const min = Math.min(...lines.map((l) => l[1]));
    assert.equal(Number(explorer.runs.getTreeItem(loss).description), Number(last[1].toPrecision(5)));
    const stats = await children(loss);
    const stat = (name: string) => explorer.runs.getTreeItem(stats.find((n) => label(n) === name)!).description;
    assert.equal(Number(stat('min')), Number(min.toPrecision(5)));
    assert.equal(stat('points'), String(lines.length));
    const resolved = await explorer.runs.resolveTreeItem(explorer.runs.getTreeItem(loss), loss);
    assert.match((resolved.tooltip as vscode.MarkdownString).value, /Min: .*\n.*Max: /);
    const tags = await children(await child(run, 'Tags'));
    assert.ok(
      tags.some((n) => label(n) === 'System Tags'),
      'mlflow.* tags are folded into their own group',
    );
    assert.ok(!tags.some((n) => label(n).startsWith('mlflow.')), 'no system tag among the user tags');
  });

  it('opens artifacts read-only: text in an editor, images in the preview, MLmodel with its language', async () => {
    const run = await child(await child(undefined, 'mnist-classifier'), 'baseline-cnn');
    const artifacts = await child(run, 'Artifacts');
    assert.deepEqual((await children(artifacts)).map(label), ['config', 'images', 'logs', 'notes', 'plots', 'reports']);
    const json = await child(await child(artifacts, 'config'), 'hparams.json');
    await vscode.commands.executeCommand('mlflow.openArtifact', json);
    const editor = await waitFor(() => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.scheme === 'mlflow-artifact' ? active : undefined;
    }, 'an artifact editor');
    assert.equal(editor.document.getText(), readFileSync(path.join(mlruns, MNIST, BASELINE, 'artifacts', 'config', 'hparams.json'), 'utf8'));
    assert.equal(editor.document.languageId, 'json');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(editor.document.uri, new Uint8Array([1]))), 'the artifact file system refuses writes');

    const png = await child(await child(artifacts, 'plots'), 'loss_curve.png');
    await vscode.commands.executeCommand('mlflow.openArtifact', png);
    await waitFor(() => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      return (
        tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === 'imagePreview.previewEditor' && tab.input.uri.path.endsWith('loss_curve.png')
      );
    }, 'the image preview of loss_curve.png');

    const bytes = await vscode.workspace.fs.readFile(
      vscode.Uri.from({
        scheme: 'mlflow-artifact',
        authority: (explorer.runs.getTreeItem(png).resourceUri as vscode.Uri).authority,
        path: `/${BASELINE}/plots/loss_curve.png`,
      }),
    );
    assert.deepEqual(Buffer.from(bytes), readFileSync(path.join(mlruns, MNIST, BASELINE, 'artifacts', 'plots', 'loss_curve.png')));

    // An MLflow 2 style model folder inside the run's artifacts (written into the test's copy of the demo).
    const modelDir = path.join(mlruns, MNIST, BASELINE, 'artifacts', 'model');
    mkdirSync(modelDir, { recursive: true });
    writeFileSync(path.join(modelDir, 'MLmodel'), 'flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n');
    try {
      await explorer.runs.refresh();
      const mlmodel = await child(await child(await child(run, 'Artifacts'), 'model'), 'MLmodel');
      await vscode.commands.executeCommand('mlflow.openArtifact', mlmodel);
      const opened = await waitFor(() => {
        const active = vscode.window.activeTextEditor;
        return active?.document.uri.path.endsWith('/model/MLmodel') ? active : undefined;
      }, 'the MLmodel editor');
      assert.equal(opened.document.languageId, 'mlmodel');
      assert.match(opened.document.getText(), /loader_module: mlflow.sklearn/);
    } finally {
      rmSync(modelDir, { recursive: true, force: true });
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the models a run logged', async () => {
    const iris = await child(undefined, 'iris-sklearn');
    const logreg = await child(iris, 'logreg-0');
    const models = await children(await child(logreg, 'Models'));
    assert.deepEqual(models.map(label), ['model']);
  });

  it('narrows the list with a metrics filter and shows it in the description', async () => {
    await explorer.options.setFilter('metrics.loss < 0.075');
    try {
      const mnist = await child(undefined, 'mnist-classifier');
      assert.deepEqual((await children(mnist)).map(label), ['live-training', 'resnet34-oom']);
      assert.equal(explorer.options.describe(), 'filter: metrics.loss < 0.075');
    } finally {
      await explorer.options.setFilter('');
    }
    assert.equal((await children(await child(undefined, 'mnist-classifier'))).length, 4);
  });

  it('sorts by a metric through MLflow order_by, and shows a chosen metric beside each run', async () => {
    await explorer.options.setSort({ column: { kind: 'metric', key: 'loss' }, ascending: false });
    try {
      const mnist = await child(undefined, 'mnist-classifier');
      // lr-0.01 (highest loss) sits under lr-sweep; the top level keeps the sorted order of its roots.
      assert.deepEqual((await children(mnist)).map(label).slice(0, 3), ['baseline-cnn', 'resnet34-oom', 'live-training']);
      assert.equal(explorer.options.describe(), 'sort: metric loss ↓');
    } finally {
      await explorer.options.setSort({ column: { kind: 'attribute', key: 'start_time' }, ascending: false });
    }
    await vscode.workspace.getConfiguration('mlflow').update('runs.descriptionMetric', 'loss', vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => explorer.options.descriptionMetric === 'loss', 'the metric setting');
      const run = await child(await child(undefined, 'mnist-classifier'), 'baseline-cnn');
      assert.equal(explorer.runs.getTreeItem(run).description, 'loss 0.078452');
    } finally {
      await vscode.workspace.getConfiguration('mlflow').update('runs.descriptionMetric', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('redraws the labels when the metric beside runs changes, without fetching the runs again', async () => {
    const mnist = (await child(undefined, 'mnist-classifier')) as Extract<RunTreeNode, { kind: 'experiment' }>;
    await children(mnist);
    const list = explorer.runs.runList(mnist);
    assert.ok(list.items.length > 0);
    const redrawn = new Promise<void>((resolve) => {
      const listener = explorer.runs.onDidChangeTreeData(() => {
        listener.dispose();
        resolve();
      });
    });
    await vscode.workspace.getConfiguration('mlflow').update('runs.descriptionMetric', 'loss', vscode.ConfigurationTarget.Global);
    try {
      await redrawn;
      assert.equal(explorer.options.descriptionMetric, 'loss');
      assert.equal(explorer.runs.runList(mnist), list, 'the loaded run list is kept, not fetched again');
      const run = (await children(mnist)).find((n) => label(n) === 'baseline-cnn');
      assert.ok(run);
      assert.equal(explorer.runs.getTreeItem(run).description, 'loss 0.078452');
    } finally {
      await vscode.workspace.getConfiguration('mlflow').update('runs.descriptionMetric', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("looks for stores again when a workspace folder's own mlflow.trackingUri changes (multi-root)", () => {
    const folder = workspaceFolder();
    // What VS Code sends for a change in one folder's settings of a multi-root workspace:
    // the folder's value changed, the window's did not.
    const folderChange: vscode.ConfigurationChangeEvent = {
      affectsConfiguration: (section, scope) =>
        (section === 'mlflow' || section === 'mlflow.trackingUri') && scope instanceof vscode.Uri && scope.toString() === folder.toString(),
    };
    const resolve = explorer.connections.resolve;
    let resolves = 0;
    explorer.connections.resolve = () => {
      resolves++;
      return resolve.call(explorer.connections);
    };
    try {
      explorer.settingsChanged(folderChange);
      assert.equal(resolves, 1);
      explorer.settingsChanged({ affectsConfiguration: (section) => section === 'mlflow' || section === 'mlflow.runs.pageSize' });
      assert.equal(resolves, 1, 'another setting does not look for stores');
    } finally {
      explorer.connections.resolve = resolve;
    }
  });

  it("Refresh picks up a tag rewritten in place on a finished run, which the store's run index cannot see cheaply", async () => {
    const tagFile = path.join(mlruns, MNIST, BASELINE, 'tags', 'review');
    writeFileSync(tagFile, 'pending');
    try {
      // A tag added to a finished run is itself a change the index sees only after Refresh
      // (an earlier test may have indexed this experiment already).
      await explorer.refreshAll();
      await explorer.options.setFilter("tags.review = 'pending'");
      assert.deepEqual((await children(await child(undefined, 'mnist-classifier'))).map(label), ['baseline-cnn']);
      // MLflow rewrites a tag's file in place: no folder's mtime changes.
      writeFileSync(tagFile, 'approved');
      await explorer.options.setFilter("tags.review = 'approved'");
      await explorer.refreshAll();
      assert.deepEqual((await children(await child(undefined, 'mnist-classifier'))).map(label), ['baseline-cnn']);
    } finally {
      rmSync(tagFile, { force: true });
      await explorer.options.setFilter('');
    }
  });

  it('shows a run written into the store while the view is open, without a manual refresh', async () => {
    const mnist = await child(undefined, 'mnist-classifier');
    assert.ok(!(await children(mnist)).map(label).includes('appeared-by-itself'));
    const newId = 'abcdef0123456789abcdef0123456789';
    const target = path.join(mlruns, MNIST, newId);
    cpSync(path.join(mlruns, MNIST, BASELINE), target, { recursive: true });
    try {
      const metaPath = path.join(target, 'meta.yaml');
      const meta = readFileSync(metaPath, 'utf8')
        .split(BASELINE)
        .join(newId)
        .replace(/^run_name: .*$/m, 'run_name: appeared-by-itself')
        .replace(/^start_time: .*$/m, `start_time: ${Date.now()}`);
      writeFileSync(metaPath, meta);
      writeFileSync(path.join(target, 'tags', 'mlflow.runName'), 'appeared-by-itself');
      await waitFor(
        async () => (await children(await child(undefined, 'mnist-classifier'))).map(label).includes('appeared-by-itself'),
        'the new run in the tree',
        20_000,
      );
      assert.equal(
        (await children(await child(undefined, 'mnist-classifier')))[0] && label((await children(await child(undefined, 'mnist-classifier')))[0]),
        'appeared-by-itself',
      );
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });

  it('shows deleted runs only when asked, marked with a trash icon', async () => {
    const id = 'dddddddddddddddddddddddddddddddd';
    const target = path.join(mlruns, MNIST, id);
    cpSync(path.join(mlruns, MNIST, BASELINE), target, { recursive: true });
    const config = vscode.workspace.getConfiguration('mlflow');
    try {
      const metaPath = path.join(target, 'meta.yaml');
      writeFileSync(
        metaPath,
        readFileSync(metaPath, 'utf8')
          .split(BASELINE)
          .join(id)
          .replace(/^run_name: .*$/m, 'run_name: thrown-away')
          .replace(/^lifecycle_stage: .*$/m, 'lifecycle_stage: deleted'),
      );
      writeFileSync(path.join(target, 'tags', 'mlflow.runName'), 'thrown-away');
      await explorer.runs.refresh();
      assert.ok(!(await children(await child(undefined, 'mnist-classifier'))).map(label).includes('thrown-away'));
      await config.update('runs.showDeleted', true, vscode.ConfigurationTarget.Global);
      await waitFor(() => explorer.options.showDeleted, 'the setting');
      const deleted = await child(await child(undefined, 'mnist-classifier'), 'thrown-away');
      assert.equal((explorer.runs.getTreeItem(deleted).iconPath as vscode.ThemeIcon).id, 'trash');
      assert.match(String(explorer.runs.getTreeItem(deleted).description), /deleted$/);
    } finally {
      await config.update('runs.showDeleted', undefined, vscode.ConfigurationTarget.Global);
      rmSync(target, { recursive: true, force: true });
      await waitFor(() => !explorer.options.showDeleted, 'the setting back');
    }
  });

  it('hands the selected runs to the charts panel, titled after them', async () => {
    const mnist = await child(undefined, 'mnist-classifier');
    const a = await child(mnist, 'baseline-cnn');
    const b = await child(mnist, 'resnet34-oom');
    const title = 'Metrics: baseline-cnn, resnet34-oom';
    const chartTabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.label === title);
    assert.equal(chartTabs().length, 0);
    await vscode.commands.executeCommand('mlflow.runs.plotMetrics', a, [a, b]);
    try {
      const tab = await waitFor(() => chartTabs()[0], `a charts panel titled "${title}"`, 20_000);
      assert.ok(tab.input instanceof vscode.TabInputWebview, 'the tab is a webview');
    } finally {
      await vscode.window.tabGroups.close(chartTabs());
    }
  });

  it('starts `mlflow ui` for the store in a terminal, every argument quoted for its shell', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    // A stand-in for mlflow, at a path the shell would split or expand if it were not quoted.
    const dir = mkdtempSync(path.join(tmpdir(), "mlflow ui 'quoted' $HOME "));
    const fake = path.join(dir, 'fake mlflow; echo $PATH');
    writeFileSync(fake, '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$0.args"\n', { mode: 0o755 });
    const config = vscode.workspace.getConfiguration('mlflow');
    await config.update('executable', fake, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('mlflow.startUi');
      const args = await waitFor(() => (existsSync(`${fake}.args`) ? readFileSync(`${fake}.args`, 'utf8') : undefined), 'the stand-in mlflow to run', 20_000);
      assert.deepEqual(args.trimEnd().split('\n'), ['ui', '--backend-store-uri', pathToFileURL(mlruns).href]);
      const terminal = vscode.window.terminals.find((t) => t.name.startsWith('MLflow UI'));
      assert.ok(terminal, 'an "MLflow UI" terminal');
      terminal.dispose();
    } finally {
      await config.update('executable', undefined, vscode.ConfigurationTarget.Global);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks symbolic links among artifacts: "→ target" for a followed link; a loop, a link out of the artifacts or to nothing is shown as such and not followed', async () => {
    const links = path.join(mlruns, MNIST, BASELINE, 'artifacts', 'links');
    mkdirSync(links);
    symlinkSync('../config', path.join(links, 'config_link'));
    symlinkSync('../config/hparams.json', path.join(links, 'hparams_link'));
    symlinkSync('.', path.join(links, 'loop'));
    symlinkSync('/etc', path.join(links, 'escape'));
    symlinkSync('gone.txt', path.join(links, 'dangling'));
    // Its own explorer, so that no listing cached before the links were made is shown.
    const fresh = new RunExplorerModel(memoryContext(), output);
    try {
      await fresh.connections.resolve();
      const item = (node: RunTreeNode) => fresh.runs.getTreeItem(node);
      const name = (node: RunTreeNode) => String(typeof item(node).label === 'string' ? item(node).label : (item(node).label as vscode.TreeItemLabel).label);
      const under = async (parent: RunTreeNode | undefined, wanted: string) => {
        const list = await fresh.runs.getChildren(parent);
        const found = list.find((n) => name(n) === wanted);
        assert.ok(found, `no "${wanted}": ${list.map(name).join(', ')}`);
        return found;
      };
      const run = await under(await under(undefined, 'mnist-classifier'), 'baseline-cnn');
      const folder = await under(await under(run, 'Artifacts'), 'links');
      const entries = await fresh.runs.getChildren(folder);
      assert.deepEqual(entries.map(name), ['config_link', 'dangling', 'escape', 'hparams_link', 'loop']);
      const byName = (wanted: string) => item(entries.find((n) => name(n) === wanted)!);
      const icon = (wanted: string) => byName(wanted).iconPath as vscode.ThemeIcon;

      const folderLink = byName('config_link');
      assert.equal(folderLink.description, '→ ../config');
      assert.equal(icon('config_link').id, 'file-symlink-directory');
      assert.equal(folderLink.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      const config = path.join(mlruns, MNIST, BASELINE, 'artifacts', 'config');
      assert.deepEqual((await fresh.runs.getChildren(entries.find((n) => name(n) === 'config_link'))).map(name), readdirSync(config).sort());

      const fileLink = byName('hparams_link');
      assert.match(String(fileLink.description), /^→ \.\.\/config\/hparams\.json · \d+ B$/);
      assert.equal(icon('hparams_link').id, 'file-symlink-file');
      assert.equal(fileLink.command?.command, 'mlflow.openArtifact');
      const hparams = readFileSync(path.join(config, 'hparams.json'));
      assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(fileLink.resourceUri!)), hparams);

      for (const [wanted, why] of [
        ['loop', '→ . · loop, not followed'],
        ['escape', '→ /etc · outside the artifacts, not followed'],
        ['dangling', '→ gone.txt · target missing'],
      ]) {
        const shown = byName(wanted);
        assert.equal(shown.description, why, wanted);
        assert.equal(icon(wanted).id, 'warning', wanted);
        assert.equal(shown.collapsibleState, vscode.TreeItemCollapsibleState.None, `${wanted} cannot be expanded`);
        assert.equal(shown.command, undefined, `${wanted} does not open`);
        assert.equal(shown.contextValue, 'artifact link', wanted);
        await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(shown.resourceUri!)), `${wanted} is not read through`);
      }
    } finally {
      fresh.dispose();
      rmSync(links, { recursive: true, force: true });
    }
  });

  describe('Select Store', () => {
    // Its own explorer, so the recent stores start empty whatever ran before.
    let selecting: RunExplorerModel;
    let root: string;

    before(() => {
      selecting = new RunExplorerModel(memoryContext(), output);
      root = mkdtempSync(path.join(tmpdir(), 'mlflow-stores-'));
    });

    after(() => {
      selecting?.dispose();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('lists a store opened from outside the workspace under Recent stores, and switches back to it', async () => {
      const connections = selecting.connections;
      const project = path.join(root, 'elsewhere');
      mkdirSync(project);
      copyFileSync(
        path.join(vscode.extensions.getExtension(extensionId)!.extensionPath, 'test', 'fixtures', 'sqlite-store', 'mlflow.db'),
        path.join(project, 'mlflow.db'),
      );
      const db = sqliteAt(path.join(project, 'mlflow.db')).uri;
      // As the file dialog would: the user picked the project folder, the store inside it opens.
      await openLocalStore(connections, vscode.Uri.file(project));
      assert.deepEqual(
        connections.sessions.map((s) => s.uri),
        [db],
      );
      const where = `in ${shownFolder(root)}`;
      assert.deepEqual(choiceGroups(await storeChoices(connections))['Recent stores'], [`$(database) elsewhere/mlflow.db — ${where} · current`]);

      const automatic = (await storeChoices(connections)).find((item) => item.label === '$(sync) Automatic');
      await automatic!.run!();
      assert.deepEqual(
        connections.sessions.map((s) => s.uri),
        [pathToFileURL(mlruns).href],
        'back to the workspace store',
      );
      const choices = await storeChoices(connections);
      assert.deepEqual(choiceGroups(choices)['Recent stores'], [`$(database) elsewhere/mlflow.db — ${where}`]);

      await choices.find((item) => item.label === '$(database) elsewhere/mlflow.db')!.run!();
      assert.deepEqual(
        connections.sessions.map((s) => s.uri),
        [db],
      );
      assert.equal(connections.selectedUri, db);
      const experiments = (await selecting.runs.getChildren()).map((n) => selecting.runs.getTreeItem(n).label);
      assert.deepEqual(
        experiments.map((l) => (typeof l === 'string' ? l : l?.label)),
        ['Default', 'iris-sklearn', 'mnist-classifier'],
      );
      await connections.select(undefined);
    });

    it('keeps ten recent stores, most recent first, once each, without those that are gone or found in the workspace', async () => {
      const connections = selecting.connections;
      const folders = Array.from({ length: 12 }, (_, i) => path.join(root, `project-${i}`, 'mlruns'));
      for (const folder of folders) {
        mkdirSync(folder, { recursive: true });
        await openLocalStore(connections, vscode.Uri.file(folder));
      }
      await openLocalStore(connections, vscode.Uri.file(folders[3]));
      // The workspace's own store, opened from the dialog too: still listed once, with the workspace.
      await openLocalStore(connections, vscode.Uri.file(mlruns));
      rmSync(path.dirname(folders[5]), { recursive: true });
      const groups = choiceGroups(await storeChoices(connections));
      const where = `in ${shownFolder(root)}`;
      assert.deepEqual(
        groups['Recent stores'],
        [3, 11, 10, 9, 8, 7, 6, 4].map((i) => `$(database) project-${i}/mlruns — ${where}`),
      );
      const workspaceStore = groups['Workspace and settings'].filter((line) => line.startsWith('$(database)'));
      assert.deepEqual(workspaceStore, [
        `$(database) ${vscode.workspace.asRelativePath(mlruns, true)} — in ${vscode.workspace.workspaceFolders![0].name} · current`,
      ]);
      await connections.select(undefined);
    });
  });

  describe("revealing a run (a model version's source run)", () => {
    // 600 runs shown 5 at a time: the oldest run is on page 120, past where the search used to stop.
    const RUNS = 600;
    let root: string;
    let ids: string[];
    let manyRuns: RunExplorerModel;

    before(async () => {
      root = mkdtempSync(path.join(tmpdir(), 'mlflow-many-runs-'));
      ids = writeManyRunsStore(path.join(root, 'mlruns'), RUNS);
      await vscode.workspace.getConfiguration('mlflow').update('runs.pageSize', 5, vscode.ConfigurationTarget.Global);
      manyRuns = new RunExplorerModel(memoryContext(), output);
      await waitFor(() => manyRuns.options.pageSize === 5, 'the page size setting');
      await manyRuns.connections.select(pathToFileURL(path.join(root, 'mlruns')).href);
    });

    after(async () => {
      manyRuns?.dispose();
      await vscode.workspace.getConfiguration('mlflow').update('runs.pageSize', undefined, vscode.ConfigurationTarget.Global);
      if (root) rmSync(root, { recursive: true, force: true });
    });

    const find = (runId: string, options: { token?: vscode.CancellationToken; onPage?: (loaded: number) => void } = {}) =>
      findRunNode(manyRuns.runs, manyRuns.connections.sessions[0], runId, { token: options.token, onProgress: options.onPage });

    it('finds a run that sits beyond the first hundred pages of its experiment', async () => {
      const pages: number[] = [];
      const result = await find(ids[0], { onPage: (loaded) => pages.push(loaded) });
      assert.equal(result.kind, 'found');
      const node = result.kind === 'found' ? result.node : assert.fail();
      assert.equal(node.run.info.run_id, ids[0]);
      assert.ok(pages.length > 100, `only ${pages.length} pages loaded`);
      assert.equal(pages.at(-1), RUNS);
      const experiment = manyRuns.runs.getParent(node);
      assert.equal(experiment?.kind, 'experiment');
      const shown = await manyRuns.runs.getChildren(experiment);
      assert.equal(shown.at(-1), node, 'the run is the last node of its experiment, where reveal finds it');
      assert.equal(node.run.info.run_name, 'run-1');
    });

    it('stops looking when cancelled', async () => {
      manyRuns.runs.reset();
      const cancellation = new vscode.CancellationTokenSource();
      let loaded = 0;
      const result = await find(ids[0], {
        token: cancellation.token,
        onPage: (count) => {
          loaded = count;
          if (count >= 20) cancellation.cancel();
        },
      });
      assert.equal(result.kind, 'cancelled');
      assert.equal(loaded, 20);
    });

    it('says the filter hides the run, asking the store once instead of paging through the experiment', async () => {
      await manyRuns.options.setFilter("params.lr = '0.1'");
      try {
        let pages = 0;
        const hidden = await find(ids[0], { onPage: () => pages++ });
        assert.deepEqual(hidden.kind === 'hiddenByFilter' ? [hidden.run.info.run_name, hidden.filter] : hidden.kind, ['run-1', "params.lr = '0.1'"]);
        assert.equal(pages, 0);
        // A run the filter keeps is still found, on the last page of the filtered list.
        const kept = await find(ids[1]);
        assert.equal(kept.kind === 'found' ? kept.node.run.info.run_name : kept.kind, 'run-2');
      } finally {
        await manyRuns.options.setFilter('');
      }
    });
  });

  describe('on a tracking server (recorded answers of a real mlflow server)', () => {
    let server: RecordedServer;
    const fixtures = () => path.join(vscode.extensions.getExtension(extensionId)!.extensionPath, 'test', 'fixtures', 'rest-file-store');

    before(async () => {
      // The recordings page runs by 5, as the explorer then asks.
      await vscode.workspace.getConfiguration('mlflow').update('runs.pageSize', 5, vscode.ConfigurationTarget.Global);
      server = await startRecordedServer({ dir: fixtures() });
      await explorer.connections.select(server.url);
      await waitFor(() => explorer.options.pageSize === 5, 'the page size setting');
    });

    after(async () => {
      await explorer.connections.select(undefined);
      await server?.close();
      await vscode.workspace.getConfiguration('mlflow').update('runs.pageSize', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('mlflow').update('remoteRefreshInterval', undefined, vscode.ConfigurationTarget.Global);
    });

    it('shows the same experiments and runs, in pages with "Load more"', async () => {
      assert.equal(explorer.connections.sessions[0].kind, 'rest');
      assert.deepEqual((await children()).map(label), ['Default', 'iris-sklearn', 'mnist-classifier']);
      const mnist = await child(undefined, 'mnist-classifier');
      const first = await children(mnist);
      assert.deepEqual(first.map(label), ['live-training', 'vit-tiny', 'resnet34-oom', 'resnet18', 'baseline-cnn', 'Load more…']);
      await explorer.runs.loadMore(first[5].kind === 'loadMore' ? first[5].experimentNode : assert.fail('no Load more item'));
      const more = (await children(mnist)).map(label);
      // lr-0.01-fold-0 and -1 now sit under lr-0.01, which arrived on the same page.
      assert.deepEqual(more, ['live-training', 'vit-tiny', 'resnet34-oom', 'resnet18', 'baseline-cnn', 'lr-0.001', 'lr-0.003', 'lr-0.01', 'Load more…']);
      const lr = await child(mnist, 'lr-0.01');
      assert.deepEqual((await children(lr)).filter((n) => n.kind === 'run').map(label), ['lr-0.01-fold-1', 'lr-0.01-fold-0']);
    });

    it("shows a run's params and metrics like the file store does", async () => {
      const run = await child(await child(undefined, 'mnist-classifier'), 'baseline-cnn');
      const params = await children(await child(run, 'Parameters'));
      const runDir = path.join(mlruns, MNIST, BASELINE);
      for (const name of ['lr', 'optimizer', 'epochs']) {
        const node = params.find((n) => label(n) === name);
        assert.ok(node, `param ${name}`);
        assert.equal(explorer.runs.getTreeItem(node).description, readFileSync(path.join(runDir, 'params', name), 'utf8'));
      }
    });

    it('polls the server while one of its runs is running', async () => {
      const mnist = await child(undefined, 'mnist-classifier');
      assert.ok((await children(mnist)).some((n) => n.kind === 'run' && n.run.info.status === 'RUNNING'));
      const searches = () => server.requests.filter((r) => r.path.endsWith('/runs/search')).length;
      const before = searches();
      await vscode.workspace.getConfiguration('mlflow').update('remoteRefreshInterval', 1, vscode.ConfigurationTarget.Global);
      try {
        await waitFor(() => searches() >= before + 2, 'two polls of runs/search', 15_000);
      } finally {
        await vscode.workspace.getConfiguration('mlflow').update('remoteRefreshInterval', 0, vscode.ConfigurationTarget.Global);
      }
    });

    it('asks for credentials on a 401 instead of failing silently', async () => {
      const asked: string[] = [];
      const states: string[] = [];
      explorer.connections.signInHandler = async (session) => void asked.push(session.uri);
      const listener = explorer.connections.onDidChangeState((session) => states.push(session.state));
      server.addFault({ kind: 'unauthorized401', match: 'experiments/search', times: 1 });
      await explorer.runs.refresh();
      listener.dispose();
      assert.deepEqual(asked, [server.url]);
      assert.ok(states.includes('unauthorized'), `states seen: ${states.join(', ')}`);
      // The fault hit once: the next load succeeds and the store is connected again.
      assert.deepEqual((await children()).map(label), ['Default', 'iris-sklearn', 'mnist-classifier']);
      assert.equal(explorer.connections.sessions[0].state, 'connected');
    });
  });
});
