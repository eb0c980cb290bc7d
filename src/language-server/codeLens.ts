// Code lenses: "Run" and "Run with parameters…" above each MLproject entry point, "Serve model" at the
// top of an MLmodel. The commands are the extension's (see src/protocol); other editors may ignore them.
import type { CodeLens } from 'vscode-languageserver';
import { RUN_ENTRY_POINT_COMMAND, SERVE_MODEL_COMMAND, type RunEntryPointArgs, type ServeModelArgs } from '../protocol/languageServer';
import type { AnalyzedDocument } from './analysis';

export function codeLenses(analyzed: AnalyzedDocument): CodeLens[] {
  const { model, uri } = analyzed;
  if (model.kind === 'mlproject') {
    return model.entryPoints.flatMap((entryPoint) => {
      const run: RunEntryPointArgs = { uri, entryPoint: entryPoint.name, askParameters: false };
      const ask: RunEntryPointArgs = { uri, entryPoint: entryPoint.name, askParameters: true };
      return [
        { range: entryPoint.nameRange, command: { title: 'Run', command: RUN_ENTRY_POINT_COMMAND, arguments: [run] } },
        { range: entryPoint.nameRange, command: { title: 'Run with parameters…', command: RUN_ENTRY_POINT_COMMAND, arguments: [ask] } },
      ];
    });
  }
  // An MLmodel with no top-level mapping is not a model anyone can serve.
  if (!model.root) return [];
  const first = model.topLevelKeys[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const serve: ServeModelArgs = { uri };
  return [{ range: first, command: { title: 'Serve model', command: SERVE_MODEL_COMMAND, arguments: [serve] } }];
}
