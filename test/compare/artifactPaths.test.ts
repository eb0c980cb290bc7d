import * as assert from 'node:assert/strict';
import { commonArtifacts, listArtifactFiles } from '../../src/compare/artifactPaths';
import type { FileInfo } from '../../src/tracking/types';

const tree: Record<string, FileInfo[]> = {
  '': [
    { path: 'model', is_dir: true },
    { path: 'plot.png', is_dir: false, file_size: 2048 },
    { path: 'notes.txt', is_dir: false, file_size: 10 },
  ],
  model: [
    { path: 'model/MLmodel', is_dir: false, file_size: 400 },
    { path: 'model/model.pkl', is_dir: false, file_size: 9000 },
    { path: 'model/requirements.txt', is_dir: false, file_size: 50 },
  ],
};
const list = async (path: string | undefined) => tree[path ?? ''] ?? [];

describe('artifact paths of two runs', () => {
  it('lists every file, folders walked', async () => {
    const { files, truncated } = await listArtifactFiles(list);
    assert.equal(truncated, false);
    assert.deepEqual(
      files.map((f) => f.path),
      ['plot.png', 'notes.txt', 'model/MLmodel', 'model/model.pkl', 'model/requirements.txt'],
    );
  });

  it('stops at the cap and says so', async () => {
    const { files, truncated } = await listArtifactFiles(list, 2);
    assert.equal(truncated, true);
    assert.equal(files.length, 2);
  });

  it('keeps the common paths, model files first, binaries last', async () => {
    const { files } = await listArtifactFiles(list);
    const other: FileInfo[] = [
      { path: 'model/MLmodel', is_dir: false, file_size: 420 },
      { path: 'model/model.pkl', is_dir: false, file_size: 9000 },
      { path: 'notes.txt', is_dir: false, file_size: 10 },
      { path: 'only-here.json', is_dir: false },
    ];
    const common = commonArtifacts(files, other);
    assert.deepEqual(
      common.map((c) => c.path),
      ['model/MLmodel', 'notes.txt', 'model/model.pkl'],
    );
    assert.deepEqual(common[0].sizes, [400, 420]);
    assert.deepEqual(
      common.map((c) => c.text),
      [true, true, false],
    );
  });
});
