import * as vscode from 'vscode';
import type { ModelVersion, RegisteredModel } from '../../tracking/types';
import type { StoreConnections, StoreSession } from '../connection/storeConnections';
import { isAuthError } from '../connection/openStore';
import { formatDateTime } from '../../format/values';
import { TreeIds } from '../explorer/model/ids';
import { escapeMarkdown, modelVersionDescription, modelVersionLabel, modelVersionTooltipMarkdown } from '../explorer/model/labels';
import { PagedList } from '../explorer/model/paging';
import { errorMessage } from '../../format/errors';

export const MODELS_VIEW_ID = 'mlflow.models';
export const REVEAL_RUN_COMMAND = 'mlflow.revealRun';

export type ModelTreeNode =
  | { kind: 'store'; id: string; session: StoreSession }
  | { kind: 'model'; id: string; session: StoreSession; model: RegisteredModel }
  | { kind: 'version'; id: string; session: StoreSession; model: RegisteredModel; version: ModelVersion }
  | {
      kind: 'detail';
      id: string;
      label: string;
      description: string;
      icon: string;
      tooltip?: string;
      command?: vscode.Command;
      contextValue?: string;
      copyText?: string;
    }
  | { kind: 'loadMore'; id: string; session: StoreSession }
  | { kind: 'message'; id: string; text: string; icon: string; command?: vscode.Command };

