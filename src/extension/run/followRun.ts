import * as vscode from 'vscode';
import { PLOT_METRICS_COMMAND, type ChartsRequest } from '../../protocol/charts';
import { RunOutputReader, type RunOutputEvent } from '../../mlflow-cli/consoleOutput';
import type { Run } from '../../tracking/types';
import type { StoreSession } from '../connection/storeConnections';
import type { LaunchedCommand } from './terminalLaunch';

interface FollowedRun {
  launched: LaunchedCommand;
  /** "demo-elasticnet · main", for messages. */
  label: string;
  entryPoint: string;
  /** The store the run is tracked in (the terminal's MLFLOW_TRACKING_URI). */
  session: StoreSession | undefined;
  /** Epoch ms when the command was typed: the fallback looks for runs started after it. */
  launchedAt: number;
  output: vscode.LogOutputChannel;
}

/** While the fallback polls the store, how often, and for how long a run may take to appear. */
const POLL_MS = 2000;
const APPEAR_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Follows a run started in a terminal: "Run … started" (reveal it, plot it) the moment MLflow
 * logs its id, then the outcome with the exit code. Through shell integration the terminal's
 * output is read as it comes; without it (cmd, or a shell that did not report integration) the
 * store is polled for a run of this entry point that started after the launch.
 */
export function followRun(run: FollowedRun): vscode.Disposable {
  return run.launched.execution ? followExecution(run, run.launched.execution) : followByPolling(run);
}

function followExecution(run: FollowedRun, execution: vscode.TerminalShellExecution): vscode.Disposable {
  // read() must be called at once, or the first output (the run id line) is missed.
  const stream = execution.read();
  const reader = new RunOutputReader();
  let runId: string | undefined;
  let outcome: RunOutputEvent['kind'] | undefined;
  const handle = (event: RunOutputEvent) => {
    if (event.kind === 'started') {
      runId = event.runId;
      void announceStart(run, event.runId);
    } else {
      runId ??= event.runId;
      outcome = event.kind;
    }
  };
  const reading = (async () => {
    try {
      for await (const data of stream) for (const event of reader.push(data)) handle(event);
      for (const event of reader.end()) handle(event);
    } catch (error) {
      run.output.warn(`Reading the output of ${run.label} stopped: ${String(error)}`);
    }
  })();
  let ended = false;
  const endListener = vscode.window.onDidEndTerminalShellExecution(async (e) => {
    if (e.execution !== execution || ended) return;
    ended = true;
    endListener.dispose();
    // The stream ends with the execution; give it a moment to deliver its last lines.
    await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 2000))]);
    void announceEnd(run, runId, outcome, e.exitCode);
  });
  return endListener;
}

function followByPolling(run: FollowedRun): vscode.Disposable {
  const session = run.session;
  if (!session) return new vscode.Disposable(() => undefined);
  let runId: string | undefined;
  let stopped = false;
  const closed = vscode.window.onDidCloseTerminal((t) => {
    if (t === run.launched.terminal) stopped = true;
  });
  const poll = async () => {
    const deadline = Date.now() + APPEAR_TIMEOUT_MS;
    while (!stopped && !runId && Date.now() < deadline) {
      await delay(POLL_MS);
      runId = (await findStartedRun(session, run).catch(() => undefined))?.info.run_id;
    }
    if (!runId || stopped) return;
    void announceStart(run, runId);
    while (!stopped) {
      await delay(POLL_MS);
      const current = await session.call('follow run', (store) => store.getRun(runId!)).catch(() => undefined);
      const status = current?.info.status;
      if (status === 'FINISHED' || status === 'FAILED' || status === 'KILLED') {
        void announceEnd(run, runId, status === 'FINISHED' ? 'succeeded' : 'failed', undefined, status);
        return;
      }
    }
  };
  void poll().finally(() => closed.dispose());
  return new vscode.Disposable(() => {
    stopped = true;
    closed.dispose();
  });
}

