import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ENV_MANAGERS, type EnvManager, type RunOptions } from '../../mlflow-cli/commandLines';
import { parseExtraParameter, validateParameter, type EntryPointSpec, type ParameterSpec, type ValidationContext } from '../../mlflow-cli/parameters';
import type { StoreSession } from '../connection/storeConnections';

/** The `mlflow run` options a user picks, remembered per project. */
/** What the options prompt asks for: the `mlflow run` options a user picks per project. */
export type RunChoices = Pick<RunOptions, 'experimentName' | 'runName' | 'envManager' | 'version' | 'buildImage' | 'dockerArgs' | 'backend' | 'backendConfig'>;

export function validationContext(cwd: string): ValidationContext {
  return { cwd, fileExists: (p) => fs.existsSync(p) };
}

/**
 * One input per parameter, pre-filled with its default and checked as you type; `onlyRequired`
 * asks only for parameters without a default ("Run" lens). Returns the values that differ from
 * the defaults (MLflow fills in the rest), or undefined when cancelled.
 */
export async function promptParameters(spec: EntryPointSpec, cwd: string, onlyRequired: boolean): Promise<[string, string][] | undefined> {
  const context = validationContext(cwd);
  const values: [string, string][] = [];
  const asked = spec.parameters.filter((p) => !onlyRequired || p.defaultText === undefined);
  for (const [index, parameter] of asked.entries()) {
    const value =
      parameter.type === 'path' ? await promptPath(parameter, cwd, context, index, asked.length) : await promptValue(parameter, context, index, asked.length);
    if (value === undefined) return undefined;
    if (value !== parameter.defaultText) values.push([parameter.name, value]);
  }
  return values;
}

function promptValue(parameter: ParameterSpec, context: ValidationContext, index: number, count: number): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `${parameter.name} (${parameter.type})`,
    prompt:
      parameter.defaultText === undefined
        ? `Required parameter ${index + 1} of ${count}`
        : `Parameter ${index + 1} of ${count}; default ${parameter.defaultText}`,
    value: parameter.defaultText ?? '',
    ignoreFocusOut: true,
    validateInput: (text) => validateParameter(parameter, text, context),
  });
}

/** A `path` parameter: the project's files to pick from, or any text typed (checked before use). */
async function promptPath(parameter: ParameterSpec, cwd: string, context: ValidationContext, index: number, count: number): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles(new vscode.RelativePattern(cwd, '**/*'), '**/{node_modules,.git,mlruns,.venv,__pycache__}/**', 500);
  const relative = [...new Set(files.flatMap((f) => withFolders(path.relative(cwd, f.fsPath))))].sort();
  for (;;) {
    const picked = await new Promise<string | undefined>((resolve) => {
      const quickPick = vscode.window.createQuickPick();
      quickPick.title = `${parameter.name} (path), parameter ${index + 1} of ${count}`;
      quickPick.placeholder = `A file or folder, relative to ${cwd}, or a URI; default ${parameter.defaultText ?? '(required)'}`;
      quickPick.ignoreFocusOut = true;
      quickPick.items = relative.map((label) => ({ label }));
      quickPick.value = parameter.defaultText ?? '';
      let result: string | undefined;
      quickPick.onDidAccept(() => {
        result = quickPick.selectedItems[0]?.label ?? quickPick.value;
        quickPick.hide();
      });
      quickPick.onDidHide(() => {
        quickPick.dispose();
        resolve(result);
      });
      quickPick.show();
    });
    if (picked === undefined) return undefined;
    const problem = validateParameter(parameter, picked, context);
    if (!problem) return picked;
    const again = await vscode.window.showWarningMessage(problem, { modal: true }, 'Choose Again', 'Use Anyway');
    if (again === 'Use Anyway') return picked;
    if (!again) return undefined;
  }
}

function withFolders(file: string): string[] {
  const parts = file.split(path.sep);
  return parts.map((_p, i) => parts.slice(0, i + 1).join('/'));
}

/** `key=value` extra parameters, one per input, until an empty one. */
async function promptExtraParameters(): Promise<[string, string][] | undefined> {
  const extra: [string, string][] = [];
  for (;;) {
    const text = await vscode.window.showInputBox({
      title: 'Extra parameter (MLflow passes an undeclared one to the command as --key value)',
      prompt: extra.length
        ? `Added: ${extra.map(([k]) => k).join(', ')}. Another key=value, or Enter to continue.`
        : 'key=value, or Enter to continue without one.',
      ignoreFocusOut: true,
      validateInput: (t) => (t.trim() === '' ? undefined : typeof parseExtraParameter(t) === 'string' ? (parseExtraParameter(t) as string) : undefined),
    });
    if (text === undefined) return undefined;
    if (text.trim() === '') return extra;
    const parsed = parseExtraParameter(text);
    if (typeof parsed !== 'string') extra.push(parsed);
  }
}

type OptionItem = vscode.QuickPickItem & { key: keyof RunChoices | 'run' | 'extra' };

/**
 * The run's options in one list: "Run" first, then each option with its current value; picking
 * an option edits it and comes back. Returns undefined when cancelled.
 */
