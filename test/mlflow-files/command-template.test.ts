import * as assert from 'node:assert/strict';
import { parseFormatTemplate } from '../../src/mlflow-files';

// Expected values follow CPython's str.format (Objects/stringlib/unicode_format.h).
describe('str.format template parsing', () => {
  const fields = (command: string) =>
    parseFormatTemplate(command).fields.map((f) => [f.argName, f.accessors, f.conversion ?? null, f.formatSpec ?? null, f.nested]);
  const firstError = (command: string) => parseFormatTemplate(command).errors[0]?.pythonMessage;

  it('finds keyword fields and their offsets', () => {
    const parsed = parseFormatTemplate('python t.py --a {alpha} {data}');
    assert.deepEqual(
      parsed.fields.map((f) => [f.argName, f.start, f.end]),
      [
        ['alpha', 16, 23],
        ['data', 24, 30],
      ],
    );
    assert.deepEqual(parsed.errors, []);
  });

  it('treats doubled braces as literals', () => {
    assert.deepEqual(fields('echo ${{HOME}} {{x}} }}{{'), []);
    assert.equal(firstError('echo ${{HOME}} {{x}} }}{{'), undefined);
  });

  it('splits field name, accessors, conversion and spec', () => {
    assert.deepEqual(fields('{a.b[0]!r:>10}'), [['a', '.b[0]', 'r', '>10', false]]);
    assert.deepEqual(fields('{a[x:y]}'), [['a', '[x:y]', null, null, false]]);
    assert.deepEqual(fields('{a:}'), [['a', '', null, '', false]]);
  });

  it('reads nested fields in a format spec', () => {
    assert.deepEqual(fields('{a:{w}}'), [
      ['a', '', null, '{w}', false],
      ['w', '', null, null, true],
    ]);
  });

  it('marks positional and automatic fields', () => {
    assert.deepEqual(
      fields('{} {0} {1.x}').map((f) => f[0]),
      ['', '0', '1'],
    );
  });

  it('notes a field right after $', () => {
    assert.equal(parseFormatTemplate('echo ${HOME}').fields[0].afterDollar, true);
    assert.equal(parseFormatTemplate('echo {HOME}').fields[0].afterDollar, false);
  });

  it('reports the errors Python raises', () => {
    assert.equal(firstError("python -c 'x}'"), "ValueError: Single '}' encountered in format string");
    assert.equal(firstError('echo {'), "ValueError: Single '{' encountered in format string");
    assert.equal(firstError('echo {abc'), "ValueError: expected '}' before end of string");
    assert.equal(firstError('{a!x}'), 'ValueError: Unknown conversion specifier x');
    assert.equal(firstError('{a!rr}'), "ValueError: expected ':' after conversion specifier");
    assert.equal(firstError('{a!}'), 'ValueError: end of string while looking for conversion specifier');
  });

  it('stops at the first error, as str.format does', () => {
    const parsed = parseFormatTemplate('{a} } {b}');
    assert.deepEqual(
      parsed.fields.map((f) => f.argName),
      ['a'],
    );
    assert.equal(parsed.errors.length, 1);
  });
});
