// Pointing the shared workbench at a tracking server and back, as a user does, for the specs that
// show a server's runs (run explorer, charts).
import { e2e } from './setup';

/** "MLflow: Connect to Tracking Server…" with the URL and no authentication; waits for the status bar to name it. */
export async function connectToTrackingServer(url: string): Promise<void> {
  const { workbench } = e2e;
  await workbench.runCommand('MLflow: Connect to Tracking Server…');
  const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(url);
  await input.press('Enter');
  await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'No authentication' }).first().waitFor({ timeout: 10_000 });
  await input.fill('No authentication');
  await input.press('Enter');
  await workbench.page
    .locator('.statusbar-item', { hasText: url.replace('http://', '') })
    .first()
    .waitFor({ timeout: 20_000 });
}

/**
 * "MLflow: Select Store…" → Automatic: the workspace's own store again, and waits until the status
 * bar no longer names the server (the next spec must not expand the server's rows as they go).
 * Never throws (called in `finally`).
 */
export async function backToAutomaticStore(): Promise<void> {
  const { workbench } = e2e;
  await workbench.runCommand('MLflow: Select Store…').catch(() => undefined);
  await workbench.page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Automatic' })
    .first()
    .click()
    .catch(() => undefined);
  const storeItem = workbench.page.locator('[id="mlflow-vscode.vscode-mlflow.mlflow.store"]');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && /127\.0\.0\.1:\d+/.test(await storeItem.innerText({ timeout: 1_000 }).catch(() => '127.0.0.1:0'))) {
    await workbench.page.waitForTimeout(200);
  }
  await workbench.waitForTree('Runs', (rows) => rows.length > 0, 'the workspace store').catch(() => undefined);
}
