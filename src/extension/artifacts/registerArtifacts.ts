import * as vscode from 'vscode';
import type { RunExplorerModel } from '../explorer/runExplorerModel';
import type { ArtifactNode } from '../runs/runNodes';
import { ARTIFACT_SCHEME, artifactUri } from './artifactFileSystem';
import { artifactOpenKind } from './artifactKinds';

export interface ArtifactsDeps {
  explorer: RunExplorerModel;
}

/** Run artifacts as read-only documents: the `mlflow-artifact:` file system and Open Artifact. */
export function registerArtifacts(_context: vscode.ExtensionContext, deps: ArtifactsDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerFileSystemProvider(ARTIFACT_SCHEME, deps.explorer.artifacts, { isReadonly: true, isCaseSensitive: true }),
    vscode.commands.registerCommand('mlflow.openArtifact', (node?: ArtifactNode) => openArtifact(node)),
  );
}

/** Text opens in an editor, images in the image preview, `MLmodel` with its language; all read-only. */
async function openArtifact(node: ArtifactNode | undefined): Promise<void> {
  if (!node || node.file.is_dir) return;
  const uri = artifactUri(node.session, node.runNode.run.info.run_id, node.file.path);
  const kind = artifactOpenKind(node.file.path);
  if (kind === 'image') {
    await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
    return;
  }
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    const shown = kind === 'mlmodel' && document.languageId !== 'mlmodel' ? await vscode.languages.setTextDocumentLanguage(document, 'mlmodel') : document;
    await vscode.window.showTextDocument(shown, { preview: true });
  } catch {
    // Binary or too large for a text document: let VS Code choose (it offers to open binaries anyway).
    await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  }
}
