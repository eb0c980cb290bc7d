// Hover: documentation of keys (with a link to MLflow's docs), a `{placeholder}`'s parameter (type,
// default), parameter types, entry points, flavors, and an MLmodel signature as a table.
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver';
import type { EntryPoint, MlmodelModel, MlprojectModel, Parameter, SignaturePart } from '../mlflow-files';
import { FLAVOR_DOCS, PARAMETER_TYPES, keyDocAt, DOCS } from '../mlflow-files/schema';
import type { AnalyzedDocument } from './analysis';
import { keyDocumentation } from './completion';
import { parameterTargetAt } from './placeholders';
import { rangeContains } from './positions';

function markdown(value: string, range?: Range): Hover {
  return range ? { contents: { kind: MarkupKind.Markdown, value }, range } : { contents: { kind: MarkupKind.Markdown, value } };
}

/** Text for a Markdown table cell or inline code: no pipes or line breaks, bounded length. */
function cell(value: unknown, max = 80): string {
  const text = (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))).replace(/\s+/g, ' ');
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return short.replace(/\|/g, '\\|').replace(/`/g, "'");
}

export function hover(analyzed: AnalyzedDocument, position: Position): Hover | null {
  return analyzed.model.kind === 'mlproject' ? mlprojectHover(analyzed.model, position) : mlmodelHover(analyzed.model, position);
}

function describeParameter(parameter: Parameter): string {
  const type = parameter.type?.value ?? 'string';
  const typeDoc = PARAMETER_TYPES[type];
  const hasDefault = parameter.default !== undefined && parameter.default.value !== null;
  const lines = [`Type: \`${cell(type)}\`${parameter.type ? '' : ' (the default)'}`];
  lines.push(hasDefault ? `Default: \`${cell(parameter.default!.text)}\`` : 'Required: no default, so every run must pass a value (`-P name=value`).');
  if (typeDoc) lines.push('', typeDoc.description);
  return lines.join('  \n');
}

function mlprojectHover(model: MlprojectModel, position: Position): Hover | null {
  const target = parameterTargetAt(model, position);
  if (target && (!target.parameter || target.origin !== target.parameter.nameRange)) {
    // On a {placeholder}.
    const header = `**\`{${cell(target.name)}}\`**: parameter of entry point \`${cell(target.entryPoint.name)}\``;
    if (!target.parameter) {
      return markdown(
        `${header}\n\nNot declared under \`parameters\`: MLflow fails with \`KeyError: '${cell(target.name)}'\` when it builds the command.`,
        target.origin,
      );
    }
    return markdown(`${header}\n\n${describeParameter(target.parameter)}`, target.origin);
  }
  const { parsed } = model;
  const at = parsed.nodePathAt(parsed.offsetAt(position));
  const path = at.path.map(String);
  const range = at.node ? parsed.rangeOf(at.node) : undefined;
  if (path[0] === 'entry_points' && path.length === 2 && at.on === 'key') {
    const entryPoint = model.entryPoints.find((e) => rangeContains(e.nameRange, position));
    if (entryPoint) return markdown(describeEntryPoint(entryPoint), range);
  }
  if (path[0] === 'entry_points' && path[2] === 'parameters' && path.length === 4 && at.on === 'key') {
    const entryPoint = model.entryPoints.find((e) => e.name === path[1] && rangeContains(e.range, position));
    const parameter = entryPoint?.parameters.find((p) => rangeContains(p.nameRange, position));
    if (parameter)
      return markdown(`**Parameter \`${cell(parameter.name)}\`** of entry point \`${cell(entryPoint!.name)}\`\n\n${describeParameter(parameter)}`, range);
  }
  const isTypeValue = at.on === 'value' && path[0] === 'entry_points' && path[2] === 'parameters' && (path.length === 4 || path[4] === 'type');
  if (isTypeValue && at.node && 'value' in at.node) {
    const type = String((at.node as { value: unknown }).value);
    const doc = PARAMETER_TYPES[type];
    const text = doc
      ? `**Parameter type \`${cell(type)}\`**\n\n${doc.description}`
      : `**Parameter type \`${cell(type)}\`**\n\nNot a type MLflow knows: the value is passed through as a string.`;
    return markdown(`${text}\n\n[MLflow documentation](${DOCS.projectParameters})`, range);
  }
  if (at.on === 'key') return keyHover('mlproject', path, range);
  return null;
}

