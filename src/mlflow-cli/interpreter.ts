/**
 * Which `mlflow` to start, in order: the `mlflow.executable` setting when the user set it; the
 * interpreter the Python extension selected for the folder, as `<python> -m mlflow`, when that
 * environment has MLflow installed; `mlflow` on PATH. When none works the caller says so instead
 * of opening a terminal that fails. Plain module: the probes are passed in (tests use real ones).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MlflowInvocation } from './commandLines';

export interface MlflowProbes {
  /** `mlflow.executable` when the user set it (not the default); a name or a path. */
  executableSetting?: string;
  /** The Python extension's interpreter for the folder, if any. */
  pythonPath?: string;
  /** Whether that interpreter can import mlflow. */
  hasMlflow(pythonPath: string): Promise<boolean>;
  /** The full path of a program found on PATH, or undefined. */
  findOnPath(name: string): string | undefined;
}

type MlflowResolution = { ok: true; invocation: MlflowInvocation; detail: string } | { ok: false; problem: string; checked: string[] };

export async function resolveMlflow(probes: MlflowProbes): Promise<MlflowResolution> {
  const checked: string[] = [];
  const setting = probes.executableSetting?.trim();
  if (setting) {
    const isPath = /[\\/]/.test(setting);
    const found = isPath ? (isExecutableFile(setting) ? setting : undefined) : probes.findOnPath(setting);
    if (found) return { ok: true, invocation: { program: setting, prefixArgs: [], source: 'setting' }, detail: `mlflow.executable: ${setting}` };
    // The user chose this explicitly: do not silently run another MLflow.
    return {
      ok: false,
      problem: isPath
        ? `The mlflow.executable setting names ${setting}, which is not an executable file.`
        : `The mlflow.executable setting names "${setting}", which is not on PATH.`,
      checked: [`mlflow.executable: ${setting}`],
    };
  }
  if (probes.pythonPath) {
    checked.push(`the selected Python interpreter (${probes.pythonPath}) has no mlflow module`);
    if (await probes.hasMlflow(probes.pythonPath)) {
      return {
        ok: true,
        invocation: { program: probes.pythonPath, prefixArgs: ['-m', 'mlflow'], source: 'interpreter' },
        detail: `${probes.pythonPath} -m mlflow`,
      };
    }
  }
  const onPath = probes.findOnPath('mlflow');
  if (onPath) return { ok: true, invocation: { program: 'mlflow', prefixArgs: [], source: 'path' }, detail: `mlflow on PATH (${onPath})` };
  checked.push('no mlflow on PATH');
  return { ok: false, problem: `MLflow was not found: ${checked.join('; ')}.`, checked };
}

/**
 * The part of the Python extension's API (`@vscode/python-extension`: `PythonExtension['environments']`)
 * used to find the folder's interpreter. Structural, so that this module needs no `vscode`; the real
 * API object is passed in as it is.
 */
export interface PythonEnvironmentsApi<Resource> {
  getActiveEnvironmentPath(resource?: Resource): { id: string; path: string };
  resolveEnvironment(environment: { id: string; path: string } | string): Promise<{ executable: { uri?: { fsPath: string } } } | undefined>;
}

/** The interpreter the Python extension selected for the folder (resolved to its executable), or undefined. */
export async function interpreterFromPythonExtension<Resource>(
  environments: PythonEnvironmentsApi<Resource>,
  folder: Resource | undefined,
): Promise<string | undefined> {
  const active = environments.getActiveEnvironmentPath(folder);
  const resolved = await environments.resolveEnvironment(active);
  return resolved?.executable.uri?.fsPath;
}

/**
 * The whole order with the Python extension's API: the setting when set (the Python extension is then
 * not asked), else its interpreter for the folder when it has MLflow, else `mlflow` on PATH. An API that
 * fails counts as no interpreter (`onPythonError` hears why).
 */
export async function resolveMlflowWithPython<Resource>(
  options: Omit<MlflowProbes, 'pythonPath'> & {
    python?: { environments: () => Promise<PythonEnvironmentsApi<Resource>>; folder: Resource | undefined };
    onPythonError?: (error: unknown) => void;
  },
): Promise<MlflowResolution> {
  let pythonPath: string | undefined;
  if (!options.executableSetting?.trim() && options.python) {
    try {
      pythonPath = await interpreterFromPythonExtension(await options.python.environments(), options.python.folder);
    } catch (error) {
      options.onPythonError?.(error);
    }
  }
  return resolveMlflow({ executableSetting: options.executableSetting, pythonPath, hasMlflow: options.hasMlflow, findOnPath: options.findOnPath });
}

function isExecutableFile(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A program on PATH the way a shell finds it (with PATHEXT on Windows). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').map((e) => e.toLowerCase())] : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Whether `<python> -c "import mlflow"`-style lookup finds MLflow, without importing it (fast). */
export function pythonHasModule(pythonPath: string, module: string, timeoutMs = 10000): Promise<boolean> {
  return new Promise((resolve) => {
    const code = `import importlib.util, sys; sys.exit(0 if importlib.util.find_spec(${JSON.stringify(module)}) else 3)`;
    execFile(pythonPath, ['-c', code], { timeout: timeoutMs, windowsHide: true }, (error) => resolve(!error));
  });
}

/**
 * The program an `--env-manager` needs on PATH (MLflow looks for `virtualenv`, `uv` or `conda`
 * before it creates the environment); `local` needs none. `MLFLOW_CONDA_HOME` points MLflow at a
 * conda outside PATH.
 */
export function envManagerProgram(manager: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  switch (manager) {
    case 'virtualenv':
      return 'virtualenv';
    case 'uv':
      return 'uv';
    case 'conda':
      return env.MLFLOW_CONDA_HOME ? undefined : 'conda';
    default:
      return undefined;
  }
}
