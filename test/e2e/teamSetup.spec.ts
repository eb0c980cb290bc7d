// The seeds' team setup as a user meets it: VS Code started with MLFLOW_TRACKING_URI pointing at a
// PostgreSQL database MLflow writes to and MinIO-style S3 variables (a real PostgreSQL from the
// Debian package and s3rver, both started here), nothing configured in VS Code: the Runs view
// lists the database's experiments and a run's artifact on s3:// opens in the editor. Then the
// Connect dialogs, typed into as a user does: Select Store → a PostgreSQL database (a wrong
// password first, then the right one, kept in secret storage), and Select Store → Databricks (a
// profile of a ~/.databrickscfg pointing at the recorded MLflow server, which checks the token).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { launchBrowser, openWorkbench, type Workbench } from '../harness/workbench';
import { startRecordedServer, type RecordedServer } from '../helpers/recordedMlflowServer';
import { startS3, TEST_KEY, type S3TestServer } from '../helpers/s3Server';
import { DB_PASSWORD, havePostgres, loadMlflowDb, startPostgres, type SqlServer } from '../helpers/sqlServers';
import { DB_PATH, REST_SQLITE, SQLITE_DIR } from '../tracking/sqlite/fixtures';
import { vsixPath } from './setup';

const RESNET = '9ad5424c52b149fe93cb28972b42fa74';
const DATABRICKS_TOKEN = 'dapiE2E0123456789abcdef';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

function row(view: Locator, label: string): Locator {
  const name = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return view.locator('.monaco-list-row', { has: view.page().locator('.label-name', { hasText: name }) }).first();
}

