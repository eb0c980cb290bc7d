import * as vscode from 'vscode';
import type { RunExplorerModel } from '../explorer/runExplorerModel';
import { MODELS_VIEW_ID, type ModelTreeNode } from './modelTreeProvider';

export interface ModelsDeps {
  explorer: RunExplorerModel;
}

/** The Models view: registered models → versions, with Load more. */
export function registerModels(_context: vscode.ExtensionContext, deps: ModelsDeps): vscode.Disposable {
  const { models } = deps.explorer;
  return vscode.Disposable.from(
    vscode.window.createTreeView(MODELS_VIEW_ID, { treeDataProvider: models, showCollapseAll: true }),
    vscode.commands.registerCommand('mlflow.models.loadMore', (node?: ModelTreeNode) =>
      node?.kind === 'loadMore' ? models.loadMore(node.session) : undefined,
    ),
  );
}
