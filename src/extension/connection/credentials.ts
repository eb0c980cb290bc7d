import * as vscode from 'vscode';

/** How to authenticate to a tracking server. Secrets live in SecretStorage only. */
export type ServerAuth = { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'basic'; username: string; password: string };

const secretKey = (serverUri: string) => `mlflow.auth:${serverUri}`;

export class ServerCredentials {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Saved credentials for the server, else MLflow's environment variables, else none. */
  async get(serverUri: string): Promise<ServerAuth> {
    const saved = await this.saved(serverUri);
    return saved ?? fromEnvironment(this.env) ?? { kind: 'none' };
  }

  async saved(serverUri: string): Promise<ServerAuth | undefined> {
    const raw = await this.secrets.get(secretKey(serverUri));
    if (!raw) return undefined;
    try {
      const auth = JSON.parse(raw) as ServerAuth;
      if (auth.kind === 'token' || auth.kind === 'basic' || auth.kind === 'none') return auth;
    } catch {
      // A damaged entry is treated as absent and replaced on the next sign-in.
    }
    return undefined;
  }

  async save(serverUri: string, auth: ServerAuth): Promise<void> {
    await this.secrets.store(secretKey(serverUri), JSON.stringify(auth));
  }

  async forget(serverUri: string): Promise<void> {
    await this.secrets.delete(secretKey(serverUri));
  }

  hasEnvironmentCredentials(): boolean {
    return fromEnvironment(this.env) !== undefined;
  }
}

/** MLflow's own rule: user and password together win over a token. */
export function fromEnvironment(env: NodeJS.ProcessEnv): ServerAuth | undefined {
  const username = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (username && password) return { kind: 'basic', username, password };
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (token) return { kind: 'token', token };
  return undefined;
}

export function describeAuth(auth: ServerAuth): string {
  switch (auth.kind) {
    case 'none':
      return 'no authentication';
    case 'token':
      return 'a bearer token';
    case 'basic':
      return `user ${auth.username}`;
  }
}

export function authOptions(auth: ServerAuth): { token?: string; username?: string; password?: string } {
  if (auth.kind === 'token') return { token: auth.token };
  if (auth.kind === 'basic') return { username: auth.username, password: auth.password };
  return {};
}