/** The Models tree: registered models → versions (aliases, stage, tags, source run). */
export class ModelTreeProvider implements vscode.TreeDataProvider<ModelTreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ModelTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly lists = new Map<string, PagedList<RegisteredModel>>();
  private readonly versions = new Map<string, Promise<ModelVersion[]>>();

  constructor(private readonly connections: StoreConnections) {}

  getTreeItem(node: ModelTreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem('', vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    switch (node.kind) {
      case 'store':
        item.label = node.session.label;
        item.iconPath = new vscode.ThemeIcon(node.session.kind === 'rest' || node.session.kind === 'databricks' ? 'cloud' : 'database');
        item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
        break;
      case 'model': {
        item.label = node.model.name;
        item.iconPath = new vscode.ThemeIcon('package');
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        const aliases = (node.model.aliases ?? []).map((a) => `@${a.alias}→v${a.version}`).join(' ');
        item.description = aliases || undefined;
        const lines = [`**${escapeMarkdown(node.model.name)}**`, ''];
        if (node.model.description) lines.push(escapeMarkdown(node.model.description), '');
        if (node.model.last_updated_timestamp) lines.push(`Last updated: ${formatDateTime(node.model.last_updated_timestamp)}`);
        item.tooltip = new vscode.MarkdownString(lines.join('\n'));
        item.contextValue = 'registeredModel';
        break;
      }
      case 'version':
        item.label = modelVersionLabel(node.version);
        item.description = modelVersionDescription(node.version, node.model);
        item.iconPath = new vscode.ThemeIcon('versions');
        item.tooltip = new vscode.MarkdownString(modelVersionTooltipMarkdown(node.version, node.model));
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        item.contextValue = node.version.run_id ? 'modelVersion withRun' : 'modelVersion';
        break;
      case 'detail':
        item.label = node.label;
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip ?? `${node.label}: ${node.description}`;
        item.command = node.command;
        item.contextValue = node.contextValue ?? 'modelDetail';
        break;
      case 'loadMore':
        item.label = 'Load more…';
        item.iconPath = new vscode.ThemeIcon('more');
        item.command = { command: 'mlflow.models.loadMore', title: 'Load More', arguments: [node] };
        break;
      case 'message':
        item.label = node.text;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        break;
    }
    return item;
  }

  async getChildren(node?: ModelTreeNode): Promise<ModelTreeNode[]> {
    if (!node) {
      const sessions = this.connections.sessions;
      if (sessions.length === 1) return this.modelNodes(sessions[0]);
      return sessions.map((session) => ({ kind: 'store', id: `models:${TreeIds.store(session.uri)}`, session }));
    }
    if (node.kind === 'store') return this.modelNodes(node.session);
    if (node.kind === 'model') return this.versionNodes(node.session, node.model);
    if (node.kind === 'version') return this.versionDetails(node.session, node.model, node.version, node.id);
    return [];
  }

  private list(session: StoreSession): PagedList<RegisteredModel> {
    let list = this.lists.get(session.uri);
    if (!list) {
      list = new PagedList(
        async (token, size) => {
          const page = await session.call('List registered models', (store) => store.searchRegisteredModels({ max_results: size, page_token: token }));
          return { items: page.registered_models, nextPageToken: page.next_page_token };
        },
        100,
        (model) => model.name,
      );
      this.lists.set(session.uri, list);
    }
    return list;
  }

  private async modelNodes(session: StoreSession): Promise<ModelTreeNode[]> {
    const list = this.list(session);
    try {
      await this.progress(list.ensureLoaded());
    } catch (error) {
      return [this.errorNode(session, error)];
    }
    const nodes: ModelTreeNode[] = list.items.map((model) => ({ kind: 'model', id: TreeIds.registeredModel(session.uri, model.name), session, model }));
    if (list.hasMore) nodes.push({ kind: 'loadMore', id: `${TreeIds.store(session.uri)}|models-more`, session });
    if (nodes.length === 0) nodes.push({ kind: 'message', id: `${TreeIds.store(session.uri)}|models-empty`, text: 'No registered models', icon: 'info' });
    return nodes;
  }

  private async versionNodes(session: StoreSession, model: RegisteredModel): Promise<ModelTreeNode[]> {
    const key = `${session.uri}\n${model.name}`;
    let loading = this.versions.get(key);
    if (!loading) {
      loading = this.fetchVersions(session, model.name);
      this.versions.set(key, loading);
      loading.catch(() => this.versions.delete(key));
    }
    try {
      const versions = await this.progress(loading);
      return versions.map((version) => ({ kind: 'version', id: TreeIds.modelVersion(session.uri, model.name, version.version), session, model, version }));
    } catch (error) {
      return [this.errorNode(session, error)];
    }
  }

  private async fetchVersions(session: StoreSession, name: string): Promise<ModelVersion[]> {
    const filter = `name='${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const all: ModelVersion[] = [];
    let token: string | undefined;
    do {
      const page = await session.call('List model versions', (store) => store.searchModelVersions({ filter, page_token: token }));
      all.push(...page.model_versions.filter((v) => v.name === name));
      token = page.next_page_token || undefined;
    } while (token && all.length < 10_000);
    return all.sort((a, b) => Number(b.version) - Number(a.version));
  }

  private versionDetails(session: StoreSession, model: RegisteredModel, version: ModelVersion, parentId: string): ModelTreeNode[] {
    const nodes: ModelTreeNode[] = [];
    const detail = (key: string, label: string, description: string, icon: string, extra: Partial<Extract<ModelTreeNode, { kind: 'detail' }>> = {}) =>
      nodes.push({ kind: 'detail', id: `${parentId}|${key}`, label, description, icon, ...extra });
    if (version.run_id) {
      detail('run', 'Source run', version.run_id, 'debug-start', {
        command: { command: REVEAL_RUN_COMMAND, title: 'Reveal Run', arguments: [session.uri, version.run_id] },
        tooltip: `Reveal run ${version.run_id} in the Runs view`,
        contextValue: 'modelSourceRun',
      });
    }
    const aliases = new Set(version.aliases ?? []);
    for (const a of model.aliases ?? []) if (a.version === version.version) aliases.add(a.alias);
    if (aliases.size)
      detail(
        'aliases',
        'Aliases',
        [...aliases]
          .sort()
          .map((a) => `@${a}`)
          .join(' '),
        'tag',
      );
    if (version.current_stage && version.current_stage !== 'None') detail('stage', 'Stage', version.current_stage, 'milestone');
    if (version.source) detail('source', 'Source', version.source, 'link', { tooltip: version.source });
    if (version.status) detail('status', 'Status', version.status, version.status === 'READY' ? 'pass' : 'loading~spin');
    if (version.creation_timestamp) detail('created', 'Created', formatDateTime(version.creation_timestamp), 'calendar');
    for (const tag of version.tags ?? []) detail(`tag:${tag.key}`, tag.key, tag.value, 'tag', { tooltip: `${tag.key} = ${tag.value}` });
    return nodes;
  }

  async loadMore(session: StoreSession): Promise<void> {
    try {
      await this.progress(this.list(session).loadMore());
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not load more models: ${errorMessage(error)}`);
    }
    this.changeEmitter.fire(undefined);
  }

  async refresh(): Promise<void> {
    const reloads = [...this.lists.entries()].map(([uri, list]) =>
      list.items.length ? list.reload().catch(() => this.lists.delete(uri)) : Promise.resolve(list.reset()),
    );
    this.versions.clear();
    await this.progress(Promise.all(reloads));
    this.changeEmitter.fire(undefined);
  }

  sessionsChanged(): void {
    this.lists.clear();
    this.versions.clear();
    this.changeEmitter.fire(undefined);
  }

  private errorNode(session: StoreSession, error: unknown): ModelTreeNode {
    if (isAuthError(error)) {
      return {
        kind: 'message',
        id: `${TreeIds.store(session.uri)}|models-auth`,
        text: `Sign in to ${session.label}…`,
        icon: 'key',
        command: { command: 'mlflow.signIn', title: 'Sign In', arguments: [session.uri] },
      };
    }
    return {
      kind: 'message',
      id: `${TreeIds.store(session.uri)}|models-error`,
      text: `Could not list models: ${errorMessage(error)}`,
      icon: 'error',
      command: { command: 'mlflow.refresh', title: 'Retry' },
    };
  }

  private progress<T>(work: Promise<T>): Promise<T> {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: MODELS_VIEW_ID } }, () => work));
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
