// Document symbols (the outline: entry points and their parameters, flavors, signature parts) and
// folding ranges (every multi-line mapping or sequence value, block scalar and comment block).
import { isMap, isPair, isSeq, type Node } from 'yaml';
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange, type Range } from 'vscode-languageserver';
import type { MlmodelModel, MlprojectModel, ParsedYaml } from '../mlflow-files';
import type { AnalyzedDocument } from './analysis';

export function documentSymbols(analyzed: AnalyzedDocument): DocumentSymbol[] {
  return analyzed.model.kind === 'mlproject' ? mlprojectSymbols(analyzed.model) : mlmodelSymbols(analyzed.model);
}

function symbol(name: string, kind: SymbolKind, range: Range, selectionRange: Range, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  // LSP requires a non-empty name and a selection range inside the range.
  const result: DocumentSymbol = { name: name || '(empty)', kind, range, selectionRange };
  if (detail) result.detail = detail;
  if (children) result.children = children;
  return result;
}

function oneLine(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function mlprojectSymbols(model: MlprojectModel): DocumentSymbol[] {
  const { parsed } = model;
  const symbols: DocumentSymbol[] = [];
  for (const pair of topLevelPairs(parsed)) {
    const key = String(pair.keyText);
    const range = pair.range;
    if (key === 'entry_points') {
      const children = model.entryPoints.map((entryPoint) =>
        symbol(
          entryPoint.name,
          SymbolKind.Function,
          entryPoint.range,
          entryPoint.nameRange,
          entryPoint.command ? oneLine(entryPoint.command.text) : undefined,
          entryPoint.parameters.map((parameter) => {
            const type = parameter.type?.value ?? 'string';
            const detail = parameter.default && parameter.default.value !== null ? `${type} = ${oneLine(parameter.default.text, 30)}` : `${type} (required)`;
            return symbol(parameter.name, SymbolKind.Variable, parameter.entryRange, parameter.nameRange, detail);
          }),
        ),
      );
      symbols.push(symbol(key, SymbolKind.Namespace, range, pair.keyRange, `${model.entryPoints.length} entry point(s)`, children));
    } else {
      const kind = key === 'conda_env' || key === 'python_env' ? SymbolKind.File : key === 'docker_env' ? SymbolKind.Package : SymbolKind.Property;
      symbols.push(symbol(key, kind, range, pair.keyRange, pair.valueSummary));
    }
  }
  return symbols;
}

function mlmodelSymbols(model: MlmodelModel): DocumentSymbol[] {
  const { parsed } = model;
  const symbols: DocumentSymbol[] = [];
  for (const pair of topLevelPairs(parsed)) {
    const key = String(pair.keyText);
    if (key === 'flavors') {
      const children = model.flavors.map((flavor) => {
        const end = flavor.keys.length ? flavor.keys[flavor.keys.length - 1].valueRange.end : flavor.nameRange.end;
        return symbol(
          flavor.name,
          SymbolKind.Class,
          { start: flavor.nameRange.start, end },
          flavor.nameRange,
          undefined,
          flavor.keys.map((k) => symbol(k.key, SymbolKind.Property, { start: k.keyRange.start, end: k.valueRange.end }, k.keyRange, summarize(k.value))),
        );
      });
      symbols.push(symbol(key, SymbolKind.Namespace, pair.range, pair.keyRange, `${model.flavors.length} flavor(s)`, children));
    } else if (key === 'signature' && model.signature) {
      const children = model.signature.parts.map((part) =>
        symbol(
          part.section,
          SymbolKind.Interface,
          { start: part.keyRange.start, end: part.valueRange.end },
          part.keyRange,
          part.columns.length
            ? `${part.columns.length} ${part.specKind === 'tensors' ? 'tensor(s)' : part.section === 'params' ? 'param(s)' : 'column(s)'}`
            : undefined,
        ),
      );
      symbols.push(symbol(key, SymbolKind.Struct, pair.range, pair.keyRange, undefined, children));
    } else {
      symbols.push(symbol(key, SymbolKind.Property, pair.range, pair.keyRange, pair.valueSummary));
    }
  }
  return symbols;
}

function summarize(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') return undefined;
  return oneLine(String(value), 40);
}

interface TopLevelPair {
  keyText: string;
  keyRange: Range;
  range: Range;
  valueSummary?: string;
}

function topLevelPairs(parsed: ParsedYaml): TopLevelPair[] {
  const root = parsed.rootMap();
  if (!root) return [];
  const result: TopLevelPair[] = [];
  for (const item of root.items) {
    if (!isPair(item) || !item.key) continue;
    const key = item.key as Node;
    const value = item.value as Node | null;
    if (!key.range) continue;
    const end = value?.range ? value.range[1] : key.range[1];
    const scalarValue = value && !isMap(value) && !isSeq(value) ? (value as { value?: unknown }).value : undefined;
    result.push({
      keyText: String((key as { value?: unknown }).value ?? ''),
      keyRange: parsed.rangeOf(key),
      range: parsed.rangeOf({ range: [key.range[0], end, end] } as unknown as Node),
      valueSummary: summarize(scalarValue),
    });
  }
  return result;
}

export function foldingRanges(analyzed: AnalyzedDocument): FoldingRange[] {
  const { parsed } = analyzed.model;
  const ranges: FoldingRange[] = [];
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine > startLine) ranges.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };
  const visit = (node: Node | null | undefined, depth: number) => {
    // Deeply nested YAML (or a fuzzed document) must not overflow the stack.
    if (!node || depth > 100) return;
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = item.key as Node | null;
        const value = item.value as Node | null;
        if (key?.range && value?.range) add(parsed.positionAt(key.range[0]).line, parsed.rangeOf(value).end.line);
        visit(value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const child = item as Node;
        if (child?.range && (isMap(child) || isSeq(child))) add(parsed.positionAt(child.range[0]).line, parsed.rangeOf(child).end.line);
        visit(child, depth + 1);
      }
    }
  };
  visit(parsed.doc.contents as Node | null, 0);
  // Runs of two or more full-line comments.
  const lines = parsed.text.split(/\r\n|\r|\n/);
  let runStart = -1;
  for (let i = 0; i <= lines.length; i++) {
    const isComment = i < lines.length && /^\s*#/.test(lines[i]);
    if (isComment && runStart < 0) runStart = i;
    if (!isComment && runStart >= 0) {
      add(runStart, i - 1, FoldingRangeKind.Comment);
      runStart = -1;
    }
  }
  return ranges;
}
