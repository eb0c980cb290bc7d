import type { Run, RunStatus } from '../../../src/tracking/types';

/** A run shaped like MLflow's REST JSON, with only what a test sets. */
export function makeRun(
  id: string,
  options: {
    name?: string;
    parent?: string;
    status?: RunStatus;
    start?: number;
    end?: number;
    deleted?: boolean;
    metrics?: Record<string, number>;
    params?: Record<string, string>;
    tags?: Record<string, string>;
  } = {},
): Run {
  const tags = { ...(options.tags ?? {}) };
  if (options.parent) tags['mlflow.parentRunId'] = options.parent;
  return {
    info: {
      run_id: id,
      run_name: options.name,
      experiment_id: '1',
      status: options.status ?? 'FINISHED',
      start_time: options.start,
      end_time: options.end,
      lifecycle_stage: options.deleted ? 'deleted' : 'active',
    },
    data: {
      metrics: Object.entries(options.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
      params: Object.entries(options.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
  };
}
