// Document links: the files an MLproject or MLmodel names (environment files, scripts a command runs,
// path defaults, model files) open with Ctrl+click. Only files that exist are linked; a missing one
// already has its diagnostic, and a folder (a model's `data` directory) is not something an editor opens.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver';
import { fileReferences, type ProjectFiles } from '../mlflow-files';
import type { AnalyzedDocument } from './analysis';
import { folderOf } from './projectFiles';

export async function documentLinks(analyzed: AnalyzedDocument, files: ProjectFiles | undefined): Promise<DocumentLink[]> {
  const folder = folderOf(analyzed.uri);
  if (!folder || !files) return [];
  // One answer per distinct path (a generated project names the same script thousands of times). The cached
  // folder listings say which names exist; only those are asked whether they are files.
  const targets = new Map<string, Promise<string | undefined>>();
  const targetOf = (relativePath: string) => {
    let target = targets.get(relativePath);
    if (!target) {
      target = (async () => {
        if (!(await files.exists(relativePath))) return undefined;
        const absolute = path.resolve(folder, relativePath);
        const isFile = await fs.stat(absolute).then(
          (stat) => stat.isFile(),
          () => false,
        );
        return isFile ? pathToFileURL(absolute).href : undefined;
      })();
      targets.set(relativePath, target);
    }
    return target;
  };
  const references = fileReferences(analyzed.model);
  const resolved = await Promise.all(references.map((reference) => targetOf(reference.value)));
  const links: DocumentLink[] = [];
  references.forEach((reference, i) => {
    const target = resolved[i];
    if (target) links.push({ range: reference.range, target, tooltip: `Open ${reference.value}` });
  });
  return links;
}
