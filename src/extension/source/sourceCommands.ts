/**
 * From a run back to its code, through the built-in git extension: "Open Run's Source"
 * (the file as it was at the run's commit), "Compare Run's Source with Workspace" (that
 * version against the working tree) and "Compare Code of Two Runs". Each says plainly
 * why when it cannot: no commit recorded, commit not in the local repository, or the
 * workspace is not the repository the run was made from.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveRunSource, sourceTagsOf, type LocalRepository } from '../../compare/gitSource';
import { runDisplayName } from '../../compare/rows';
import type { Run } from '../../tracking/types';
import type { StoreConnections } from '../connection/storeConnections';
import type { RunTreeNode } from '../runs/runNodes';
import { gitApi, workspaceRepositories, type GitApi, type GitRepository } from './gitApi';
import { errorMessage } from '../../format/errors';

export interface SourceDeps {
  connections: StoreConnections;
  /** Each reason a command could not show a run's code is logged here too: a toast fades, the log stays. */
  output: vscode.LogOutputChannel;
}

/** What the commands accept: a run node of the Runs view, or a run named by store and id (other panels, tests). */
type RunArgument = RunTreeNode | { storeUri: string; runId: string };

interface RunSourceFile {
  run: Run;
  commit: string;
  repository: GitRepository;
  /** The file in the working tree (it may not exist there any more). */
  file: vscode.Uri;
}

export function registerSourceCommands(deps: SourceDeps): vscode.Disposable {
  const runOf = async (arg: unknown): Promise<Run | undefined> => {
    const value = arg as RunArgument | undefined;
    if (value && 'kind' in value) return value.kind === 'run' ? value.run : undefined;
    if (value && typeof value.storeUri === 'string' && typeof value.runId === 'string') {
      const session = deps.connections.sessionFor(value.storeUri);
      if (!session) throw new Error(`The store ${value.storeUri} is not open.`);
      return session.call('Read run', (store) => store.getRun(value.runId));
    }
    return undefined;
  };
  const command = (id: string, handler: (...args: unknown[]) => Promise<void>) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) =>
      handler(...args).catch((error: unknown) => void vscode.window.showErrorMessage(`MLflow: ${errorMessage(error)}`)),
    );

  const warn = (message: string) => {
    deps.output.warn(message);
    void vscode.window.showWarningMessage(message);
  };
  const locate = (run: Run | undefined) => locateSource(run, warn);

  return vscode.Disposable.from(
    command('mlflow.openRunSource', async (arg) => {
      const source = await locate(await runOf(arg));
      if (!source) return;
      const { api, found } = source;
      await vscode.commands.executeCommand('vscode.open', api.toGitUri(found.file, found.commit), { preview: true });
    }),
    command('mlflow.compareRunSourceWithWorkspace', async (arg) => {
      const source = await locate(await runOf(arg));
      if (!source) return;
      const { api, found } = source;
      const name = path.basename(found.file.fsPath);
      try {
        await vscode.workspace.fs.stat(found.file);
      } catch {
        void vscode.window.showInformationMessage(
          `${vscode.workspace.asRelativePath(found.file)} is no longer in the working tree; showing it as of ${short(found.commit)}.`,
        );
        await vscode.commands.executeCommand('vscode.open', api.toGitUri(found.file, found.commit), { preview: true });
        return;
      }
      await vscode.commands.executeCommand(
        'vscode.diff',
        api.toGitUri(found.file, found.commit),
        found.file,
        `${name} (${short(found.commit)} ↔ Working Tree)`,
        { preview: true },
      );
    }),
    command('mlflow.compareRunsCode', async (arg, args) => {
      const list = Array.isArray(args) && args.length ? args : arg ? [arg] : [];
      const runs = (await Promise.all(list.map(runOf))).filter((r): r is Run => r !== undefined);
      if (runs.length !== 2) {
        void vscode.window.showInformationMessage('Select exactly two runs in the Runs view to compare their code.');
        return;
      }
      const left = await locate(runs[0]);
      if (!left) return;
      const right = await locate(runs[1]);
      if (!right) return;
      const [a, b] = [left.found, right.found];
      if (a.commit === b.commit && a.file.toString() === b.file.toString()) {
        void vscode.window.showInformationMessage(`Both runs were made from the same file at the same commit (${short(a.commit)}).`);
        return;
      }
      const title = `${path.basename(a.file.fsPath)} (${runDisplayName(a.run)} ${short(a.commit)} ↔ ${runDisplayName(b.run)} ${short(b.commit)})`;
      await vscode.commands.executeCommand('vscode.diff', left.api.toGitUri(a.file, a.commit), right.api.toGitUri(b.file, b.commit), title, { preview: true });
    }),
  );
}

function short(commit: string): string {
  return commit.slice(0, 8);
}

function posixPath(uri: vscode.Uri): string {
  const p = uri.fsPath.replace(/\\/g, '/');
  return (/^[a-z]:\//i.test(p) ? `/${p}` : p).replace(/\/+$/, '') || '/';
}

/** The run's file in a local repository at its commit; undefined after telling the user why not. */
async function locateSource(run: Run | undefined, warn: (message: string) => void): Promise<{ api: GitApi; found: RunSourceFile } | undefined> {
  if (!run) {
    void vscode.window.showInformationMessage('Choose a run in the Runs view first.');
    return undefined;
  }
  const api = await gitApi();
  if (typeof api === 'string') {
    warn(api);
    return undefined;
  }
  const tags = sourceTagsOf(run.data.tags);
  const repositories = await workspaceRepositories(api, tags.sourceName);
  const local: LocalRepository[] = repositories.map((r) => ({
    root: posixPath(r.rootUri),
    remoteUrls: r.state.remotes.flatMap((remote) => [remote.fetchUrl, remote.pushUrl].filter((u): u is string => !!u)),
  }));
  const resolution = resolveRunSource(tags, local);
  if (resolution.kind !== 'resolved') {
    warn(`Run "${runDisplayName(run)}": ${resolution.message}`);
    return undefined;
  }
  const repository = repositories[local.indexOf(resolution.repository)];
  let commit: string;
  try {
    commit = (await repository.getCommit(resolution.commit)).hash;
  } catch {
    const root = vscode.workspace.asRelativePath(repository.rootUri, true);
    warn(
      `Run "${runDisplayName(run)}" was made from commit ${short(resolution.commit)}, which is not in the local repository ${root}. Fetch it (git fetch) or check out the branch it is on, then try again.`,
    );
    return undefined;
  }
  for (const candidate of resolution.candidates) {
    const file = vscode.Uri.joinPath(repository.rootUri, ...candidate.split('/'));
    try {
      await repository.show(commit, file.fsPath);
      return { api, found: { run, commit, repository, file } };
    } catch {
      // not at that commit: try the next, shorter guess
    }
  }
  warn(`Commit ${short(commit)} has no file matching the run's source "${tags.sourceName}".`);
  return undefined;
}
