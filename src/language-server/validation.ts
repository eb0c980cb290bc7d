// Diagnostics: findings of the core rules turned into LSP diagnostics, validated per document with a
// debounce after edits and at once on open. Each document has its own timer and its own in-flight
// run; a result computed for an outdated version is dropped instead of published.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../mlflow-files';
import type { OpenDocuments } from './projectFiles';
import { errorMessage } from '../format/errors';

export const DIAGNOSTIC_SOURCE = 'mlflow';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITIES[finding.severity],
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
}

export interface ValidationHost {
  documents: OpenDocuments & { get(uri: string): TextDocument | undefined };
  /** The rules' findings for the document's current version; undefined when it is not an MLflow file. */
  findings(document: TextDocument): Promise<Finding[] | undefined>;
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  /** Called with every result that was published, so code actions can find the fixes behind a diagnostic. */
  remember(uri: string, version: number, findings: Finding[]): void;
  log(message: string): void;
}

export class ValidationScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Bumped on every schedule and close, so a slower, older run cannot overwrite a newer result. */
  private readonly tickets = new Map<string, number>();

  constructor(
    private readonly host: ValidationHost,
    private readonly delayMs: number,
  ) {}

  /** Validate now (document opened). */
  validateNow(uri: string): void {
    this.clearTimer(uri);
    void this.run(uri, this.nextTicket(uri));
  }

  /** Validate after the debounce delay (document edited, or a neighbouring file changed). */
  schedule(uri: string): void {
    if (this.delayMs <= 0) return this.validateNow(uri);
    this.clearTimer(uri);
    const ticket = this.nextTicket(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.run(uri, ticket);
      }, this.delayMs),
    );
  }

  /** Document closed: stop pending work and clear its diagnostics. */
  close(uri: string): void {
    this.clearTimer(uri);
    this.nextTicket(uri);
    this.host.publish(uri, undefined, []);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private nextTicket(uri: string): number {
    const ticket = (this.tickets.get(uri) ?? 0) + 1;
    this.tickets.set(uri, ticket);
    return ticket;
  }

  private clearTimer(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  private async run(uri: string, ticket: number): Promise<void> {
    const document = this.host.documents.get(uri);
    if (!document) return;
    const version = document.version;
    let findings: Finding[];
    try {
      const result = await this.host.findings(document);
      if (!result) return;
      findings = result;
    } catch (error) {
      // A parser or rule bug on some input must not take the server down, nor leave the previous
      // version's diagnostics standing as if they were current: say so on the document, and log it.
      const message = errorMessage(error);
      this.host.log(`Validation of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : message}`);
      if (this.tickets.get(uri) !== ticket || this.host.documents.get(uri)?.version !== version) return;
      this.host.remember(uri, version, []);
      this.host.publish(uri, version, [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: DiagnosticSeverity.Error,
          code: 'internal-error',
          source: DIAGNOSTIC_SOURCE,
          message: `The MLflow language server could not check this file (${message}). This is a bug in the server; other features may be unavailable until the text changes.`,
        },
      ]);
      return;
    }
    if (this.tickets.get(uri) !== ticket || this.host.documents.get(uri)?.version !== version) return;
    this.host.remember(uri, version, findings);
    this.host.publish(uri, version, findings.map(toDiagnostic));
  }
}
