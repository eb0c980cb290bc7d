import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildDockerCommand, dockerImageName, modelsServeCommand, type EnvManager } from '../../mlflow-cli/commandLines';
import { describeScoringError, freePort, postInvocations, scoringPayload, waitForPing, type ScoringPayload } from '../../mlflow-cli/scoring';
import { SERVE_MODEL_COMMAND, type ServeModelArgs } from '../../protocol/languageServer';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';
import { mlflowFor } from '../run/mlflowInvocation';
import { sessionForFolder, trackingTarget } from '../run/storeTarget';
import { launchInTerminal } from '../run/terminalLaunch';
import { requireTrust } from '../run/trust';
import type { ModelTreeNode } from '../models/modelTreeProvider';
import type { RunTreeNode } from '../runs/runNodes';
import { errorMessage } from '../../format/errors';

interface ServeModelDeps {
  connections: StoreConnections;
  output: vscode.LogOutputChannel;
}

/** A model to serve: its URI for `-m`, a label, the store that resolves `runs:/` and `models:/`, and where its files are. */
interface ModelTarget {
  uri: string;
  label: string;
  session: StoreSession | undefined;
  /** A local model folder, for the input examples. */
  folder?: string;
  /** A run artifact folder, for the input examples. */
  artifact?: { runId: string; path: string };
}

interface ServedModel {
  target: ModelTarget;
  port: number;
  url: string;
  terminal: vscode.Terminal;
  ready: boolean;
}

/** How long `mlflow models serve` may take to answer /ping (creating an environment can take minutes). */
const SERVE_START_TIMEOUT_MS = 15 * 60 * 1000;

