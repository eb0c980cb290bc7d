// Random documents and edits for the robustness and incremental-parse tests (test/mlflow-files/fuzz.test.ts,
// incremental.test.ts): the YAML punctuation both vocabularies share, and one random edit.

/** What makes YAML structure: separators, brackets, quotes, line breaks with indentation. */
/** MLproject keys, in the order the fuzz and incremental tests have always drawn them (same seeded sequences). */
export const MLPROJECT_KEY_TOKENS = [
  'name',
  'entry_points',
  'main',
  'parameters',
  'command',
  'type',
  'default',
  'conda_env',
  'python_env',
  'docker_env',
  'image',
];

export const YAML_PUNCTUATION = [':', ': ', '- ', '{', '}', '[', ']', ',', '"', "'", '\n', '\n  ', '\n    ', '\n      ', '  '];

/**
 * One random edit of `text`: delete a span (30 %), insert one of `pieces` (up to `insertBelow`), swap two
 * lines (up to 80 %), or copy a span of up to `copyChars` characters elsewhere (the rest).
 */
export function randomEdit(text: string, rand: () => number, pieces: readonly string[], insertBelow: number, copyChars: number): string {
  const at = Math.floor(rand() * (text.length + 1));
  const choice = rand();
  if (choice < 0.3) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 20));
  if (choice < insertBelow) return text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + text.slice(at);
  if (choice < 0.8) {
    const lines = text.split('\n');
    const a = Math.floor(rand() * lines.length);
    const b = Math.floor(rand() * lines.length);
    [lines[a], lines[b]] = [lines[b], lines[a]];
    return lines.join('\n');
  }
  return text.slice(0, at) + text.slice(Math.floor(rand() * text.length)).slice(0, copyChars) + text.slice(at);
}