function describeEntryPoint(entryPoint: EntryPoint): string {
  const lines = [`**Entry point \`${cell(entryPoint.name)}\`**`, ''];
  if (entryPoint.command) lines.push('```sh', entryPoint.command.text.replace(/```/g, "'''"), '```', '');
  else lines.push('No `command`: `mlflow run` cannot run it.', '');
  if (entryPoint.parameters.length) {
    lines.push('| parameter | type | default |', '|---|---|---|');
    for (const p of entryPoint.parameters) {
      const hasDefault = p.default !== undefined && p.default.value !== null;
      lines.push(`| \`${cell(p.name)}\` | ${cell(p.type?.value ?? 'string')} | ${hasDefault ? `\`${cell(p.default!.text)}\`` : '*required*'} |`);
    }
  }
  lines.push('', `Run with \`mlflow run . -e ${cell(entryPoint.name)}\`.`);
  return lines.join('\n');
}

function keyHover(kind: 'mlproject' | 'mlmodel', path: string[], range: Range | undefined): Hover | null {
  const doc = keyDocumentation(keyDocAt(kind, path));
  if (!doc) return null;
  return markdown(`**\`${cell(path[path.length - 1])}\`**  \n${doc.value}`, range);
}

function mlmodelHover(model: MlmodelModel, position: Position): Hover | null {
  const { parsed } = model;
  const at = parsed.nodePathAt(parsed.offsetAt(position));
  const path = at.path.map(String);
  const range = at.node ? parsed.rangeOf(at.node) : undefined;
  if (path[0] === 'signature' && model.signature) {
    const parts = path.length >= 2 ? model.signature.parts.filter((p) => p.section === path[1]) : model.signature.parts;
    if (path.length === 1 && at.on === 'key') {
      const tables = parts.map(signatureTable).join('\n\n');
      return markdown(`**Model signature**\n\n${tables || 'No inputs, outputs or params.'}\n\n[MLflow documentation](${DOCS.signatures})`, range);
    }
    if (parts.length) return markdown(`${parts.map(signatureTable).join('\n\n')}\n\n[MLflow documentation](${DOCS.signatures})`, range);
  }
  if (path[0] === 'flavors' && path.length === 2 && at.on === 'key') {
    const doc = FLAVOR_DOCS[path[1]];
    const text = doc
      ? `**Flavor \`${cell(path[1])}\`**\n\n${doc.description}`
      : `**Flavor \`${cell(path[1])}\`**\n\nA flavor this server does not know (a custom or third-party flavor).`;
    return markdown(`${text}\n\n[MLflow documentation](${DOCS.flavors})`, range);
  }
  if (at.on === 'key') return keyHover('mlmodel', path, range);
  return null;
}

function signatureTable(part: SignaturePart): string {
  const title = `**${part.section}**`;
  if (part.raw === null || part.raw === undefined) return `${title}: none`;
  if (part.jsonError) return `${title}: not valid JSON (${cell(part.jsonError)})`;
  if (!part.columns.length) return `${title}: not a list of specs`;
  if (part.section === 'params') {
    const rows = part.columns.map(
      (c) => `| ${cell(c.name ?? '—')} | ${cell(c.type)} | ${cell(c.default)} | ${c.shape === null || c.shape === undefined ? 'scalar' : cell(c.shape)} |`,
    );
    return [title, '', '| name | type | default | shape |', '|---|---|---|---|', ...rows].join('\n');
  }
  const kindLabel = part.specKind === 'tensors' ? ' (tensors)' : part.specKind === 'mixed' ? ' (mixed columns and tensors: MLflow rejects this)' : '';
  // Bounded: a model with thousands of columns must not produce a megabyte of hover.
  const shown = part.columns.slice(0, 50);
  const rows = shown.map((c) => `| ${cell(c.name ?? '*(by position)*')} | ${cell(c.type)} | ${requiredLabel(c)} |`);
  const more = part.columns.length > shown.length ? `\n\n…and ${part.columns.length - shown.length} more` : '';
  return [`${title}${kindLabel}`, '', '| name | type | required |', '|---|---|---|', ...rows].join('\n') + more;
}

/** MLflow's default when `required` is absent: scalar columns are required, compound ones optional. */
function requiredLabel(column: SignaturePart['columns'][number]): string {
  if (column.required === true) return 'required';
  if (column.required === false) return 'optional';
  if (column.type.startsWith('tensor')) return '—';
  return /^(array|object|map)\b/.test(column.type) ? 'optional' : 'required';
}
