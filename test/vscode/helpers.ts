// Helpers for specs that run inside the extension host (they may import `vscode`).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const manifest = require('../../package.json') as {
  publisher: string;
  name: string;
  contributes: {
    commands?: { command: string }[];
    views?: Record<string, { id: string }[]>;
    languages?: { id: string; filenames?: string[] }[];
    viewsContainers?: Record<string, { id: string }[]>;
  };
};

/** The extension's package.json, as built into the test bundle. */
export { manifest };

export const extensionId = `${manifest.publisher}.${manifest.name}`;

/** The extension under test, activated. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `extension ${extensionId} is not loaded`);
  await extension.activate();
  return extension;
}

/** The first workspace folder (a copy of demo/). */
export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder');
  return folder.uri;
}

/** Opens a workspace file (path relative to the workspace) in an editor. */
export async function openWorkspaceFile(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder(), relativePath));
  return vscode.window.showTextDocument(document);
}

/** Resolves when `predicate` holds, polling; rejects with `message` after `timeoutMs`. */
export async function waitFor<T>(predicate: () => T | undefined | Promise<T | undefined>, message: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A Memento kept in memory, for state a test builds its own explorer objects with (setting undefined deletes, as VS Code's does). */
export class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : defaultValue) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
  setKeysForSync(): void {}
}
