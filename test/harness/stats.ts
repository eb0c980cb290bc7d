import { appendFileSync } from 'node:fs';

/**
 * Suites append one JSON line `{suite, passed, failed, pending}` to the file named
 * by MLFLOW_TEST_STATS, so that scripts/test.sh can print one total at the end.
 */
export function recordStats(suite: string, stats: { passed: number; failed: number; pending: number }): void {
  const file = process.env.MLFLOW_TEST_STATS;
  if (file) appendFileSync(file, `${JSON.stringify({ suite, ...stats })}\n`);
}
