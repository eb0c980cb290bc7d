// `mlflow-lint lint`: checks MLproject and MLmodel files with the same rules as the language server.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { guardDeepNesting } from '../language-server/deepNesting';
import { fileKindOf, lint, nodeProjectFiles, type FileKind, type Finding } from '../mlflow-files';

export const USAGE = `Usage: mlflow-lint lint [--format text|json] [--kind mlproject|mlmodel] FILE_OR_DIR...

Checks MLproject and MLmodel files for what MLflow would reject before running them.
A directory is searched for MLproject (any casing) and MLmodel files.

Options:
  --format text|json   Output format (default: text). JSON is an array of
                       {file, range, severity, code, message}, 0-based positions.
  --kind KIND          Treat every FILE as KIND (for files not named MLproject/MLmodel).
  -h, --help           Show this help.

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or I/O problem.`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface FileFinding extends Omit<Finding, 'fix'> {
  file: string;
}

class UsageError extends Error {}

interface Options {
  format: 'text' | 'json';
  kind?: FileKind;
  inputs: string[];
}

function parseArgs(args: string[]): Options | 'help' {
  const options: Options = { format: 'text', inputs: [] };
  let onlyFiles = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (onlyFiles) {
      options.inputs.push(arg);
      continue;
    }
    if (arg === '--') onlyFiles = true;
    else if (arg === '-h' || arg === '--help') return 'help';
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (value !== 'text' && value !== 'json') throw new UsageError(`--format must be text or json, not ${value === undefined ? 'nothing' : `'${value}'`}`);
      options.format = value;
    } else if (arg === '--kind' || arg.startsWith('--kind=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (value !== 'mlproject' && value !== 'mlmodel')
        throw new UsageError(`--kind must be mlproject or mlmodel, not ${value === undefined ? 'nothing' : `'${value}'`}`);
      options.kind = value;
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
    else options.inputs.push(arg);
  }
  if (options.inputs.length === 0) throw new UsageError('no files given');
  return options;
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__']);

async function collect(input: string, kind: FileKind | undefined): Promise<{ file: string; kind: FileKind }[]> {
  let stat;
  try {
    stat = await fs.stat(input);
  } catch {
    throw new UsageError(`cannot read '${input}': no such file or directory`);
  }
  if (stat.isFile()) {
    const fileKind = kind ?? fileKindOf(input);
    if (!fileKind) throw new UsageError(`'${input}' is not named MLproject or MLmodel; pass --kind mlproject or --kind mlmodel`);
    return [{ file: input, kind: fileKind }];
  }
  if (!stat.isDirectory()) throw new UsageError(`'${input}' is not a regular file or a folder (${specialKind(stat)})`);
  const found: { file: string; kind: FileKind }[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(full);
      } else if (entry.isFile()) {
        const fileKind = fileKindOf(entry.name);
        if (fileKind) found.push({ file: full, kind: fileKind });
      } else if (fileKindOf(entry.name) && !entry.isSymbolicLink()) {
        // A FIFO or socket named MLproject: reading it would block or fail obscurely.
        throw new UsageError(`'${full}' is not a regular file (${specialKind(entry)})`);
      }
    }
  };
  await walk(input);
  return found;
}

/** What a non-regular, non-folder entry is, in words. */
function specialKind(entry: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'not a file';
}

/** Runs the `lint` command; returns the exit status. */
export async function runLint(args: string[], io: CliIo): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    io.err(`mlflow-lint: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const results: FileFinding[] = [];
  let fileCount = 0;
  try {
    for (const input of options.inputs) {
      for (const { file, kind } of await collect(input, options.kind)) {
        const text = await fs.readFile(file, 'utf8');
        fileCount++;
        // Brackets nested thousands deep would overflow the parser's stack: reported, and skipped.
        const { document, findings: tooDeep } = guardDeepNesting(TextDocument.create(file, kind, 1, text));
        const findings = [...tooDeep, ...(await lint(kind, document.getText(), nodeProjectFiles(path.dirname(path.resolve(file)))))];
        for (const { range, severity, code, message } of findings) results.push({ file, range, severity, code, message });
      }
    }
  } catch (error) {
    const message = error instanceof UsageError ? error.message : `cannot read: ${(error as Error).message}`;
    io.err(`mlflow-lint: ${message}\n`);
    return 2;
  }
  if (options.format === 'json') io.out(`${JSON.stringify(results, null, 2)}\n`);
  else io.out(formatText(results, fileCount));
  return results.some((f) => f.severity === 'error') ? 1 : 0;
}

export function formatText(results: FileFinding[], fileCount: number): string {
  const lines = results.map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} [${f.code}] ${f.message}`);
  const count = (severity: Finding['severity']) => results.filter((f) => f.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(fileCount, 'file')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('information') + count('hint')} notes.`,
  );
  return `${lines.join('\n')}\n`;
}
