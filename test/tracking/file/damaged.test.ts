/**
 * Damaged and unusual stores: the store skips what it cannot read, reports each problem
 * with its path, and returns everything else. No exception reaches the caller for one bad run.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openFileStore, type FileTrackingStore } from '../../../src/tracking/file';
import { MlflowError, type StoreWarning } from '../../../src/tracking/types';
import { experiment, isRoot, removeDir, run, tempDir, write } from './storeBuilder';

const EXP = '1';
const GOOD = 'a'.repeat(32);
const id = (c: string) => c.repeat(32);

describe('file store: damaged and unusual stores', () => {
  let root: string;
  let store: FileTrackingStore;
  let warnings: StoreWarning[];

  beforeEach(async () => {
    root = tempDir();
    experiment(root, EXP, 'exp');
    run(root, EXP, GOOD, { name: 'good', params: { lr: '0.1' }, metrics: { loss: '1700000000000 0.5 0\n1700000000001 0.25 1\n' } });
    store = await openFileStore(root);
    warnings = [];
    store.onWarning((w) => warnings.push(w));
  });
  afterEach(() => {
    store.dispose();
    removeDir(root);
  });

  const search = () => store.searchRuns({ experiment_ids: [EXP], run_view_type: 'ALL' });
  const names = async () => (await search()).runs.map((r) => r.info.run_name);
  const warned = (fragment: string, pathEnd?: string) =>
    warnings.some((w) => w.message.includes(fragment) && (pathEnd === undefined || w.path.endsWith(pathEnd)));

  describe('metric files', () => {
    it("a finished run's last line without newline is a warning naming the file, not a step-0 point", async () => {
      run(root, EXP, id('t'), { metrics: { acc: '1700000000000 0.5 10\n1700000000001 1' } });
      const r = await store.getRun(id('t'));
      assert.deepEqual(
        r.data.metrics?.map((m) => [m.step, m.value]),
        [[10, 0.5]],
      );
      assert.ok(warned('"1700000000001 1" has no newline (truncated?) in a run that has ended', `${id('t')}/metrics/acc`), JSON.stringify(warnings));
      assert.deepEqual(
        (await store.getMetricHistory(id('t'), 'acc')).map((m) => m.step),
        [10],
      );
    });

    it("a running run's unfinished last line is skipped quietly, and read once MLflow finishes it", async () => {
      run(root, EXP, id('u'), { status: 1, metrics: { acc: '1700000000000 0.5 10\n1700000000001 0.7 1' } });
      assert.deepEqual(
        (await store.getRun(id('u'))).data.metrics?.map((m) => [m.step, m.value]),
        [[10, 0.5]],
      );
      assert.deepEqual(warnings, []);
      fs.appendFileSync(path.join(root, EXP, id('u'), 'metrics', 'acc'), '00\n');
      assert.deepEqual(
        (await store.getRun(id('u'))).data.metrics?.map((m) => [m.step, m.value]),
        [[100, 0.7]],
      );
    });

    it('skips a truncated line and a non-numeric value, keeps the rest, and says where', async () => {
      run(root, EXP, id('b'), {
        name: 'bad-lines',
        metrics: { loss: '1700000000000 0.5 0\n17000000\n1700000000002 abc 2\n1700000000003 0.125 3\n1700000000004 0.1' },
      });
      const history = await store.getMetricHistory(id('b'), 'loss');
      assert.deepEqual(
        history.map((m) => [m.step, m.value]),
        [
          [0, 0.5],
          [3, 0.125],
          // Not the last line, cut after its value: MLflow would read it as a 2-field line (a step-0
          // point that never was); without its newline it is not a point (issue 20).
        ],
      );
      assert.ok(warned('has 1 fields', 'metrics/loss'), JSON.stringify(warnings));
      await store.getRun(id('b'));
      assert.ok(warned('"1700000000004 0.1" has no newline', 'metrics/loss'), JSON.stringify(warnings));
      assert.ok(warned('is not numeric', 'metrics/loss'));
      const r = await store.getRun(id('b'));
      assert.deepEqual(
        r.data.metrics?.map((m) => [m.step, m.value]),
        [[3, 0.125]],
      );
    });

    it('reads nan, inf and -inf as JS numbers, and 2-, 3- and 5-field lines', async () => {
      run(root, EXP, id('c'), {
        metrics: { x: '1 nan 0\n2 inf 1\n3 -inf 2\n4 1e-05\n5 2.5 3 train abc123\n' },
      });
      const h = await store.getMetricHistory(id('c'), 'x');
      assert.deepEqual(
        h.map((m) => m.value),
        [NaN, 1e-5, Infinity, -Infinity, 2.5], // nan and the 2-field line are both step 0: file order
      );
      assert.deepEqual(h[4], { key: 'x', value: 2.5, timestamp: 5, step: 3, dataset_name: 'train', dataset_digest: 'abc123', run_id: id('c') });
      assert.deepEqual(warnings, []);
    });

    it('latest is the max by (step, timestamp, value), duplicates included', async () => {
      run(root, EXP, id('d'), {
        // The step-0 point re-logged late (as log_model does) must not win over step 5.
        metrics: { acc: '10 0.1 0\n20 0.2 5\n20 0.3 5\n15 0.9 5\n30 0.5 0\n' },
      });
      const r = await store.getRun(id('d'));
      assert.deepEqual(r.data.metrics, [{ key: 'acc', value: 0.3, timestamp: 20, step: 5, run_id: id('d') }]);
    });

    it('a tie with NaN keeps the earlier point, as Python max() over (step, timestamp, value) does', async () => {
      run(root, EXP, id('d'), { metrics: { a: '10 nan 5\n10 0.3 5\n', b: '10 0.3 5\n10 nan 5\n' } });
      const m = (await store.getRun(id('d'))).data.metrics!;
      assert.ok(Number.isNaN(m.find((x) => x.key === 'a')!.value));
      assert.equal(m.find((x) => x.key === 'b')!.value, 0.3);
    });

    it('an empty metric file gives no latest value and a warning', async () => {
      run(root, EXP, id('e'), { name: 'empty-metric', metrics: { loss: '', acc: '1 0.5 0\n' } });
      const r = await store.getRun(id('e'));
      assert.deepEqual(
        r.data.metrics?.map((m) => m.key),
        ['acc'],
      );
      assert.ok(warned('empty metric file', 'metrics/loss'));
      assert.deepEqual(await store.getMetricHistory(id('e'), 'loss'), []);
    });

    it('survives a 10 MB line: skips it, reads the lines after it', async () => {
      const huge = 'x'.repeat(10 * 1024 * 1024);
      run(root, EXP, id('f'), { metrics: { loss: `1 0.5 0\n${huge}\n3 0.25 1\n` } });
      const h = await store.getMetricHistory(id('f'), 'loss');
      assert.deepEqual(
        h.map((m) => m.value),
        [0.5, 0.25],
      );
      assert.ok(warned('has 1 fields', 'metrics/loss'));
      const r = await store.getRun(id('f'));
      assert.equal(r.data.metrics?.[0].value, 0.25);
    });

    it('a 10 MB param value is read whole', async () => {
      const big = 'v'.repeat(10 * 1024 * 1024);
      run(root, EXP, id('g'), { params: { blob: big } });
      const r = await store.getRun(id('g'));
      assert.equal(r.data.params?.[0].value.length, big.length);
    });

    it('history comes in step order even when the file is not', async () => {
      run(root, EXP, id('h'), { metrics: { m: '1 0.1 2\n2 0.2 0\n3 0.3 1\n4 0.4 0\n' } });
      const h = await store.getMetricHistory(id('h'), 'm');
      assert.deepEqual(
        h.map((m) => [m.step, m.value]),
        [
          [0, 0.2],
          [0, 0.4],
          [1, 0.3],
          [2, 0.1],
        ],
      );
    });

    it('follows appended points (incremental read) and a rewritten file', async () => {
      const file = path.join(root, EXP, GOOD, 'metrics', 'loss');
      assert.equal((await store.getRun(GOOD)).data.metrics?.[0].value, 0.25);
      fs.appendFileSync(file, '1700000000002 0.125 2\n');
      assert.equal((await store.getRun(GOOD)).data.metrics?.[0].value, 0.125);
      fs.appendFileSync(file, '1700000000003 9 1\n'); // a lower step does not become the latest
      assert.equal((await store.getRun(GOOD)).data.metrics?.[0].value, 0.125);
      fs.writeFileSync(file, '5 0.75 0\n');
      assert.equal((await store.getRun(GOOD)).data.metrics?.[0].value, 0.75);
      // A line being written (no newline yet) is not a point yet; it is read once complete.
      fs.appendFileSync(file, '6 0.5');
      assert.equal((await store.getRun(GOOD)).data.metrics?.[0].value, 0.75);
      assert.deepEqual(
        (await store.getMetricHistory(GOOD, 'loss')).map((p) => p.value),
        [0.75],
      );
      fs.appendFileSync(file, ' 1\n7 0.0625 2\n');
      const m = (await store.getRun(GOOD)).data.metrics?.[0];
      assert.deepEqual([m?.step, m?.value], [2, 0.0625]);
      assert.equal((await store.getMetricHistory(GOOD, 'loss')).length, 3);
    });

    it('metric, param and tag keys with "/" are sub-folders', async () => {
      run(root, EXP, id('i'), { params: { 'opt/lr': '0.1' }, tags: { 'team/name': 'a' }, metrics: { 'train/loss': '1 0.5 3\n' } });
      const r = await store.getRun(id('i'));
      assert.deepEqual(r.data.params, [{ key: 'opt/lr', value: '0.1' }]);
      assert.deepEqual(r.data.tags, [{ key: 'team/name', value: 'a' }]);
      assert.deepEqual(
        r.data.metrics?.map((m) => m.key),
        ['train/loss'],
      );
      assert.equal((await store.getMetricHistory(id('i'), 'train/loss')).length, 1);
      const found = await store.searchRuns({ experiment_ids: [EXP], filter: "params.`opt/lr` = '0.1' and metrics.`train/loss` > 0.1" });
      assert.deepEqual(
        found.runs.map((x) => x.info.run_id),
        [id('i')],
      );
      await assert.rejects(
        store.getMetricHistory(id('i'), '../params/opt/lr'),
        (e: unknown) => e instanceof MlflowError && e.error_code === 'INVALID_PARAMETER_VALUE',
      );
    });
  });

  describe('meta.yaml', () => {
    it('a run folder without meta.yaml is skipped with a warning; getRun says not found', async () => {
      fs.mkdirSync(path.join(root, EXP, id('b'), 'metrics'), { recursive: true });
      assert.deepEqual(await names(), ['good']);
      assert.ok(warned('cannot read meta.yaml: not found', `${id('b')}/meta.yaml`));
      await assert.rejects(store.getRun(id('b')), (e: unknown) => e instanceof MlflowError && e.error_code === 'RESOURCE_DOES_NOT_EXIST');
    });

    for (const [what, text, fragment] of [
      ['invalid YAML', 'run_id: [unclosed\n  : : :\n', 'invalid YAML'],
      ['an empty file', '', 'meta.yaml is empty'],
      ['a list instead of a mapping', '- a\n- b\n', 'not a mapping'],
      ['an unknown status', `run_id: ${id('b')}\nstatus: 42\n`, 'unknown run status'],
      ['a different run id', `run_id: ${id('c')}\nstatus: 3\n`, 'names run'],
      ['another experiment id', `run_id: ${id('b')}\nexperiment_id: '2'\nstatus: 3\n`, 'names experiment'],
      ['binary garbage', '\u0000\u0001\u0002\u00ff', ''],
    ] as const) {
      it(`a run meta.yaml with ${what} is skipped with a warning`, async () => {
        run(root, EXP, id('b'), { name: 'broken' });
        fs.writeFileSync(path.join(root, EXP, id('b'), 'meta.yaml'), text);
        assert.deepEqual(await names(), ['good']);
        assert.ok(warned(fragment, `${id('b')}/meta.yaml`), JSON.stringify(warnings));
      });
    }

    it('meta.yaml that is a folder (unreadable even as root) is skipped with a warning', async () => {
      run(root, EXP, id('b'));
      fs.rmSync(path.join(root, EXP, id('b'), 'meta.yaml'));
      fs.mkdirSync(path.join(root, EXP, id('b'), 'meta.yaml'));
      assert.deepEqual(await names(), ['good']);
      assert.ok(warned('is a folder', `${id('b')}/meta.yaml`), JSON.stringify(warnings));
    });

    it('unreadable files (chmod 000) are skipped with a warning; as root they are readable and read', async () => {
      run(root, EXP, id('b'), { name: 'locked', params: { p: '1' }, metrics: { m: '1 2 3\n' } });
      const runDir = path.join(root, EXP, id('b'));
      fs.chmodSync(path.join(runDir, 'params', 'p'), 0o000);
      fs.chmodSync(path.join(runDir, 'metrics', 'm'), 0o000);
      const r = await store.getRun(id('b'));
      if (isRoot) {
        // root ignores file modes: nothing is unreadable, everything is returned.
        assert.deepEqual(r.data.params, [{ key: 'p', value: '1' }]);
      } else {
        assert.equal(r.data.params, undefined);
        assert.equal(r.data.metrics, undefined);
        assert.ok(warned('permission denied', 'params/p'));
        assert.ok(warned('permission denied', 'metrics/m'));
      }
      fs.chmodSync(path.join(runDir, 'meta.yaml'), 0o000);
      const listed = await names();
      assert.deepEqual(listed, isRoot ? ['good', 'locked'] : ['good']);
      if (!isRoot) assert.ok(warned('permission denied', `${id('b')}/meta.yaml`));
    });

    it('a run folder without its experiment: the experiment is left out (warned), its runs stay readable', async () => {
      run(root, '7', id('b'), { name: 'orphan' });
      assert.deepEqual(
        (await store.searchExperiments({ view_type: 'ALL' })).experiments.map((e) => e.experiment_id),
        [EXP],
      );
      assert.ok(warned('cannot read meta.yaml', '7/meta.yaml'));
      assert.equal((await store.getRun(id('b'))).info.run_name, 'orphan');
      assert.deepEqual(
        (await store.searchRuns({ experiment_ids: ['7'] })).runs.map((r) => r.info.run_name),
        ['orphan'],
      );
      await assert.rejects(store.getExperiment('7'), (e: unknown) => e instanceof MlflowError && e.error_code === 'RESOURCE_DOES_NOT_EXIST');
    });

    it('experiments with invalid meta.yaml are skipped with a warning, the others are listed', async () => {
      experiment(root, '8', 'x');
      fs.writeFileSync(path.join(root, '8', 'meta.yaml'), 'name: [oops');
      const ids = (await store.searchExperiments()).experiments.map((e) => e.experiment_id);
      assert.deepEqual(ids, [EXP]);
      assert.ok(warned('invalid YAML', '8/meta.yaml'));
    });

    it('a run whose meta.yaml lacks run_name takes the mlflow.runName tag, as MLflow does', async () => {
      const dir = run(root, EXP, id('b'), { tags: { 'mlflow.runName': 'from-tag' } });
      const meta = fs.readFileSync(path.join(dir, 'meta.yaml'), 'utf8').replace(/^run_name: .*\n/m, '');
      fs.writeFileSync(path.join(dir, 'meta.yaml'), meta);
      assert.equal((await store.getRun(id('b'))).info.run_name, 'from-tag');
      const found = await store.searchRuns({ experiment_ids: [EXP], filter: "attributes.run_name = 'from-tag'" });
      assert.deepEqual(
        found.runs.map((r) => r.info.run_id),
        [id('b')],
      );
    });

    it('reads meta.yaml written in other YAML styles (legacy int experiment_id, double quotes, block scalars)', async () => {
      const dir = run(root, EXP, id('b'));
      fs.writeFileSync(
        path.join(dir, 'meta.yaml'),
        `run_id: "${id('b')}"\nexperiment_id: 1\nstatus: 4\nstart_time: 5\nrun_name: |\n  multi\nuser_id: 'o''brien' # comment\nlifecycle_stage: deleted\n`,
      );
      const r = await store.getRun(id('b'));
      assert.deepEqual(
        [r.info.experiment_id, r.info.status, r.info.start_time, r.info.run_name, r.info.user_id, r.info.lifecycle_stage],
        ['1', 'FAILED', 5, 'multi\n', "o'brien", 'deleted'],
      );
      assert.deepEqual(await names(), ['good', 'multi\n']);
    });
  });

  describe('artifacts', () => {
    it('a chain of links that never ends is listed as a link with its problem (with a warning) and refused when read', async () => {
      const art = path.join(root, EXP, GOOD, 'artifacts');
      write(path.join(art, 'ok.txt'), 'hello');
      fs.symlinkSync('loop', path.join(art, 'loop'));
      fs.symlinkSync('b', path.join(art, 'a'));
      fs.symlinkSync('a', path.join(art, 'b'));
      const files = await store.listArtifacts(GOOD);
      assert.deepEqual(files, [
        { path: 'a', is_dir: false, is_symlink: true, link_target: 'b', link_problem: 'loop' },
        { path: 'b', is_dir: false, is_symlink: true, link_target: 'a', link_problem: 'loop' },
        { path: 'loop', is_dir: false, is_symlink: true, link_target: 'loop', link_problem: 'loop' },
        { path: 'ok.txt', is_dir: false, file_size: 5 },
      ]);
      assert.ok(warned('symbolic link loop', 'artifacts/loop'));
      await assert.rejects(store.readArtifact(GOOD, 'loop'), (e: unknown) => e instanceof MlflowError);
      await assert.rejects(store.listArtifacts(GOOD, 'a'), (e: unknown) => e instanceof MlflowError);
      assert.equal(Buffer.from(await store.readArtifact(GOOD, 'ok.txt')).toString(), 'hello');
    });

    it('refuses paths and symlinks that lead outside the artifact root', async () => {
      const art = path.join(root, EXP, GOOD, 'artifacts');
      write(path.join(root, 'secret.txt'), 'secret');
      fs.symlinkSync(path.join(root, 'secret.txt'), path.join(art, 'escape'));
      fs.symlinkSync('..', path.join(art, 'up'));
      // Listed as links leading out, neither followed nor measured (the old listing gave the secret's size).
      assert.deepEqual(await store.listArtifacts(GOOD), [
        { path: 'escape', is_dir: false, is_symlink: true, link_target: path.join(root, 'secret.txt'), link_problem: 'outside_root' },
        { path: 'up', is_dir: false, is_symlink: true, link_target: '..', link_problem: 'outside_root' },
      ]);
      assert.ok(warned('symbolic link leading outside the artifact root', 'artifacts/escape'));
      await assert.rejects(store.listArtifacts(GOOD, 'up'), (e: unknown) => e instanceof MlflowError && e.error_code === 'INVALID_PARAMETER_VALUE');
      for (const p of ['../meta.yaml', '../../1/meta.yaml', 'x/../../meta.yaml', '/etc/passwd', 'escape']) {
        await assert.rejects(store.readArtifact(GOOD, p), (e: unknown) => e instanceof MlflowError && e.error_code === 'INVALID_PARAMETER_VALUE', p);
      }
      await assert.rejects(store.listArtifacts(GOOD, '..'), (e: unknown) => e instanceof MlflowError && e.error_code === 'INVALID_PARAMETER_VALUE');
    });

    it('nested folders list one level at a time, folders without file_size', async () => {
      const art = path.join(root, EXP, GOOD, 'artifacts');
      write(path.join(art, 'a', 'b', 'c.txt'), 'xyz');
      write(path.join(art, 'a', 'd.bin'), Buffer.alloc(10));
      assert.deepEqual(await store.listArtifacts(GOOD), [{ path: 'a', is_dir: true }]);
      assert.deepEqual(await store.listArtifacts(GOOD, 'a/'), [
        { path: 'a/b', is_dir: true },
        { path: 'a/d.bin', is_dir: false, file_size: 10 },
      ]);
      assert.deepEqual(await store.listArtifacts(GOOD, 'a/b'), [{ path: 'a/b/c.txt', is_dir: false, file_size: 3 }]);
      assert.deepEqual(await store.listArtifacts(GOOD, 'missing'), []);
      await assert.rejects(store.readArtifact(GOOD, 'missing.txt'), (e: unknown) => e instanceof MlflowError && e.error_code === 'RESOURCE_DOES_NOT_EXIST');
    });
  });

  describe('symbolic links inside a store', () => {
    it('a link to a folder inside params/, tags/ or metrics/ is reported once and not followed', async () => {
      run(root, EXP, id('s'), { params: { lr: '0.1' }, tags: { t: 'x' }, metrics: { loss: '1 0.5 0\n' } });
      const dir = path.join(root, EXP, id('s'));
      fs.symlinkSync('.', path.join(dir, 'params', 'self'));
      fs.symlinkSync('..', path.join(dir, 'metrics', 'up'));
      fs.symlinkSync('../params', path.join(dir, 'tags', 'p'));
      fs.symlinkSync('lr', path.join(dir, 'params', 'lr_link')); // a link to a file is a value
      const r = await store.getRun(id('s'));
      assert.deepEqual(r.data.params, [
        { key: 'lr', value: '0.1' },
        { key: 'lr_link', value: '0.1' },
      ]);
      assert.deepEqual(
        r.data.tags?.filter((t) => !t.key.startsWith('mlflow.')),
        [{ key: 't', value: 'x' }],
      );
      assert.deepEqual(
        r.data.metrics?.map((m) => m.key),
        ['loss'],
      );
      const linkWarnings = warnings.filter((w) => /symbolic link/.test(w.message));
      assert.deepEqual(linkWarnings.map((w) => path.relative(dir, w.path)).sort(), ['metrics/up', 'params/self', 'tags/p']);
      assert.ok(linkWarnings.every((w) => w.message.includes('symbolic link to a folder; not followed')));
      assert.ok(warnings.length <= 4, JSON.stringify(warnings));
    });

    it('an artifact link back to a folder it is in is listed as a link, so a recursive walk ends', async () => {
      run(root, EXP, id('l'), {});
      const art = path.join(root, EXP, id('l'), 'artifacts');
      fs.mkdirSync(path.join(art, 'sub'), { recursive: true });
      fs.writeFileSync(path.join(art, 'sub', 'f.txt'), 'x');
      fs.symlinkSync('.', path.join(art, 'loop'));
      fs.symlinkSync('..', path.join(art, 'sub', 'up'));
      fs.symlinkSync('sub', path.join(art, 'sub_link'));
      const seen: string[] = [];
      const walk = async (rel?: string): Promise<void> => {
        for (const f of await store.listArtifacts(id('l'), rel)) {
          seen.push(f.path);
          assert.ok(seen.length < 100, `the walk does not end: ${seen.slice(0, 20).join(', ')}…`);
          if (f.is_dir) await walk(f.path);
        }
      };
      await walk();
      assert.deepEqual(seen.sort(), ['loop', 'sub', 'sub/f.txt', 'sub/up', 'sub_link', 'sub_link/f.txt', 'sub_link/up']);
      const top = await store.listArtifacts(id('l'));
      assert.deepEqual(top, [
        { path: 'loop', is_dir: false, is_symlink: true, link_target: '.', link_problem: 'loop' },
        { path: 'sub', is_dir: true },
        { path: 'sub_link', is_dir: true, is_symlink: true, link_target: 'sub' },
      ]);
      assert.deepEqual(await store.listArtifacts(id('l'), 'sub'), [
        { path: 'sub/f.txt', is_dir: false, file_size: 1 },
        { path: 'sub/up', is_dir: false, is_symlink: true, link_target: '..', link_problem: 'loop' },
      ]);
      assert.ok(warned('symbolic link back to a folder that contains it', 'artifacts/loop'));
    });

    it("a link whose target is missing is listed as a broken link; a link to a file gives the file's size", async () => {
      run(root, EXP, id('m'), {});
      const art = path.join(root, EXP, id('m'), 'artifacts');
      fs.mkdirSync(art, { recursive: true });
      fs.writeFileSync(path.join(art, 'model.pkl'), 'abcd');
      fs.symlinkSync('gone.txt', path.join(art, 'dangling'));
      fs.symlinkSync('model.pkl', path.join(art, 'latest'));
      assert.deepEqual(await store.listArtifacts(id('m')), [
        { path: 'dangling', is_dir: false, is_symlink: true, link_target: 'gone.txt', link_problem: 'broken' },
        { path: 'latest', is_dir: false, file_size: 4, is_symlink: true, link_target: 'model.pkl' },
        { path: 'model.pkl', is_dir: false, file_size: 4 },
      ]);
      assert.ok(warned('symbolic link to a missing target (gone.txt)', 'artifacts/dangling'));
      assert.equal(Buffer.from(await store.readArtifact(id('m'), 'latest')).toString(), 'abcd');
    });

    it('an experiment folder holding loop -> . gets a warning saying so, not "unknown run status"', async () => {
      fs.symlinkSync('.', path.join(root, EXP, 'loop'));
      fs.symlinkSync('..', path.join(root, EXP, 'up'));
      assert.deepEqual(await names(), ['good']);
      assert.ok(warned('symbolic link back to the folder it is in (a loop); skipped', `${EXP}/loop`), JSON.stringify(warnings));
      assert.ok(warned('symbolic link back to a folder above it (a loop); skipped', `${EXP}/up`), JSON.stringify(warnings));
      assert.ok(!warnings.some((w) => /unknown run status/.test(w.message)), JSON.stringify(warnings));
    });
  });

  describe('paging and views', () => {
    it('pages through many runs in MLflow order with page tokens, deleted runs by view', async () => {
      for (let i = 0; i < 25; i++)
        run(root, EXP, (i + 10).toString(16).padStart(32, '0'), { name: `r${i}`, start: 1700000000000 + i, lifecycle: i % 5 === 0 ? 'deleted' : 'active' });
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await store.searchRuns({ experiment_ids: [EXP], max_results: 7, page_token: token });
        seen.push(...page.runs.map((r) => r.info.run_name!));
        token = page.next_page_token;
        pages++;
      } while (token);
      const active = [...Array(25).keys()]
        .filter((i) => i % 5 !== 0)
        .reverse()
        .map((i) => `r${i}`);
      assert.deepEqual(seen, [...active, 'good']);
      assert.equal(pages, 3);
      const deleted = await store.searchRuns({ experiment_ids: [EXP], run_view_type: 'DELETED_ONLY' });
      assert.deepEqual(
        deleted.runs.map((r) => r.info.run_name),
        ['r20', 'r15', 'r10', 'r5', 'r0'],
      );
      await assert.rejects(
        store.searchRuns({ experiment_ids: [EXP], page_token: 'garbage!' }),
        (e: unknown) => e instanceof MlflowError && e.error_code === 'INVALID_PARAMETER_VALUE',
      );
    });

    it('an unknown experiment id gives no runs, not an error', async () => {
      assert.deepEqual((await store.searchRuns({ experiment_ids: ['999'] })).runs, []);
    });
  });

  describe('registry and logged models', () => {
    const version = (n: number, stage: string, extra = '') =>
      `creation_timestamp: ${n}\ncurrent_stage: ${stage}\ndescription: null\nlast_updated_timestamp: ${n}\nname: m\nrun_id: null\nsource: models:/x\nstatus: READY\nuser_id: null\nversion: ${n}\n${extra}`;

    it('hides deleted versions, keeps the latest per stage, reads aliases from aliases/ when meta.yaml has no map', async () => {
      const m = path.join(root, 'models', 'm');
      write(path.join(m, 'meta.yaml'), 'creation_timestamp: 1\ndescription: null\nlast_updated_timestamp: 2\nname: m\n');
      write(path.join(m, 'version-1', 'meta.yaml'), version(1, 'Production'));
      write(path.join(m, 'version-2', 'meta.yaml'), version(2, 'None'));
      write(path.join(m, 'version-3', 'meta.yaml'), version(3, 'Deleted_Internal'));
      write(path.join(m, 'version-4', 'meta.yaml'), 'name: [broken');
      write(path.join(m, 'aliases', 'prod'), '1');
      const { registered_models } = await store.searchRegisteredModels();
      assert.equal(registered_models.length, 1);
      assert.deepEqual(
        registered_models[0].latest_versions?.map((v) => [v.version, v.current_stage]),
        [
          ['2', 'None'],
          ['1', 'Production'],
        ],
      );
      assert.deepEqual(registered_models[0].aliases, [{ alias: 'prod', version: '1' }]);
      const { model_versions } = await store.searchModelVersions();
      assert.deepEqual(
        model_versions.map((v) => v.version),
        ['2', '1'],
      );
      assert.deepEqual(model_versions[1].aliases, ['prod']);
      assert.equal(model_versions[1].description, undefined, 'null fields are left out, as the server does');
      assert.ok(warned('invalid YAML', 'version-4/meta.yaml'));
    });

    it('leaves out deleted logged models and pages the others newest first', async () => {
      const base = path.join(root, EXP, 'models');
      for (let i = 0; i < 5; i++) {
        write(
          path.join(base, `m-${i}`, 'meta.yaml'),
          `artifact_location: file://${base}/m-${i}/artifacts\ncreation_timestamp: ${100 + i}\nexperiment_id: '${EXP}'\nlast_updated_timestamp: 1\nmodel_id: m-${i}\nname: model\nstatus: ${i % 4}\nlifecycle_stage: ${i === 2 ? 'deleted' : 'active'}\n`,
        );
      }
      const p1 = await store.searchLoggedModels({ experiment_ids: [EXP], max_results: 3 });
      assert.deepEqual(
        p1.models.map((m) => m.info.model_id),
        ['m-4', 'm-3', 'm-1'],
      );
      assert.deepEqual(
        p1.models.map((m) => m.info.status),
        ['LOGGED_MODEL_STATUS_UNSPECIFIED', 'LOGGED_MODEL_UPLOAD_FAILED', 'LOGGED_MODEL_PENDING'],
      );
      const p2 = await store.searchLoggedModels({ experiment_ids: [EXP], max_results: 3, page_token: p1.next_page_token });
      assert.deepEqual(
        p2.models.map((m) => m.info.model_id),
        ['m-0'],
      );
      assert.equal(p2.next_page_token, undefined);
      await assert.rejects(store.getLoggedModel('m-9'), (e: unknown) => e instanceof MlflowError && e.error_code === 'RESOURCE_DOES_NOT_EXIST');
    });
  });

  it('opening something that is not a folder fails with a clear message', async () => {
    await assert.rejects(openFileStore(path.join(root, 'nope')), /does not exist/);
    await assert.rejects(openFileStore(path.join(root, EXP, 'meta.yaml')), /not a folder/);
    const viaUri = await openFileStore(`file://${root}`);
    assert.equal(viaUri.root, root);
    viaUri.dispose();
  });
});
