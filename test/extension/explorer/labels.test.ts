import * as assert from 'node:assert/strict';
import {
  escapeMarkdown,
  markdownCode,
  metricTooltipMarkdown,
  modelVersionDescription,
  runDescription,
  runLabel,
  runStatusIcon,
  runTooltipMarkdown,
  summarizeMetricHistory,
} from '../../../src/extension/explorer/model/labels';
import { partitionTags } from '../../../src/extension/explorer/model/tags';
import { artifactLinkLook, artifactOpenKind, sortArtifacts } from '../../../src/extension/artifacts/artifactKinds';
import { makeRun } from './runFixtures';

const NOW = Date.UTC(2025, 10, 20, 12, 0, 0);
const MIN = 60_000;

describe('run labels and descriptions', () => {
  it('labels a run by its name, its runName tag, else its short id', () => {
    assert.equal(runLabel(makeRun('0123456789abcdef', { name: 'lr-0.1' })), 'lr-0.1');
    assert.equal(runLabel(makeRun('0123456789abcdef', { tags: { 'mlflow.runName': 'from-tag' } })), 'from-tag');
    assert.equal(runLabel(makeRun('0123456789abcdef')), '01234567');
  });

  it('describes a finished run by age and duration, a running one by time so far', () => {
    assert.equal(runDescription(makeRun('a', { start: NOW - 2 * 60 * MIN, end: NOW - 2 * 60 * MIN + 3 * MIN + 4000 }), { nowMs: NOW }), '2 h ago · 3 min 4 s');
    assert.equal(runDescription(makeRun('a', { status: 'RUNNING', start: NOW - 12 * MIN }), { nowMs: NOW }), '12 min ago · running 12 min');
    assert.equal(
      runDescription(makeRun('a', { start: NOW - 3 * 24 * 60 * MIN, end: NOW - 3 * 24 * 60 * MIN + 500, deleted: true }), { nowMs: NOW }),
      '3 days ago · 500 ms · deleted',
    );
  });

  it('shows the chosen metric instead, when the run has it', () => {
    const run = makeRun('a', { start: NOW - 5 * MIN, end: NOW, metrics: { loss: 0.123456789 } });
    assert.equal(runDescription(run, { nowMs: NOW, metricKey: 'loss' }), 'loss 0.12346');
    assert.equal(runDescription(run, { nowMs: NOW, metricKey: 'acc' }), '5 min ago · 5 min');
  });

  it('maps each status to a codicon with a theme colour', () => {
    assert.deepEqual(runStatusIcon(makeRun('a', { status: 'RUNNING' })), { id: 'sync~spin', color: 'charts.blue' });
    assert.deepEqual(runStatusIcon(makeRun('a', { status: 'FINISHED' })), { id: 'pass', color: 'testing.iconPassed' });
    assert.deepEqual(runStatusIcon(makeRun('a', { status: 'FAILED' })), { id: 'error', color: 'testing.iconFailed' });
    assert.equal(runStatusIcon(makeRun('a', { status: 'KILLED' })).id, 'circle-slash');
    assert.equal(runStatusIcon(makeRun('a', { status: 'SCHEDULED' })).id, 'clock');
    assert.equal(runStatusIcon(makeRun('a', { deleted: true })).id, 'trash');
  });
});

