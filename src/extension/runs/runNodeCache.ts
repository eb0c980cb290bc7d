/**
 * The Runs tree's nodes by id: one object per id for as long as the tree shows it, so that
 * `getParent` and `onDidChangeTreeData(node)` see the instance VS Code holds; and the message
 * nodes (empty, stopped, sign in, errors) every level uses.
 */
import { isCancelled } from '../../tracking/types';
import type { StoreSession } from '../connection/storeConnections';
import { isAuthError } from '../connection/openStore';
import { TreeIds } from '../explorer/model/ids';
import type { MessageNode, RunTreeNode } from './runNodes';
import { errorMessage } from '../../format/errors';

export class RunNodeCache {
  private readonly nodes = new Map<string, RunTreeNode>();

  get(id: string): RunTreeNode | undefined {
    return this.nodes.get(id);
  }

  clear(): void {
    this.nodes.clear();
  }

  /** Reuses the node object with this id, so `getParent` and `onDidChangeTreeData(node)` see one instance. */
  keep<T extends RunTreeNode>(node: T): T {
    const existing = this.nodes.get(node.id);
    if (existing && existing.kind === node.kind) return Object.assign(existing, node) as T;
    this.nodes.set(node.id, node);
    return node;
  }

  message(parent: RunTreeNode | undefined, parentId: string, kind: string, text: string, icon: string): MessageNode {
    return this.keep<MessageNode>({ kind: 'message', id: TreeIds.message(parentId, kind), parent, text, icon });
  }

  errorNode(parent: RunTreeNode | undefined, parentId: string, session: StoreSession, what: string, error: unknown): MessageNode {
    if (isCancelled(error)) {
      // The node collapsed or the list was reset while this loaded: it is asked again when shown.
      return this.keep<MessageNode>({ kind: 'message', id: TreeIds.message(parentId, 'cancelled'), parent, text: 'Stopped', icon: 'debug-pause' });
    }
    if (isAuthError(error)) {
      return this.keep<MessageNode>({
        kind: 'message',
        id: TreeIds.message(parentId, 'auth'),
        parent,
        text: `Sign in to ${session.label}…`,
        icon: 'key',
        detail: errorMessage(error),
        command: { command: 'mlflow.signIn', title: 'Sign In', arguments: [session.uri] },
      });
    }
    return this.keep<MessageNode>({
      kind: 'message',
      id: TreeIds.message(parentId, 'error'),
      parent,
      text: `${what}: ${errorMessage(error)}`,
      icon: 'error',
      detail: errorMessage(error),
      command: { command: 'mlflow.refresh', title: 'Retry' },
    });
  }
}