/** Serve Model, Send Request, Build Docker Image, and the Served Models list in the status bar. */
export function registerServeModel(_context: vscode.ExtensionContext, deps: ServeModelDeps): vscode.Disposable {
  const served: ServedModel[] = [];
  const responses = new ResponseDocuments();
  const status = vscode.window.createStatusBarItem('mlflow.servedModels', vscode.StatusBarAlignment.Left, 10);
  status.name = 'MLflow Served Models';
  status.command = 'mlflow.servedModels';
  const updateStatus = () => {
    const ready = served.filter((s) => s.ready).length;
    status.text = `$(server-process) ${served.length} served`;
    status.tooltip = served.map((s) => `${s.target.label}: ${s.url}${s.ready ? '' : ' (starting)'}`).join('\n');
    void vscode.commands.executeCommand('setContext', 'mlflow.hasServedModels', ready > 0);
    if (served.length) status.show();
    else status.hide();
  };

  const serve = async (arg: unknown): Promise<string | undefined> => {
    if (!requireTrust('Serving a model')) return undefined;
    const target = await modelTarget(arg, deps.connections);
    if (!target) return undefined;
    const cwd = target.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const mlflow = await mlflowFor(cwd ? vscode.Uri.file(cwd) : undefined, deps.output);
    if (!mlflow) return undefined;
    const port = await freePort();
    const envManager = (vscode.workspace.getConfiguration('mlflow').get<string>('serve.envManager') || undefined) as EnvManager | undefined;
    const line = modelsServeCommand(mlflow, { modelUri: target.uri, port, envManager, tracking: await trackingTarget(deps.connections, target.session), cwd });
    const launched = await launchInTerminal(line, { name: `MLflow Serve: ${target.label}`, icon: 'server-process', output: deps.output });
    if (!launched) return undefined;
    const entry: ServedModel = { target, port, url: `http://127.0.0.1:${port}`, terminal: launched.terminal, ready: false };
    served.push(entry);
    updateStatus();
    const up = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Starting the model server for ${target.label} on port ${port}…`, cancellable: true },
      (_progress, token) =>
        waitForPing(entry.url, { timeoutMs: SERVE_START_TIMEOUT_MS, shouldStop: () => token.isCancellationRequested || !served.includes(entry) }),
    );
    if (!up) {
      if (served.includes(entry))
        void vscode.window
          .showWarningMessage(`The model server for ${target.label} did not answer at ${entry.url}/ping; see its terminal.`, 'Show Terminal')
          .then((c) => c && entry.terminal.show());
      return undefined;
    }
    entry.ready = true;
    updateStatus();
    void vscode.window.showInformationMessage(`Model served at ${entry.url} (${target.label}).`, 'Send Request').then((choice) => {
      if (choice) void vscode.commands.executeCommand('mlflow.sendRequest', entry.url);
    });
    return entry.url;
  };

  const pickServed = async (url: unknown): Promise<ServedModel | undefined> => {
    const byUrl = typeof url === 'string' ? served.find((s) => s.url === url) : undefined;
    if (byUrl) return byUrl;
    const ready = served.filter((s) => s.ready);
    if (ready.length === 0) {
      void vscode.window.showInformationMessage(
        served.length ? 'The model server is still starting; try again when it is up.' : 'No model is served from this window: use MLflow: Serve Model first.',
      );
      return undefined;
    }
    if (ready.length === 1) return ready[0];
    return (
      await vscode.window.showQuickPick(
        ready.map((s) => ({ label: s.target.label, description: s.url, s })),
        { title: 'Send the request to which model?' },
      )
    )?.s;
  };

  const disposables: vscode.Disposable[] = [
    status,
    vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, responses),
    vscode.window.onDidCloseTerminal((terminal) => {
      const index = served.findIndex((s) => s.terminal === terminal);
      if (index >= 0) {
        served.splice(index, 1);
        updateStatus();
      }
    }),
    vscode.commands.registerCommand(SERVE_MODEL_COMMAND, serve),
    // Arguments (both optional): the served model's URL, and a JSON or CSV file to post instead of asking.
    vscode.commands.registerCommand('mlflow.sendRequest', async (url?: unknown, file?: unknown) => {
      const entry = await pickServed(url);
      if (!entry) return undefined;
      const payload = file instanceof vscode.Uri ? await payloadFromFile(file) : await pickPayload(entry.target);
      if (!payload) return undefined;
      return sendRequest(entry, payload, deps.output, responses);
    }),
    vscode.commands.registerCommand('mlflow.buildDockerImage', async (arg?: unknown) => {
      if (!requireTrust('Building a Docker image')) return false;
      const target = await modelTarget(arg, deps.connections);
      if (!target) return false;
      const imageName = await vscode.window.showInputBox({
        title: 'Docker image name',
        value: dockerImageName(target.label),
        validateInput: (t) => (/^[a-z0-9][a-z0-9._\-/:]*$/.test(t) ? undefined : 'Lowercase letters, digits, and . _ - / : only.'),
      });
      if (!imageName) return false;
      const cwd = target.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const mlflow = await mlflowFor(cwd ? vscode.Uri.file(cwd) : undefined, deps.output);
      if (!mlflow) return false;
      const line = buildDockerCommand(mlflow, { modelUri: target.uri, imageName, tracking: await trackingTarget(deps.connections, target.session), cwd });
      return (await launchInTerminal(line, { name: `MLflow Docker: ${imageName}`, icon: 'package', output: deps.output })) !== undefined;
    }),
    vscode.commands.registerCommand('mlflow.servedModels', async () => {
      if (!served.length) {
        void vscode.window.showInformationMessage('No model is served from this window.');
        return;
      }
      const pick = await vscode.window.showQuickPick(
        served.map((s) => ({ label: s.target.label, description: s.url, detail: s.ready ? s.target.uri : `${s.target.uri} (starting)`, s })),
        { title: 'Served models' },
      );
      if (!pick) return;
      const action = await vscode.window.showQuickPick(['Send Request', 'Show Terminal', 'Stop'], { title: `${pick.s.target.label} at ${pick.s.url}` });
      if (action === 'Send Request') await vscode.commands.executeCommand('mlflow.sendRequest', pick.s.url);
      else if (action === 'Show Terminal') pick.s.terminal.show();
      else if (action === 'Stop') pick.s.terminal.dispose();
    }),
  ];
  updateStatus();
  disposables.push(trackModelFolders());
  return new vscode.Disposable(() => {
    for (const d of disposables.reverse()) d.dispose();
  });
}

/** The model an argument names: the code lens, an MLmodel/folder in the explorer or editor, a Runs or Models view node. */
async function modelTarget(arg: unknown, connections: StoreConnections): Promise<ModelTarget | undefined> {
  let file: string | undefined;
  if (arg instanceof vscode.Uri) file = arg.fsPath;
  else if (arg && typeof arg === 'object' && 'uri' in arg && typeof (arg as ServeModelArgs).uri === 'string')
    file = vscode.Uri.parse((arg as ServeModelArgs).uri).fsPath;
  else if (arg && typeof arg === 'object' && 'kind' in arg) return nodeTarget(arg as RunTreeNode | ModelTreeNode);
  else {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === 'file' && path.basename(active.fsPath) === 'MLmodel') file = active.fsPath;
  }
  if (!file) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Model folder (with an MLmodel file)' });
    file = picked?.[0]?.fsPath;
    if (!file) return undefined;
  }
  const folder = fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ? file : path.dirname(file);
  if (!fs.existsSync(path.join(folder, 'MLmodel'))) {
    void vscode.window.showErrorMessage(`${folder} has no MLmodel file, so it is not an MLflow model folder.`);
    return undefined;
  }
  return { uri: folder, label: modelLabel(folder), session: sessionForFolder(connections, folder), folder };
}

/** MLflow 3 logged models sit in `…/models/m-<id>/artifacts/`: name them by their id, not "artifacts". */
function modelLabel(folder: string): string {
  const base = path.basename(folder);
  return base === 'artifacts' ? path.basename(path.dirname(folder)) : base;
}

function nodeTarget(node: RunTreeNode | ModelTreeNode): ModelTarget | undefined {
  switch (node.kind) {
    case 'loggedModel': {
      const info = node.model.info;
      const uri = info.model_id.startsWith('runs:/') ? info.model_id : `models:/${info.model_id}`;
      return { uri, label: info.name || info.model_id, session: node.session };
    }
    case 'artifact': {
      const runId = node.runNode.run.info.run_id;
      const artifactPath = node.file.is_dir ? node.file.path : path.posix.dirname(node.file.path);
      return {
        uri: `runs:/${runId}/${artifactPath}`,
        label: `${artifactPath} of ${node.runNode.run.info.run_name || runId.slice(0, 8)}`,
        session: node.session,
        artifact: { runId, path: artifactPath },
      };
    }
    case 'version':
      return { uri: `models:/${node.version.name}/${node.version.version}`, label: `${node.version.name} v${node.version.version}`, session: node.session };
    case 'model': {
      const alias = node.model.aliases?.[0]?.alias;
      return alias
        ? { uri: `models:/${node.model.name}@${alias}`, label: `${node.model.name}@${alias}`, session: node.session }
        : { uri: `models:/${node.model.name}/latest`, label: `${node.model.name} (latest)`, session: node.session };
    }
    default:
      void vscode.window.showInformationMessage('Pick a logged model, a model artifact folder or a registered model version to serve.');
      return undefined;
  }
}

type PayloadItem = vscode.QuickPickItem & { load: () => Promise<{ name: string; text: string } | undefined> };

/** The model's input examples, a file, or the active editor's text; wrapped as MLflow's scoring server expects. */
async function pickPayload(target: ModelTarget): Promise<ScoringPayload | undefined> {
  const items: PayloadItem[] = [];
  for (const name of ['serving_input_example.json', 'input_example.json']) {
    if (target.folder && fs.existsSync(path.join(target.folder, name))) {
      items.push({
        label: `$(file) ${name}`,
        description: 'from the model folder',
        load: async () => ({ name, text: await fs.promises.readFile(path.join(target.folder!, name), 'utf8') }),
      });
    } else if (target.artifact && target.session) {
      const { runId, path: dir } = target.artifact;
      const session = target.session;
      items.push({
        label: `$(file) ${name}`,
        description: `from ${target.uri}`,
        load: async () => ({
          name,
          text: Buffer.from(await session.call('read input example', (s) => s.readArtifact(runId, `${dir}/${name}`))).toString('utf8'),
        }),
      });
    }
  }
  items.push({
    label: '$(folder-opened) A JSON or CSV File…',
    load: async () => {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'JSON or CSV': ['json', 'csv'] } });
      return picked?.[0] ? { name: path.basename(picked[0].fsPath), text: await fs.promises.readFile(picked[0].fsPath, 'utf8') } : undefined;
    },
  });
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const document = editor.document;
    items.push({
      label: "$(edit) The Active Editor's Text",
      description: vscode.workspace.asRelativePath(document.uri),
      load: async () => ({
        name: document.languageId === 'csv' || /\.csv$/i.test(document.fileName) ? `${document.fileName}.csv` : `${document.fileName || 'editor'}.json`,
        text: document.getText(),
      }),
    });
  }
  const pick = await vscode.window.showQuickPick(items, { title: `Request body for ${target.label}` });
  if (!pick) return undefined;
  let loaded: { name: string; text: string } | undefined;
  try {
    loaded = await pick.load();
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not read the input: ${errorMessage(error)}`);
    return undefined;
  }
  if (!loaded) return undefined;
  const payload = scoringPayload(loaded.name, loaded.text);
  if (typeof payload === 'string') {
    void vscode.window.showErrorMessage(payload);
    return undefined;
  }
  return payload;
}

