import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseMlproject, type MlprojectModel } from '../../mlflow-files';
import { mlflowRunCommand, parseGitProjectUri } from '../../mlflow-cli/commandLines';
import { envManagerProgram, findOnPath } from '../../mlflow-cli/interpreter';
import { projectEntryPoints, validateParameters, type EntryPointSpec } from '../../mlflow-cli/parameters';
import { RUN_ENTRY_POINT_COMMAND, type RunEntryPointArgs } from '../../protocol/languageServer';
import type { StoreConnections } from '../connection/storeConnections';
import { followRun } from './followRun';
import { mlflowFor } from './mlflowInvocation';
import { promptParameters, promptRunChoices, validationContext, type RunChoices } from './runPrompts';
import { sessionForFolder, trackingTarget } from './storeTarget';
import { launchInTerminal } from './terminalLaunch';
import { requireTrust } from './trust';

interface RunProjectDeps {
  connections: StoreConnections;
  output: vscode.LogOutputChannel;
}

/** One `mlflow run`, as repeated by Run Again and listed in Recent Runs. */
interface RunRequest {
  /** A local folder or a Git URI (`https://…/repo.git#subdir`). */
  projectUri: string;
  /** The local folder (also the terminal's working folder); for a Git project, a workspace folder. */
  cwd: string;
  projectName: string;
  entryPoint: string;
  parameters: [string, string][];
  choices: RunChoices;
  at: number;
}

const RECENT_KEY = 'mlflow.recentProjectRuns';
const CHOICES_KEY = 'mlflow.runChoices:';
const MAX_RECENT = 10;

/** Run Project, Run from Git, the "Run" lenses, Run Again and Recent Runs. */
export function registerRunProject(context: vscode.ExtensionContext, deps: RunProjectDeps): vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  const state = context.workspaceState;
  const recent = () => state.get<RunRequest[]>(RECENT_KEY) ?? [];

  const execute = async (request: RunRequest): Promise<boolean> => {
    if (!requireTrust('Running an MLflow project')) return false;
    const isGit = request.projectUri !== request.cwd;
    const mlflow = await mlflowFor(vscode.Uri.file(request.cwd), deps.output);
    if (!mlflow) return false;
    const checked = await checkEnvManager(request, isGit);
    if (!checked) return false;
    const { choices, remembered } = checked;
    const session = sessionForFolder(deps.connections, request.cwd);
    const line = mlflowRunCommand(mlflow, {
      projectUri: request.projectUri,
      entryPoint: request.entryPoint,
      parameters: request.parameters,
      ...choices,
      tracking: await trackingTarget(deps.connections, session),
      cwd: request.cwd,
    });
    const label = `${request.projectName} · ${request.entryPoint}`;
    const launchedAt = Date.now();
    const launched = await launchInTerminal(line, { name: `MLflow: ${label}`, icon: 'play', output: deps.output });
    if (!launched) return false;
    disposables.push(followRun({ launched, label, entryPoint: request.entryPoint, session, launchedAt, output: deps.output }));
    const saved = { ...request, choices: remembered, at: launchedAt };
    await state.update(RECENT_KEY, [saved, ...recent().filter((r) => !sameRun(r, saved))].slice(0, MAX_RECENT));
    if (!isGit) await state.update(CHOICES_KEY + request.cwd, remembered);
    return true;
  };

  /** Prompts for one entry point of a local project, then runs it. */
  const runEntryPoint = async (mlprojectFile: string | undefined, folder: string, entryName: string | undefined, ask: boolean): Promise<boolean> => {
    if (!requireTrust('Running an MLflow project')) return false;
    const model = mlprojectFile ? await readMlproject(mlprojectFile) : undefined;
    const projectName = typeof model?.name?.value === 'string' ? model.name.value : path.basename(folder);
    const entry = entryName ? specFor(model, entryName) : await pickEntryPoint(model, folder);
    if (!entry) return false;
    if (mlprojectFile && !(await confirmDespiteProblems(mlprojectFile, model, entry.name))) return false;
    const parameters = await promptParameters(entry, folder, !ask);
    if (!parameters) return false;
    const problems = validateParameters(entry, new Map(parameters), validationContext(folder));
    if (problems.length) {
      void vscode.window.showErrorMessage(`Not run: ${problems.join(' ')}`);
      return false;
    }
    let choices = state.get<RunChoices>(CHOICES_KEY + folder) ?? {};
    if (ask) {
      const docker = model?.environments.some((e) => e.key === 'docker_env') ?? false;
      const picked = await promptRunChoices(choices, {
        session: sessionForFolder(deps.connections, folder),
        docker,
        git: false,
        title: `Run ${projectName} · ${entry.name}`,
      });
      if (!picked) return false;
      choices = picked.choices;
      parameters.push(...picked.extra);
    }
    return execute({ projectUri: folder, cwd: folder, projectName, entryPoint: entry.name, parameters, choices, at: Date.now() });
  };

  disposables.push(
    vscode.commands.registerCommand(RUN_ENTRY_POINT_COMMAND, async (args?: RunEntryPointArgs) => {
      if (!args?.uri) return vscode.commands.executeCommand('mlflow.runProject');
      const uri = vscode.Uri.parse(args.uri);
      if (uri.scheme !== 'file') {
        void vscode.window.showInformationMessage('Save the MLproject in a project folder first: MLflow runs a project from its folder.');
        return false;
      }
      const file = uri.fsPath;
      return runEntryPoint(file, path.dirname(file), args.entryPoint, args.askParameters);
    }),
    vscode.commands.registerCommand('mlflow.runProject', async (resource?: vscode.Uri) => {
      if (!requireTrust('Running an MLflow project')) return false;
      const project = resource instanceof vscode.Uri ? projectFromResource(resource) : await pickProject();
      if (!project) return false;
      return runEntryPoint(project.file, project.folder, undefined, true);
    }),
    vscode.commands.registerCommand('mlflow.runProjectFromGit', () => runFromGit(deps, execute)),
    vscode.commands.registerCommand('mlflow.runAgain', async (args?: RunEntryPointArgs) => {
      const file = args?.uri ? vscode.Uri.parse(args.uri).fsPath : undefined;
      const last = recent().find((r) => !file || (r.cwd === path.dirname(file) && r.entryPoint === args?.entryPoint));
      if (!last) {
        void vscode.window.showInformationMessage('No MLflow project has been run from this window yet: use MLflow: Run Project.');
        return false;
      }
      return execute({ ...last, at: Date.now() });
    }),
    vscode.commands.registerCommand('mlflow.recentRuns', async () => {
      const list = recent();
      if (!list.length) {
        void vscode.window.showInformationMessage('No MLflow project has been run from this window yet.');
        return false;
      }
      const pick = await vscode.window.showQuickPick(
        list.map((r) => ({
          label: `${r.projectName} · ${r.entryPoint}`,
          description: r.parameters.map(([k, v]) => `${k}=${v}`).join(' '),
          detail: `${r.projectUri} — ${new Date(r.at).toLocaleString()}`,
          request: r,
        })),
        { title: 'Run an MLflow project again', matchOnDescription: true, matchOnDetail: true },
      );
      return pick ? execute({ ...pick.request, at: Date.now() }) : false;
    }),
  );
  return new vscode.Disposable(() => {
    for (const d of disposables.reverse()) d.dispose();
  });
}

