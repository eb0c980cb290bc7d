/**
 * Where and as whom to reach S3, with MLflow's (boto3's) conventions: MLFLOW_S3_ENDPOINT_URL for
 * MinIO and other S3-compatible servers (path-style addressing), MLFLOW_S3_IGNORE_TLS,
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the AWS_PROFILE (or
 * `default`) profile of ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE,
 * AWS_CONFIG_FILE), and the region from AWS_REGION / AWS_DEFAULT_REGION / the profile.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3Config {
  /** `http(s)://host:port` of an S3-compatible server (path-style), or undefined for AWS (virtual-hosted). */
  endpoint?: URL;
  region: string;
  credentials?: S3Credentials;
  /** Where the credentials came from, for messages (never the secret). */
  credentialSource: string;
  ignoreTls: boolean;
}

/** `[section]` → key → value of an AWS ini file; missing file → empty. */
export function readIni(path: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return out;
  }
  let section: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+|\s+$/g, '');
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      section = new Map();
      out.set(header[1], section);
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && section) section.set(kv[1].toLowerCase(), kv[2]);
  }
  return out;
}

export function resolveS3Config(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): S3Config {
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  const credentialsFile = readIni(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'));
  const configFile = readIni(env.AWS_CONFIG_FILE || join(home, '.aws', 'config'));
  const configSection = configFile.get(profile === 'default' ? 'default' : `profile ${profile}`) ?? configFile.get(profile);

  let credentials: S3Credentials | undefined;
  let credentialSource = 'none';
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined };
    credentialSource = 'AWS_ACCESS_KEY_ID';
  } else {
    for (const [file, section] of [
      ['~/.aws/credentials', credentialsFile.get(profile)],
      ['~/.aws/config', configSection],
    ] as const) {
      const id = section?.get('aws_access_key_id');
      const secret = section?.get('aws_secret_access_key');
      if (id && secret) {
        credentials = { accessKeyId: id, secretAccessKey: secret, sessionToken: section?.get('aws_session_token') || undefined };
        credentialSource = `profile ${profile} in ${file}`;
        break;
      }
    }
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || configSection?.get('region') || 'us-east-1';
  let endpoint: URL | undefined;
  const rawEndpoint = env.MLFLOW_S3_ENDPOINT_URL?.trim() || configSection?.get('endpoint_url');
  if (rawEndpoint) {
    try {
      endpoint = new URL(/^[a-z]+:\/\//i.test(rawEndpoint) ? rawEndpoint : `https://${rawEndpoint}`);
    } catch {
      endpoint = undefined;
    }
  }
  const ignoreTls = /^(true|1|yes)$/i.test(env.MLFLOW_S3_IGNORE_TLS ?? '');
  return { endpoint, region, credentials, credentialSource, ignoreTls };
}
