/**
 * `databricks` / `databricks://<profile>` tracking URIs: host and credentials from the environment
 * or a ~/.databrickscfg (test/fixtures/databricks/databrickscfg, as `databricks configure` writes
 * it), then the REST store with a bearer token, here against the recorded real server.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { openTrackingStore, parseTrackingUri, resolveDatabricks } from '../../src/tracking';
import { MlflowError } from '../../src/tracking/types';
import { startRecordedServer } from '../helpers/recordedMlflowServer';
import { FIXTURES, REST_SQLITE } from './sqlite/fixtures';

const CFG = join(FIXTURES, 'databricks', 'databrickscfg');
const cfgEnv = { DATABRICKS_CONFIG_FILE: CFG };

describe('Databricks tracking URIs', () => {
  it('parses databricks and databricks://<profile>; databricks-uc is a registry URI', () => {
    assert.deepEqual(parseTrackingUri('databricks'), { kind: 'databricks', profile: undefined });
    assert.deepEqual(parseTrackingUri('databricks://staging'), { kind: 'databricks', profile: 'staging' });
    assert.deepEqual(parseTrackingUri('databricks://staging:prefix'), { kind: 'databricks', profile: 'staging' });
    assert.throws(
      () => parseTrackingUri('databricks-uc'),
      (e: unknown) => e instanceof MlflowError && /registry URI/.test(e.message),
    );
  });

  it('the DEFAULT profile, or the one named (host normalized to https://, no trailing slash)', () => {
    assert.deepEqual(resolveDatabricks(undefined, cfgEnv), {
      host: 'https://adb-1234567890123456.7.azuredatabricks.net',
      token: 'dapi0123456789abcdef0123456789abcdef',
      username: undefined,
      password: undefined,
      source: `profile DEFAULT in ${CFG}`,
    });
    const staging = resolveDatabricks('staging', cfgEnv);
    assert.equal(staging.host, 'https://dbc-a1b2c3d4-e5f6.cloud.databricks.com');
    assert.equal(staging.token, 'dapiSTAGINGfedcba9876543210fedcba98');
    assert.equal(resolveDatabricks(undefined, { ...cfgEnv, DATABRICKS_CONFIG_PROFILE: 'staging' }).host, staging.host);
    const basic = resolveDatabricks('basic', cfgEnv);
    assert.deepEqual([basic.token, basic.username, basic.password], [undefined, 'ana@example.com', 'not-a-real-password']);
  });

  it('DATABRICKS_HOST and DATABRICKS_TOKEN win when no profile is named; a named profile reads the file', () => {
    const env = { ...cfgEnv, DATABRICKS_HOST: 'my-ws.cloud.databricks.com', DATABRICKS_TOKEN: 'dapiENV' };
    assert.deepEqual([resolveDatabricks(undefined, env).host, resolveDatabricks(undefined, env).token], ['https://my-ws.cloud.databricks.com', 'dapiENV']);
    assert.equal(resolveDatabricks('staging', env).token, 'dapiSTAGINGfedcba9876543210fedcba98');
  });

  it('a missing profile lists the ones there; a profile without a token says what is missing, never showing secrets', () => {
    assert.throws(
      () => resolveDatabricks('prod', cfgEnv),
      (e: unknown) => {
        assert.ok(e instanceof MlflowError);
        assert.match(e.message, /No Databricks profile "prod" in .*profiles there: DEFAULT, staging, basic, oauth-only.*databricks configure/);
        assert.ok(!e.message.includes('dapi'));
        return true;
      },
    );
    assert.throws(() => resolveDatabricks('oauth-only', cfgEnv), /has no token/);
    assert.throws(() => resolveDatabricks(undefined, { DATABRICKS_CONFIG_FILE: join(FIXTURES, 'nope.cfg') }), /No Databricks profile "DEFAULT"/);
  });

  it("opens the REST store on the workspace host and sends the profile's token as a bearer token", async () => {
    const token = 'dapiRECORDED0123456789';
    const server = await startRecordedServer({ dir: REST_SQLITE, requireAuth: { token } });
    const env = { DATABRICKS_HOST: server.url, DATABRICKS_TOKEN: token };
    const store = await openTrackingStore('databricks', { env });
    try {
      assert.equal(store.kind, 'rest');
      const { experiments } = await store.searchExperiments({ max_results: 100 });
      assert.ok(experiments.length > 0);
      assert.equal(server.requests.at(-1)!.headers.authorization, `Bearer ${token}`);
      assert.ok(!store.displayName.includes(token));
      const refused = await openTrackingStore('databricks', { env: { ...env, DATABRICKS_TOKEN: 'dapiWRONG' } });
      await assert.rejects(refused.searchExperiments({ max_results: 100 }), (e: unknown) => e instanceof MlflowError && !e.message.includes('dapiWRONG'));
      refused.dispose();
    } finally {
      store.dispose();
      await server.close();
    }
  });
});
