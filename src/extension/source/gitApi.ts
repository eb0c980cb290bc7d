/**
 * The part of the built-in git extension's API (`vscode.git`, `getAPI(1)`) this extension
 * uses, typed after its `git.d.ts`. The git extension can be disabled or still scanning;
 * `gitApi()` says which, so a command can tell the user instead of failing.
 */
import * as vscode from 'vscode';

interface GitRemote {
  readonly name: string;
  readonly fetchUrl?: string;
  readonly pushUrl?: string;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly remotes: GitRemote[] };
  getCommit(ref: string): Promise<{ hash: string }>;
  /** The file's text at `ref`; `path` is absolute (the extension makes it relative to the root). */
  show(ref: string, path: string): Promise<string>;
}

export interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: GitRepository[];
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** Waited for the git extension's first scan of the workspace; it usually takes well under a second. */
const SCAN_WAIT_MS = 5000;

export async function gitApi(): Promise<GitApi | string> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return 'The built-in Git extension is not available in this editor.';
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports?.enabled) return 'The built-in Git extension is disabled (setting git.enabled); enable it to see a run\'s code.';
  const api = exports.getAPI(1);
  if (api.state !== 'initialized') {
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      };
      const subscription = api.onDidChangeState((state) => state === 'initialized' && finish());
      const timer = setTimeout(finish, SCAN_WAIT_MS);
    });
  }
  return api;
}

/**
 * The repositories git has open, plus those at the workspace folders' roots that its scan
 * has not reached yet (a repository created after the window opened, for instance).
 */
export async function workspaceRepositories(api: GitApi): Promise<GitRepository[]> {
  if (api.openRepository) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (api.repositories.some((r) => folder.uri.fsPath.startsWith(r.rootUri.fsPath))) continue;
      await api.openRepository(folder.uri).catch(() => null);
    }
  }
  return api.repositories;
}