describe('run tooltip', () => {
  it('lists id, user, source, git commit, start and end', () => {
    const run = makeRun('fcff8f3e0305430cab4fd67188dca7e8', {
      name: 'lr-sweep',
      start: Date.UTC(2025, 10, 20, 10, 0, 0),
      end: Date.UTC(2025, 10, 20, 10, 5, 30),
      tags: {
        'mlflow.user': 'ana',
        'mlflow.source.name': 'train.py',
        'mlflow.source.type': 'LOCAL',
        'mlflow.source.git.commit': '046e211aabbccddeeff00112233',
      },
    });
    const md = runTooltipMarkdown(run, NOW);
    assert.match(md, /^\*\*lr\\-sweep\*\* — finished/);
    assert.match(md, /Run ID: `fcff8f3e0305430cab4fd67188dca7e8`/);
    assert.match(md, /User: ana/);
    assert.match(md, /Source: train\\\.py \(local\)/);
    assert.match(md, /Git commit: `046e211aabbc`/);
    assert.match(md, /Started: 2025-11-20 10:00:00 UTC/);
    assert.match(md, /Ended: 2025-11-20 10:05:30 UTC/);
    assert.match(md, /Duration: 5 min 30 s/);
  });

  it('escapes store strings so they cannot inject links or HTML', () => {
    const run = makeRun('a', { name: '[click](command:evil) <img src=x>', tags: { 'mlflow.user': '*bold*' } });
    const md = runTooltipMarkdown(run, NOW);
    assert.doesNotMatch(md, /(^|[^\\])\[click/, 'a [ is escaped');
    assert.doesNotMatch(md, /(^|[^\\])</, 'every < is escaped');
    assert.ok(md.includes('\\*bold\\*'));
    assert.equal(escapeMarkdown('a_b'), 'a\\_b');
    assert.equal(markdownCode('a`b'), '``a`b``');
  });
});

describe('metric summary', () => {
  it('takes min and max over the history, skipping NaN, and the last point by step then time', () => {
    const points = [
      { value: 3, step: 0, timestamp: 1 },
      { value: NaN, step: 1, timestamp: 2 },
      { value: 0.5, step: 2, timestamp: 3 },
      { value: 0.7, step: 2, timestamp: 4 },
      { value: 1, step: 1, timestamp: 9 },
    ];
    const s = summarizeMetricHistory(points);
    assert.deepEqual(s, { count: 5, min: 0.5, max: 3, last: 0.7, firstStep: 0, lastStep: 2 });
    assert.match(metricTooltipMarkdown('loss', 0.7, s), /Min: 0\.5 {2}\nMax: 3 {2}\nPoints: 5 \(steps 0–2\)/);
    assert.equal(summarizeMetricHistory([]), undefined);
    assert.ok(Number.isNaN(summarizeMetricHistory([{ value: NaN, step: 0, timestamp: 0 }])!.min));
  });
});

describe('tags, artifacts, model versions', () => {
  it('folds mlflow.* system tags into their own group, each sorted', () => {
    const { user, system } = partitionTags([
      { key: 'team', value: 'vision' },
      { key: 'mlflow.user', value: 'ana' },
      { key: 'env', value: 'dev' },
      { key: 'mlflow.runName', value: 'x' },
      { key: 'mlflowish', value: 'not system' },
    ]);
    assert.deepEqual(
      user.map((t) => t.key),
      ['env', 'mlflowish', 'team'],
    );
    assert.deepEqual(
      system.map((t) => t.key),
      ['mlflow.runName', 'mlflow.user'],
    );
  });

  it('opens images in the image preview, MLmodel as mlmodel, everything else as text', () => {
    assert.equal(artifactOpenKind('plots/loss.PNG'), 'image');
    assert.equal(artifactOpenKind('model/MLmodel'), 'mlmodel');
    assert.equal(artifactOpenKind('MLmodel'), 'mlmodel');
    assert.equal(artifactOpenKind('model/conda.yaml'), 'text');
    assert.equal(artifactOpenKind('.png'), 'text');
    assert.deepEqual(
      sortArtifacts([
        { path: 'b.txt', is_dir: false },
        { path: 'model', is_dir: true },
        { path: 'A.json', is_dir: false },
        { path: 'data', is_dir: true },
      ]).map((f) => f.path),
      ['data', 'model', 'A.json', 'b.txt'],
    );
  });

  it('describes a model version by its aliases, stage and status', () => {
    const v = { name: 'iris-classifier', version: '2', current_stage: 'None', status: 'READY' };
    assert.equal(modelVersionDescription(v, { name: 'iris-classifier', aliases: [{ alias: 'champion', version: '2' }] }), '@champion');
    assert.equal(modelVersionDescription({ ...v, version: '1', current_stage: 'Production', aliases: ['old'] }), '@old Production');
    assert.equal(modelVersionDescription({ ...v, status: 'PENDING_REGISTRATION' }), 'pending_registration');
  });
});

describe('symbolic links among artifacts', () => {
  it('a followed link shows its target, a link icon, and opens', () => {
    assert.equal(artifactLinkLook({ path: 'model.pkl', is_dir: false, file_size: 4 }), undefined);
    assert.deepEqual(artifactLinkLook({ path: 'latest', is_dir: false, file_size: 2048, is_symlink: true, link_target: 'model.pkl' }), {
      description: '→ model.pkl · 2 KB',
      tooltip: 'latest\nSymbolic link to model.pkl',
      icon: { id: 'file-symlink-file' },
      opens: true,
    });
    const folder = artifactLinkLook({ path: 'best', is_dir: true, is_symlink: true, link_target: 'checkpoints/42' });
    assert.equal(folder?.description, '→ checkpoints/42');
    assert.deepEqual(folder?.icon, { id: 'file-symlink-directory' });
  });

  for (const [problem, shown] of [
    ['loop', 'loop, not followed'],
    ['outside_root', 'outside the artifacts, not followed'],
    ['broken', 'target missing'],
  ] as const) {
    it(`a link that is not followed (${problem}) says why, with a warning icon, and does not open`, () => {
      const look = artifactLinkLook({ path: 'sub/x', is_dir: false, is_symlink: true, link_target: '../..', link_problem: problem });
      assert.equal(look?.description, `→ ../.. · ${shown}`);
      assert.deepEqual(look?.icon, { id: 'warning', color: 'problemsWarningIcon.foreground' });
      assert.equal(look?.opens, false);
      assert.match(look?.tooltip ?? '', /^sub\/x\nSymbolic link to \.\.\/\.\.\n./);
    });
  }
});
