// The files an MLproject or MLmodel names, with where it names them: what the editor can open from the
// document. The rules check the same names (missing environment files, scripts, path defaults, model files).
import { localPath, SCRIPT_ENTRY_POINT } from './entry-point-rules';
import type { MlmodelModel } from './mlmodel';
import type { MlprojectModel } from './mlproject';
import type { ValueAt } from './types';

/** Paths relative to the document's folder, in document order of kind. */
export function fileReferences(model: MlprojectModel | MlmodelModel): ValueAt<string>[] {
  if (model.kind === 'mlmodel') return model.files.map((file) => ({ value: file.path, range: file.range }));
  const references: ValueAt<string>[] = [];
  for (const environment of model.environments) {
    if (environment.file) references.push({ value: environment.file, range: environment.valueRange });
  }
  for (const entryPoint of model.entryPoints) {
    if (SCRIPT_ENTRY_POINT.test(entryPoint.name)) references.push({ value: entryPoint.name, range: entryPoint.nameRange });
    for (const parameter of entryPoint.parameters) {
      const value = parameter.default?.value;
      if ((parameter.type?.value ?? 'string') !== 'path' || typeof value !== 'string') continue;
      const local = localPath(value);
      if (local !== undefined) references.push({ value: local, range: parameter.default!.range });
    }
    for (const script of entryPoint.command?.scripts ?? []) references.push(script);
  }
  return references;
}
