// The switch that turns the hand-written YAML reader off (lint parses in blocks, so both paths run):
// every corpus file gets the same findings with it on and off, as the reader only ever builds the
// nodes the `yaml` package would.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileKindOf, lint, nodeProjectFiles } from '../../src/mlflow-files';
import { setFastBlockReader } from '../../src/mlflow-files/yaml-blocks';

const CORPUS = path.join(__dirname, '../fixtures/corpus');

function corpusFiles(): string[] {
  const files: string[] = [];
  for (const kind of ['mlproject', 'mlmodel']) {
    for (const folder of readdirSync(path.join(CORPUS, kind))) {
      for (const name of readdirSync(path.join(CORPUS, kind, folder))) if (fileKindOf(name)) files.push(path.join(CORPUS, kind, folder, name));
    }
  }
  return files;
}

describe('the fast YAML reader switch', () => {
  afterEach(() => setFastBlockReader(true));

  it('gives every corpus file the same findings with the hand-written reader on and off', async function () {
    this.timeout(120_000);
    const files = corpusFiles();
    assert.ok(files.length > 100, `corpus files: ${files.length}`);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const kind = fileKindOf(path.basename(file))!;
      const projectFiles = nodeProjectFiles(path.dirname(file));
      setFastBlockReader(true);
      const fast = await lint(kind, text, projectFiles);
      setFastBlockReader(false);
      const slow = await lint(kind, text, projectFiles);
      assert.deepEqual(fast, slow, path.relative(CORPUS, file));
    }
  });
});
