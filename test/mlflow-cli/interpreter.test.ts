import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { envManagerProgram, findOnPath, pythonHasModule, resolveMlflow, type MlflowProbes } from '../../src/mlflow-cli/interpreter';

describe('which mlflow', () => {
  let dir: string;
  let fakeMlflow: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'which-mlflow-'));
    fakeMlflow = path.join(dir, 'mlflow');
    writeFileSync(fakeMlflow, '#!/bin/sh\n');
    chmodSync(fakeMlflow, 0o755);
    writeFileSync(path.join(dir, 'not-executable'), '');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const probes = (over: Partial<MlflowProbes>): MlflowProbes => ({
    hasMlflow: async () => false,
    findOnPath: (name) => findOnPath(name, { PATH: dir }, 'linux'),
    ...over,
  });

  it('uses the setting first, and does not fall back when it is wrong', async () => {
    const set = await resolveMlflow(probes({ executableSetting: fakeMlflow, pythonPath: '/usr/bin/python3', hasMlflow: async () => true }));
    assert.deepEqual(set.ok && set.invocation, { program: fakeMlflow, prefixArgs: [], source: 'setting' });
    const missing = await resolveMlflow(probes({ executableSetting: path.join(dir, 'nope') }));
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.problem : '', /not an executable file/);
    const notExec = await resolveMlflow(probes({ executableSetting: path.join(dir, 'not-executable') }));
    assert.equal(notExec.ok, false);
    const byName = await resolveMlflow(probes({ executableSetting: 'mlflow' }));
    assert.equal(byName.ok && byName.invocation.program, 'mlflow');
    const unknownName = await resolveMlflow(probes({ executableSetting: 'mlflow3' }));
    assert.match(!unknownName.ok ? unknownName.problem : '', /"mlflow3", which is not on PATH/);
  });

  it('then the selected interpreter when it has mlflow, as <python> -m mlflow', async () => {
    const result = await resolveMlflow(probes({ pythonPath: '/venv/bin/python', hasMlflow: async (p) => p === '/venv/bin/python' }));
    assert.deepEqual(result.ok && result.invocation, { program: '/venv/bin/python', prefixArgs: ['-m', 'mlflow'], source: 'interpreter' });
  });

  it('then mlflow on PATH, and says what it checked when nothing works', async () => {
    const onPath = await resolveMlflow(probes({ pythonPath: '/venv/bin/python' }));
    assert.deepEqual(onPath.ok && onPath.invocation, { program: 'mlflow', prefixArgs: [], source: 'path' });
    const none = await resolveMlflow({ pythonPath: '/venv/bin/python', hasMlflow: async () => false, findOnPath: () => undefined });
    assert.equal(none.ok, false);
    assert.match(!none.ok ? none.problem : '', /\/venv\/bin\/python\) has no mlflow module; no mlflow on PATH/);
  });

  it('asks a real interpreter whether it has a module', async () => {
    assert.equal(await pythonHasModule('python3', 'json'), true);
    assert.equal(await pythonHasModule('python3', 'surely_not_a_module_here'), false);
    assert.equal(await pythonHasModule(path.join(dir, 'no-python'), 'json'), false);
  });

  it('finds programs on PATH like a shell, with PATHEXT on Windows', () => {
    assert.equal(findOnPath('mlflow', { PATH: `/nonexistent:${dir}` }, 'linux'), fakeMlflow);
    assert.equal(findOnPath('not-executable', { PATH: dir }, 'linux'), undefined);
    assert.equal(findOnPath('mlflow', { PATH: '' }, 'linux'), undefined);
  });

  it('knows which program each environment manager needs', () => {
    assert.equal(envManagerProgram('local'), undefined);
    assert.equal(envManagerProgram('uv'), 'uv');
    assert.equal(envManagerProgram('virtualenv'), 'virtualenv');
    assert.equal(envManagerProgram('conda', {}), 'conda');
    assert.equal(envManagerProgram('conda', { MLFLOW_CONDA_HOME: '/opt/conda' }), undefined);
  });
});
