import { MlflowError } from '../types';

/**
 * A malformed filter or order_by clause. It is an `MlflowError` with MLflow's code
 * INVALID_PARAMETER_VALUE, so a store can let it through unchanged and a caller sees the
 * same kind of error as from a tracking server.
 */
export class SearchSyntaxError extends MlflowError {
  /**
   * @param reason what is wrong, in MLflow's wording where MLflow has one (no position)
   * @param position 0-based offset into `input` of the offending token
   * @param input the filter or order_by string that was parsed
   */
  constructor(
    readonly reason: string,
    readonly position: number,
    readonly input: string,
  ) {
    super(`${reason} at position ${position}`, 'INVALID_PARAMETER_VALUE');
    this.name = 'SearchSyntaxError';
  }
}
