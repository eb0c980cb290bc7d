// Quick fixes: the `fix` edits the core rules attach to their findings (declare a parameter a command
// uses, correct a misspelt key or type, remove an unused parameter…), offered for the diagnostics in
// the requested range.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../mlflow-files';
import { rangesIntersect, sameRange } from './positions';
import { toDiagnostic } from './validation';

export interface PublishedFindings {
  version: number;
  findings: Finding[];
}

export function codeActions(params: CodeActionParams, published: PublishedFindings | undefined, currentVersion: number): CodeAction[] {
  // Fixes computed for an older version would edit the wrong text.
  if (!published || published.version !== currentVersion) return [];
  const only = params.context.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const actions: CodeAction[] = [];
  for (const finding of published.findings) {
    if (!finding.fix?.length || !rangesIntersect(finding.range, params.range)) continue;
    const diagnostic: Diagnostic =
      params.context.diagnostics.find((d) => d.code === finding.code && sameRange(d.range, finding.range)) ?? toDiagnostic(finding);
    for (const fix of finding.fix) {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [params.textDocument.uri]: fix.edits } },
      };
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}