export async function promptRunChoices(
  initial: RunChoices,
  context: { session: StoreSession | undefined; docker: boolean; git: boolean; title: string },
): Promise<{ choices: RunChoices; extra: [string, string][] } | undefined> {
  const choices: RunChoices = { ...initial };
  let extra: [string, string][] = [];
  for (;;) {
    const items: OptionItem[] = [
      { key: 'run', label: '$(play) Run', description: 'with these options' },
      { key: 'experimentName', label: 'Experiment', description: choices.experimentName ?? 'Default (MLFLOW_EXPERIMENT_NAME or the store default)' },
      { key: 'runName', label: 'Run name', description: choices.runName ?? 'generated by MLflow' },
      { key: 'envManager', label: 'Environment manager', description: choices.envManager ?? "MLflow's default for the project" },
      { key: 'extra', label: 'Extra parameters…', description: extra.length ? extra.map(([k, v]) => `${k}=${v}`).join(' ') : 'none' },
      ...(context.git ? [{ key: 'version' as const, label: 'Git version (-v)', description: choices.version ?? 'default branch' }] : []),
      ...(context.docker
        ? [
            { key: 'buildImage' as const, label: 'Build image (--build-image)', description: choices.buildImage ? 'yes' : 'no' },
            { key: 'dockerArgs' as const, label: 'Docker arguments (-A)', description: choices.dockerArgs?.join(' ') || 'none' },
          ]
        : []),
      { key: 'backend', label: 'Backend (-b)', description: choices.backend ?? 'local' },
      { key: 'backendConfig', label: 'Backend config (-c)', description: choices.backendConfig ?? 'none' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: context.title, placeHolder: 'Run, or change an option', ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.key === 'run') return { choices, extra };
    if (picked.key === 'extra') {
      const more = await promptExtraParameters();
      if (more) extra = more;
      continue;
    }
    await editChoice(choices, picked.key, context.session);
  }
}

async function editChoice(choices: RunChoices, key: keyof RunChoices, session: StoreSession | undefined): Promise<void> {
  const text = async (title: string, value: string | undefined) => {
    const entered = await vscode.window.showInputBox({
      title,
      value: value ?? '',
      prompt: 'Empty for the default',
      ignoreFocusOut: true,
      validateInput: noLineBreak,
    });
    return entered === undefined ? value : entered.trim() || undefined;
  };
  switch (key) {
    case 'experimentName':
      choices.experimentName = await pickExperiment(session, choices.experimentName);
      return;
    case 'runName':
      choices.runName = await text('Run name (--run-name)', choices.runName);
      return;
    case 'envManager': {
      const pick = await vscode.window.showQuickPick(
        [{ label: "MLflow's default", value: undefined }, ...ENV_MANAGERS.map((m) => ({ label: m, value: m as EnvManager | undefined }))],
        { title: 'Environment manager (--env-manager)' },
      );
      if (pick) choices.envManager = pick.value;
      return;
    }
    case 'version':
      choices.version = await text('Git commit, branch or tag (-v)', choices.version);
      return;
    case 'buildImage':
      choices.buildImage = !choices.buildImage;
      return;
    case 'dockerArgs': {
      const entered = await text('Docker arguments, separated by spaces (each becomes -A name=value or -A flag)', choices.dockerArgs?.join(' '));
      choices.dockerArgs = entered ? entered.split(/\s+/).filter(Boolean) : undefined;
      return;
    }
    case 'backend':
      choices.backend = await text('Backend (-b): local, databricks or kubernetes', choices.backend);
      return;
    case 'backendConfig':
      choices.backendConfig = await text('Backend configuration (-c): a JSON file or JSON text', choices.backendConfig);
      return;
  }
}

function noLineBreak(text: string): string | undefined {
  return /[\r\n]/.test(text) ? 'A value cannot contain a line break.' : undefined;
}

/** An experiment of the current store, or a new name typed in (MLflow creates it). */
async function pickExperiment(session: StoreSession | undefined, current: string | undefined): Promise<string | undefined> {
  let names: string[] = [];
  if (session) {
    try {
      const { experiments } = await session.call('list experiments', (store) => store.searchExperiments({ max_results: 1000 }));
      names = experiments.filter((e) => e.lifecycle_stage !== 'deleted').map((e) => e.name);
    } catch {
      // The list is a convenience; a new name can still be typed.
    }
  }
  const quickPick = vscode.window.createQuickPick();
  quickPick.title = 'Experiment (--experiment-name): pick one or type a new name';
  quickPick.items = [{ label: "Default (MLflow's)", description: '' }, ...names.map((label) => ({ label }))];
  quickPick.value = current ?? '';
  return new Promise((resolve) => {
    let result = current;
    quickPick.onDidAccept(() => {
      const item = quickPick.selectedItems[0];
      if (item && item.label === "Default (MLflow's)") result = undefined;
      else result = (item?.label ?? quickPick.value).trim() || undefined;
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(result);
    });
    quickPick.show();
  });
}
