import * as vscode from 'vscode';

/**
 * Commands that run code check Workspace Trust themselves too (their menu entries are hidden
 * in untrusted workspaces, but a keybinding or another extension can still call them).
 */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`${what} runs code from this workspace; trust the workspace first.`, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
