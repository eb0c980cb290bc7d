/**
 * What a run, experiment or model version looks like in the tree: label, description,
 * status icon and Markdown tooltip. Plain module: no `vscode` import; the view turns
 * the icon ids and colour ids into `ThemeIcon`/`ThemeColor`.
 */
import type { Experiment, ModelVersion, RegisteredModel, Run, RunStatus } from '../../../tracking/types';
import { formatAge, formatDateTime, formatDuration, formatMetricValue } from '../../../format/values';
import { SystemTags, tagValue } from './tags';

export interface IconSpec {
  /** A codicon id, e.g. `pass`, `sync~spin`. */
  id: string;
  /** A theme colour id, e.g. `testing.iconPassed`. */
  color?: string;
}

const STATUS_ICONS: Record<RunStatus, IconSpec> = {
  RUNNING: { id: 'sync~spin', color: 'charts.blue' },
  SCHEDULED: { id: 'clock', color: 'charts.yellow' },
  FINISHED: { id: 'pass', color: 'testing.iconPassed' },
  FAILED: { id: 'error', color: 'testing.iconFailed' },
  KILLED: { id: 'circle-slash', color: 'disabledForeground' },
};

export function runStatusIcon(run: Run): IconSpec {
  if (run.info.lifecycle_stage === 'deleted') return { id: 'trash', color: 'disabledForeground' };
  return STATUS_ICONS[run.info.status] ?? { id: 'circle-outline' };
}

export function runLabel(run: Run): string {
  return run.info.run_name || tagValue(run, SystemTags.runName) || run.info.run_id.slice(0, 8);
}

export interface RunDescriptionOptions {
  nowMs: number;
  /** The metric shown beside each run instead of age and duration, when the run has it. */
  metricKey?: string;
}

/** "2 h ago · 3 min 4 s", "running · 12 min", or "loss 0.1234" when a metric is chosen. */
export function runDescription(run: Run, options: RunDescriptionOptions): string {
  const parts: string[] = [];
  if (options.metricKey) {
    const metric = run.data.metrics?.find((m) => m.key === options.metricKey);
    if (metric) return `${options.metricKey} ${formatMetricValue(metric.value)}`;
  }
  const { start_time: start, end_time: end, status } = run.info;
  if (start !== undefined && start > 0) {
    parts.push(formatAge(start, options.nowMs));
    if (status === 'RUNNING') parts.push(`running ${formatDuration(options.nowMs - start)}`);
    else if (end !== undefined && end >= start) parts.push(formatDuration(end - start));
  } else if (status === 'RUNNING') {
    parts.push('running');
  }
  if (run.info.lifecycle_stage === 'deleted') parts.push('deleted');
  return parts.filter((p) => p !== '').join(' · ');
}

/** Escapes text for a Markdown tooltip, so store strings never become links, HTML or formatting. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks in the value. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** A run's Markdown tooltip: name and status, id, user, source, git commit, start, end, duration. */
export function runTooltipMarkdown(run: Run, nowMs: number): string {
  const { info } = run;
  const lines: string[] = [`**${escapeMarkdown(runLabel(run))}** — ${info.status.toLowerCase()}${info.lifecycle_stage === 'deleted' ? ' (deleted)' : ''}`, ''];
  const row = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') lines.push(`${label}: ${value}  `);
  };
  row('Run ID', markdownCode(info.run_id));
  row('Experiment ID', markdownCode(info.experiment_id));
  const user = info.user_id || tagValue(run, SystemTags.user);
  row('User', user ? escapeMarkdown(user) : undefined);
  const source = tagValue(run, SystemTags.sourceName);
  const sourceType = tagValue(run, SystemTags.sourceType);
  row('Source', source ? `${escapeMarkdown(source)}${sourceType ? ` (${escapeMarkdown(sourceType.toLowerCase())})` : ''}` : undefined);
  const commit = tagValue(run, SystemTags.gitCommit);
  const branch = tagValue(run, SystemTags.gitBranch);
  row('Git commit', commit ? `${markdownCode(commit.slice(0, 12))}${branch ? ` on ${escapeMarkdown(branch)}` : ''}` : undefined);
  const parent = tagValue(run, SystemTags.parentRunId);
  row('Parent run', parent ? markdownCode(parent) : undefined);
  if (info.start_time) row('Started', formatDateTime(info.start_time));
  if (info.end_time) row('Ended', formatDateTime(info.end_time));
  if (info.start_time) {
    const end = info.status === 'RUNNING' ? nowMs : info.end_time;
    if (end !== undefined && end >= info.start_time) row(info.status === 'RUNNING' ? 'Running for' : 'Duration', formatDuration(end - info.start_time));
  }
  const note = tagValue(run, SystemTags.note);
  if (note) lines.push('', escapeMarkdown(note.length > 300 ? `${note.slice(0, 300)}…` : note));
  return lines.join('\n');
}

