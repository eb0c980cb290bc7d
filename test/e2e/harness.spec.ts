import * as assert from 'node:assert/strict';
import { e2e } from './setup';

// Checks the harness itself against VS Code's built-in views, so that a red
// feature test means the feature, not the helper.
describe('Harness (built-in views)', () => {
  after(async () => {
    await e2e.workbench.reset();
  });

  it('runs a palette command and reads a tree view', async () => {
    const { workbench } = e2e;
    // An open editor is revealed in the Explorer (an earlier spec's file under mlruns expands it
    // again): close them, then start from a collapsed tree, and read it once the collapse is drawn.
    await workbench.reset();
    await workbench.runCommand('View: Show Explorer');
    await workbench.runCommand('Collapse Folders in Explorer');
    const folder = workbench.view('demo');
    await folder.locator('.monaco-list-row').first().waitFor({ timeout: 15_000 });
    const rows = await workbench.waitForTree('demo', (r) => r.every((row) => row.depth === 1), 'the Explorer collapsed to the top-level entries');
    const labels = rows.map((row) => row.label);
    for (const name of ['broken-project', 'mlruns', 'MLproject', 'train.py']) {
      assert.ok(labels.includes(name), `Explorer rows: ${labels.join(', ')}`);
    }
    const mlruns = rows.find((row) => row.label === 'mlruns');
    assert.equal(mlruns?.depth, 1);
    assert.equal(mlruns?.expanded, false);
    const train = rows.find((row) => row.label === 'train.py');
    assert.equal(train?.expanded, undefined);

    await workbench.expandTreeItem('demo', 'mlruns');
    const expanded = await workbench.waitForTree(
      'demo',
      (r) => r.some((row) => row.label === '212911124069009075' && row.depth === 2),
      'the experiments in mlruns',
    );
    assert.equal(expanded.find((row) => row.label === 'mlruns')?.expanded, true);
    await workbench.runCommand('Collapse Folders in Explorer');
  });

  it('opens a file in a subfolder by its path', async () => {
    const { workbench } = e2e;
    await workbench.openFile('broken-project/MLproject');
    await workbench.expectEditorLanguage('MLproject');
    const breadcrumbs = await workbench.page.locator('.editor-group-container.active .breadcrumbs-control').innerText();
    assert.match(breadcrumbs, /broken-project/);
  });
});
