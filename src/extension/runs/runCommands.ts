import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMPARE_RUNS_COMMAND, PLOT_METRICS_COMMAND, type ChartsRequest } from '../../protocol/charts';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';
import { runPageUrl } from '../connection/trackingUri';
import { runLabel } from '../explorer/model/labels';
import type { ModelTreeNode } from '../models/modelTreeProvider';
import type { RunNode, RunTreeNode } from './runNodes';
import { findRunNode, type RunSearchResult } from './revealRun';
import { RUNS_VIEW_ID, type RunTreeProvider } from './runTreeProvider';
import { DEFAULT_UI_URL, startMlflowUi } from './startUi';
import { errorMessage } from '../../format/errors';

export interface RunCommandDeps {
  connections: StoreConnections;
  runs: RunTreeProvider;
  runsView: vscode.TreeView<RunTreeNode>;
  output: vscode.LogOutputChannel;
}

/** Commands on runs, artifacts and models: copy ids and URIs, open in the UI, reveal, hand off to the charts. */
export function registerRunCommands(deps: RunCommandDeps): vscode.Disposable {
  const { connections, runsView, output } = deps;
  const copy = async (text: string | undefined, what: string) => {
    if (!text) return;
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`$(copy) Copied ${what}`, 3000);
  };
  const selectedRuns = (node: RunTreeNode | undefined, nodes: readonly RunTreeNode[] | undefined): RunNode[] => {
    const list = nodes && nodes.length ? nodes : node ? [node] : runsView.selection;
    return list.filter((n): n is RunNode => n.kind === 'run');
  };
  const handOff = async (command: string, node: RunTreeNode | undefined, nodes: readonly RunTreeNode[] | undefined) => {
    const chosen = selectedRuns(node, nodes);
    if (chosen.length === 0) {
      void vscode.window.showInformationMessage('Select one or more runs first.');
      return;
    }
    const session = chosen[0].session;
    const same = chosen.filter((n) => n.session === session);
    if (same.length < chosen.length)
      void vscode.window.showWarningMessage(`Runs from different stores cannot be charted together; using the ${same.length} from ${session.label}.`);
    const request: ChartsRequest = {
      storeUri: session.uri,
      runs: same.map((n) => ({ run_id: n.run.info.run_id, experiment_id: n.run.info.experiment_id, run_name: runLabel(n.run) })),
    };
    await vscode.commands.executeCommand(command, request);
  };

  /**
   * The OS file manager only sees the machine VS Code's window runs on: in a browser (code-server,
   * vscode.dev) or a remote window the run folder is on the other machine, so it is shown in the
   * Explorer view when the workspace holds it (the menus offer the command that fits the window).
   */
  const revealRunFolder = async (node: RunTreeNode | undefined, where: 'fileManager' | 'explorer') => {
    const run = node?.kind === 'run' ? node : selectedRuns(undefined, undefined)[0];
    if (!run || run.session.location.kind !== 'file') return;
    const folder = path.join(run.session.location.path, run.run.info.experiment_id, run.run.info.run_id);
    if (!fs.existsSync(folder)) {
      void vscode.window.showWarningMessage(`The run folder ${folder} does not exist.`);
      return;
    }
    const uri = vscode.Uri.file(folder);
    if (where === 'fileManager') {
      await vscode.commands.executeCommand('revealFileInOS', uri);
    } else if (vscode.workspace.getWorkspaceFolder(uri)) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
    } else {
      const copy = await vscode.window.showInformationMessage(
        `The run folder ${folder} is outside the workspace, so the Explorer view cannot show it.`,
        'Copy Path',
      );
      if (copy) await vscode.env.clipboard.writeText(folder);
    }
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('mlflow.copyRunId', (node?: RunTreeNode) => {
      const run = node?.kind === 'run' ? node : selectedRuns(undefined, undefined)[0];
      return copy(run?.run.info.run_id, 'run ID');
    }),
    vscode.commands.registerCommand('mlflow.copyArtifactUri', (node?: RunTreeNode) => {
      if (node?.kind === 'run') return copy(node.run.info.artifact_uri, 'artifact URI');
      if (node?.kind === 'artifact') {
        const base = node.runNode.run.info.artifact_uri;
        return copy(base ? `${base.replace(/\/+$/, '')}/${node.file.path}` : undefined, 'artifact URI');
      }
      return undefined;
    }),
    vscode.commands.registerCommand('mlflow.copyModelUri', (node?: RunTreeNode | ModelTreeNode) => {
      if (!node) return undefined;
      if (node.kind === 'loggedModel') {
        const { info } = node.model;
        if (info.model_id.startsWith('runs:/')) return copy(info.model_id, 'model URI');
        return copy(info.source_run_id && info.name ? `runs:/${info.source_run_id}/${info.name}` : `models:/${info.model_id}`, 'model URI');
      }
      if (node.kind === 'artifact') return copy(`runs:/${node.runNode.run.info.run_id}/${node.file.path}`, 'model URI');
      if (node.kind === 'version') return copy(`models:/${node.version.name}/${node.version.version}`, 'model URI');
      if (node.kind === 'model') return copy(`models:/${node.model.name}/latest`, 'model URI');
      return undefined;
    }),
    vscode.commands.registerCommand('mlflow.copyValue', (node?: RunTreeNode | ModelTreeNode) => {
      if (node && (node.kind === 'param' || node.kind === 'tag')) return copy(node.value, node.key);
      if (node?.kind === 'metric') return copy(String(node.metric.value), node.metric.key);
      if (node?.kind === 'detail') return copy(node.description, node.label);
      return undefined;
    }),
    vscode.commands.registerCommand('mlflow.openRunInUi', async (node?: RunTreeNode) => {
      const run = node?.kind === 'run' ? node : selectedRuns(undefined, undefined)[0];
      if (!run) return;
      const { experiment_id: experimentId, run_id: runId } = run.run.info;
      if (run.session.kind === 'rest') {
        await vscode.env.openExternal(vscode.Uri.parse(runPageUrl(run.session.uri, experimentId, runId)));
        return;
      }
      const url = runPageUrl(DEFAULT_UI_URL, experimentId, runId);
      const choice = await vscode.window.showInformationMessage(
        `${run.session.label} is a local store. Start \`mlflow ui\` for it in a terminal, then open the run at ${DEFAULT_UI_URL}?`,
        'Start MLflow UI',
        'Open (UI Already Running)',
      );
      if (choice === 'Start MLflow UI') {
        if (await startMlflowUi(connections, output, run.session.uri)) {
          const open = await vscode.window.showInformationMessage('When the MLflow UI has started, open the run.', 'Open Run');
          if (open) await vscode.env.openExternal(vscode.Uri.parse(url));
        }
      } else if (choice) {
        await vscode.env.openExternal(vscode.Uri.parse(url));
      }
    }),
    vscode.commands.registerCommand('mlflow.revealRunFolder', (node?: RunTreeNode) => revealRunFolder(node, 'fileManager')),
    vscode.commands.registerCommand('mlflow.revealRunFolderInExplorer', (node?: RunTreeNode) => revealRunFolder(node, 'explorer')),
    vscode.commands.registerCommand('mlflow.revealRun', (storeUri?: string, runId?: string) => revealRun(deps, storeUri, runId)),
    vscode.commands.registerCommand('mlflow.runs.plotMetrics', (node?: RunTreeNode, nodes?: RunTreeNode[]) => handOff(PLOT_METRICS_COMMAND, node, nodes)),
    vscode.commands.registerCommand('mlflow.runs.compareRuns', (node?: RunTreeNode, nodes?: RunTreeNode[]) => handOff(COMPARE_RUNS_COMMAND, node, nodes)),
  );
}

