// The request handlers as plain functions of a parsed document, so the same code answers on the main
// thread and in the analysis worker that holds very large documents (largeDocuments.ts).
import type {
  CodeLensParams,
  CompletionParams,
  DefinitionParams,
  DocumentHighlightParams,
  DocumentLinkParams,
  DocumentSymbolParams,
  FoldingRangeParams,
  HoverParams,
  PrepareRenameParams,
  ReferenceParams,
  RenameParams,
} from 'vscode-languageserver';
import type { Finding, ProjectFiles } from '../mlflow-files';
import { lintMlmodelModel } from '../mlflow-files/mlmodel-rules';
import { lintMlprojectModel } from '../mlflow-files/mlproject-rules';
import type { AnalyzedDocument } from './analysis';
import { codeLenses } from './codeLens';
import { completion } from './completion';
import { hover } from './hover';
import { documentLinks } from './links';
import { definition, documentHighlights, prepareRename, references, rename } from './navigation';
import { documentSymbols, foldingRanges } from './outline';

export const FEATURES = {
  completion: (a: AnalyzedDocument, p: CompletionParams) => completion(a, p.position),
  hover: (a: AnalyzedDocument, p: HoverParams) => hover(a, p.position),
  definition: (a: AnalyzedDocument, p: DefinitionParams) => definition(a, p.position),
  references: (a: AnalyzedDocument, p: ReferenceParams) => references(a, p.position, p.context.includeDeclaration),
  documentHighlight: (a: AnalyzedDocument, p: DocumentHighlightParams) => documentHighlights(a, p.position),
  documentLink: (a: AnalyzedDocument, _p: DocumentLinkParams, files?: ProjectFiles) => documentLinks(a, files),
  prepareRename: (a: AnalyzedDocument, p: PrepareRenameParams) => prepareRename(a, p.position),
  rename: (a: AnalyzedDocument, p: RenameParams) => rename(a, p.position, p.newName),
  documentSymbol: (a: AnalyzedDocument, _p: DocumentSymbolParams) => documentSymbols(a),
  foldingRange: (a: AnalyzedDocument, _p: FoldingRangeParams) => foldingRanges(a),
  codeLens: (a: AnalyzedDocument, _p: CodeLensParams) => codeLenses(a),
};

export type FeatureName = keyof typeof FEATURES;
export type FeatureParams<N extends FeatureName> = Parameters<(typeof FEATURES)[N]>[1];
/** How a request handler is called: the parsed document, the request, and the files beside the document. */
export type FeatureHandler<N extends FeatureName> = (
  a: AnalyzedDocument,
  p: FeatureParams<N>,
  files: ProjectFiles | undefined,
) => FeatureResult<N> | Promise<FeatureResult<N>>;
export type FeatureResult<N extends FeatureName> = Awaited<ReturnType<(typeof FEATURES)[N]>>;

/** The rules' findings for a parsed document (the rules run on the shared model, not a second parse). */
export function findingsOf(analyzed: AnalyzedDocument, files: ProjectFiles | undefined): Promise<Finding[]> {
  return analyzed.model.kind === 'mlproject' ? lintMlprojectModel(analyzed.model, files) : lintMlmodelModel(analyzed.model, files);
}
