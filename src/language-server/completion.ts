// Completion: keys by context, values (parameter types, flavor names, enumerations, signature types),
// file paths (environment files, entry-point scripts, files an MLmodel names), `{parameter}` names in
// a command, and snippets for a new entry point and a new parameter.
import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { MlprojectModel } from '../mlflow-files';
import {
  COLUMN_TYPES,
  COMPOUND_COLUMN_TYPES,
  DOCUMENTED_PARAMETER_TYPES,
  FLAVOR_DOCS,
  PARAMETER_TYPES,
  TENSOR_DTYPES,
  keyDocAt,
  keysAt,
  type KeyDoc,
} from '../mlflow-files/schema';
import type { AnalyzedDocument } from './analysis';
import { findParameter } from './placeholders';
import { listFolder } from './projectFiles';
import { cursorContext, type CursorContext } from './yamlContext';

export const COMPLETION_TRIGGER_CHARACTERS = ['{', ':', ' ', '/', '"'];

const TYPE_CHOICE = `\${2|${DOCUMENTED_PARAMETER_TYPES.join(',')}|}`;

export function keyDocumentation(doc: KeyDoc | undefined): { kind: 'markdown'; value: string } | undefined {
  if (!doc) return undefined;
  const type = doc.type ? `*${doc.type}*\n\n` : '';
  return { kind: MarkupKind.Markdown, value: `${type}${doc.description}\n\n[MLflow documentation](${doc.url})` };
}

export async function completion(analyzed: AnalyzedDocument, position: Position): Promise<CompletionList | null> {
  const text = analyzed.document.getText();
  const context = cursorContext(text, position.line, position.character);
  // A comment is free text.
  if (/(^|\s)#/.test(stripQuoted(context.linePrefix))) return null;
  const items: CompletionItem[] = [];
  const replace = (start: number): Range => ({ start: { line: position.line, character: start }, end: position });

  if (context.on === 'key' || context.on === 'flow-key') {
    items.push(...keyItems(analyzed, context, replace(context.prefixStart)));
  } else {
    items.push(...separatedFromColon(context, await valueItems(analyzed, context, position, replace)));
  }
  if (!items.length) return null;
  items.forEach((item, index) => (item.sortText ??= String(index).padStart(4, '0')));
  return { isIncomplete: false, items };
}

/** The line with quoted strings blanked, so a `#` inside quotes is not taken for a comment. */
function stripQuoted(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, (m) => ' '.repeat(m.length));
}

function keyItems(analyzed: AnalyzedDocument, context: CursorContext, range: Range): CompletionItem[] {
  const { kind } = analyzed;
  const items: CompletionItem[] = [];
  const present = new Set(context.siblings);
  const flow = context.on === 'flow-key';
  for (const key of keysAt(kind, context.path)) {
    if (present.has(key)) continue;
    const doc = keyDocAt(kind, [...context.path, key]);
    const isFlavor = kind === 'mlmodel' && context.path.length === 1 && context.path[0] === 'flavors';
    items.push({
      label: key,
      kind: isFlavor ? CompletionItemKind.Module : CompletionItemKind.Property,
      detail: isFlavor ? 'flavor' : doc?.type,
      documentation: isFlavor ? { kind: MarkupKind.Markdown, value: FLAVOR_DOCS[key]?.description ?? '' } : keyDocumentation(doc),
      textEdit: { range, newText: flow ? `${key}: $0` : keySnippet(key, doc, isFlavor) },
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
    });
  }
  if (kind !== 'mlproject' || flow) return items;
  const [a, entryPointName, c] = context.path;
  if (a === 'entry_points' && context.path.length === 1) {
    items.push({
      label: 'new entry point',
      kind: CompletionItemKind.Snippet,
      detail: 'An entry point with a parameter and a command',
      filterText: context.prefix || 'entry',
      textEdit: {
        range,
        newText: `\${1:main}:\n  parameters:\n    \${2:alpha}: {type: ${TYPE_CHOICE.replace('${2', '${3')}, default: \${4:0.1}}\n  command: "python \${5:train.py} --\${2:alpha} {\${2:alpha}}"`,
      },
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
    });
  }
  if (a === 'entry_points' && c === 'parameters' && context.path.length === 3) {
    // Placeholders the command already uses but nobody declared come first.
    const entryPoint = (analyzed.model as MlprojectModel).entryPoints.find((e) => e.name === entryPointName);
    const undeclared = new Set<string>();
    for (const placeholder of entryPoint?.command?.placeholders ?? []) {
      if (placeholder.name && /^[A-Za-z_][\w-]*$/.test(placeholder.name) && !findParameter(entryPoint!, placeholder.name) && !present.has(placeholder.name))
        undeclared.add(placeholder.name);
    }
    for (const name of undeclared) {
      items.push({
        label: name,
        kind: CompletionItemKind.Variable,
        detail: 'used in the command, not declared',
        textEdit: { range, newText: `${name}: {type: ${TYPE_CHOICE.replace('${2', '${1')}, default: \${2}}` },
        insertTextFormat: InsertTextFormat.Snippet,
      });
    }
    items.push({
      label: 'new parameter',
      kind: CompletionItemKind.Snippet,
      detail: 'name: {type: …, default: …}',
      filterText: context.prefix || 'param',
      textEdit: { range, newText: `\${1:name}: {type: ${TYPE_CHOICE}, default: \${3}}` },
      insertTextFormat: InsertTextFormat.Snippet,
    });
  }
  return items;
}

