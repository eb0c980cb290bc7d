import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreLayout } from '../../../src/tracking/file/layout';

describe('file store folder listings', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'layout-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Sets the folder's mtime, as a file system whose clock did not tick between two changes leaves it. */
  const setMtime = (dir: string, mtimeMs: number) => utimesSync(dir, statSync(dir).atime, new Date(mtimeMs));

  it('lists a run folder created in the same clock tick as the listing before it', () => {
    const exp = join(root, '1');
    mkdirSync(join(exp, 'aaa'), { recursive: true });
    const layout = new StoreLayout(root, () => undefined);
    const mtime = Date.now(); // whole milliseconds, which utimes can set again exactly
    setMtime(exp, mtime);
    assert.deepEqual(layout.subfolders(exp), ['aaa']);
    mkdirSync(join(exp, 'bbb'));
    setMtime(exp, mtime);
    assert.deepEqual(layout.subfolders(exp), ['aaa', 'bbb'], 'a folder changed just now is listed again, whatever its mtime');
  });

  it('trusts the mtime of a folder that last changed well before it was listed', () => {
    const exp = join(root, '1');
    mkdirSync(join(exp, 'aaa'), { recursive: true });
    const old = Date.now() - 60_000;
    setMtime(exp, old);
    const layout = new StoreLayout(root, () => undefined);
    const first = layout.subfolders(exp);
    assert.deepEqual(first, ['aaa']);
    // Only a changed mtime makes it list again (what keeps a 10,000-run experiment cheap to ask again).
    mkdirSync(join(exp, 'bbb'));
    setMtime(exp, old);
    assert.equal(layout.subfolders(exp), first);
    setMtime(exp, old + 1000);
    assert.deepEqual(layout.subfolders(exp), ['aaa', 'bbb']);
  });

  it('keeps the same array for the same names, so that callers comparing listings see no change', () => {
    const exp = join(root, '1');
    mkdirSync(join(exp, 'aaa'), { recursive: true });
    const layout = new StoreLayout(root, () => undefined);
    const first = layout.subfolders(exp);
    assert.equal(layout.subfolders(exp), first, 'listed again (it changed just now), with the same names');
  });
});
