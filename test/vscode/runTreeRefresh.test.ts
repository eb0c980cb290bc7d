// Refreshing the Runs tree with several stores: the tree provider the view uses, over two
// sessions whose stores answer from memory and count what they are asked. A refresh asked
// for while another runs must reload its own store (the second request used to reload the
// first store again). A store's change event redraws only what changed. Also: settings that
// change only labels, or one folder's tracking URI.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StoreConnections, StoreSession } from '../../src/extension/connection/storeConnections';
import type { ExperimentNode, RunNode, RunTreeNode } from '../../src/extension/runs/runNodes';
import { RunTreeProvider } from '../../src/extension/runs/runTreeProvider';
import { RunViewOptions } from '../../src/extension/runs/runViewOptions';
import type { Run, TrackingStore } from '../../src/tracking/types';
import { MemoryMemento } from './helpers';

/** A store with one experiment holding one run, whose name the test changes; searchRuns can be held. */
class MemoryStore {
  runName: string;
  searches = 0;
  experimentSearches = 0;
  private held: Promise<void> | undefined;
  private release: (() => void) | undefined;

  constructor(readonly name: string) {
    this.runName = `${name}-1`;
  }

  hold(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  letGo(): void {
    this.release?.();
    this.held = undefined;
  }

  async searchExperiments() {
    this.experimentSearches++;
    return { experiments: [{ experiment_id: '1', name: `${this.name} experiment`, lifecycle_stage: 'active' }] };
  }

  async searchRuns() {
    this.searches++;
    const name = this.runName;
    await this.held;
    const run: Run = {
      info: { run_id: `${this.name}-run`, run_name: name, experiment_id: '1', status: 'FINISHED', start_time: 1_790_000_000_000, lifecycle_stage: 'active' },
      data: {},
    };
    return { runs: [run] };
  }
}

function sessionOver(store: MemoryStore): StoreSession {
  const session = {
    uri: `memory://${store.name}`,
    kind: 'file',
    label: store.name,
    origin: 'workspace',
    call: <T>(_what: string, fn: (s: TrackingStore) => Promise<T>) => fn(store as unknown as TrackingStore),
  };
  return session as unknown as StoreSession;
}

describe('Runs tree refresh with several stores (extension host)', () => {
  let output: vscode.LogOutputChannel;
  let options: RunViewOptions;
  let provider: RunTreeProvider;
  const a = new MemoryStore('a');
  const b = new MemoryStore('b');
  const sessions = [sessionOver(a), sessionOver(b)];

  before(() => {
    output = vscode.window.createOutputChannel('MLflow refresh test', { log: true });
    options = new RunViewOptions(new MemoryMemento());
    const connections = { resolved: true, problems: [], sessions } as unknown as StoreConnections;
    provider = new RunTreeProvider(connections, options, output);
  });

  after(() => {
    provider?.dispose();
    options?.dispose();
    output?.dispose();
  });

  const experimentOf = async (session: StoreSession): Promise<ExperimentNode> => {
    const stores = await provider.getChildren();
    const storeNode = stores.find((n) => n.kind === 'store' && n.session === session);
    assert.ok(storeNode, `no node for ${session.label}: ${stores.map((n) => n.kind).join(', ')}`);
    const [experiment] = await provider.getChildren(storeNode);
    assert.equal(experiment.kind, 'experiment');
    return experiment as ExperimentNode;
  };
  const runNames = async (session: StoreSession) =>
    (await provider.getChildren(await experimentOf(session))).filter((n: RunTreeNode): n is RunNode => n.kind === 'run').map((n) => n.run.info.run_name);

  it('reloads both stores when a second store is refreshed while the first one is', async () => {
    assert.deepEqual(await runNames(sessions[0]), ['a-1']);
    assert.deepEqual(await runNames(sessions[1]), ['b-1']);
    a.runName = 'a-2';
    b.runName = 'b-2';
    const before = { a: a.searches, b: b.searches };
    a.hold();
    const first = provider.refresh(sessions[0]);
    const second = provider.refresh(sessions[1]);
    a.letGo();
    await Promise.all([first, second]);
    assert.deepEqual({ a: a.searches - before.a, b: b.searches - before.b }, { a: 1, b: 1 }, 'one reload of each store');
    assert.deepEqual(await runNames(sessions[0]), ['a-2']);
    assert.deepEqual(await runNames(sessions[1]), ['b-2']);
  });

  it('answers a refresh asked for during another only once its own store is reloaded', async () => {
    b.runName = 'b-3';
    a.hold();
    const first = provider.refresh(sessions[0]);
    const second = provider.refresh(sessions[1]);
    let secondDone = false;
    void second.then(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(secondDone, false, 'the second refresh cannot be done while the first still runs');
    a.letGo();
    await Promise.all([first, second]);
    assert.deepEqual(await runNames(sessions[1]), ['b-3']);
  });

  it("redraws nothing when a store's change event brings no change, and only the changed experiment when one does", async () => {
    const fired: (RunTreeNode | RunTreeNode[] | undefined)[] = [];
    const listening = provider.onDidChangeTreeData((node) => fired.push(node));
    try {
      await runNames(sessions[0]);
      await provider.refresh(sessions[0]);
      assert.deepEqual(fired, [], 'the same runs read again: the rows stay (a right-clicked row keeps its item)');

      a.runName = 'a-4';
      await provider.refresh(sessions[0]);
      const experiment = await experimentOf(sessions[0]);
      assert.deepEqual(fired, [[experiment]], "only store a's experiment is redrawn");
      assert.deepEqual(await runNames(sessions[0]), ['a-4']);

      fired.length = 0;
      await provider.refresh();
      assert.deepEqual(fired, [undefined], 'Refresh redraws the whole tree');
    } finally {
      listening.dispose();
    }
  });

  it('a new filter redraws the experiments showing runs, in one event, and keeps the experiment lists; showing deleted runs redraws all', async () => {
    await runNames(sessions[0]);
    await runNames(sessions[1]);
    const shown = [await experimentOf(sessions[0]), await experimentOf(sessions[1])];
    const fired: (RunTreeNode | RunTreeNode[] | undefined)[] = [];
    const listening = provider.onDidChangeTreeData((node) => fired.push(node));
    const [runsBefore, listsBefore] = [a.searches + b.searches, a.experimentSearches + b.experimentSearches];
    try {
      a.runName = 'a-5';
      // The explorer wires the options' change to reset (runExplorerModel); here by hand.
      const changes: unknown[] = [];
      const wired = options.onDidChange((change) => {
        changes.push(change);
        provider.reset(change);
      });
      await options.setFilter("params.x = '1'").finally(() => wired.dispose());
      assert.deepEqual(changes, [{ experiments: false }]);
      assert.deepEqual(fired, [shown], 'one event naming both experiments, not the whole tree');
      assert.deepEqual(await runNames(sessions[0]), ['a-5'], 'the run list is read again');
      assert.equal(a.searches + b.searches, runsBefore + 1);
      assert.equal(a.experimentSearches + b.experimentSearches, listsBefore, 'the experiment lists are not read again');

      fired.length = 0;
      provider.reset({ experiments: true });
      assert.deepEqual(fired, [undefined]);
    } finally {
      listening.dispose();
      await options.setFilter('');
    }
  });
  it("the Sort and metric pickers' runs stay known while the lists load again after a sort change", async () => {
    await runNames(sessions[0]);
    const names = () => provider.knownRuns().map((r) => r.info.run_name);
    const known = names();
    assert.ok(known.length > 0, 'runs are loaded');
    // A new sort drops the lists; until the view asks for the runs again, the runs shown before stand for them.
    provider.reset({ experiments: false });
    assert.deepEqual(names(), known, 'not an empty list (the picker offered no metric or param)');
    await runNames(sessions[0]);
    assert.ok(names().length > 0);
  });
});
