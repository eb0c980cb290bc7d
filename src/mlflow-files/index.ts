// Editor-independent core for `MLproject` and `MLmodel` files: parsing into a model with ranges, and the
// rules that find what MLflow would reject before it runs. Used by the language server and the CLI; no
// editor imports, only the `yaml` package.
//
// Public API (stable; the language server depends on it). All positions are 0-based lines and UTF-16
// characters, like LSP.
//   fileKindOf(fileName): 'mlproject' (MLproject in any casing, as MLflow finds it) | 'mlmodel' | undefined
//   parseMlproject(text, cache?): MlprojectModel   { kind, parsed, root?, name?, environments[], entryPointsKeyRange?,
//                                            entryPoints[], topLevelKeys[] }            (mlproject.ts)
//     EntryPoint { name, nameRange, range, command?, commandKeyRange?, parametersKeyRange?, parameters[], otherKeys[], node }
//     Parameter  { name, nameRange, entryRange, shortForm, type?: {value, range}, default?: {value, range, text}, otherKeys[], node }
//     CommandTemplate { text, range, placeholders: {name, text, range, field}[], scripts: {value, range}[], formatError? }
//   parseMlmodel(text, cache?): MlmodelModel        { kind, parsed, root?, topLevelKeys[], flavorsKeyRange?, flavors[],
//                                            signature?, files[] }                      (mlmodel.ts)
//     Flavor { name, nameRange, keys: {key, keyRange, value, valueRange, node}[], node }
//     Signature { keyRange, parts: SignaturePart[], node }; SignaturePart { section, keyRange, valueRange, raw,
//       json?, jsonError?, specKind?, columns: {name?, type, required?, default?, shape?, json}[] }
//     NamedFile { keyPath, path, range }: files the model names, relative to its folder
//   YamlBlockCache (yaml-blocks.ts): pass the same one for every version of one document (an editor) and only
//     the blocks an edit touched are parsed again; same result as without. A model parsed with a cache is
//     valid until the next parse with that cache.
//   ParsedYaml (yaml-document.ts): text, doc, lineCounter, templated, rangeOf(node), rangeOfOffsets(a, b),
//     offsetAt(pos), positionAt(offset), nodePathAt(offset) -> {path, on: 'key'|'value'|'none', node?, pair?}, rootMap()
//   lintMlproject(text, files?) / lintMlmodel(text, files?) / lint(kind, text, files?): Promise<Finding[]>,
//     sorted by position. Finding { range, severity, code, message, fix?: {title, edits, preferred?}[] }.
//     Without `files`, checks that need neighbouring files are skipped.
//   ProjectFiles { exists(rel), readText(rel) }; nodeProjectFiles(dir) reads the disk.
//   RULES (rules.ts): code -> {severity, summary} for every finding code.
//   parseFormatTemplate(command): MLflow's str.format view of a command (command-template.ts).
//   fileReferences(model): the files a document names ({value: relative path, range}), for links.
//   schema.ts: key documentation for completion and hover (KeyDoc tables, keyDocAt, keysAt).
import { lintMlmodelModel } from './mlmodel-rules';
import { lintMlprojectModel } from './mlproject-rules';
import { parseMlmodel } from './mlmodel';
import { parseMlproject } from './mlproject';
import type { Finding, ProjectFiles } from './types';
import { YamlBlockCache } from './yaml-blocks';

export type FileKind = 'mlproject' | 'mlmodel';

export * from './types';
export { parseYaml, type ParsedYaml } from './yaml-document';
export { parseMlproject, type MlprojectModel, type EntryPoint, type Parameter, type Placeholder } from './mlproject';
export { parseMlmodel, type MlmodelModel, type SignaturePart } from './mlmodel';
export { parseFormatTemplate } from './command-template';
export { fileReferences } from './file-references';
export { nodeProjectFiles } from './project-files';
export { RULES } from './rules';

/** Which kind of MLflow file a name is: MLflow finds `MLproject` case-insensitively; `MLmodel` is exact. */
export function fileKindOf(fileName: string): FileKind | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  if (base.toLowerCase() === 'mlproject') return 'mlproject';
  if (base === 'MLmodel') return 'mlmodel';
  return undefined;
}

// A throwaway block cache still pays: blocks the fast reader takes skip the yaml package's parser, and
// the result equals a full parse (test/mlflow-files/incremental.test.ts).

/** Findings for an MLproject text. `files` resolves paths relative to the project folder; without it, file checks are skipped. */
export async function lintMlproject(text: string, files?: ProjectFiles): Promise<Finding[]> {
  return sortFindings(await lintMlprojectModel(parseMlproject(text, new YamlBlockCache()), files));
}

/** Findings for an MLmodel text. `files` resolves paths relative to the model folder; without it, file checks are skipped. */
export async function lintMlmodel(text: string, files?: ProjectFiles): Promise<Finding[]> {
  return sortFindings(await lintMlmodelModel(parseMlmodel(text, new YamlBlockCache()), files));
}

export function lint(kind: FileKind, text: string, files?: ProjectFiles): Promise<Finding[]> {
  return kind === 'mlproject' ? lintMlproject(text, files) : lintMlmodel(text, files);
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
}
