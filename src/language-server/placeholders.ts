// What a position in an MLproject points at, for definition, references and rename: a `{placeholder}`
// in an entry point's command, or the name of a declared parameter.
import type { Position, Range } from 'vscode-languageserver';
import type { EntryPoint, MlprojectModel, Parameter, Placeholder } from '../mlflow-files';
import { rangeContains } from './positions';

export interface PlaceholderOccurrence {
  placeholder: Placeholder;
  /** Range of the name alone (`alpha` in `{alpha:.2f}`), for rename. */
  nameRange: Range;
}

export interface ParameterTarget {
  entryPoint: EntryPoint;
  /** The parameter name, declared or not. */
  name: string;
  /** The declaration, when the entry point declares it. */
  parameter?: Parameter;
  /** Where the cursor is: on the declaration's name or on a placeholder. */
  origin: Range;
  occurrences: PlaceholderOccurrence[];
}

/**
 * The placeholders of an entry point that name `name`, with the ranges of their names. A placeholder
 * whose text could not be located exactly in the source (a field split by YAML folding) is skipped:
 * editing its computed range would damage the file.
 */
export function occurrencesOf(model: MlprojectModel, entryPoint: EntryPoint, name: string): PlaceholderOccurrence[] {
  const result: PlaceholderOccurrence[] = [];
  for (const placeholder of entryPoint.command?.placeholders ?? []) {
    if (placeholder.name !== name || name === '') continue;
    const nameRange = nameRangeOf(model, placeholder);
    if (nameRange) result.push({ placeholder, nameRange });
  }
  return result;
}

function nameRangeOf(model: MlprojectModel, placeholder: Placeholder): Range | undefined {
  const { parsed } = model;
  const start = parsed.offsetAt(placeholder.range.start);
  const end = parsed.offsetAt(placeholder.range.end);
  if (parsed.text.slice(start, end) !== placeholder.text) return undefined;
  // Nested fields (`{x:{width}}`) start with their own brace too.
  return parsed.rangeOfOffsets(start + 1, start + 1 + placeholder.name.length);
}

/** The range of a parameter key's text without YAML quotes, so rename keeps the quoting style. */
export function parameterNameRange(model: MlprojectModel, parameter: Parameter): Range {
  const { parsed } = model;
  const start = parsed.offsetAt(parameter.nameRange.start);
  const end = parsed.offsetAt(parameter.nameRange.end);
  const text = parsed.text.slice(start, end);
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) {
    return parsed.rangeOfOffsets(start + 1, end - 1);
  }
  return parameter.nameRange;
}

export function parameterTargetAt(model: MlprojectModel, position: Position): ParameterTarget | undefined {
  for (const entryPoint of model.entryPoints) {
    if (!rangeContains(entryPoint.range, position)) continue;
    for (const parameter of entryPoint.parameters) {
      if (rangeContains(parameter.nameRange, position)) {
        return { entryPoint, name: parameter.name, parameter, origin: parameter.nameRange, occurrences: occurrencesOf(model, entryPoint, parameter.name) };
      }
    }
    // Nested fields come after the field holding them, so the innermost match is found first.
    for (const placeholder of [...(entryPoint.command?.placeholders ?? [])].reverse()) {
      if (!placeholder.name || !rangeContains(placeholder.range, position)) continue;
      const parameter = findParameter(entryPoint, placeholder.name);
      return { entryPoint, name: placeholder.name, parameter, origin: placeholder.range, occurrences: occurrencesOf(model, entryPoint, placeholder.name) };
    }
  }
  return undefined;
}

/** The declaration MLflow uses for a name: the last one, as PyYAML keeps the last duplicate key. */
export function findParameter(entryPoint: EntryPoint, name: string): Parameter | undefined {
  let found: Parameter | undefined;
  for (const parameter of entryPoint.parameters) if (parameter.name === name) found = parameter;
  return found;
}
