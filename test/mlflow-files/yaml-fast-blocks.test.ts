// The hand-written block reader must build exactly the nodes the `yaml` package composes for the same
// block (classes, ranges, values, scalar types and sources, line starts), or decline. Checked on the
// corpus, on its entry points, on random text made of the pieces it treats specially, and on mutations.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseBlockWithYaml, detach, type BlockKind } from '../../src/mlflow-files/yaml-blocks';
import { PARSE_OPTIONS } from '../../src/mlflow-files/yaml-document';
import { readBlockFast } from '../../src/mlflow-files/yaml-fast-blocks';
import { seededRandom } from '../helpers/seededRandom';
import { dump } from '../helpers/yamlDump';

const WRAPPER_LENGTH = 'x:\n'.length;

interface Tally {
  fast: number;
  total: number;
}

/** Compares both readers on one block; true when the fast reader took it. */
/** Scalar styles among the nodes the fast reader built, so a test can check every style was compared. */
const stylesTaken = new Map<string, number>();

function compare(text: string, start: number, kind: Exclude<BlockKind, 'header'>, label: string): boolean {
  const fast = readBlockFast(detach(text), start, PARSE_OPTIONS, kind === 'inner' ? start - WRAPPER_LENGTH : undefined);
  if (!fast) return false;
  for (const entry of fast.pairs.flatMap((pair) => dump(pair))) {
    if (typeof entry === 'string' && /^(PLAIN|QUOTE_DOUBLE|QUOTE_SINGLE|BLOCK_LITERAL|BLOCK_FOLDED)$/.test(entry))
      stylesTaken.set(entry, (stylesTaken.get(entry) ?? 0) + 1);
  }
  const slow = parseBlockWithYaml(text, start, PARSE_OPTIONS, kind);
  const what = `${label} (${kind} at ${start}): ${JSON.stringify(text.length > 300 ? text.slice(0, 300) + '…' : text)}`;
  assert.ok(slow, `the fast reader took a block the yaml package rejects: ${what}`);
  assert.deepEqual(
    fast.pairs.map((pair) => dump(pair)),
    slow.pairs.map((pair) => dump(pair)),
    `nodes differ: ${what}`,
  );
  assert.deepEqual(fast.mapRange, slow.mapRange, `map range differs: ${what}`);
  assert.deepEqual(fast.docRange, slow.docRange, `document range differs: ${what}`);
  assert.deepEqual(fast.newlines, slow.newlines, `line starts differ: ${what}`);
  return true;
}

function both(text: string, label: string, tally: Tally): void {
  for (const [kind, start] of [
    ['top', 0],
    ['top', 41],
    ['inner', 7],
  ] as const) {
    tally.total++;
    const body = kind === 'inner' ? text.replace(/^(?=.)/gm, '  ') : text;
    if (compare(body, start, kind, label)) tally.fast++;
  }
}

function corpusTexts(): string[] {
  const root = path.join(__dirname, '../fixtures/corpus');
  const texts: string[] = [];
  for (const kind of ['mlproject', 'mlmodel']) {
    for (const id of readdirSync(path.join(root, kind)).sort()) {
      const expected = JSON.parse(readFileSync(path.join(root, kind, id, 'EXPECTED.json'), 'utf8')) as { file: string };
      texts.push(readFileSync(path.join(root, kind, id, expected.file), 'utf8'));
    }
  }
  return texts;
}

