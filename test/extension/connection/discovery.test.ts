import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLocalStore } from '../../../src/extension/connection/discovery';

describe('local store discovery', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mlflow-discovery-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const experiment = (mlruns: string) => {
    mkdirSync(join(mlruns, '0'), { recursive: true });
    writeFileSync(join(mlruns, '0', 'meta.yaml'), 'name: Default\n');
  };

  it('finds the mlruns folder nearest to the root', async () => {
    experiment(join(root, 'deep', 'er', 'mlruns'));
    experiment(join(root, 'project', 'mlruns'));
    assert.equal((await findLocalStore(root))?.uri, `file://${root}/project/mlruns`);
  });

  it('finds mlflow.db, and prefers an mlruns folder with experiments at the same level', async () => {
    writeFileSync(join(root, 'mlflow.db'), '');
    assert.equal((await findLocalStore(root))?.kind, 'sqlite');
    mkdirSync(join(root, 'mlruns'));
    assert.equal((await findLocalStore(root))?.kind, 'sqlite', 'an empty mlruns does not win');
    experiment(join(root, 'mlruns'));
    const found = await findLocalStore(root);
    assert.deepEqual(found, { kind: 'file', uri: `file://${root}/mlruns`, path: join(root, 'mlruns') });
  });

  it('skips virtual environments, node_modules and hidden folders, and stops at the depth limit', async () => {
    experiment(join(root, '.venv', 'mlruns'));
    experiment(join(root, 'node_modules', 'x', 'mlruns'));
    experiment(join(root, 'a', 'b', 'c', 'd', 'mlruns'));
    assert.equal(await findLocalStore(root), undefined);
    assert.ok(await findLocalStore(root, { maxDepth: 4 }));
  });

  it('follows a symbolic link named mlruns or mlflow.db (runs kept on a bigger disk)', async () => {
    const data = mkdtempSync(join(tmpdir(), 'mlflow-discovery-data-'));
    try {
      experiment(join(data, 'mlruns'));
      symlinkSync(join(data, 'mlruns'), join(root, 'mlruns'));
      assert.deepEqual(await findLocalStore(root), { kind: 'file', uri: `file://${root}/mlruns`, path: join(root, 'mlruns') });
      rmSync(join(root, 'mlruns'));
      writeFileSync(join(data, 'mlflow.db'), '');
      symlinkSync(join(data, 'mlflow.db'), join(root, 'mlflow.db'));
      assert.deepEqual(await findLocalStore(root), { kind: 'sqlite', uri: `sqlite:///${root}/mlflow.db`, path: join(root, 'mlflow.db') });
      symlinkSync(join(data, 'missing'), join(root, 'mlruns'));
      assert.equal((await findLocalStore(root))?.kind, 'sqlite', 'a dangling link is no store');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('returns nothing for a missing folder', async () => {
    assert.equal(await findLocalStore(join(root, 'missing')), undefined);
  });
});
