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

/** "MLflow: Select Store…" → Automatic: the workspace's own store again. Never throws (called in `finally`). */
export async function backToAutomaticStore(): Promise<void> {
  const { workbench } = e2e;
  await workbench.runCommand('MLflow: Select Store…').catch(() => undefined);
  await workbench.page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Automatic' })
    .first()
    .click()
    .catch(() => undefined);
}
