import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root (the extension's folder). */
export const repoRoot = join(__dirname, '..', '..');

/** Where suites write logs and screenshots (ignored by git). */
export const resultsDir = process.env.MLFLOW_TEST_RESULTS ?? join(repoRoot, 'test-results');

export const screenshotsDir = join(resultsDir, 'screenshots');

/** README images, refreshed only when UPDATE_SCREENSHOTS=1. */
export const docsImagesDir = join(repoRoot, 'docs', 'images');

/** The demo workspace shipped in the repository. */
export const demoWorkspace = join(repoRoot, 'demo');

/** A fresh, empty folder under the system temp dir. */
export function freshTempDir(prefix: string): string {
  mkdirSync(tmpdir(), { recursive: true });
  return mkdtempSync(join(tmpdir(), `vscode-mlflow-${prefix}-`));
}
