// Team stores in the extension host: a database connected through the Connect flow (its password
// in SecretStorage, not in the URI) reaches Run Project's terminal environment with that password
// in MLFLOW_TRACKING_URI and never on the command line; a database store is polled for changes
// only while a shown run is running.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { StoreConnections } from '../../src/extension/connection/storeConnections';
import { pollRemoteStores } from '../../src/extension/explorer/runExplorerModel';
import { trackingTarget } from '../../src/extension/run/storeTarget';
import { mlflowRunCommand } from '../../src/mlflow-cli/commandLines';
import type { StoreChangeEvent, TrackingStore } from '../../src/tracking/types';
import { MemoryMemento } from './helpers';

class MemorySecrets {
  readonly values = new Map<string, string>();
  readonly onDidChange = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event;
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
  async keys() {
    return [...this.values.keys()];
  }
}

const DATABASE = 'postgresql://mlflow@db.example.com:5432/mlflow_db';
const PASSWORD = 'p@ss w/rd:42';

describe('Team stores: database password and change polling (extension host)', () => {
  let output: vscode.LogOutputChannel;
  let connections: StoreConnections;

  before(() => {
    output = vscode.window.createOutputChannel('MLflow team stores test', { log: true });
  });
  beforeEach(() => {
    const context = { workspaceState: new MemoryMemento(), globalState: new MemoryMemento(), secrets: new MemorySecrets() as unknown as vscode.SecretStorage };
    connections = new StoreConnections(context, output, {});
  });
  afterEach(() => connections.dispose());
  after(() => output.dispose());

  it('Run Project passes a SecretStorage password in MLFLOW_TRACKING_URI of the environment, never on the command line', async () => {
    await connections.credentials.save(DATABASE, { kind: 'basic', username: 'mlflow', password: PASSWORD });
    await connections.select(DATABASE);
    const session = connections.sessionFor(DATABASE);
    assert.ok(session, 'the selected database is the session');
    const target = await trackingTarget(connections, session);
    assert.equal(target?.uri, `postgresql://mlflow:${encodeURIComponent(PASSWORD)}@db.example.com:5432/mlflow_db`);
    const line = mlflowRunCommand(
      { program: 'mlflow', prefixArgs: [], source: 'path' },
      { projectUri: '.', entryPoint: 'main', parameters: [], tracking: target },
    );
    assert.equal(line.env.MLFLOW_TRACKING_URI, target?.uri);
    assert.ok(!line.args.join(' ').includes(encodeURIComponent(PASSWORD)) && !line.args.join(' ').includes(PASSWORD), line.args.join(' '));
    // The session's own URI (status bar, tree ids) stays without it.
    assert.equal(session.uri, DATABASE);
  });

  it('without a saved password the URI goes as it is', async () => {
    await connections.select(DATABASE);
    assert.equal((await trackingTarget(connections, connections.sessionFor(DATABASE)))?.uri, DATABASE);
  });

  it('a database store is subscribed to (and so polls) only while a shown run is running', async () => {
    await connections.select(DATABASE);
    const session = connections.sessionFor(DATABASE)!;
    let listeners = 0;
    const store = {
      kind: 'postgresql',
      onDidChange: (_l: (e: StoreChangeEvent) => void) => {
        listeners++;
        return { dispose: () => void listeners-- };
      },
      dispose: () => undefined,
    } as unknown as TrackingStore;
    session.attach(store);
    session.setState('connected', undefined);
    assert.equal(listeners, 0, 'opening the store does not start polling');
    let running = false;
    const refreshed: string[] = [];
    const runs = { hasRunningRuns: () => running, refresh: async (s?: { uri: string }) => void refreshed.push(s?.uri ?? '') };
    pollRemoteStores([session], runs);
    assert.equal(listeners, 0, 'no running run shown: no polling');
    running = true;
    pollRemoteStores([session], runs);
    pollRemoteStores([session], runs);
    assert.equal(listeners, 1, 'a running run shown: one subscription');
    running = false;
    pollRemoteStores([session], runs);
    assert.equal(listeners, 0, 'the run finished: polling stops');
    assert.deepEqual(refreshed, [], 'a database is not reloaded blindly; its change events drive the refresh');
    running = true;
    pollRemoteStores([session], runs);
    session.close();
    assert.equal(listeners, 0, 'closing the session ends the subscription');
  });
});
