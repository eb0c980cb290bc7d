// One parsed model per open document version, shared by every feature (completion, hover, outline…),
// so a burst of requests after an edit parses the text once.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fileKindOf, parseMlmodel, parseMlproject, type FileKind, type MlmodelModel, type MlprojectModel } from '../mlflow-files';
import { YamlBlockCache } from '../mlflow-files/yaml-blocks';

export type DocumentModel = MlprojectModel | MlmodelModel;

export interface AnalyzedDocument {
  uri: string;
  version: number;
  kind: FileKind;
  document: TextDocument;
  model: DocumentModel;
}

/**
 * Which MLflow file a document is. The language id wins (VS Code maps file names to `mlproject` and
 * `mlmodel`); other editors may send `yaml`, so the file name decides then.
 */
export function documentKind(document: Pick<TextDocument, 'uri' | 'languageId'>): FileKind | undefined {
  if (document.languageId === 'mlproject' || document.languageId === 'mlmodel') return document.languageId;
  let path = document.uri;
  try {
    path = decodeURIComponent(new URL(document.uri).pathname);
  } catch {
    // Not a URL: use the string as it is.
  }
  return fileKindOf(path);
}

export class AnalysisCache {
  private readonly entries = new Map<string, AnalyzedDocument>();
  /** Per document, the YAML blocks of its last parse: an edit re-parses only the blocks it touched. */
  private readonly blocks = new Map<string, YamlBlockCache>();

  /** The model of the document's current version, parsed on first use. */
  get(document: TextDocument | undefined): AnalyzedDocument | undefined {
    if (!document) return undefined;
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version && cached.document === document) return cached;
    const kind = documentKind(document);
    if (!kind) return undefined;
    const text = document.getText();
    let blocks = this.blocks.get(document.uri);
    if (!blocks) this.blocks.set(document.uri, (blocks = new YamlBlockCache()));
    const model = kind === 'mlproject' ? parseMlproject(text, blocks) : parseMlmodel(text, blocks);
    const analyzed: AnalyzedDocument = { uri: document.uri, version: document.version, kind, document, model };
    this.entries.set(document.uri, analyzed);
    return analyzed;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
    this.blocks.delete(uri);
  }
}
