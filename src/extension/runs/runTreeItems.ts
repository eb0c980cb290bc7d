import * as vscode from 'vscode';
import { artifactUri } from '../artifacts/artifactFileSystem';
import { artifactBaseName, artifactLinkLook } from '../artifacts/artifactKinds';
import { formatBytes, formatMetricValue } from '../../format/values';
import {
  escapeMarkdown,
  experimentDescription,
  experimentTooltipMarkdown,
  markdownCode,
  runDescription,
  runLabel,
  runStatusIcon,
  runTooltipMarkdown,
  type IconSpec,
} from '../explorer/model/labels';
import { partitionTags } from '../explorer/model/tags';
import type { Run } from '../../tracking/types';
import type { RunTreeNode, SectionKind } from './runNodes';
import type { StoreLocation } from '../connection/trackingUri';

export const OPEN_ARTIFACT_COMMAND = 'mlflow.openArtifact';
export const LOAD_MORE_COMMAND = 'mlflow.loadMore';

const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
const None = vscode.TreeItemCollapsibleState.None;

function themeIcon(spec: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(spec.id, spec.color ? new vscode.ThemeColor(spec.color) : undefined);
}

const SECTION_LABELS: Record<SectionKind, string> = {
  params: 'Parameters',
  metrics: 'Metrics',
  tags: 'Tags',
  systemTags: 'System Tags',
  artifacts: 'Artifacts',
  models: 'Models',
};

const SECTION_ICONS: Record<SectionKind, string> = {
  params: 'symbol-parameter',
  metrics: 'graph-line',
  tags: 'tag',
  systemTags: 'gear',
  artifacts: 'files',
  models: 'package',
};

export interface TreeItemOptions {
  nowMs: number;
  descriptionMetric: string;
  /** Whether one store or several are shown; with one, experiments are the top level. */
}

const STORE_KIND_LABELS: Record<StoreLocation['kind'], string> = {
  rest: 'server',
  sqlite: 'SQLite',
  file: 'mlruns',
  database: 'database',
  databricks: 'Databricks',
};

