/** Request checks and errors shared by the file store's operations, in MLflow's terms. */
import { MlflowError, type ViewType } from '../types';

export function notFound(message: string): MlflowError {
  return new MlflowError(message, 'RESOURCE_DOES_NOT_EXIST', 404);
}

export function invalid(message: string): MlflowError {
  return new MlflowError(message, 'INVALID_PARAMETER_VALUE', 400);
}

export function maxResults(value: number | undefined, dflt: number, limit: number): number {
  if (value === undefined || value === null) return dflt;
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    throw invalid(`Invalid value ${value} for parameter 'max_results' supplied. It must be a positive integer at most ${limit}`);
  }
  return value;
}

export function inView(stage: string, view: ViewType | undefined): boolean {
  switch (view ?? 'ACTIVE_ONLY') {
    case 'ACTIVE_ONLY':
      return stage === 'active';
    case 'DELETED_ONLY':
      return stage === 'deleted';
    default:
      return true;
  }
}
