/**
 * Artifacts of two runs in VS Code's diff editor, both sides read-only through the
 * `mlflow-artifact:` file system: from an artifact ("Compare with the Same Artifact of
 * Another Run…") or from two selected runs (a picker of the paths both have).
 */
import * as vscode from 'vscode';
import { commonArtifacts, listArtifactFiles, type ArtifactListing } from '../../compare/artifactPaths';
import { runDisplayName } from '../../compare/rows';
import type { Run } from '../../tracking/types';
import type { StoreSession } from '../connection/storeConnections';
import { artifactUri } from '../artifacts/artifactFileSystem';
import type { ArtifactNode, RunNode, RunTreeNode } from '../runs/runNodes';
import { errorMessage } from '../../format/errors';

/** Runs offered as the other side: the most recent of the experiment. */
const PICKABLE_RUNS = 500;

/** Both commands act on the Runs view's nodes they are called with (context menus); the palette hides them. */
export function registerArtifactDiff(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mlflow.compareArtifactWithRun', (node?: RunTreeNode) =>
      node?.kind === 'artifact'
        ? compareWithAnotherRun(node)
        : vscode.window.showInformationMessage('Right-click an artifact file in the Runs view to compare it.'),
    ),
    vscode.commands.registerCommand('mlflow.compareArtifactsOfRuns', (node?: RunTreeNode, nodes?: RunTreeNode[]) => {
      const list = nodes && nodes.length ? nodes : node ? [node] : [];
      return compareTwoRuns(list.filter((n): n is RunNode => n.kind === 'run'));
    }),
  );
}

function diffTitle(path: string, left: Run, right: Run): string {
  return `${path.slice(path.lastIndexOf('/') + 1)} (${runDisplayName(left)} ↔ ${runDisplayName(right)})`;
}

async function openDiff(session: StoreSession, left: Run, right: Run, path: string): Promise<void> {
  await vscode.commands.executeCommand(
    'vscode.diff',
    artifactUri(session, left.info.run_id, path),
    artifactUri(session, right.info.run_id, path),
    diffTitle(path, left, right),
    { preview: true },
  );
}

async function compareWithAnotherRun(node: ArtifactNode): Promise<void> {
  if (node.file.is_dir) {
    void vscode.window.showInformationMessage('Choose a file, not a folder: folders are compared file by file (MLflow: Compare Artifacts of Two Runs…).');
    return;
  }
  const { session, file } = node;
  const run = node.runNode.run;
  type RunItem = vscode.QuickPickItem & { run: Run };
  const picker = vscode.window.createQuickPick<RunItem>();
  picker.title = `Compare ${file.path} of "${runDisplayName(run)}" with the same artifact of…`;
  picker.placeholder = 'Type to filter runs by name or id';
  picker.matchOnDescription = true;
  picker.busy = true;
  picker.show();
  try {
    const { runs } = await session.call('List runs', (store) =>
      store.searchRuns({ experiment_ids: [run.info.experiment_id], max_results: PICKABLE_RUNS, order_by: ['attributes.start_time DESC'] }),
    );
    picker.items = runs
      .filter((r) => r.info.run_id !== run.info.run_id)
      .map((r) => ({ label: runDisplayName(r), description: r.info.run_id, detail: r.info.status.toLowerCase(), run: r }));
    picker.busy = false;
    if (picker.items.length === 0) picker.placeholder = 'The experiment has no other run';
  } catch (error) {
    picker.dispose();
    void vscode.window.showErrorMessage(`Could not list the runs of the experiment: ${errorMessage(error)}`);
    return;
  }
  const chosen = await new Promise<Run | undefined>((resolve) => {
    picker.onDidAccept(() => resolve(picker.selectedItems[0]?.run));
    picker.onDidHide(() => resolve(undefined));
  });
  picker.dispose();
  if (!chosen) return;
  const parent = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : undefined;
  const siblings = await session.call('List artifacts', (store) => store.listArtifacts(chosen.info.run_id, parent)).catch(() => []);
  if (!siblings.some((f) => f.path === file.path && !f.is_dir)) {
    void vscode.window.showWarningMessage(`Run "${runDisplayName(chosen)}" has no artifact ${file.path}.`);
    return;
  }
  await openDiff(session, chosen, run, file.path);
}

async function compareTwoRuns(nodes: RunNode[]): Promise<void> {
  if (nodes.length !== 2 || nodes[0].session !== nodes[1].session) {
    void vscode.window.showInformationMessage('Select exactly two runs of the same store in the Runs view to compare their artifacts.');
    return;
  }
  const [left, right] = nodes.map((n) => n.run);
  const session = nodes[0].session;
  let listings: ArtifactListing[];
  try {
    listings = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Listing the artifacts of both runs' }, () =>
      Promise.all(
        [left, right].map((run) => session.call('List artifacts', (store) => listArtifactFiles((path) => store.listArtifacts(run.info.run_id, path)))),
      ),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not list the artifacts: ${errorMessage(error)}`);
    return;
  }
  const common = commonArtifacts(listings[0].files, listings[1].files);
  if (common.length === 0) {
    void vscode.window.showInformationMessage(`"${runDisplayName(left)}" and "${runDisplayName(right)}" have no artifact path in common.`);
    return;
  }
  const size = (n: number | undefined) => (n === undefined ? '?' : n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);
  const picked = await vscode.window.showQuickPick(
    common.map((a) => ({
      label: a.path,
      description: a.sizes[0] === a.sizes[1] ? size(a.sizes[0]) : `${size(a.sizes[0])} ↔ ${size(a.sizes[1])}`,
      detail: a.text ? undefined : 'binary or unknown type',
      path: a.path,
    })),
    {
      title: `Artifacts of both "${runDisplayName(left)}" and "${runDisplayName(right)}"${listings.some((l) => l.truncated) ? ' (first files only)' : ''}`,
      placeHolder: 'Choose an artifact to compare',
      matchOnDescription: true,
    },
  );
  if (picked) await openDiff(session, left, right, picked.path);
}
