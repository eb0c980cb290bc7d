/** The fast meta.yaml reader must agree with the `yaml` package wherever it answers. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { parseMetaYaml } from '../../../src/tracking/file/metaYaml';
import { STORE_ROOT } from './recorded';

function metaFiles(dir: string, out: string[] = []): string[] {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) metaFiles(p, out);
    else if (d.name === 'meta.yaml' || d.name.endsWith('.yaml')) out.push(p);
  }
  return out;
}

describe('meta.yaml reader', () => {
  it('agrees with the yaml package on every meta.yaml of the reference store', () => {
    const files = metaFiles(STORE_ROOT);
    assert.ok(files.length > 30);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      assert.deepEqual(parseMetaYaml(text), YAML.parse(text), f);
    }
  });

  const samples = [
    "a: 1\nb: '2'\nc: x y\nd: ''\ne: null\nf:\ng: []\nh: {}\ni: true\nj: -5\n",
    "name: it''s\nq: 'it''s'\n",
    'v: 1.5\nw: 1e3\nx: .inf\ny: 0x1f\nz: 007\n',
    'k: "double \\" quoted"\n',
    'k: value # comment\n',
    'k: |\n  block\n  text\n',
    'k:\n  nested: 1\n',
    'k:\n- 1\n- 2\n',
    "long: 'one\n  two'\n",
    'k: a: b\n',
    'k: - x\n',
    'k: [1, 2]\n',
    'k: 99999999999999999999\n',
    'k: 00000000000000000000000000000022\n',
    'tags: {}\nartifact_uri: file:///x/y%20z/artifacts\n',
    'k: v\r\nl: w\r\n',
    '%YAML 1.2\n---\nk: v\n',
    'k: True\nl: ~\nm: +12\n',
  ];
  for (const text of samples) {
    it(`agrees with the yaml package on ${JSON.stringify(text)}`, () => {
      let expected: unknown;
      try {
        expected = YAML.parse(text);
      } catch {
        assert.throws(() => parseMetaYaml(text));
        return;
      }
      assert.deepEqual(parseMetaYaml(text), expected);
    });
  }

  it('rejects text that is not a mapping with a readable message', () => {
    assert.throws(() => parseMetaYaml('- a\n'), /not a mapping/);
    assert.throws(() => parseMetaYaml('a: [\n'), /invalid YAML/);
    assert.throws(() => parseMetaYaml(''), /empty/);
  });
});
