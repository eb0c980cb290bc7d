import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';
import type { MlflowInvocation } from '../../mlflow-cli/commandLines';
import { findOnPath, pythonHasModule, resolveMlflowWithPython } from '../../mlflow-cli/interpreter';
import { errorMessage } from '../../format/errors';

/**
 * Which `mlflow` to start for a folder (src/mlflow-cli/interpreter.ts has the order): the
 * `mlflow.executable` setting when the user set it, the Python extension's interpreter for the
 * folder as `<python> -m mlflow`, `mlflow` on PATH. When none works, says so with buttons to
 * pick an interpreter or open the setting, and returns undefined.
 */
export async function mlflowFor(folder: vscode.Uri | undefined, output: vscode.LogOutputChannel): Promise<MlflowInvocation | undefined> {
  const inspected = vscode.workspace.getConfiguration('mlflow', folder).inspect<string>('executable');
  const explicit = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
  const result = await resolveMlflowWithPython({
    executableSetting: explicit,
    python: vscode.extensions.getExtension('ms-python.python') ? { environments: async () => (await PythonExtension.api()).environments, folder } : undefined,
    onPythonError: (error) => output.warn(`The Python extension did not give an interpreter: ${errorMessage(error)}`),
    hasMlflow: (python) => pythonHasModule(python, 'mlflow'),
    findOnPath: (name) => findOnPath(name),
  });
  if (result.ok) {
    output.info(`Using ${result.detail}`);
    return result.invocation;
  }
  output.warn(result.problem);
  const hasPython = vscode.extensions.getExtension('ms-python.python') !== undefined;
  const buttons = hasPython ? ['Select Python Interpreter', 'Open Setting'] : ['Open Setting'];
  void vscode.window
    .showErrorMessage(`${result.problem} Install MLflow (pip install mlflow), pick an interpreter that has it, or set mlflow.executable.`, ...buttons)
    .then((choice) => {
      if (choice === 'Select Python Interpreter') void vscode.commands.executeCommand('python.setInterpreter');
      else if (choice === 'Open Setting') void vscode.commands.executeCommand('workbench.action.openSettings', 'mlflow.executable');
    });
  return undefined;
}