/** A run of this entry point (tag `mlflow.project.entryPoint`) that started after the launch. */
async function findStartedRun(session: StoreSession, run: FollowedRun): Promise<Run | undefined> {
  const since = run.launchedAt - 5000;
  return session.call('find the started run', async (store) => {
    const { experiments } = await store.searchExperiments({ max_results: 1000 });
    const { runs } = await store.searchRuns({
      experiment_ids: experiments.map((e) => e.experiment_id),
      filter: `attributes.start_time >= ${since}`,
      order_by: ['attributes.start_time DESC'],
      max_results: 20,
    });
    return runs.find((r) => r.data.tags?.find((t) => t.key === 'mlflow.project.entryPoint')?.value === run.entryPoint);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function runOf(session: StoreSession | undefined, runId: string): Promise<Run | undefined> {
  if (!session) return undefined;
  return session.call('get the started run', (store) => store.getRun(runId)).catch(() => undefined);
}

async function announceStart(run: FollowedRun, runId: string): Promise<void> {
  run.output.info(`${run.label}: run ${runId} started`);
  const found = await runOf(run.session, runId);
  const name = found?.info.run_name || runId.slice(0, 8);
  const canPlot = found && (await vscode.commands.getCommands(true)).includes(PLOT_METRICS_COMMAND);
  const buttons = run.session ? ['Reveal in Runs View', ...(canPlot ? ['Plot Metrics'] : [])] : [];
  const choice = await vscode.window.showInformationMessage(`Run ${name} started (${run.label}).`, ...buttons);
  if (choice === 'Reveal in Runs View' && run.session) {
    run.output.info(`Revealing run ${runId} in ${run.session.uri}`);
    await vscode.commands.executeCommand('mlflow.refresh');
    await vscode.commands.executeCommand('mlflow.revealRun', run.session.uri, runId);
    run.output.info(`Revealed run ${runId}`);
  } else if (choice === 'Plot Metrics' && run.session && found) {
    const request: ChartsRequest = { storeUri: run.session.uri, runs: [{ run_id: runId, experiment_id: found.info.experiment_id, run_name: name }] };
    await vscode.commands.executeCommand(PLOT_METRICS_COMMAND, request);
  }
}

async function announceEnd(
  run: FollowedRun,
  runId: string | undefined,
  outcome: RunOutputEvent['kind'] | undefined,
  exitCode: number | undefined,
  status?: string,
): Promise<void> {
  void vscode.commands.executeCommand('mlflow.refresh');
  const found = runId ? await runOf(run.session, runId) : undefined;
  const name = found?.info.run_name || runId?.slice(0, 8);
  const code = exitCode === undefined ? '' : ` (exit code ${exitCode})`;
  run.output.info(`${run.label}: ${outcome ?? 'ended'}${code}${runId ? `, run ${runId}` : ''}`);
  const reveal = runId && run.session ? ['Reveal in Runs View'] : [];
  let choice: string | undefined;
  if (outcome === 'succeeded' && (exitCode === undefined || exitCode === 0)) {
    choice = await vscode.window.showInformationMessage(`Run ${name} succeeded${code}: ${run.label}.`, ...reveal);
  } else if (outcome === 'failed' || (exitCode !== undefined && exitCode !== 0)) {
    const what = name ? `Run ${name} ${status === 'KILLED' ? 'was killed' : 'failed'}` : `mlflow run failed before a run started`;
    choice = await vscode.window.showErrorMessage(`${what}${code}: ${run.label}.`, ...reveal, 'Show Terminal');
  } else {
    choice = await vscode.window.showInformationMessage(`mlflow run ended${code}: ${run.label}.`, ...reveal);
  }
  if (choice === 'Show Terminal') run.launched.terminal.show();
  else if (choice === 'Reveal in Runs View' && runId && run.session) await vscode.commands.executeCommand('mlflow.revealRun', run.session.uri, runId);
}
