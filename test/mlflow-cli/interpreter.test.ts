import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  envManagerProgram,
  findOnPath,
  pythonHasModule,
  resolveMlflow,
  resolveMlflowWithPython,
  type MlflowProbes,
  type PythonEnvironmentsApi,
} from '../../src/mlflow-cli/interpreter';

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

  describe("with the Python extension's API (@vscode/python-extension's environments: the extension cannot be installed here)", () => {
    /** The API's shape: the active environment path per resource, resolved to an environment with an executable URI. */
    const pythonApi = (interpreters: Record<string, string | undefined>, asked: string[]): PythonEnvironmentsApi<{ fsPath: string }> => ({
      getActiveEnvironmentPath: (resource) => {
        asked.push(`active ${resource?.fsPath}`);
        return { id: `env-${resource?.fsPath}`, path: interpreters[resource?.fsPath ?? ''] ?? '/usr/bin/python3' };
      },
      resolveEnvironment: async (environment) => {
        const envPath = typeof environment === 'string' ? environment : environment.path;
        asked.push(`resolve ${envPath}`);
        return envPath === 'broken' ? undefined : { executable: { uri: { fsPath: envPath } } };
      },
    });
    const folder = { fsPath: '/work/project' };

    it('uses the setting first and does not ask the Python extension', async () => {
      const asked: string[] = [];
      const result = await resolveMlflowWithPython({
        ...probes({ executableSetting: fakeMlflow, hasMlflow: async () => true }),
        python: { environments: async () => pythonApi({}, asked), folder },
      });
      assert.deepEqual(result.ok && result.invocation, { program: fakeMlflow, prefixArgs: [], source: 'setting' });
      assert.deepEqual(asked, []);
    });

    it("then the interpreter selected for the project's folder, when it has mlflow", async () => {
      const asked: string[] = [];
      const result = await resolveMlflowWithPython({
        ...probes({ hasMlflow: async (python) => python === '/work/project/.venv/bin/python' }),
        python: { environments: async () => pythonApi({ '/work/project': '/work/project/.venv/bin/python' }, asked), folder },
      });
      assert.deepEqual(result.ok && result.invocation, { program: '/work/project/.venv/bin/python', prefixArgs: ['-m', 'mlflow'], source: 'interpreter' });
      assert.deepEqual(asked, ['active /work/project', 'resolve /work/project/.venv/bin/python']);
    });

    it('then mlflow on PATH: an interpreter without mlflow, one that does not resolve, an API that fails, or no Python extension', async () => {
      const errors: unknown[] = [];
      const cases = [
        { environments: async () => pythonApi({ '/work/project': '/usr/bin/python3' }, []), folder },
        { environments: async () => pythonApi({ '/work/project': 'broken' }, []), folder },
        {
          environments: async (): Promise<PythonEnvironmentsApi<{ fsPath: string }>> => {
            throw new Error('Python extension not activated');
          },
          folder,
        },
        undefined,
      ];
      for (const python of cases) {
        const result = await resolveMlflowWithPython({ ...probes({}), python, onPythonError: (e) => errors.push(e) });
        assert.deepEqual(result.ok && result.invocation, { program: 'mlflow', prefixArgs: [], source: 'path' });
      }
      assert.equal(errors.length, 1, 'the failing API is reported once');
    });
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
