import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';
import { e2e } from './setup';

describe('Foundation (as a user)', () => {
  it('shows the MLflow container in the activity bar, and it opens with Runs and Models', async () => {
    const { workbench } = e2e;
    const { page } = workbench;
    const item = workbench.activityBarItem('MLflow');
    await item.waitFor({ timeout: 30_000 });
    await workbench.openViewContainer('MLflow');
    const headers = page.locator('.part.sidebar .pane-header h3.title');
    await headers.filter({ hasText: /^Runs$/i }).waitFor({ timeout: 15_000 });
    const titles = (await headers.allInnerTexts()).map((title) => title.trim().toLowerCase());
    assert.ok(titles.includes('runs'), `view titles: ${titles.join(', ')}`);
    assert.ok(titles.includes('models'), `view titles: ${titles.join(', ')}`);
  });

  it('resolves the Runs and Models views: the extension provides their content', async () => {
    const { workbench } = e2e;
    await workbench.openViewContainer('MLflow');
    // VS Code writes this into a view whose extension registered no data provider.
    const unresolved = workbench.page.locator('.part.sidebar .pane', { hasText: 'There is no data provider registered' });
    await unresolved
      .first()
      .waitFor({ state: 'detached', timeout: 20_000 })
      .catch(() => undefined);
    const titles = await unresolved.locator('.pane-header h3.title').allInnerTexts();
    assert.deepEqual(titles, [], `views without a data provider: ${titles.join(', ')}`);
    await workbench.page
      .locator('.part.sidebar .pane .monaco-list-row')
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(() => undefined);
    await workbench.screenshot('mlflow-container', { readme: true });
  });

  it('opens an MLproject file with the mlproject language', async () => {
    const { workbench } = e2e;
    await workbench.openFile('MLproject');
    await workbench.expectEditorLanguage('MLproject');
    await workbench.screenshot('mlproject-editor', { readme: true });
  });

  it('opens an MLmodel file with the mlmodel language', async () => {
    const { workbench } = e2e;
    await workbench.openFile('m-6a739d818bb244e59011638bb6fc2ccd/artifacts/MLmodel');
    await workbench.expectEditorLanguage('MLmodel');
  });

  it('lists every palette command of the extension under the MLflow category', async () => {
    const { page } = e2e.workbench;
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: {
        commands: { command: string; title: string; category?: string }[];
        menus?: { commandPalette?: { command: string; when?: string }[] };
      };
    };
    // Commands with a commandPalette `when` are hidden there on purpose (context-menu
    // commands) or only shown in some states; the others must always be listed.
    const conditional = new Set((manifest.contributes.menus?.commandPalette ?? []).filter((m) => m.when).map((m) => m.command));
    const listed = manifest.contributes.commands.filter((c) => !conditional.has(c.command));
    assert.ok(listed.length > 0);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    try {
      for (const command of listed) {
        assert.equal(command.category, 'MLflow', `${command.command} is not in the MLflow category`);
        const title = `MLflow: ${command.title}`;
        await input.fill(`>${title}`);
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        await row.waitFor({ timeout: 5_000 }).catch(() => assert.fail(`"${title}" (${command.command}) is not in the palette`));
      }
    } finally {
      await page.keyboard.press('Escape');
    }
  });

  it('is installed with every image its README shows (the extension page), and without a second tracking library', () => {
    // VS Code renders the extension page from the installed folder's README.md, relative image links and all.
    const installed = readdirSync(e2e.server.extensionsDir).filter((name) => name.startsWith('mlflow-vscode.vscode-mlflow-'));
    assert.equal(installed.length, 1, `installed extensions: ${readdirSync(e2e.server.extensionsDir).join(', ')}`);
    const folder = join(e2e.server.extensionsDir, installed[0]);
    // vsce stores the README as readme.md; VS Code finds it in either case.
    const readmeName = readdirSync(folder).find((name) => name.toLowerCase() === 'readme.md');
    assert.ok(readmeName, `no README in ${readdirSync(folder).join(', ')}`);
    const readme = readFileSync(join(folder, readmeName), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
    assert.ok(images.length >= 5, `README images: ${images.join(', ')}`);
    const missing = images.filter((image) => !existsSync(join(folder, image)));
    assert.deepEqual(missing, [], 'README images missing from the installed extension');
    assert.ok(existsSync(join(folder, 'dist/extension.js')));
    assert.ok(!existsSync(join(folder, 'dist/tracking.js')), 'dist/tracking.js ships though the extension bundles its own copy');
  });
});