async function payloadFromFile(file: vscode.Uri): Promise<ScoringPayload | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(file.fsPath, 'utf8');
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not read ${file.fsPath}: ${errorMessage(error)}`);
    return undefined;
  }
  const payload = scoringPayload(path.basename(file.fsPath), text);
  if (typeof payload === 'string') {
    void vscode.window.showErrorMessage(payload);
    return undefined;
  }
  return payload;
}

async function sendRequest(
  entry: ServedModel,
  payload: ScoringPayload,
  output: vscode.LogOutputChannel,
  responses: ResponseDocuments,
): Promise<string | undefined> {
  let answer;
  try {
    answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `POST ${entry.url}/invocations` }, () =>
      postInvocations(entry.url, payload),
    );
  } catch (error) {
    void vscode.window
      .showErrorMessage(`The model server at ${entry.url} is not answering: ${errorMessage(error)}. Is it still running?`, 'Show Terminal')
      .then((c) => c && entry.terminal.show());
    return undefined;
  }
  output.info(`POST ${entry.url}/invocations (${payload.contentType}): ${answer.status}`);
  let content = answer.body;
  try {
    content = JSON.stringify(JSON.parse(answer.body), null, 2);
  } catch {
    // Shown as the server sent it.
  }
  const isJson = /json/.test(answer.contentType) || /^[[{]/.test(content);
  const uri = responses.add(`${entry.target.label} ${answer.status}.${isJson ? 'json' : 'txt'}`, content);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(isJson && document.languageId !== 'json' ? await vscode.languages.setTextDocumentLanguage(document, 'json') : document, {
    viewColumn: vscode.ViewColumn.Beside,
    preview: true,
    preserveFocus: true,
  });
  const problem = describeScoringError(answer);
  if (problem) void vscode.window.showErrorMessage(problem);
  return content;
}

/** `mlflow.modelFolders`: the workspace folders holding an MLmodel, so the explorer offers Serve Model on them only. */
function trackModelFolders(): vscode.Disposable {
  const update = async () => {
    const files = await vscode.workspace.findFiles('**/MLmodel', '**/{node_modules,.git}/**', 2000);
    void vscode.commands.executeCommand(
      'setContext',
      'mlflow.modelFolders',
      files.map((f) => path.dirname(f.fsPath)),
    );
  };
  let timer: NodeJS.Timeout | undefined;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(), 1000);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/MLmodel', false, true, false);
  void update();
  return vscode.Disposable.from(watcher, watcher.onDidCreate(later), watcher.onDidDelete(later), new vscode.Disposable(() => clearTimeout(timer)));
}

const RESPONSE_SCHEME = 'mlflow-response';
/** Answers kept for their read-only editors; older ones are dropped. */
const MAX_RESPONSES = 20;

/** The scoring server's answers as read-only documents: shown beside the editor, never asking to be saved. */
class ResponseDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private count = 0;

  add(name: string, content: string): vscode.Uri {
    this.count++;
    const uri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${this.count}/${name.replace(/[\\/]/g, '-')}` });
    this.contents.set(uri.toString(), content);
    if (this.contents.size > MAX_RESPONSES) this.contents.delete(this.contents.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? 'This response is no longer kept; send the request again.';
  }
}
