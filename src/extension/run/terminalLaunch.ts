import * as vscode from 'vscode';
import type { CommandLine } from '../../mlflow-cli/commandLines';
import { buildCommandLine, ShellQuoteError, shellKindFromPath, shellKindFromTerminalShell, type ShellKind } from '../../shell';

/** Shells VS Code has no shell integration for: the command is typed at once. */
const NO_SHELL_INTEGRATION = new Set(['cmd', 'sh', 'dash', 'ksh', 'mksh', 'ash', 'csh', 'tcsh']);

/**
 * How long a new terminal may take to report shell integration (`mlflow.terminal.shellIntegrationTimeout`,
 * seconds) before the command is typed with sendText; usually well under a second, but a loaded or
 * remote machine can take several.
 */
function shellIntegrationWaitMs(shellPath: string): number {
  const name =
    shellPath
      .split(/[\\/]/)
      .pop()
      ?.toLowerCase()
      .replace(/\.exe$/, '') ?? '';
  if (NO_SHELL_INTEGRATION.has(name)) return 0;
  const seconds = vscode.workspace.getConfiguration('mlflow').get<number>('terminal.shellIntegrationTimeout') ?? 10;
  return Math.max(0, Math.min(120, seconds)) * 1000;
}

export interface LaunchedCommand {
  terminal: vscode.Terminal;
  /** The line as typed, quoted for the terminal's shell. */
  text: string;
  shell: ShellKind;
  /** Present when shell integration ran the command: its output can be read and its end awaited. */
  execution?: vscode.TerminalShellExecution;
}

/**
 * Runs a command line in a new integrated terminal (never one that may be busy), with its
 * working folder and environment, every argument quoted for that terminal's shell. Through
 * shell integration when the terminal reports it within a few seconds, else with sendText.
 * A value the shell cannot pass on is refused with a message, before anything is typed.
 */
export async function launchInTerminal(
  line: CommandLine,
  options: { name: string; icon: string; output: vscode.LogOutputChannel },
): Promise<LaunchedCommand | undefined> {
  // Refuse early, for the default shell, so that no terminal opens for a command that cannot run.
  const expected = shellKindFromPath(vscode.env.shell);
  if (!quote(line, expected)) return undefined;
  const terminal = vscode.window.createTerminal({
    name: options.name,
    cwd: line.cwd,
    env: line.env,
    iconPath: new vscode.ThemeIcon(options.icon),
  });
  terminal.show(true);
  const integration = await waitForShellIntegration(terminal, shellIntegrationWaitMs(vscode.env.shell));
  const reported = terminal.state.shell;
  // A shell we cannot quote for is refused. Any other type VS Code reports for the terminal we
  // just opened with the default profile falls back to the default profile's shell: VS Code 1.139
  // derives the type from the pty's foreground process name, polled every 200 ms (python*, julia*,
  // node, nu, xonsh, pwsh, and AI-agent CLIs: claude, codex, copilot, gemini, commandcode), and also
  // from the terminal title a shell sets (/claude\s*code/, /\bcopilot\b/, /\bgemini\b/, …: a prompt
  // that puts a folder named "gemini-eval" in the title makes a bash terminal report "gemini").
  const kind = reported ? (shellKindFromTerminalShell(reported, vscode.env.shell) ?? (UNQUOTABLE_SHELLS.has(reported) ? undefined : expected)) : expected;
  if (reported && kind === expected && !shellKindFromTerminalShell(reported, vscode.env.shell)) {
    options.output.info(`${options.name}: the terminal reported "${reported}"; quoting for ${vscode.env.shell || 'the default shell'} instead`);
  }
  if (!kind) {
    void vscode.window.showErrorMessage(
      `The terminal runs ${reported}, whose quoting the MLflow extension does not know, so the command was not typed. ` +
        'Choose bash, zsh, fish, PowerShell or cmd as the default terminal profile.',
    );
    terminal.dispose();
    return undefined;
  }
  const text = quote(line, kind);
  if (text === undefined) {
    terminal.dispose();
    return undefined;
  }
  options.output.info(`${options.name}: ${text} (${kind} quoting${integration ? ', shell integration' : ''})`);
  if (integration && kind !== 'cmd') {
    return { terminal, text, shell: kind, execution: integration.executeCommand(text) };
  }
  terminal.sendText(text, true);
  return { terminal, text, shell: kind };
}

/** Shells VS Code can report whose quoting we do not implement: a command is never typed into them. */
const UNQUOTABLE_SHELLS = new Set(['csh', 'tcsh', 'nu', 'xonsh']);

function quote(line: CommandLine, kind: ShellKind): string | undefined {
  try {
    return buildCommandLine(line.program, line.args, kind);
  } catch (error) {
    const message = error instanceof ShellQuoteError ? error.message : String(error);
    void vscode.window.showErrorMessage(`Not run: ${message}`);
    return undefined;
  }
}

function waitForShellIntegration(terminal: vscode.Terminal, timeoutMs: number): Promise<vscode.TerminalShellIntegration | undefined> {
  if (terminal.shellIntegration || timeoutMs === 0) return Promise.resolve(terminal.shellIntegration);
  return new Promise((resolve) => {
    const done = (value: vscode.TerminalShellIntegration | undefined) => {
      clearTimeout(timer);
      listener.dispose();
      closed.dispose();
      resolve(value);
    };
    const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal === terminal) done(e.shellIntegration);
    });
    const closed = vscode.window.onDidCloseTerminal((t) => {
      if (t === terminal) done(undefined);
    });
    const timer = setTimeout(() => done(terminal.shellIntegration), timeoutMs);
  });
}