function sameRun(a: RunRequest, b: RunRequest): boolean {
  return a.projectUri === b.projectUri && a.entryPoint === b.entryPoint && JSON.stringify(a.parameters) === JSON.stringify(b.parameters);
}

/**
 * The environment manager the run will use (the chosen one, else `mlflow.run.envManager`,
 * else MLflow's default for the project), checked on PATH first: when its tool is missing,
 * offer the local environment instead of a run that fails while creating one.
 */
async function checkEnvManager(request: RunRequest, isGit: boolean): Promise<{ choices: RunChoices; remembered: RunChoices } | undefined> {
  const setting = vscode.workspace.getConfiguration('mlflow').get<string>('run.envManager') || undefined;
  // The setting applies to runs that chose nothing; it is not remembered as the project's choice.
  const choices: RunChoices = { ...request.choices, envManager: request.choices.envManager ?? (setting as RunChoices['envManager']) };
  let manager: string | undefined = choices.envManager;
  if (!manager && !isGit) {
    const model = await readMlproject(path.join(request.cwd, 'MLproject'));
    const keys = model?.environments.map((e) => e.key) ?? [];
    manager = keys.includes('docker_env') ? undefined : keys.includes('conda_env') ? 'conda' : 'virtualenv';
  }
  const program = manager ? envManagerProgram(manager) : undefined;
  if (!program || findOnPath(program)) return { choices, remembered: request.choices };
  const choice = await vscode.window.showWarningMessage(
    `The environment manager "${manager}" needs ${program}, which is not on PATH: MLflow could not create the project's environment.`,
    { modal: true },
    'Use Local Environment',
    'Run Anyway',
  );
  if (choice === 'Use Local Environment') return { choices: { ...choices, envManager: 'local' }, remembered: { ...request.choices, envManager: 'local' } };
  return choice === 'Run Anyway' ? { choices, remembered: request.choices } : undefined;
}