/** The entry points of an MLproject text, each as its own block (lines from one key at the first inner indentation to the next). */
function entryPointBlocks(text: string): string[] {
  const lines = text.split('\n');
  const header = lines.findIndex((line) => /^entry_points:\s*(#.*)?$/.test(line));
  if (header < 0) return [];
  const blocks: string[] = [];
  let current: string[] = [];
  let indent = -1;
  for (const line of lines.slice(header + 1)) {
    if (/^\S/.test(line)) break;
    const own = line.length - line.trimStart().length;
    if (line.trim() && !line.trim().startsWith('#') && indent < 0) indent = own;
    if (line.trim() && own === indent && current.length) {
      blocks.push(current.join('\n') + '\n');
      current = [];
    }
    current.push(line);
  }
  if (current.length) blocks.push(current.join('\n') + '\n');
  return blocks;
}

const PIECES = [
  'name',
  'command',
  'type',
  'default',
  'x',
  ': ',
  ':',
  ' ',
  '  ',
  '\n',
  '\n  ',
  '\n    ',
  '- ',
  '-',
  '#',
  ' # c',
  '"',
  "'",
  "''",
  '\\"',
  '{',
  '}',
  '[',
  ']',
  ', ',
  ',',
  'yes',
  'y',
  'No',
  'on',
  '~',
  'null',
  '0x1F',
  '0o7',
  '017',
  '1_000',
  '1.50',
  '.5',
  '1e3',
  '1.0e+3',
  '-1',
  '+2',
  '.inf',
  '.NaN',
  '2024-01-01',
  '2024-01-01 10:00:00',
  '12:30',
  '<<',
  '&a',
  '*a',
  '!!str',
  '|',
  '>',
  '?',
  '%',
  '@',
  '`',
  '{alpha}',
  'http://x',
  'a:b',
  'é',
  '\t',
  '\r\n',
  'key: value\n',
  '  key: value\n',
  'p: {type: float, default: 0.1}\n',
  'l: [a, "b", 1]\n',
];

/** Random YAML of the shapes the fast reader takes (and their near misses): nested mappings, sequences, scalars of every style. */
function structured(rand: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const SCALARS = [
    'x',
    'python train.py --alpha {alpha}',
    'float',
    '0.1',
    '-1',
    '1_000',
    '0x1F',
    'yes',
    'on',
    'n',
    '~',
    'null',
    '2024-01-01',
    '2024-01-01 10:00:00',
    '1.0e+3',
    '1e3',
    '.5',
    '12:30',
    'a b  c',
    'a#b',
    'a:b',
    'data/x.csv',
    'é ü',
    '-x',
    'x-',
    '<<',
    '.inf',
  ];
  const spaces = () => ' '.repeat(pick([0, 0, 0, 1, 2]));
  const comment = () => (rand() < 0.15 ? ' # ' + pick(['c', 'x: y', '"q']) : '');
  function scalar(indent: number): string {
    const r = rand();
    if (r < 0.45) return pick(SCALARS);
    if (r < 0.6)
      return `"${pick(SCALARS)}${rand() < 0.3 ? '\\n' + ' '.repeat(indent + pick([0, 1, 2])) + pick(SCALARS) : ''}${rand() < 0.2 ? pick(['\\"', '\\\\', '\\t', '\\x41', '\\q', ' \\\n']) : ''}"`;
    if (r < 0.7)
      return `'${pick(SCALARS)}${rand() < 0.3 ? "''" : ''}${rand() < 0.3 ? '\n' + (rand() < 0.2 ? '\n' : '') + ' '.repeat(indent + pick([0, 1, 2])) + pick(SCALARS) : ''}'`;
    if (r < 0.8) return pick(SCALARS) + '\n' + ' '.repeat(indent + pick([0, 1, 2, 3])) + pick(SCALARS);
    if (r < 0.88) {
      const inner = indent + pick([1, 2, 2, 4]);
      let text = pick(['|', '>', '|-', '>-', '|+', '|2', '| # c', '> ']);
      for (let i = 0; i < 1 + Math.floor(rand() * 4); i++) {
        text += '\n' + pick(['', '', ' '.repeat(inner), ' '.repeat(inner + 2), ' '.repeat(Math.max(0, inner - 1))]);
        text += rand() < 0.15 ? '' : pick(SCALARS.concat(['# not a comment', '--alpha {alpha} \\']));
        if (rand() < 0.15) text += '\n';
      }
      return text;
    }
    if (r < 0.9) return `{${spaces()}type: ${pick(SCALARS)}${spaces()},${spaces()}default: ${pick(SCALARS)}${spaces()}}`;
    return `[${pick(SCALARS)}, "${pick(SCALARS)}"${rand() < 0.3 ? ', [a, {b: c}]' : ''}${spaces()}]`;
  }
  function mapping(indent: number, depth: number): string {
    let out = '';
    const count = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < count; i++) {
      if (rand() < 0.1) out += '\n';
      if (rand() < 0.1) out += ' '.repeat(pick([0, indent, indent + 2])) + '# note\n';
      const key = pick(['name', 'command', 'type', 'default', 'alpha', 'l1_ratio', 'yes', '1', 'a b', 'x-y', 'é']);
      const r = rand();
      if (depth < 3 && r < 0.3) out += `${' '.repeat(indent)}${key}:${comment()}\n${mapping(indent + pick([2, 2, 4, 1]), depth + 1)}`;
      else if (depth < 3 && r < 0.4) {
        const seqIndent = indent + pick([0, 2]);
        out += `${' '.repeat(indent)}${key}:\n`;
        for (let j = 0; j < 1 + Math.floor(rand() * 3); j++) out += `${' '.repeat(seqIndent)}- ${scalar(seqIndent)}${comment()}\n`;
      } else out += `${' '.repeat(indent)}${key}: ${scalar(indent)}${spaces()}${comment()}\n`;
    }
    return out;
  }
  let text = mapping(0, 0);
  if (rand() < 0.2) text = text.slice(0, -1);
  if (rand() < 0.2) text += '\n\n';
  return text;
}

describe('fast YAML block reader agrees with the yaml package', function () {
  this.timeout(120_000);

  it('on every corpus file and every corpus entry point, and takes most of them', () => {
    const whole: Tally = { fast: 0, total: 0 };
    const inner: Tally = { fast: 0, total: 0 };
    for (const [index, text] of corpusTexts().entries()) {
      for (const [start, kind] of [
        [0, 'top'],
        [23, 'top'],
      ] as const) {
        whole.total++;
        if (compare(text, start, kind, `corpus #${index}`)) whole.fast++;
      }
      for (const [n, block] of entryPointBlocks(text).entries()) {
        inner.total++;
        if (compare(block, 9, 'inner', `corpus #${index} entry point ${n}`)) inner.fast++;
      }
    }
    console.log(`      fast reader took ${whole.fast}/${whole.total} whole files, ${inner.fast}/${inner.total} entry points`);
    assert.ok(inner.fast > inner.total * 0.8, `fast reader took only ${inner.fast} of ${inner.total} entry points`);
  });

  it('on random text made of the pieces it treats specially', () => {
    const rand = seededRandom(17);
    const tally: Tally = { fast: 0, total: 0 };
    for (let i = 0; i < 20000; i++) {
      let text = '';
      const length = 1 + Math.floor(rand() * 24);
      for (let j = 0; j < length; j++) text += PIECES[Math.floor(rand() * PIECES.length)];
      both(text, `random #${i}`, tally);
    }
    console.log(`      fast reader took ${tally.fast}/${tally.total} random blocks`);
    assert.ok(tally.fast > 200, `fast reader took only ${tally.fast} random blocks`);
  });

  it('on random documents of the shapes it reads', () => {
    const rand = seededRandom(29);
    const tally: Tally = { fast: 0, total: 0 };
    for (let i = 0; i < 10000; i++) both(structured(rand), `structured #${i}`, tally);
    console.log(`      fast reader took ${tally.fast}/${tally.total} structured blocks; scalar styles ${JSON.stringify(Object.fromEntries(stylesTaken))}`);
    assert.ok(tally.fast > tally.total * 0.3, `fast reader took only ${tally.fast} of ${tally.total} structured blocks`);
    for (const style of ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'])
      assert.ok((stylesTaken.get(style) ?? 0) > 100, `only ${stylesTaken.get(style)} ${style} scalars compared`);
  });

  it('on mutated corpus files', () => {
    const rand = seededRandom(23);
    const tally: Tally = { fast: 0, total: 0 };
    for (const [index, text] of corpusTexts().entries()) {
      for (let step = 0; step < 60; step++) {
        const at = Math.floor(rand() * (text.length + 1));
        const choice = rand();
        const mutated =
          choice < 0.4
            ? text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 8))
            : text.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + text.slice(at);
        both(mutated, `corpus #${index} mutation ${step}`, tally);
      }
    }
    console.log(`      fast reader took ${tally.fast}/${tally.total} mutated blocks`);
    assert.ok(tally.fast > tally.total * 0.2, `fast reader took only ${tally.fast} of ${tally.total} mutated blocks`);
  });
});
