import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCommandLine, quoteArg, ShellQuoteError, shellKindFromPath, shellKindFromTerminalShell, type ShellKind } from '../../src/shell';

/** Values a user may type as a parameter, a run name or a path; each must arrive as exactly this text. */
const HOSTILE = [
  'plain',
  '',
  ' ',
  'with space',
  'a b; rm -rf ~',
  '$(whoami)',
  '`id`',
  "'quoted'",
  '"double"',
  "it's",
  'dollar $HOME and ${HOME} and $((1+1))',
  'semi; rm -rf /tmp/x && echo hi | cat > out',
  'glob * ? [a] {a,b}',
  'back\\slash\\',
  'trailing backslash before quote\\"',
  '=equals-first',
  '~tilde',
  '~',
  '-dash-first',
  '--%',
  '@splat',
  'a,b',
  '#comment',
  'fish (echo sub) %self',
  'zsh =ls ^x',
  'percent %PATH% and !bang!',
  '%PATH%',
  '!x',
  'unicode é 日本 😀',
  'typographic ‘single’ “double”',
  'tab\there',
];

const ARGV_PRINTER = path.join(__dirname, '..', 'fixtures', 'shell', 'print-argv.js');

/** Runs the quoted line through a real shell and returns the arguments the program received. */
function throughShell(shellPath: string, kind: ShellKind, args: string[]): string[] {
  const line = buildCommandLine(process.execPath, [ARGV_PRINTER, ...args], kind);
  const out = execFileSync(shellPath, ['-c', line], { encoding: 'utf8', cwd: os.tmpdir(), env: { ...process.env, HOME: '/nonexistent-home' } });
  return JSON.parse(out) as string[];
}

