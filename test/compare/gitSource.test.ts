import * as assert from 'node:assert/strict';
import { normalizeRemoteUrl, resolveRunSource, sourceTagsOf, type LocalRepository } from '../../src/compare/gitSource';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const mnist: LocalRepository = { root: '/home/ana/projects/mnist', remoteUrls: ['git@github.com:ana/mnist.git'] };
const other: LocalRepository = { root: '/home/ana/projects/other', remoteUrls: ['https://github.com/ana/other'] };

describe('git source of a run', () => {
  it('reads the tags MLflow writes', () => {
    const tags = sourceTagsOf([
      { key: 'mlflow.source.git.commit', value: COMMIT },
      { key: 'mlflow.source.name', value: 'train.py' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
      { key: 'mlflow.source.git.repoURL', value: 'https://github.com/ana/mnist' },
    ]);
    assert.deepEqual(tags, { commit: COMMIT, sourceName: 'train.py', sourceType: 'LOCAL', repoUrl: 'https://github.com/ana/mnist', entryPoint: undefined });
  });

  it('finds the file under the repository holding the recorded absolute path', () => {
    const r = resolveRunSource({ commit: COMMIT, sourceName: '/home/ana/projects/mnist/src/train.py' }, [other, mnist]);
    assert.equal(r.kind, 'resolved');
    if (r.kind !== 'resolved') return;
    assert.equal(r.repository, mnist);
    assert.deepEqual(r.candidates, ['src/train.py']);
    assert.equal(r.matchedBy, 'path');
    assert.equal(r.commit, COMMIT);
  });

  it('prefers the innermost repository (a submodule) and reads file: URIs and Windows paths', () => {
    const sub: LocalRepository = { root: '/home/ana/projects/mnist/vendor/lib', remoteUrls: [] };
    const r = resolveRunSource({ commit: COMMIT, sourceName: 'file:///home/ana/projects/mnist/vendor/lib/run%20me.py' }, [mnist, sub]);
    assert.ok(r.kind === 'resolved' && r.repository === sub);
    assert.deepEqual(r.kind === 'resolved' && r.candidates, ['run me.py']);
    const win: LocalRepository = { root: '/C:/work/mnist', remoteUrls: [] };
    const w = resolveRunSource({ commit: COMMIT, sourceName: 'C:\\work\\mnist\\train.py' }, [win]);
    assert.deepEqual(w.kind === 'resolved' && w.candidates, ['train.py']);
  });

  it('matches a moved checkout by its remote, trying the recorded path from the longest suffix', () => {
    const here: LocalRepository = { root: '/work/mnist', remoteUrls: ['https://github.com/ana/mnist.git'] };
    const r = resolveRunSource({ commit: COMMIT, sourceName: '/home/ana/projects/mnist/src/train.py', repoUrl: 'git@github.com:ana/mnist.git' }, [other, here]);
    assert.equal(r.kind, 'resolved');
    if (r.kind !== 'resolved') return;
    assert.equal(r.repository, here);
    assert.equal(r.matchedBy, 'remote');
    assert.deepEqual(r.candidates, [
      'home/ana/projects/mnist/src/train.py',
      'ana/projects/mnist/src/train.py',
      'projects/mnist/src/train.py',
      'mnist/src/train.py',
      'src/train.py',
      'train.py',
    ]);
  });

  it('takes a relative source name in the only repository, without the directories it climbed out of', () => {
    const r = resolveRunSource({ commit: COMMIT.slice(0, 12).toUpperCase(), sourceName: '../../gen_reference.py' }, [mnist]);
    assert.equal(r.kind, 'resolved');
    if (r.kind !== 'resolved') return;
    assert.equal(r.commit, COMMIT.slice(0, 12));
    assert.equal(r.matchedBy, 'only repository');
    assert.deepEqual(r.candidates, ['gen_reference.py']);
  });

  it('opens the MLproject of a project run (local folder or remote URI with a subdirectory)', () => {
    const local = resolveRunSource({ commit: COMMIT, sourceName: 'file:///home/ana/projects/mnist/sub', sourceType: 'PROJECT' }, [mnist]);
    assert.deepEqual(local.kind === 'resolved' && local.candidates, ['sub/MLproject']);
    const remote = resolveRunSource(
      { commit: COMMIT, sourceName: 'https://github.com/ana/mnist#examples/keras', sourceType: 'PROJECT', repoUrl: 'https://github.com/ana/mnist' },
      [mnist],
    );
    assert.deepEqual(remote.kind === 'resolved' && remote.candidates, ['examples/keras/MLproject', 'MLproject']);
  });

  it('says why when there is no commit, no source, no repository or the wrong repository', () => {
    assert.equal(resolveRunSource({ sourceName: 'train.py' }, [mnist]).kind, 'noCommit');
    const bad = resolveRunSource({ commit: 'not a commit', sourceName: 'train.py' }, [mnist]);
    assert.ok(bad.kind === 'noCommit' && bad.message.includes('"not a commit"'));
    assert.equal(resolveRunSource({ commit: COMMIT }, [mnist]).kind, 'noSource');
    const none = resolveRunSource({ commit: COMMIT, sourceName: 'train.py', repoUrl: 'https://github.com/ana/mnist' }, []);
    assert.ok(none.kind === 'noRepository' && none.message.includes('https://github.com/ana/mnist'));
    const wrong = resolveRunSource({ commit: COMMIT, sourceName: '/elsewhere/train.py', repoUrl: 'https://gitlab.com/bob/thing' }, [mnist, other]);
    assert.equal(wrong.kind, 'repositoryMismatch');
    assert.ok(
      wrong.kind === 'repositoryMismatch' && wrong.message.includes('https://gitlab.com/bob/thing') && wrong.message.includes('/home/ana/projects/mnist'),
    );
    const ambiguous = resolveRunSource({ commit: COMMIT, sourceName: 'train.py' }, [mnist, other]);
    assert.equal(ambiguous.kind, 'repositoryMismatch', 'two repositories and nothing to choose by');
  });

  it('spells a remote one way whatever the protocol', () => {
    const want = 'github.com/ana/mnist';
    for (const url of [
      'git@github.com:ana/mnist.git',
      'https://github.com/ana/mnist',
      'https://user:tok@github.com/ana/mnist.git/',
      'ssh://git@github.com:22/ana/mnist.git',
      'HTTPS://GitHub.com/ana/mnist',
    ]) {
      assert.equal(normalizeRemoteUrl(url), want, url);
    }
    assert.notEqual(normalizeRemoteUrl('https://github.com/ana/other'), want);
  });
});
