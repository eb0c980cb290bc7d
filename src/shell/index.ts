/**
 * Quoting command-line arguments for the shell of an integrated terminal, so that a
 * path, URI or parameter value with spaces, quotes, `$`, `%` or `;` reaches the program
 * as one literal argument and never runs as shell code. Plain module: no `vscode` import.
 *
 * A value that a shell cannot pass on literally is refused with a ShellQuoteError (its
 * message is shown to the user as is) rather than quoted approximately: a line break in
 * any shell (the line is typed into a terminal, where a newline runs what precedes it),
 * `%` and `!` in cmd.exe, and in Windows PowerShell 5.1 an empty argument or a `"`,
 * which it drops or mangles when calling a native program.
 */

/**
 * Quoting rules: `posix` (sh, dash, bash, zsh, ksh, Git Bash), `fish`, `powershell`
 * (PowerShell 7, `pwsh`), `windowspowershell` (Windows PowerShell 5.1), `cmd`.
 */
export type ShellKind = 'posix' | 'fish' | 'powershell' | 'windowspowershell' | 'cmd';

export class ShellQuoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellQuoteError';
  }
}

const POSIX_NAMES = ['bash', 'zsh', 'sh', 'dash', 'ksh', 'mksh', 'ash', 'busybox', 'wsl', 'git-bash', 'gitbash'];

/**
 * The kind of shell from its executable path (`/bin/zsh`, `C:\...\pwsh.exe`, `fish`).
 * Unknown shells fall back to the platform's usual family.
 */
export function shellKindFromPath(shellPath: string | undefined, platform: NodeJS.Platform = process.platform): ShellKind {
  const name =
    (shellPath ?? '')
      .split(/[\\/]/)
      .pop()
      ?.toLowerCase()
      .replace(/\.exe$/, '') ?? '';
  if (name === 'fish') return 'fish';
  if (name === 'pwsh' || name.startsWith('pwsh-')) return 'powershell';
  if (name === 'powershell') return 'windowspowershell';
  if (name === 'cmd') return 'cmd';
  if (POSIX_NAMES.includes(name)) return 'posix';
  return platform === 'win32' ? 'powershell' : 'posix';
}

/**
 * The kind of shell from VS Code's `TerminalState.shell` ('bash', 'cmd', 'csh', 'fish', 'gitbash',
 * 'julia', 'ksh', 'node', 'nu', 'pwsh', 'python', 'sh', 'wsl', 'zsh'; VS Code reports Windows
 * PowerShell as 'pwsh' too, so `shellPath` tells them apart). Undefined for shells whose quoting
 * this module does not know (csh, nu, a REPL): a command must not be typed there.
 */
export function shellKindFromTerminalShell(shell: string | undefined, shellPath?: string): ShellKind | undefined {
  switch (shell) {
    case 'bash':
    case 'zsh':
    case 'sh':
    case 'ksh':
    case 'gitbash':
    case 'wsl':
      return 'posix';
    case 'fish':
      return 'fish';
    case 'pwsh':
    case 'powershell':
      return shellPath && shellKindFromPath(shellPath) === 'windowspowershell' ? 'windowspowershell' : 'powershell';
    case 'cmd':
      return 'cmd';
    default:
      return undefined;
  }
}

const POSIX_SAFE = /^[A-Za-z0-9_\-.,:/@+]+$/;
/** PowerShell turns `a,b` into an array (two arguments), so a comma is not safe there. */
const POWERSHELL_SAFE = /^[A-Za-z0-9_\-.:/@+\\]+$/;

/** One argument, quoted for the shell. Throws ShellQuoteError for a value the shell cannot pass on. */
export function quoteArg(arg: string, shell: ShellKind): string {
  if (arg.includes('\0')) throw new ShellQuoteError('A value contains a NUL character, which no shell can pass on.');
  if (/[\r\n\u2028\u2029\u0085]/.test(arg)) {
    throw new ShellQuoteError(`A value contains a line break, which cannot be typed into a terminal as one command: ${preview(arg)}`);
  }
  switch (shell) {
    case 'posix':
      return quotePosix(arg);
    case 'fish':
      return quoteFish(arg);
    case 'powershell':
      return quotePowerShell(arg);
    case 'windowspowershell':
      if (arg === '')
        throw new ShellQuoteError('Windows PowerShell 5.1 drops an empty argument when it runs a program; use PowerShell 7 (pwsh) or another shell.');
      if (arg.includes('"')) {
        throw new ShellQuoteError(
          `Windows PowerShell 5.1 cannot pass a double quote to a program intact: ${preview(arg)}. Use PowerShell 7 (pwsh) or another shell.`,
        );
      }
      return quotePowerShell(arg);
    case 'cmd':
      return quoteCmd(arg);
  }
}

function preview(arg: string): string {
  const flat = arg.replace(/[\r\n\u2028\u2029\u0085]/g, '⏎');
  return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 57)}…` : flat);
}

/** Single quotes take everything literally in sh, bash and zsh; a quote is closed, escaped and reopened. */
function quotePosix(arg: string): string {
  if (POSIX_SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** In fish single quotes only `\\` and `\'` are escapes. */
function quoteFish(arg: string): string {
  if (POSIX_SAFE.test(arg)) return arg;
  return `'${arg.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** PowerShell single quotes are literal; a quote (including the typographic ones PowerShell also accepts) is doubled. */
function quotePowerShell(arg: string): string {
  if (POWERSHELL_SAFE.test(arg) && !arg.startsWith('-') && !arg.startsWith('@')) return arg;
  return `'${arg.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c)}'`;
}

/**
 * cmd.exe: double quotes, with the program's argument parser rules (backslashes before a
 * quote doubled, a quote written `""`, which also keeps cmd's own quote state in step).
 * `%` expands variables even inside quotes and `!` does too with delayed expansion; no
 * quoting stops that reliably at an interactive prompt, so such a value is refused.
 */
function quoteCmd(arg: string): string {
  if (/[%!]/.test(arg)) {
    throw new ShellQuoteError(
      `cmd.exe expands % and ! even inside quotes, so this value cannot be passed safely: ${preview(arg)}. Use PowerShell or another shell.`,
    );
  }
  if (/^[A-Za-z0-9_\-.:/\\@+]+$/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, (_m, slashes: string) => `${slashes}${slashes}""`).replace(/(\\+)$/, '$1$1')}"`;
}

/**
 * A full command line: the program, then its arguments, each quoted. PowerShell needs
 * the call operator `&` to run a quoted program path.
 */
export function buildCommandLine(program: string, args: readonly string[], shell: ShellKind): string {
  const quotedProgram = quoteArg(program, shell);
  const line = [quotedProgram, ...args.map((a) => quoteArg(a, shell))].join(' ');
  return shell === 'powershell' || shell === 'windowspowershell' ? `& ${line}` : line;
}
