/**
 * `MLFLOW_TRACKING_URI=databricks` or `databricks://<profile>` resolved the way MLflow and the
 * Databricks SDK do: DATABRICKS_HOST and DATABRICKS_TOKEN (or DATABRICKS_USERNAME/PASSWORD) when
 * no profile is named and they are set, else the profile (DATABRICKS_CONFIG_PROFILE, default
 * `DEFAULT`) of ~/.databrickscfg (or DATABRICKS_CONFIG_FILE). The workspace's MLflow REST API has
 * the same paths as a tracking server, so the result feeds the REST store with a bearer token.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readIni } from './s3/config';
import { MlflowError } from './types';

export interface DatabricksWorkspace {
  /** `https://<workspace host>`, without a trailing slash. */
  host: string;
  token?: string;
  username?: string;
  password?: string;
  /** Where host and credentials came from, for messages (never the token). */
  source: string;
}

/** The profile a `databricks[://profile]` URI names (undefined: the environment, then DEFAULT). */
export function databricksProfile(uri: string): string | undefined {
  const m = /^databricks(?::\/\/([^/?#]*))?\/?$/i.exec(uri.trim());
  if (!m) throw new MlflowError(`Cannot read ${uri}: expected databricks or databricks://<profile>.`, 'INVALID_PARAMETER_VALUE');
  // MLflow also accepts `databricks://<scope>:<prefix>` (secrets in a Databricks job); only the profile applies here.
  return m[1] ? decodeURIComponent(m[1].split(':')[0]) || undefined : undefined;
}

function normalizeHost(raw: string): string {
  const host = raw.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(host) ? host : `https://${host}`;
}

export function resolveDatabricks(profile: string | undefined, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): DatabricksWorkspace {
  if (!profile && env.DATABRICKS_HOST && (env.DATABRICKS_TOKEN || (env.DATABRICKS_USERNAME && env.DATABRICKS_PASSWORD))) {
    return {
      host: normalizeHost(env.DATABRICKS_HOST),
      token: env.DATABRICKS_TOKEN || undefined,
      username: env.DATABRICKS_TOKEN ? undefined : env.DATABRICKS_USERNAME,
      password: env.DATABRICKS_TOKEN ? undefined : env.DATABRICKS_PASSWORD,
      source: 'DATABRICKS_HOST and DATABRICKS_TOKEN',
    };
  }
  const name = profile ?? (env.DATABRICKS_CONFIG_PROFILE || 'DEFAULT');
  const file = env.DATABRICKS_CONFIG_FILE || join(home, '.databrickscfg');
  const sections = readIni(file);
  const section = sections.get(name);
  if (!section) {
    const known = [...sections.keys()];
    throw new MlflowError(
      `No Databricks profile "${name}" in ${file}${known.length ? ` (profiles there: ${known.join(', ')})` : ''}. ` +
        'Run `databricks configure`, or set DATABRICKS_HOST and DATABRICKS_TOKEN.',
      'INVALID_PARAMETER_VALUE',
    );
  }
  const host = section.get('host');
  const token = section.get('token');
  const username = section.get('username');
  const password = section.get('password');
  if (!host) throw new MlflowError(`The Databricks profile "${name}" in ${file} has no host.`, 'INVALID_PARAMETER_VALUE');
  if (!token && !(username && password)) {
    throw new MlflowError(
      `The Databricks profile "${name}" in ${file} has no token (personal access token) or user name and password; ` +
        'other authentication types (OAuth, Azure CLI) are not supported here yet.',
      'INVALID_PARAMETER_VALUE',
    );
  }
  const basic = token ? {} : { username, password };
  return { host: normalizeHost(host), token, username: undefined, password: undefined, ...basic, source: `profile ${name} in ${file}` };
}
