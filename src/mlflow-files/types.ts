// Shared value types of the MLproject/MLmodel core. Shapes follow LSP so the server can pass them through.

/** 0-based line and UTF-16 character offset, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix: a title for the light-bulb menu and the edits it applies to the same document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix the editor may apply on its own (LSP `isPreferred`). */
  preferred?: boolean;
}

export interface Finding {
  range: Range;
  severity: Severity;
  /** Stable rule id, e.g. `undeclared-placeholder`; see RULES in rules.ts. */
  code: string;
  message: string;
  fix?: Fix[];
}

/** A value read from the document together with the range of its text. */
export interface ValueAt<T> {
  value: T;
  range: Range;
}

/**
 * Files beside the document (paths relative to the folder holding the MLproject/MLmodel, `/`-separated).
 * Lets the server prefer open editor buffers and the CLI read the disk.
 */
export interface ProjectFiles {
  exists(relativePath: string): Promise<boolean>;
  readText(relativePath: string): Promise<string | undefined>;
}