function keySnippet(key: string, doc: KeyDoc | undefined, isFlavor: boolean): string {
  if (doc?.snippet) return `${key}:${doc.snippet}`;
  if (isFlavor || doc?.type === 'mapping') return `${key}:\n  $0`;
  if (doc?.type?.startsWith('list')) return `${key}:\n  - $0`;
  return `${key}: $0`;
}

/**
 * `key:` followed directly by a value is one plain scalar to YAML (`alpha:string`, `{type:int}`),
 * the very trap the rules warn about: a value typed right after the colon gets its space.
 */
function separatedFromColon(context: CursorContext, items: CompletionItem[]): CompletionItem[] {
  if (context.linePrefix[context.prefixStart - 1] !== ':') return items;
  for (const item of items) {
    if (item.textEdit && 'newText' in item.textEdit) item.textEdit.newText = ` ${item.textEdit.newText}`;
  }
  return items;
}

async function valueItems(
  analyzed: AnalyzedDocument,
  context: CursorContext,
  position: Position,
  replace: (start: number) => Range,
): Promise<CompletionItem[]> {
  const { kind } = analyzed;
  const path = context.path;
  if (kind === 'mlproject') {
    const [a, entryPointName, c, , e] = path;
    if (a === 'entry_points' && path[2] === 'command') return commandItems(analyzed, entryPointName, context, position, replace);
    const isType =
      a === 'entry_points' &&
      c === 'parameters' &&
      ((path.length === 5 && e === 'type') || (path.length === 4 && (context.on === 'value' || context.on === 'flow-value')));
    if (isType) {
      return DOCUMENTED_PARAMETER_TYPES.map((type) => ({
        label: type,
        kind: CompletionItemKind.TypeParameter,
        documentation: { kind: MarkupKind.Markdown, value: PARAMETER_TYPES[type].description },
        textEdit: { range: replace(context.prefixStart), newText: type },
      }));
    }
    if ((a === 'conda_env' || a === 'python_env') && path.length === 1) return fileItems(analyzed.uri, context, replace, /\.ya?ml$/i);
  }
  if (kind === 'mlmodel' && path[0] === 'signature' && path.length >= 2) return signatureTypeItems(path[1], context, replace);
  const doc = keyDocAt(kind, path);
  if (doc?.values?.length) {
    return doc.values.map((value) => ({
      label: value,
      kind: CompletionItemKind.EnumMember,
      textEdit: { range: replace(context.prefixStart), newText: value },
    }));
  }
  if (doc?.type === 'path' || doc?.type === 'path or mapping') return fileItems(analyzed.uri, context, replace);
  return [];
}

