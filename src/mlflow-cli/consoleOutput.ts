/**
 * Reading MLflow's console output as it streams from a terminal: the line `mlflow run` logs
 * when the run exists (`=== Running command '…' in run with ID '<id>' ===`) and the outcome
 * line at the end (`=== Run (ID '<id>') succeeded ===`, or `failed ===` from the CLI's error
 * handler). Terminal data arrives in arbitrary chunks with escape sequences and `\r\n`; this
 * reassembles lines and strips the escapes. Plain module: no `vscode` import.
 */

export type RunOutputEvent = { kind: 'started'; runId: string; command: string } | { kind: 'succeeded'; runId: string } | { kind: 'failed'; runId: string };

const STARTED = /=== Running command '(.*)' in run with ID '([0-9A-Za-z-]+)' ===/;
const OUTCOME = /=== Run \(ID '([0-9A-Za-z-]+)'\) (succeeded|failed) ===/;
/** CSI sequences (colours, cursor), OSC sequences (titles, shell integration marks), other two-byte escapes. */
// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripTerminalEscapes(text: string): string {
  return text.replace(ESCAPES, '');
}

/** The event a single line of MLflow's output announces, if any. */
export function parseRunOutputLine(line: string): RunOutputEvent | undefined {
  const started = STARTED.exec(line);
  if (started) return { kind: 'started', runId: started[2], command: started[1] };
  const outcome = OUTCOME.exec(line);
  if (outcome) return { kind: outcome[2] === 'succeeded' ? 'succeeded' : 'failed', runId: outcome[1] };
  return undefined;
}

/** Feeds chunks of terminal data; returns the events of the lines they complete. */
export class RunOutputReader {
  private pending = '';
  /** Lines longer than this are dropped (a progress bar without line breaks must not grow memory). */
  private static readonly MAX_LINE = 64 * 1024;

  push(chunk: string): RunOutputEvent[] {
    this.pending += chunk;
    const events: RunOutputEvent[] = [];
    let newline = this.pending.search(/[\r\n]/);
    while (newline >= 0) {
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      const event = parseRunOutputLine(stripTerminalEscapes(line));
      if (event) events.push(event);
      newline = this.pending.search(/[\r\n]/);
    }
    if (this.pending.length > RunOutputReader.MAX_LINE) this.pending = '';
    return events;
  }

  /** The last line, when the stream ends without a line break. */
  end(): RunOutputEvent[] {
    const line = this.pending;
    this.pending = '';
    const event = parseRunOutputLine(stripTerminalEscapes(line));
    return event ? [event] : [];
  }
}