describe('shell quoting', () => {
  const realShells: [string, ShellKind][] = [
    ['/bin/sh', 'posix'],
    ['/usr/bin/dash', 'posix'],
    ['/bin/bash', 'posix'],
    ['/usr/bin/zsh', 'posix'],
    ['/usr/bin/fish', 'fish'],
  ];
  for (const [shell, kind] of realShells) {
    it(`passes every hostile value literally through ${shell}`, function () {
      if (!existsSync(shell)) {
        // scripts/prerequisites.sh installs it; a machine without it cannot check this shell.
        this.skip();
      }
      const scratch = mkdtempSync(path.join(os.tmpdir(), 'quote-'));
      try {
        const args = [...HOSTILE, `touch ${scratch}/pwned`, `$(touch ${scratch}/pwned)`, `; touch ${scratch}/pwned`];
        assert.deepEqual(throughShell(shell, kind, args), args);
        assert.deepEqual(readdirSync(scratch), [], 'no command inside a value ran');
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  }

  it('refuses a line break in every shell, since the line is typed into a terminal', () => {
    for (const kind of ['posix', 'fish', 'powershell', 'windowspowershell', 'cmd'] as const) {
      for (const value of ['two\nlines', 'cr\rhere', 'ls\u2028x']) {
        assert.throws(
          () => quoteArg(value, kind),
          (e: unknown) => e instanceof ShellQuoteError && /line break/.test(e.message),
          `${kind} ${JSON.stringify(value)}`,
        );
      }
    }
  });

  it('refuses NUL in any shell', () => {
    for (const kind of ['posix', 'fish', 'powershell', 'windowspowershell', 'cmd'] as const) assert.throws(() => quoteArg('a\0b', kind), ShellQuoteError);
  });

  it('leaves plain words alone and quotes the rest for posix shells', () => {
    assert.equal(quoteArg('ui', 'posix'), 'ui');
    assert.equal(quoteArg('file:///home/ana/mlruns', 'posix'), 'file:///home/ana/mlruns');
    assert.equal(quoteArg('', 'posix'), "''");
    assert.equal(quoteArg("it's", 'posix'), `'it'\\''s'`);
    assert.equal(quoteArg('$HOME', 'posix'), "'$HOME'");
    assert.equal(quoteArg('=cmd', 'posix'), "'=cmd'");
  });

  it('escapes backslash and quote inside fish single quotes', () => {
    assert.equal(quoteArg("a'b\\c", 'fish'), "'a\\'b\\\\c'");
    assert.equal(quoteArg('$HOME (echo x)', 'fish'), "'$HOME (echo x)'");
  });

  describe('PowerShell, by its parsing rules', () => {
    for (const kind of ['powershell', 'windowspowershell'] as const) {
      it(`${kind}: every value it accepts reads back as the same single argument`, () => {
        for (const value of HOSTILE) {
          let line: string;
          try {
            line = buildCommandLine('C:\\Program Files\\mlflow\\mlflow.exe', ['run', value], kind);
          } catch (error) {
            assert.ok(error instanceof ShellQuoteError);
            assert.equal(kind, 'windowspowershell', `pwsh refused ${JSON.stringify(value)}`);
            assert.ok(value === '' || value.includes('"'), `refused only what 5.1 mangles: ${JSON.stringify(value)}`);
            continue;
          }
          assert.deepEqual(parsePowerShell(line), ['C:\\Program Files\\mlflow\\mlflow.exe', 'run', value], line);
        }
      });
    }

    it('doubles quotes, typographic ones too, and calls the program with &', () => {
      assert.equal(quoteArg("it's", 'powershell'), "'it''s'");
      assert.equal(quoteArg('a\u2019b', 'powershell'), "'a\u2019\u2019b'");
      assert.equal(quoteArg('$env:PATH; calc', 'powershell'), "'$env:PATH; calc'");
      assert.equal(quoteArg('-flag', 'powershell'), "'-flag'");
      assert.equal(quoteArg('a,b', 'powershell'), "'a,b'");
      assert.equal(
        buildCommandLine('C:\\Program Files\\mlflow.exe', ['ui', '--backend-store-uri', 'C:\\my runs\\mlruns'], 'powershell'),
        "& 'C:\\Program Files\\mlflow.exe' ui '--backend-store-uri' 'C:\\my runs\\mlruns'",
      );
    });

    it('Windows PowerShell 5.1 refuses an empty value and a double quote with a clear message', () => {
      assert.throws(() => quoteArg('', 'windowspowershell'), /empty argument.*pwsh/);
      assert.throws(() => quoteArg('say "hi"', 'windowspowershell'), /double quote.*PowerShell 7/);
    });
  });

  describe('cmd.exe, by its parsing rules', () => {
    it('every value it accepts reads back as the same argument; % and ! are refused', () => {
      for (const value of HOSTILE) {
        let line: string;
        try {
          line = buildCommandLine('mlflow', ['run', value], 'cmd');
        } catch (error) {
          assert.ok(error instanceof ShellQuoteError && /% and !/.test(error.message), String(error));
          assert.match(value, /[%!]/, `refused ${JSON.stringify(value)}`);
          continue;
        }
        assert.doesNotMatch(value, /[%!]/);
        assert.deepEqual(parseCmd(line), ['mlflow', 'run', value], line);
      }
    });

    it('quotes with double quotes, doubling backslashes before quotes', () => {
      assert.equal(quoteArg('C:\\mlruns', 'cmd'), 'C:\\mlruns');
      assert.equal(quoteArg('C:\\my runs', 'cmd'), '"C:\\my runs"');
      assert.equal(quoteArg('a & b | c', 'cmd'), '"a & b | c"');
      assert.equal(quoteArg('say "hi"', 'cmd'), '"say ""hi"""');
      assert.equal(quoteArg('dir\\ x\\', 'cmd'), '"dir\\ x\\\\"');
      assert.equal(quoteArg('a\\"b', 'cmd'), '"a\\\\""b"');
      assert.throws(() => quoteArg('100%PATH%', 'cmd'), /cmd\.exe expands % and !/);
      assert.throws(() => quoteArg('wow!', 'cmd'), ShellQuoteError);
    });
  });

  it('recognises the shell from its path', () => {
    assert.equal(shellKindFromPath('/bin/bash', 'linux'), 'posix');
    assert.equal(shellKindFromPath('/usr/local/bin/zsh', 'darwin'), 'posix');
    assert.equal(shellKindFromPath('/opt/homebrew/bin/fish', 'darwin'), 'fish');
    assert.equal(shellKindFromPath('C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32'), 'powershell');
    assert.equal(shellKindFromPath('C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'win32'), 'windowspowershell');
    assert.equal(shellKindFromPath('C:\\Windows\\System32\\cmd.exe', 'win32'), 'cmd');
    assert.equal(shellKindFromPath('C:\\Program Files\\Git\\bin\\bash.exe', 'win32'), 'posix');
    assert.equal(shellKindFromPath(undefined, 'win32'), 'powershell');
    assert.equal(shellKindFromPath('', 'linux'), 'posix');
  });

  it("recognises the shell from the terminal's reported type", () => {
    for (const shell of ['bash', 'zsh', 'sh', 'ksh', 'gitbash', 'wsl']) assert.equal(shellKindFromTerminalShell(shell), 'posix', shell);
    assert.equal(shellKindFromTerminalShell('fish'), 'fish');
    assert.equal(shellKindFromTerminalShell('pwsh'), 'powershell');
    assert.equal(shellKindFromTerminalShell('pwsh', 'C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'), 'windowspowershell');
    assert.equal(shellKindFromTerminalShell('cmd'), 'cmd');
    for (const shell of ['csh', 'nu', 'python', 'node', 'julia', undefined]) assert.equal(shellKindFromTerminalShell(shell), undefined, String(shell));
  });
});

/**
 * PowerShell's reading of `& <arg> <arg> …` where each argument is a bare word or a
 * single-quoted string ('' is a quote). A bare word must hold none of PowerShell's
 * special characters; anything else fails the test.
 */
function parsePowerShell(line: string): string[] {
  assert.ok(line.startsWith('& '), 'starts with the call operator');
  const args: string[] = [];
  let i = 2;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    if (line[i] === "'") {
      let value = '';
      i++;
      for (;;) {
        assert.ok(i < line.length, `unterminated quote in ${line}`);
        const c = line[i];
        if (isPsQuote(c)) {
          if (isPsQuote(line[i + 1] ?? '')) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      assert.ok(i >= line.length || line[i] === ' ', 'a quoted argument ends at a space');
      args.push(value);
    } else {
      const end = line.indexOf(' ', i) < 0 ? line.length : line.indexOf(' ', i);
      const word = line.slice(i, end);
      assert.doesNotMatch(word, /[$`;|&(){}@,'"<>#\s\u2018-\u201e]/, `bare word ${word} holds a special character`);
      assert.ok(!word.startsWith('-'), `bare word ${word} would be read as a parameter`);
      args.push(word);
      i = end;
    }
  }
  return args;
}

function isPsQuote(c: string): boolean {
  return c === "'" || (c >= '\u2018' && c <= '\u201b');
}

/**
 * cmd.exe then the program's argument parser (the Microsoft C runtime's rules since 2008).
 * cmd: every special character must be inside quotes (a `"` toggles); no `%` or `!` at all.
 */
function parseCmd(line: string): string[] {
  assert.doesNotMatch(line, /[%!\r\n]/);
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted) assert.doesNotMatch(c, /[&|<>^()]/, `unquoted ${c} in ${line}`);
  }
  assert.equal(quoted, false, 'quotes are balanced');
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let value = '';
    let inQuotes = false;
    for (; i < line.length; i++) {
      const c = line[i];
      if (c === '\\') {
        let n = 0;
        while (line[i + n] === '\\') n++;
        if (line[i + n] === '"') {
          value += '\\'.repeat(Math.floor(n / 2));
          i += n;
          if (n % 2 === 1) {
            value += '"';
            continue;
          }
          i--; // the quote is handled next round
          continue;
        }
        value += '\\'.repeat(n);
        i += n - 1;
        continue;
      }
      if (c === '"') {
        if (inQuotes && line[i + 1] === '"') {
          value += '"';
          i++;
          continue;
        }
        inQuotes = !inQuotes;
        continue;
      }
      if ((c === ' ' || c === '\t') && !inQuotes) break;
      value += c;
    }
    args.push(value);
  }
  return args;
}