/** The TreeItem of a Runs node. Every item carries the node's stable id. */
export function runTreeItem(node: RunTreeNode, options: TreeItemOptions): vscode.TreeItem {
  switch (node.kind) {
    case 'store': {
      const item = new vscode.TreeItem(node.session.label, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(node.session.kind === 'rest' || node.session.kind === 'databricks' ? 'cloud' : 'database');
      item.description = STORE_KIND_LABELS[node.session.kind];
      item.tooltip = node.session.uri;
      item.contextValue = `store ${node.session.kind}`;
      return withId(item, node.id);
    }
    case 'experiment': {
      const item = new vscode.TreeItem(node.experiment.name || node.experiment.experiment_id, Collapsed);
      item.iconPath = new vscode.ThemeIcon(node.experiment.lifecycle_stage === 'deleted' ? 'trash' : 'beaker');
      item.description = experimentDescription(node.experiment);
      item.tooltip = new vscode.MarkdownString(experimentTooltipMarkdown(node.experiment));
      item.contextValue = 'experiment';
      return withId(item, node.id);
    }
    case 'run': {
      const item = new vscode.TreeItem(runLabel(node.run), Collapsed);
      item.iconPath = themeIcon(runStatusIcon(node.run));
      item.description = runDescription(node.run, { nowMs: options.nowMs, metricKey: options.descriptionMetric || undefined });
      // The tooltip (params, metrics, tags: about 1 KB a run) is made by resolveTreeItem when one is
      // hovered: a page of 100 runs crosses to the window as 20 KB instead of 100 KB at every filter.
      item.contextValue = `run ${node.session.kind}${node.run.info.lifecycle_stage === 'deleted' ? ' deleted' : ''}${node.run.info.status === 'RUNNING' ? ' running' : ''}`;
      return withId(item, node.id);
    }
    case 'section': {
      const item = new vscode.TreeItem(SECTION_LABELS[node.section], Collapsed);
      item.iconPath = new vscode.ThemeIcon(SECTION_ICONS[node.section]);
      const data = node.runNode.run.data;
      const count =
        node.section === 'params'
          ? data.params?.length
          : node.section === 'metrics'
            ? data.metrics?.length
            : node.section === 'tags'
              ? partitionTags(data.tags).user.length
              : node.section === 'systemTags'
                ? partitionTags(data.tags).system.length
                : undefined;
      if (count !== undefined) item.description = String(count);
      item.contextValue = `section ${node.section}`;
      return withId(item, node.id);
    }
    case 'param':
    case 'tag': {
      const item = new vscode.TreeItem(node.key, None);
      item.description = oneLine(node.value);
      item.tooltip = node.value.length > 0 ? node.value : '(empty)';
      item.contextValue = node.kind;
      return withId(item, node.id);
    }
    case 'metric': {
      const item = new vscode.TreeItem(node.metric.key, Collapsed);
      item.description = formatMetricValue(node.metric.value);
      item.contextValue = 'metric';
      // The tooltip (with min and max from the history) is filled in by resolveTreeItem.
      return withId(item, node.id);
    }
    case 'metricStat': {
      const item = new vscode.TreeItem(node.label, None);
      item.description = node.value;
      item.contextValue = 'metricStat';
      return withId(item, node.id);
    }
    case 'artifact': {
      const name = artifactBaseName(node.file.path);
      const uri = artifactUri(node.session, node.runNode.run.info.run_id, node.file.path);
      const item = new vscode.TreeItem(uri, node.file.is_dir ? Collapsed : None);
      item.label = name;
      const link = artifactLinkLook(node.file);
      if (node.file.is_dir) {
        item.iconPath = vscode.ThemeIcon.Folder;
      } else {
        item.iconPath = vscode.ThemeIcon.File;
        item.description = node.file.file_size !== undefined ? formatBytes(node.file.file_size) : undefined;
        if (!link || link.opens) item.command = { command: OPEN_ARTIFACT_COMMAND, title: 'Open Artifact', arguments: [node] };
      }
      item.tooltip = node.file.path;
      item.contextValue = node.file.is_dir ? 'artifact dir' : 'artifact file';
      if (link) {
        item.iconPath = themeIcon(link.icon);
        item.description = link.description;
        item.tooltip = link.tooltip;
        // A link that is not followed has no file behind it: no open, no file commands.
        if (!link.opens) item.contextValue = 'artifact link';
      }
      return withId(item, node.id);
    }
    case 'loggedModel': {
      const item = new vscode.TreeItem(node.model.info.name || node.model.info.model_id, None);
      item.iconPath = new vscode.ThemeIcon('package');
      item.description = node.model.info.model_type ?? node.model.info.model_id;
      const { info } = node.model;
      item.tooltip = new vscode.MarkdownString(
        [
          `**${escapeMarkdown(info.name)}**`,
          '',
          `Model ID: ${markdownCode(info.model_id)}  `,
          info.artifact_uri ? `Artifacts: ${markdownCode(info.artifact_uri)}` : '',
        ].join('\n'),
      );
      item.contextValue = 'loggedModel';
      return withId(item, node.id);
    }
    case 'loadMore': {
      const item = new vscode.TreeItem('Load more…', None);
      item.iconPath = new vscode.ThemeIcon('more');
      item.description = `${node.shown} shown`;
      item.command = { command: LOAD_MORE_COMMAND, title: 'Load More', arguments: [node] };
      item.contextValue = 'loadMore';
      return withId(item, node.id);
    }
    case 'message': {
      const item = new vscode.TreeItem(node.text, None);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.detail ?? node.text;
      item.command = node.command;
      item.contextValue = 'message';
      return withId(item, node.id);
    }
  }
}

function withId(item: vscode.TreeItem, id: string): vscode.TreeItem {
  item.id = id;
  return item;
}

function oneLine(text: string): string {
  const line = text.replace(/\s*\r?\n\s*/g, ' ⏎ ');
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

/** A run's tooltip: made when the run is hovered (resolveTreeItem), not with every row. */
export function runTooltip(run: Run, nowMs: number): vscode.MarkdownString {
  return new vscode.MarkdownString(runTooltipMarkdown(run, nowMs));
}
