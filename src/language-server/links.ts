// Document links: the files an MLproject or MLmodel names (environment files, scripts a command runs,
// path defaults, model files) open with Ctrl+click. Only files that exist are linked; a missing one
// already has its diagnostic, and a folder (a model's `data` directory) is not something an editor opens.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver';
import { fileReferences } from '../mlflow-files';
import type { AnalyzedDocument } from './analysis';
import { folderOf } from './projectFiles';

export async function documentLinks(analyzed: AnalyzedDocument): Promise<DocumentLink[]> {
  const folder = folderOf(analyzed.uri);
  if (!folder) return [];
  const isFile = new Map<string, Promise<boolean>>();
  const check = (file: string) => {
    let known = isFile.get(file);
    if (!known) {
      known = fs.stat(file).then((stat) => stat.isFile(), () => false);
      isFile.set(file, known);
    }
    return known;
  };
  const references = fileReferences(analyzed.model);
  const targets = references.map((reference) => path.resolve(folder, reference.value));
  const exists = await Promise.all(targets.map(check));
  const links: DocumentLink[] = [];
  references.forEach((reference, i) => {
    if (exists[i]) links.push({ range: reference.range, target: pathToFileURL(targets[i]).href, tooltip: `Open ${reference.value}` });
  });
  return links;
}
