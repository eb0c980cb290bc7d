/**
 * Checking a run filter as the user types it. Plain module: no `vscode` import.
 */
import { parseRunFilter, SearchSyntaxError } from '../../../tracking/search';
import { errorMessage } from '../../../format/errors';

/** The message for an invalid filter, with the column of the offending token; undefined when valid or empty. */
export function filterProblem(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  try {
    parseRunFilter(value);
    return undefined;
  } catch (error) {
    if (error instanceof SearchSyntaxError) return `${error.message} (at column ${error.position + 1})`;
    return errorMessage(error);
  }
}
