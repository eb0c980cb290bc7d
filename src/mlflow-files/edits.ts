// Text-edit helpers for quick fixes: line-aware insertion and removal in a YAML document.
import { isMap, type Node } from 'yaml';
import type { EntryPoint, Parameter } from './mlproject';
import type { Fix, Range } from './types';
import type { ParsedYaml } from './yaml-document';

export function replaceFix(title: string, range: Range, newText: string, preferred = false): Fix {
  return { title, edits: [{ range, newText }], preferred };
}

function lineText(parsed: ParsedYaml, line: number): string {
  const start = parsed.offsetAt({ line, character: 0 });
  const end = parsed.offsetAt({ line: line + 1, character: 0 });
  return parsed.text.slice(start, end).replace(/\r?\n$|\r$/, '');
}

function indentOf(parsed: ParsedYaml, line: number): string {
  return /^[ \t]*/.exec(lineText(parsed, line))![0];
}

// Per document, not per fix: a file with thousands of fixes would scan its whole text for each.
const lineBreaks = new WeakMap<ParsedYaml, string>();

function lineBreak(parsed: ParsedYaml): string {
  let eol = lineBreaks.get(parsed);
  if (eol === undefined) lineBreaks.set(parsed, (eol = parsed.text.includes('\r\n') ? '\r\n' : '\n'));
  return eol;
}

function isBlock(node: Node | null | undefined): boolean {
  return !!node && isMap(node) && !node.flow;
}

/** Declares `name` in an entry point: a new line in a block `parameters`, or a new `parameters:` block. */
export function declareParameterFix(parsed: ParsedYaml, entryPoint: EntryPoint, name: string): Fix | undefined {
  const eol = lineBreak(parsed);
  const declaration = `${name}: {type: string}`;
  const last = entryPoint.parameters[entryPoint.parameters.length - 1];
  if (last) {
    const parametersNode = parentMapOf(entryPoint);
    if (!isBlock(parametersNode)) return undefined;
    const first = entryPoint.parameters[0];
    // Keys must sit alone at the start of their line for a line insertion to stay valid YAML.
    if (first.nameRange.start.character !== indentOf(parsed, first.nameRange.start.line).length) return undefined;
    const indent = indentOf(parsed, first.nameRange.start.line);
    const at = { line: last.entryRange.end.line + 1, character: 0 };
    const atEnd = at.line >= parsed.lineCounter.lineStarts.length;
    const text = atEnd ? `${eol}${indent}${declaration}` : `${indent}${declaration}${eol}`;
    const range = atEnd ? { start: last.entryRange.end, end: last.entryRange.end } : { start: at, end: at };
    return { title: `Declare parameter '${name}'`, edits: [{ range, newText: text }] };
  }
  if (entryPoint.parametersKeyRange) return undefined; // `parameters:` present but empty or odd: no safe edit.
  const anchor = entryPoint.commandKeyRange;
  if (!anchor || !isBlock(entryPoint.node)) return undefined;
  const indent = indentOf(parsed, anchor.start.line);
  if (anchor.start.character !== indent.length) return undefined;
  const at = { line: anchor.start.line, character: 0 };
  // Nest one level deeper, by the step the file already uses between the entry point and its keys.
  const step = ' '.repeat(Math.max(2, indent.length - indentOf(parsed, entryPoint.nameRange.start.line).length));
  return {
    title: `Declare parameter '${name}'`,
    edits: [{ range: { start: at, end: at }, newText: `${indent}parameters:${eol}${indent}${step}${declaration}${eol}` }],
  };
}

function parentMapOf(entryPoint: EntryPoint): Node | undefined {
  if (!isMap(entryPoint.node)) return undefined;
  const pair = entryPoint.node.items.find(
    (item) => item && typeof item === 'object' && 'key' in item && String((item.key as { value?: unknown })?.value) === 'parameters',
  );
  return (pair?.value as Node | undefined) ?? undefined;
}

/** Removes a parameter's whole lines, when it is a block-mapping entry alone on its lines. */
export function removeParameterFix(parsed: ParsedYaml, entryPoint: EntryPoint, parameter: Parameter): Fix | undefined {
  if (!isBlock(parentMapOf(entryPoint))) return undefined;
  const startLine = parameter.nameRange.start.line;
  if (parameter.nameRange.start.character !== indentOf(parsed, startLine).length) return undefined;
  const endLine = parameter.entryRange.end.line;
  const lineCount = parsed.lineCounter.lineStarts.length;
  // Removing the last parameter would leave `parameters:` null, which MLflow cannot load.
  if (entryPoint.parameters.length === 1) return undefined;
  const range: Range =
    endLine + 1 < lineCount
      ? { start: { line: startLine, character: 0 }, end: { line: endLine + 1, character: 0 } }
      : { start: parsed.positionAt(parsed.offsetAt({ line: startLine, character: 0 }) - lineBreak(parsed).length), end: parameter.entryRange.end };
  return { title: `Remove unused parameter '${parameter.name}'`, edits: [{ range, newText: '' }] };
}