function commandItems(
  analyzed: AnalyzedDocument,
  entryPointName: string,
  context: CursorContext,
  position: Position,
  replace: (start: number) => Range,
): Promise<CompletionItem[]> | CompletionItem[] {
  // `{` not doubled (`{{` is a literal brace), followed by the start of a name.
  const field = /(^|[^{])((?:\{\{)*)\{([A-Za-z_][\w-]*)?$/.exec(context.linePrefix);
  if (field) {
    const partial = field[3] ?? '';
    const entryPoint = (analyzed.model as MlprojectModel).entryPoints.find((e) => e.name === entryPointName);
    const lineText = analyzed.document.getText({ start: position, end: { line: position.line, character: position.character + 1 } });
    const close = lineText === '}' ? '' : '}';
    const names = new Map<string, string>();
    for (const parameter of entryPoint?.parameters ?? []) {
      const type = parameter.type?.value ?? 'string';
      const def = parameter.default && parameter.default.value !== null ? ` = ${parameter.default.text}` : ' (required)';
      names.set(parameter.name, `${type}${def}`);
    }
    return [...names].map(([name, detail]) => ({
      label: name,
      kind: CompletionItemKind.Variable,
      detail,
      textEdit: { range: replace(position.character - partial.length), newText: `${name}${close}` },
    }));
  }
  // After an interpreter, the scripts it runs; a word with a slash is some path.
  const previousWord = /(\S+)\s+[\w.\-/]*$/.exec(context.linePrefix)?.[1] ?? '';
  const scripts: Record<string, RegExp> = { python: /\.py$/, python3: /\.py$/, bash: /\.sh$/, sh: /\.sh$/, zsh: /\.sh$/, source: /\.sh$/, Rscript: /\.[Rr]$/ };
  if (scripts[previousWord]) return fileItems(analyzed.uri, context, replace, scripts[previousWord]);
  if (context.prefix.includes('/')) return fileItems(analyzed.uri, context, replace);
  return [];
}

async function fileItems(uri: string, context: CursorContext, replace: (start: number) => Range, only?: RegExp): Promise<CompletionItem[]> {
  const partial = context.prefix;
  const slash = partial.lastIndexOf('/');
  const folder = slash >= 0 ? partial.slice(0, slash + 1) : '';
  const entries = await listFolder(uri, folder);
  const range = replace(context.prefixStart + folder.length);
  return entries
    .filter((entry) => !entry.name.startsWith('.') && entry.name !== 'node_modules' && entry.name !== '__pycache__')
    .filter((entry) => entry.isDirectory || !only || only.test(entry.name))
    .sort((x, y) => Number(y.isDirectory) - Number(x.isDirectory) || x.name.localeCompare(y.name))
    .slice(0, 500)
    .map((entry) =>
      entry.isDirectory
        ? {
            label: `${entry.name}/`,
            kind: CompletionItemKind.Folder,
            textEdit: { range, newText: `${entry.name}/` },
            command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
          }
        : { label: entry.name, kind: CompletionItemKind.File, textEdit: { range, newText: entry.name } },
    );
}

/** `"type": "…` and `"dtype": "…` inside a signature's JSON string. */
function signatureTypeItems(section: string, context: CursorContext, replace: (start: number) => Range): CompletionItem[] {
  const match = /"(type|dtype)"\s*:\s*"([\w-]*)$/.exec(context.linePrefix);
  if (!match) return [];
  const range = replace(context.linePrefix.length - match[2].length);
  const isTensorDtype = match[1] === 'dtype' && section !== 'params';
  if (isTensorDtype) return TENSOR_DTYPES.map((dtype) => ({ label: dtype, kind: CompletionItemKind.TypeParameter, textEdit: { range, newText: dtype } }));
  const types: [string, string][] = [...Object.entries(COLUMN_TYPES), ...Object.entries(COMPOUND_COLUMN_TYPES)];
  if (section === 'params') {
    return types
      .filter(([t]) => t !== 'binary' && t !== 'map' && t !== 'any' && t !== 'sparkml_vector')
      .map(([t, doc]) => ({ label: t, kind: CompletionItemKind.TypeParameter, documentation: doc, textEdit: { range, newText: t } }));
  }
  types.push(['tensor', 'a tensor, described by `tensor-spec` (`dtype` and `shape`)']);
  return types.map(([t, doc]) => ({ label: t, kind: CompletionItemKind.TypeParameter, documentation: doc, textEdit: { range, newText: t } }));
}