/** Reveals the run's node with the tree's redraws held back meanwhile; true once VS Code selected it. */
async function revealAndSelect(deps: RunCommandDeps, node: RunNode): Promise<boolean> {
  const { runs, runsView } = deps;
  const selected = () => runsView.selection.some((n) => n.id === node.id);
  await runs.whileRevealing(() => runsView.reveal(node, { select: true, focus: true, expand: false }));
  if (selected()) return true;
  // The selection reaches the extension as an event of its own, just after the reveal.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, 1000);
    const listener = runsView.onDidChangeSelection(() => selected() && done());
    function done() {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    }
  });
  return selected();
}

/** A search past this long (a run deep in a large experiment) also gets a notification that can stop it. */
const SLOW_SEARCH_MS = 1000;

/** Selects a run in the Runs view (from a model version's source run), or says why the view does not show it. */
async function revealRun(deps: RunCommandDeps, storeUri: string | undefined, runId: string | undefined): Promise<void> {
  const session = storeUri ? deps.connections.sessionFor(storeUri) : undefined;
  if (!session || !runId) return;
  await vscode.commands.executeCommand('mlflow.runs.focus');
  let result: RunSearchResult;
  try {
    result = await findWithProgress(deps.runs, session, runId);
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not reveal run ${runId}: ${errorMessage(error)}`);
    return;
  }
  switch (result.kind) {
    case 'found':
      if (await revealAndSelect(deps, result.node)) return;
      // A refresh replaced what VS Code was showing: look the run up again and reveal it once more.
      result = await findWithProgress(deps.runs, session, runId).catch(() => result);
      if (result.kind === 'found' && !(await revealAndSelect(deps, result.node))) deps.output.warn(`Run ${runId} was revealed but VS Code selected nothing`);
      return;
    case 'cancelled':
      return;
    case 'hiddenByFilter': {
      const choice = await vscode.window.showInformationMessage(
        `Run "${runLabel(result.run)}" is hidden by the runs filter "${result.filter}".`,
        'Clear Filter',
      );
      if (choice) {
        await vscode.commands.executeCommand('mlflow.clearFilter');
        await revealRun(deps, storeUri, runId);
      }
      return;
    }
    case 'deleted':
      void vscode.window.showInformationMessage(
        `Run "${runLabel(result.run)}" is deleted, and the Runs view hides deleted runs (MLflow: Show or Hide Deleted Runs).`,
      );
      return;
    case 'experimentHidden':
      void vscode.window.showInformationMessage(
        `Run "${runLabel(result.run)}" is in experiment ${result.run.info.experiment_id}, which the Runs view does not list (deleted experiments are hidden).`,
      );
      return;
    case 'notListed':
      void vscode.window.showInformationMessage(`Run "${runLabel(result.run)}" is not in the Runs view of ${session.label}; refresh the view and try again.`);
      return;
  }
}

/**
 * The Runs view's progress bar while looking; if it takes a while (thousands of runs to
 * page through), also a notification counting the runs searched, with Cancel.
 */
async function findWithProgress(runs: RunTreeProvider, session: StoreSession, runId: string): Promise<RunSearchResult> {
  const cancellation = new vscode.CancellationTokenSource();
  let report: ((runsLoaded: number) => void) | undefined;
  const search = findRunNode(runs, session, runId, { token: cancellation.token, onProgress: (runsLoaded) => report?.(runsLoaded) });
  const slow = setTimeout(() => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Looking for run ${runId}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => cancellation.cancel());
        report = (runsLoaded) => progress.report({ message: `${runsLoaded.toLocaleString()} runs searched` });
        return search.catch(() => undefined);
      },
    );
  }, SLOW_SEARCH_MS);
  try {
    return await vscode.window.withProgress({ location: { viewId: RUNS_VIEW_ID } }, () => search);
  } finally {
    clearTimeout(slow);
    cancellation.dispose();
  }
}