async function readMlproject(file: string): Promise<MlprojectModel | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
  if (open) return parseMlproject(open.getText());
  try {
    return parseMlproject(await fs.promises.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function specFor(model: MlprojectModel | undefined, name: string): EntryPointSpec {
  return projectEntryPoints(model).find((e) => e.name === name) ?? { name, parameters: [] };
}

interface ProjectChoice {
  file: string | undefined;
  folder: string;
}

function projectFromResource(resource: vscode.Uri): ProjectChoice {
  const stat = fs.statSync(resource.fsPath, { throwIfNoEntry: false });
  const folder = stat?.isDirectory() ? resource.fsPath : path.dirname(resource.fsPath);
  return { file: mlprojectIn(folder), folder };
}

function mlprojectIn(folder: string): string | undefined {
  const name = fs.readdirSync(folder, { withFileTypes: true }).find((e) => e.isFile() && e.name.toLowerCase() === 'mlproject')?.name;
  return name ? path.join(folder, name) : undefined;
}

/** Every MLproject in the workspace, the active editor's first; or any folder (MLflow's conventions without an MLproject). */
async function pickProject(): Promise<ProjectChoice | undefined> {
  const files = await vscode.workspace.findFiles('**/[Mm][Ll][Pp][Rr][Oo][Jj][Ee][Cc][Tt]', '**/{node_modules,.git,mlruns}/**', 200);
  const active = vscode.window.activeTextEditor?.document.uri.fsPath;
  const activeFolder = active ? path.dirname(active) : undefined;
  files.sort((a, b) => Number(path.dirname(b.fsPath) === activeFolder) - Number(path.dirname(a.fsPath) === activeFolder) || a.fsPath.localeCompare(b.fsPath));
  const items: (vscode.QuickPickItem & { choice?: ProjectChoice })[] = files.map((f) => ({
    label: `$(beaker) ${path.basename(path.dirname(f.fsPath))}`,
    description: vscode.workspace.asRelativePath(f),
    choice: { file: f.fsPath, folder: path.dirname(f.fsPath) },
  }));
  items.push({ label: '$(folder) Another Folder…', description: 'a project without MLproject: its conda.yaml or python_env.yaml and a script' });
  const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Run which MLflow project?' });
  if (!pick) return undefined;
  if (pick.choice) return pick.choice;
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'MLflow project folder' });
  return folder?.[0] ? { file: mlprojectIn(folder[0].fsPath), folder: folder[0].fsPath } : undefined;
}

/** Declared entry points, and the folder's scripts (MLflow runs `-e train.py` with python, `.sh` with the shell). */
async function pickEntryPoint(model: MlprojectModel | undefined, folder: string): Promise<EntryPointSpec | undefined> {
  const declared = projectEntryPoints(model);
  const scripts = fs
    .readdirSync(folder)
    .filter((f) => /\.(py|sh)$/.test(f) && !declared.some((e) => e.name === f))
    .sort();
  const items = [
    ...declared.map((e) => ({ label: e.name, description: e.parameters.map((p) => p.name).join(', '), spec: e })),
    ...scripts.map((s) => ({ label: s, description: 'script (no parameters)', spec: { name: s, parameters: [] } as EntryPointSpec })),
  ];
  if (!items.length) {
    void vscode.window.showWarningMessage(`${folder} has no entry points and no .py or .sh script for MLflow to run.`);
    return undefined;
  }
  if (items.length === 1) return items[0].spec;
  return (await vscode.window.showQuickPick(items, { title: 'Entry point' }))?.spec;
}

/**
 * A problem elsewhere in the MLproject does not block this entry point (MLflow fails only when the
 * broken one runs); an error inside this entry point's own definition asks first.
 */
async function confirmDespiteProblems(file: string, model: MlprojectModel | undefined, entryName: string): Promise<boolean> {
  const entry = model?.entryPoints.find((e) => e.name === entryName);
  if (!entry) return true;
  const uri = vscode.Uri.file(file);
  const range = new vscode.Range(entry.range.start.line, entry.range.start.character, entry.range.end.line, entry.range.end.character);
  const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error && range.intersection(d.range));
  if (!errors.length) return true;
  const choice = await vscode.window.showWarningMessage(
    `Entry point "${entryName}" has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}: ${errors[0].message}`,
    { modal: true },
    'Run Anyway',
    'Show Problem',
  );
  if (choice === 'Show Problem') {
    await vscode.window.showTextDocument(uri, { selection: errors[0].range });
    return false;
  }
  return choice === 'Run Anyway';
}

async function runFromGit(deps: RunProjectDeps, execute: (request: RunRequest) => Promise<boolean>): Promise<boolean> {
  if (!requireTrust('Running an MLflow project')) return false;
  const uri = await vscode.window.showInputBox({
    title: 'Run MLflow Project from Git (1/3)',
    prompt: 'Repository URL, optionally #subfolder',
    placeHolder: 'https://github.com/mlflow/mlflow-example.git',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parseGitProjectUri(text);
      return typeof parsed === 'string' ? parsed : undefined;
    },
  });
  if (uri === undefined) return false;
  const project = parseGitProjectUri(uri);
  if (typeof project === 'string') return false;
  const entryPoint = await vscode.window.showInputBox({
    title: 'Run MLflow Project from Git (2/3)',
    prompt: 'Entry point',
    value: 'main',
    ignoreFocusOut: true,
    validateInput: (t) => (t.trim() ? undefined : 'Give an entry point.'),
  });
  if (!entryPoint) return false;
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  const picked = await promptRunChoices(
    {},
    { session: sessionForFolder(deps.connections, cwd), docker: true, git: true, title: 'Run MLflow Project from Git (3/3)' },
  );
  if (!picked) return false;
  const name = project.subdirectory ? `${path.basename(project.repository, '.git')}/${project.subdirectory}` : path.basename(project.repository, '.git');
  return execute({
    projectUri: project.uri,
    cwd,
    projectName: name,
    entryPoint: entryPoint.trim(),
    parameters: picked.extra,
    choices: picked.choices,
    at: Date.now(),
  });
}
