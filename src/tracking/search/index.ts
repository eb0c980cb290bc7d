/**
 * MLflow's search language (filter strings, order_by clauses, page tokens) for runs,
 * experiments, registered models and model versions. Plain module: no `vscode` import.
 *
 * Parse once, test many: `parseRunFilter` compiles the filter into closures.
 *
 * Where this follows MLflow closely and where it chose (see test/tracking/search for each case):
 * - Runs are matched as MLflow's file store does (latest metric value, a missing key never
 *   matches); `runMatches(f, run, { nanAs: 'zero' })` gives its SQL stores' NaN-as-0 instead.
 * - IS NULL / IS NOT NULL on params and tags (recent MLflow), and on experiment tags.
 * - String constants are kept as typed, like MLflow (no unescaping of '' or \').
 * - LIKE/ILIKE wildcards are % and _ only; other characters are literal (SQL semantics; MLflow's
 *   file store passes them to a regex unescaped).
 * - A malformed filter throws SearchSyntaxError (an MlflowError INVALID_PARAMETER_VALUE) with
 *   MLflow's wording where it has one, plus the 0-based position of the offending token.
 */
export { SearchSyntaxError } from './errors';
export { parseRunFilter, referencedKeys, runMatches, type RunCondition, type RunMatchOptions } from './runs';
export { compareRuns, parseOrderBy, sortByRun, sortRuns, type OrderClause } from './runOrder';
export {
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
} from './registry';
export { decodePageToken, encodePageToken, paginate } from './pageToken';
