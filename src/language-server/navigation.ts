// Go to definition, find references, highlights and rename between a parameter and its `{placeholders}`.
import {
  DocumentHighlightKind,
  ResponseError,
  ErrorCodes,
  type DocumentHighlight,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { AnalyzedDocument } from './analysis';
import { findParameter, parameterNameRange, parameterTargetAt } from './placeholders';

export function definition(analyzed: AnalyzedDocument, position: Position): Location[] {
  if (analyzed.model.kind !== 'mlproject') return [];
  const target = parameterTargetAt(analyzed.model, position);
  if (!target?.parameter) return [];
  return [{ uri: analyzed.uri, range: target.parameter.nameRange }];
}

export function references(analyzed: AnalyzedDocument, position: Position, includeDeclaration: boolean): Location[] {
  if (analyzed.model.kind !== 'mlproject') return [];
  const target = parameterTargetAt(analyzed.model, position);
  if (!target) return [];
  const locations: Location[] = [];
  if (includeDeclaration && target.parameter) locations.push({ uri: analyzed.uri, range: target.parameter.nameRange });
  for (const occurrence of target.occurrences) locations.push({ uri: analyzed.uri, range: occurrence.placeholder.range });
  return locations;
}

/** The parameter under the cursor: its declaration (written) and every placeholder that reads it. */
export function documentHighlights(analyzed: AnalyzedDocument, position: Position): DocumentHighlight[] {
  if (analyzed.model.kind !== 'mlproject') return [];
  const target = parameterTargetAt(analyzed.model, position);
  if (!target) return [];
  const highlights: DocumentHighlight[] = target.entryPoint.parameters
    .filter((parameter) => parameter.name === target.name)
    .map((parameter) => ({ range: parameter.nameRange, kind: DocumentHighlightKind.Write }));
  for (const occurrence of target.occurrences) highlights.push({ range: occurrence.placeholder.range, kind: DocumentHighlightKind.Read });
  return highlights;
}

export function prepareRename(analyzed: AnalyzedDocument, position: Position): { range: Range; placeholder: string } | null {
  if (analyzed.model.kind !== 'mlproject') return null;
  const target = parameterTargetAt(analyzed.model, position);
  if (!target) return null;
  if (target.parameter && target.origin === target.parameter.nameRange) {
    return { range: parameterNameRange(analyzed.model, target.parameter), placeholder: target.name };
  }
  const occurrence = target.occurrences.find((o) => o.placeholder.range === target.origin);
  return occurrence ? { range: occurrence.nameRange, placeholder: target.name } : null;
}

/** A name that works both as a YAML key and as a str.format keyword field without quoting. */
const VALID_PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function rename(analyzed: AnalyzedDocument, position: Position, newName: string): WorkspaceEdit | null {
  if (analyzed.model.kind !== 'mlproject') return null;
  const model = analyzed.model;
  const target = parameterTargetAt(model, position);
  if (!target) return null;
  if (!VALID_PARAMETER_NAME.test(newName)) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `'${newName}' cannot be a parameter name: use letters, digits, '_' or '-', starting with a letter or '_'.`,
    );
  }
  if (newName !== target.name && findParameter(target.entryPoint, newName)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `Entry point '${target.entryPoint.name}' already has a parameter '${newName}'.`);
  }
  const edits: TextEdit[] = [];
  // Every declaration of the name (PyYAML keeps the last duplicate, but leaving one behind would change which wins).
  for (const parameter of [...target.entryPoint.parameters, ...target.entryPoint.shadowedParameters]) {
    if (parameter.name === target.name) edits.push({ range: parameterNameRange(model, parameter), newText: newName });
  }
  for (const occurrence of target.occurrences) edits.push({ range: occurrence.nameRange, newText: newName });
  return { changes: { [analyzed.uri]: edits } };
}
