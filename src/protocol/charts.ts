/**
 * The hand-off from the run explorer to the charts webview: the explorer's multi-select
 * "Plot Metrics" / "Compare Runs" call these commands with a `ChartsRequest`.
 * Both sides import this module; it has no `vscode` import.
 */

export const PLOT_METRICS_COMMAND = 'mlflow.plotMetrics';
export const COMPARE_RUNS_COMMAND = 'mlflow.compareRuns';

export interface ChartsRunRef {
  run_id: string;
  experiment_id: string;
  /** The run's display name (its `run_name`, else a short id). */
  run_name: string;
}

export interface ChartsRequest {
  /**
   * The canonical tracking URI of the store the runs come from, never with credentials:
   * `file:///…/mlruns`, `sqlite:////…/mlflow.db` or `https://host[/prefix]`.
   */
  storeUri: string;
  /** One or more runs, in the order the user selected them. */
  runs: ChartsRunRef[];
}

export function isChartsRequest(value: unknown): value is ChartsRequest {
  if (typeof value !== 'object' || value === null) return false;
  const request = value as Partial<ChartsRequest>;
  return (
    typeof request.storeUri === 'string' &&
    Array.isArray(request.runs) &&
    request.runs.length > 0 &&
    request.runs.every(
      (r) => typeof r === 'object' && r !== null && typeof r.run_id === 'string' && typeof r.experiment_id === 'string' && typeof r.run_name === 'string',
    )
  );
}
