/**
 * The part of the built-in git extension's API (`vscode.git`, `getAPI(1)`) this extension
 * uses, typed after its `git.d.ts`. The git extension can be disabled or still scanning;
 * `gitApi()` says which, so a command can tell the user instead of failing.
 */
import * as path from 'node:path';
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
  if (!exports?.enabled) return "The built-in Git extension is disabled (setting git.enabled); enable it to see a run's code.";
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
 * The repositories git has open, plus those its scan has not reached yet (deeper than
 * `git.repositoryScanMaxDepth`, or created after the window opened): at the workspace
 * folders' roots, and around the run's own source file when it lies inside the workspace.
 */
export async function workspaceRepositories(api: GitApi, sourceName: string | undefined): Promise<GitRepository[]> {
  if (!api.openRepository) return api.repositories;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);
  const candidates = [...folders];
  if (sourceName && path.isAbsolute(sourceName)) {
    const dir = vscode.Uri.file(path.dirname(sourceName));
    if (folders.some((f) => dir.fsPath.startsWith(f.fsPath + path.sep))) candidates.unshift(dir);
  }
  for (const uri of candidates) {
    if (api.repositories.some((r) => uri.fsPath === r.rootUri.fsPath || uri.fsPath.startsWith(r.rootUri.fsPath + path.sep))) continue;
    // Resolves to null when the folder is in no repository, or when git cannot read it.
    await api.openRepository(uri).catch(() => null);
  }
  return api.repositories;
}