(havePostgres() ? describe : describe.skip)('Team setup: PostgreSQL tracking URI and S3 artifacts (as a user)', function () {
  this.timeout(240_000);
  let pg: SqlServer | undefined;
  let s3: S3TestServer | undefined;
  let recorded: RecordedServer | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench;
  let workspace: string;

  before(async function () {
    this.timeout(240_000);
    pg = await startPostgres();
    await loadMlflowDb(pg, 'mlflow_db', DB_PATH, ['metrics']);
    await pg.admin('mlflow_db', ["UPDATE runs SET artifact_uri = 's3://mlflow/mlruns/' || experiment_id || '/' || run_uuid || '/artifacts'"]);
    s3 = await startS3(['mlflow']);
    const root = join(SQLITE_DIR, 'mlruns');
    for (const file of filesUnder(root)) await s3.put('mlflow', `mlruns/${relative(root, file).split('\\').join('/')}`, readFileSync(file));
    // A second database for the Connect dialog, told apart by one experiment's name.
    await loadMlflowDb(pg, 'team_db', DB_PATH, ['metrics']);
    await pg.admin('team_db', ["UPDATE experiments SET name = 'team-experiment' WHERE name = 'iris-sklearn'"]);
    recorded = await startRecordedServer({ dir: REST_SQLITE, requireAuth: { token: DATABRICKS_TOKEN } });
    workspace = mkdtempSync(join(tmpdir(), 'mlflow-team-'));
    const databricksCfg = `${workspace}.databrickscfg`;
    writeFileSync(databricksCfg, `[e2e-workspace]\nhost = ${recorded.url}\ntoken = ${DATABRICKS_TOKEN}\n`);
    server = await startCodeServer({
      workspace,
      vsix: vsixPath(),
      name: 'team-setup',
      env: {
        MLFLOW_TRACKING_URI: pg.uri('mlflow_db').replace('postgresql://', 'postgresql+psycopg2://'),
        MLFLOW_S3_ENDPOINT_URL: s3.endpoint,
        AWS_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_KEY.secretAccessKey,
        DATABRICKS_CONFIG_FILE: databricksCfg,
      },
    });
    browser = await launchBrowser();
    // A second code-server beside the suite's: on a loaded machine its first page load can exceed
    // the harness's 30 s navigation timeout; a fresh page usually loads from the warm server.
    for (let attempt = 1; ; attempt++) {
      try {
        workbench = await openWorkbench(browser, server);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  });

  after(async function () {
    this.timeout(60_000);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await s3?.stop();
    await recorded?.close();
    await pg?.stop();
    if (workspace) {
      rmSync(workspace, { recursive: true, force: true });
      rmSync(`${workspace}.databrickscfg`, { force: true });
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      const file = await workbench.screenshot('failed-team-setup').catch(() => undefined);
      if (file) console.log(`      screenshot of the team-setup window: ${file}`);
    }
  });

  it("lists the database's experiments and opens an s3:// artifact in the editor", async () => {
    // A fresh code-server installs and registers the extension after the workbench shows.
    await workbench.page.locator('.activitybar .action-item a[aria-label^="MLflow"]').first().waitFor({ timeout: 120_000 });
    await workbench.openViewContainer('MLflow');
    const runs = workbench.view('Runs');
    for (const name of ['mnist-classifier', 'iris-sklearn', 'Default']) await row(runs, name).waitFor({ timeout: 60_000 });
    await workbench.expandRow(row(runs, 'mnist-classifier'), '"mnist-classifier"');
    await workbench.expandRow(row(runs, 'resnet18'), '"resnet18"');
    await workbench.expandRow(row(runs, 'Artifacts'), '"Artifacts"');
    await workbench.expandRow(row(runs, 'notes'), '"notes"');
    await row(runs, 'readme.md').click();
    await workbench.page.locator('.tabs-container .tab.active', { hasText: 'readme.md' }).waitFor({ timeout: 20_000 });
    const firstLine = readFileSync(join(SQLITE_DIR, 'mlruns', '1', RESNET, 'artifacts', 'notes', 'readme.md'), 'utf8')
      .split('\n')[0]
      .trim();
    await workbench.page.locator('.editor-instance .view-lines', { hasText: firstLine }).waitFor({ timeout: 15_000 });
    // The status bar names the database without its password.
    const status = await workbench.page.locator('.statusbar').innerText();
    if (status.includes('S3cret')) throw new Error(`the status bar shows the password: ${status}`);
  });

  /** Types `text` into the quick input once its title names `step`. */
  async function answer(step: string, text: string): Promise<void> {
    const widget = workbench.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: step }).waitFor({ timeout: 20_000 });
    const input = widget.locator('.quick-input-box input');
    await input.fill(text);
    await input.press('Enter');
  }

  async function pickFromSelectStore(label: string): Promise<void> {
    await workbench.runCommand('MLflow: Select Store…');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click({ timeout: 20_000 });
  }

  it('Select Store → PostgreSQL: a wrong password is refused without showing it, the right one connects', async () => {
    await pickFromSelectStore('Connect to a PostgreSQL or MySQL Database…');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'PostgreSQL' }).first().click({ timeout: 20_000 });
    await answer('(2/6)', '127.0.0.1');
    await answer('(3/6)', String(pg!.port));
    await answer('(4/6)', 'team_db');
    await answer('(5/6)', 'mlflow');
    await answer('(6/6)', 'wrong-Pa55word');
    const refused = workbench.page.locator('.notification-list-item', { hasText: 'Could not read MLflow' }).first();
    await refused.waitFor({ timeout: 30_000 });
    const message = await refused.innerText();
    if (!message.includes(`127.0.0.1:${pg!.port}`) || message.includes('wrong-Pa55word')) throw new Error(`unexpected message: ${message}`);
    await refused.locator('.monaco-button', { hasText: 'Try Again' }).click();
    await answer('(6/6)', DB_PASSWORD);
    const runs = workbench.view('Runs');
    await row(runs, 'team-experiment').waitFor({ timeout: 60_000 });
    const status = await workbench.page.locator('.statusbar').innerText();
    if (!status.includes(`127.0.0.1:${pg!.port}/team_db`) || status.includes(DB_PASSWORD)) throw new Error(`the status bar shows: ${status}`);
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  it('Select Store → Databricks: a ~/.databrickscfg profile connects with its token', async () => {
    await pickFromSelectStore('Connect to Databricks…');
    await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'e2e-workspace' }).first().click({ timeout: 20_000 });
    await workbench.page.locator('.statusbar-item', { hasText: 'Databricks (e2e-workspace)' }).first().waitFor({ timeout: 30_000 });
    const runs = workbench.view('Runs');
    await row(runs, 'iris-sklearn').waitFor({ timeout: 60_000 });
    const searches = recorded!.requests.filter((r) => r.path.endsWith('/experiments/search'));
    if (searches.length === 0 || searches.some((r) => r.headers.authorization !== `Bearer ${DATABRICKS_TOKEN}`)) {
      throw new Error(`the workspace was not asked with the profile's token: ${JSON.stringify(searches.map((r) => r.headers.authorization))}`);
    }
    if ((await workbench.page.locator('.statusbar').innerText()).includes(DATABRICKS_TOKEN)) throw new Error('the status bar shows the token');
    await workbench.runCommand('Notifications: Clear All Notifications');
  });
});
