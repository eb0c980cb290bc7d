/**
 * Quoting command-line arguments for the shell of an integrated terminal, so that a
 * path or URI with spaces, quotes, `$`, `%` or `;` reaches the program as one literal
 * argument and never runs as shell code. Plain module: no `vscode` import.
 */

export type ShellKind = 'posix' | 'fish' | 'powershell' | 'cmd';

export class ShellQuoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellQuoteError';
  }
}

/**
 * The kind of shell from its executable path (`/bin/zsh`, `C:\...\pwsh.exe`, `fish`).
 * Unknown shells fall back to the platform's usual family.
 */
export function shellKindFromPath(shellPath: string | undefined, platform: NodeJS.Platform = process.platform): ShellKind {
  const name = (shellPath ?? '').split(/[\\/]/).pop()?.toLowerCase().replace(/\.exe$/, '') ?? '';
  if (name === 'fish') return 'fish';
  if (name === 'pwsh' || name === 'powershell' || name.startsWith('pwsh-')) return 'powershell';
  if (name === 'cmd') return 'cmd';
  if (['bash', 'zsh', 'sh', 'dash', 'ksh', 'mksh', 'ash', 'busybox', 'wsl', 'git-bash'].includes(name)) return 'posix';
  return platform === 'win32' ? 'powershell' : 'posix';
}

const POSIX_SAFE = /^[A-Za-z0-9_\-.,:/@+]+$/;

/** One argument, quoted for the shell. */
export function quoteArg(arg: string, shell: ShellKind): string {
  if (arg.includes('\0')) throw new ShellQuoteError('An argument contains a NUL character, which no shell can pass on.');
  switch (shell) {
    case 'posix':
      return quotePosix(arg);
    case 'fish':
      return quoteFish(arg);
    case 'powershell':
      return quotePowerShell(arg);
    case 'cmd':
      return quoteCmd(arg);
  }
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
  if (POSIX_SAFE.test(arg) && !arg.startsWith('-') && !arg.startsWith('@')) return arg;
  return `'${arg.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c)}'`;
}

/**
 * cmd.exe: double quotes, with the program's argument parser rules (backslashes before
 * a quote doubled, a quote written `""`). `%` cannot be escaped inside quotes, so each
 * one is placed outside them as `^%`: the caret stops `%NAME%` from expanding.
 * Line breaks cannot be passed through cmd at all.
 */
function quoteCmd(arg: string): string {
  if (/[\r\n]/.test(arg)) throw new ShellQuoteError('An argument contains a line break, which cmd.exe cannot pass on.');
  if (/^[A-Za-z0-9_\-.:/\\@+]+$/.test(arg)) return arg;
  return arg
    .split('%')
    .map((piece) => `"${piece.replace(/(\\*)"/g, (_m, slashes: string) => `${slashes}${slashes}""`).replace(/(\\+)$/, '$1$1')}"`)
    .join('^%');
}

/**
 * A full command line: the program, then its arguments, each quoted. PowerShell needs
 * the call operator `&` to run a quoted program path.
 */
export function buildCommandLine(program: string, args: readonly string[], shell: ShellKind): string {
  const quotedProgram = quoteArg(program, shell);
  const line = [quotedProgram, ...args.map((a) => quoteArg(a, shell))].join(' ');
  return shell === 'powershell' ? `& ${line}` : line;
}