export function experimentDescription(experiment: Experiment): string {
  return experiment.lifecycle_stage === 'deleted' ? 'deleted' : '';
}

export function experimentTooltipMarkdown(experiment: Experiment): string {
  const lines = [`**${escapeMarkdown(experiment.name)}**`, '', `Experiment ID: ${markdownCode(experiment.experiment_id)}  `];
  if (experiment.artifact_location) lines.push(`Artifact location: ${markdownCode(experiment.artifact_location)}  `);
  if (experiment.creation_time) lines.push(`Created: ${formatDateTime(experiment.creation_time)}  `);
  if (experiment.last_update_time) lines.push(`Last updated: ${formatDateTime(experiment.last_update_time)}  `);
  return lines.join('\n');
}

/** "v2", with aliases "@champion" and the (deprecated) stage when it is not "None". */
export function modelVersionLabel(version: ModelVersion): string {
  return `Version ${version.version}`;
}

export function modelVersionDescription(version: ModelVersion, model?: RegisteredModel): string {
  const aliases = new Set(version.aliases ?? []);
  for (const a of model?.aliases ?? []) if (a.version === version.version) aliases.add(a.alias);
  const parts = [...aliases].sort().map((a) => `@${a}`);
  if (version.current_stage && version.current_stage !== 'None') parts.push(version.current_stage);
  if (version.status && version.status !== 'READY') parts.push(version.status.toLowerCase());
  return parts.join(' ');
}

export function modelVersionTooltipMarkdown(version: ModelVersion, model?: RegisteredModel): string {
  const lines = [`**${escapeMarkdown(version.name)}** version ${escapeMarkdown(version.version)}`, ''];
  const description = modelVersionDescription(version, model);
  if (description) lines.push(`${escapeMarkdown(description)}  `);
  if (version.source) lines.push(`Source: ${markdownCode(version.source)}  `);
  if (version.run_id) lines.push(`Run ID: ${markdownCode(version.run_id)}  `);
  if (version.creation_timestamp) lines.push(`Created: ${formatDateTime(version.creation_timestamp)}  `);
  if (version.user_id) lines.push(`User: ${escapeMarkdown(version.user_id)}  `);
  if (version.description) lines.push('', escapeMarkdown(version.description));
  return lines.join('\n');
}

export interface MetricSummary {
  count: number;
  min: number;
  max: number;
  last: number;
  firstStep: number;
  lastStep: number;
}

/** Min and max ignore NaN; `last` is the point with the highest step, then the latest timestamp. */
export function summarizeMetricHistory(points: readonly { value: number; step: number; timestamp: number }[]): MetricSummary | undefined {
  if (points.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let last = points[0];
  let firstStep = points[0].step;
  for (const p of points) {
    if (!Number.isNaN(p.value)) {
      if (p.value < min) min = p.value;
      if (p.value > max) max = p.value;
    }
    if (p.step > last.step || (p.step === last.step && p.timestamp >= last.timestamp)) last = p;
    if (p.step < firstStep) firstStep = p.step;
  }
  if (min > max) min = max = NaN;
  return { count: points.length, min, max, last: last.value, firstStep, lastStep: last.step };
}

export function metricTooltipMarkdown(key: string, latest: number, summary: MetricSummary | undefined): string {
  const lines = [`**${escapeMarkdown(key)}**`, '', `Latest: ${formatMetricValue(latest)}  `];
  if (summary) {
    lines.push(`Min: ${formatMetricValue(summary.min)}  `, `Max: ${formatMetricValue(summary.max)}  `);
    lines.push(`Points: ${summary.count} (steps ${summary.firstStep}–${summary.lastStep})  `);
  }
  return lines.join('\n');
}
