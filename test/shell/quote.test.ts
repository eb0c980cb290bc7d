import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildCommandLine, quoteArg, ShellQuoteError, shellKindFromPath } from '../../src/shell';

const NASTY = [
  'plain',
  '',
  'with space',
  "it's",
  'dollar $HOME and $(echo pwned) and `echo pwned`',
  'semi; rm -rf /tmp/x && echo hi | cat > out',
  'glob * ? [a]',
  'back\\slash\\',
  'double "quoted"',
  '=equals-first',
  '~tilde',
  'new\nline',
  'percent %PATH% and !bang!',
  'unicode é 日本',
  '-dash-first',
];

/** Runs a real shell with the quoted arguments and returns what the program received. */
function roundTrip(shellPath: string, args: string[]): string[] {
  // `printf '%s\0'` prints every argument it got, NUL-terminated, so line breaks survive.
  const line = buildCommandLine('printf', ['%s\\0', ...args], 'posix');
  const out = execFileSync(shellPath, ['-c', line], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shell quoting', () => {
  for (const shell of ['/bin/sh', '/bin/bash', '/bin/dash', '/usr/bin/zsh']) {
    (existsSync(shell) ? it : it.skip)(`passes every argument literally through ${shell}`, () => {
      const args = NASTY.filter((a) => a !== '%s\\0');
      assert.deepEqual(roundTrip(shell, args), args);
    });
  }

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

  it('doubles quotes, typographic ones too, for PowerShell and calls the program with &', () => {
    assert.equal(quoteArg("it's", 'powershell'), "'it''s'");
    assert.equal(quoteArg('a\u2019b', 'powershell'), "'a\u2019\u2019b'");
    assert.equal(quoteArg('$env:PATH; calc', 'powershell'), "'$env:PATH; calc'");
    assert.equal(quoteArg('-flag', 'powershell'), "'-flag'");
    assert.equal(
      buildCommandLine('C:\\Program Files\\mlflow.exe', ['ui', '--backend-store-uri', 'C:\\my runs\\mlruns'], 'powershell'),
      "& 'C:\\Program Files\\mlflow.exe' ui '--backend-store-uri' 'C:\\my runs\\mlruns'",
    );
  });

  it('quotes for cmd.exe, keeping % outside the quotes and doubling backslashes before quotes', () => {
    assert.equal(quoteArg('C:\\mlruns', 'cmd'), 'C:\\mlruns');
    assert.equal(quoteArg('C:\\my runs', 'cmd'), '"C:\\my runs"');
    assert.equal(quoteArg('a & b | c', 'cmd'), '"a & b | c"');
    assert.equal(quoteArg('say "hi"', 'cmd'), '"say ""hi"""');
    assert.equal(quoteArg('dir\\ x\\', 'cmd'), '"dir\\ x\\\\"');
    assert.equal(quoteArg('a\\"b', 'cmd'), '"a\\\\""b"');
    assert.equal(quoteArg('100%PATH%', 'cmd'), '"100"^%"PATH"^%""');
    assert.throws(() => quoteArg('two\nlines', 'cmd'), ShellQuoteError);
  });

  it('refuses NUL in any shell', () => {
    for (const kind of ['posix', 'fish', 'powershell', 'cmd'] as const) assert.throws(() => quoteArg('a\0b', kind), ShellQuoteError);
  });

  it('recognises the shell from its path', () => {
    assert.equal(shellKindFromPath('/bin/bash', 'linux'), 'posix');
    assert.equal(shellKindFromPath('/usr/local/bin/zsh', 'darwin'), 'posix');
    assert.equal(shellKindFromPath('/opt/homebrew/bin/fish', 'darwin'), 'fish');
    assert.equal(shellKindFromPath('C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32'), 'powershell');
    assert.equal(shellKindFromPath('C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'win32'), 'powershell');
    assert.equal(shellKindFromPath('C:\\Windows\\System32\\cmd.exe', 'win32'), 'cmd');
    assert.equal(shellKindFromPath('C:\\Program Files\\Git\\bin\\bash.exe', 'win32'), 'posix');
    assert.equal(shellKindFromPath(undefined, 'win32'), 'powershell');
    assert.equal(shellKindFromPath('', 'linux'), 'posix');
  });
});
