// The incremental (block-by-block, cached) parse used by the language server must give exactly what a plain
// full parse gives: the same YAML nodes with the same ranges and values, the same line table, the same model
// and the same findings. Checked on the corpus, on random and mutated documents, on large generated
// projects, and along sequences of edits that re-use one cache (as an editor does).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isNode, isPair } from 'yaml';
import { parseMlmodel, parseMlproject, type FileKind, type ProjectFiles } from '../../src/mlflow-files';
import { lintMlmodelModel } from '../../src/mlflow-files/mlmodel-rules';
import { lintMlprojectModel } from '../../src/mlflow-files/mlproject-rules';
import { parseInBlocks, YamlBlockCache } from '../../src/mlflow-files/yaml-blocks';
import { MLPROJECT_KEY_TOKENS, randomEdit, YAML_PUNCTUATION } from '../helpers/randomEdits';
import { seededRandom } from '../helpers/seededRandom';
import { dump } from '../helpers/yamlDump';

const PIECES = [
  ...MLPROJECT_KEY_TOKENS,
  ...YAML_PUNCTUATION,
  ' ',
  '#',
  '# c\n',
  '&a',
  '*a',
  '!!str',
  '<<: *a',
  '{alpha}',
  '{{',
  '}}',
  '{0}',
  'float',
  'path',
  '3.10',
  '1e3',
  'null',
  '~',
  'y',
  '|',
  '>',
  '|2',
  '\t',
  '\r\n',
  '\r',
  'é',
  '%',
  '{%',
  '?',
  '...',
  '---',
  '"x\ny"',
  'a: b\n',
  '  x: 1\n',
  'step:\n',
  '\n\n',
  '\n# top\n',
  '\nentry_points:\n  e:\n    command: c\n',
];

/** A random edit: delete a span, insert a piece, swap two lines, or duplicate a span. */
function edit(text: string, rand: () => number): string {
  return randomEdit(text, rand, PIECES, 0.65, 60);
}

/** The model's plain data (ranges, values), without the YAML nodes and the parse it holds. */
function modelData(model: unknown): string {
  const plain = (value: unknown, key = ''): unknown => {
    if (key === 'parsed' || isNode(value) || isPair(value)) return undefined;
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map((v) => plain(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, k)]));
    return typeof value === 'number' && isNaN(value) ? 'NaN' : value;
  };
  return JSON.stringify(plain(model));
}

const FILES: ProjectFiles = {
  exists: async (p) => p.length % 2 === 0,
  readText: async (p) => (p.length % 2 === 0 ? 'python: "3.11"\ndependencies: [mlflow]\n' : undefined),
};

let incrementalCount = 0;

/** Asserts the cached parse of `text` (with `cache`, as the server does) equals the plain one. */
async function assertSame(kind: FileKind, text: string, cache: YamlBlockCache, label: string): Promise<void> {
  const plain = kind === 'mlproject' ? parseMlproject(text) : parseMlmodel(text);
  // The block parse itself, with a throwaway copy of the cache state, to know whether it applied.
  const probe = parseInBlocks(text, { uniqueKeys: false, version: '1.1' }, new YamlBlockCache(), kind === 'mlproject' ? 'entry_points' : undefined);
  if (probe) incrementalCount++;
  const fast = kind === 'mlproject' ? parseMlproject(text, cache) : parseMlmodel(text, cache);
  const what = `${label}: ${JSON.stringify(text.length > 400 ? text.slice(0, 400) + '…' : text)}`;
  assert.deepEqual(dump(fast.parsed.doc.contents), dump(plain.parsed.doc.contents), `nodes differ, ${what}`);
  assert.deepEqual(fast.parsed.doc.range, plain.parsed.doc.range, `document range differs, ${what}`);
  assert.deepEqual(
    fast.parsed.doc.errors.map((e) => [e.code, e.pos, e.message]),
    plain.parsed.doc.errors.map((e) => [e.code, e.pos, e.message]),
    `errors differ, ${what}`,
  );
  assert.deepEqual(
    fast.parsed.doc.warnings.map((e) => [e.code, e.pos]),
    plain.parsed.doc.warnings.map((e) => [e.code, e.pos]),
    `warnings differ, ${what}`,
  );
  assert.deepEqual(fast.parsed.lineCounter.lineStarts, plain.parsed.lineCounter.lineStarts, `line starts differ, ${what}`);
  assert.equal(modelData(fast), modelData(plain), `model differs, ${what}`);
  for (const files of [undefined, FILES]) {
    const a =
      kind === 'mlproject'
        ? await lintMlprojectModel(fast as ReturnType<typeof parseMlproject>, files)
        : await lintMlmodelModel(fast as ReturnType<typeof parseMlmodel>, files);
    const b =
      kind === 'mlproject'
        ? await lintMlprojectModel(plain as ReturnType<typeof parseMlproject>, files)
        : await lintMlmodelModel(plain as ReturnType<typeof parseMlmodel>, files);
    assert.deepEqual(a, b, `findings differ, ${what}`);
  }
  // Features walk the tree by offset; spot-check that the same node paths come out.
  for (let offset = 0; offset <= text.length; offset += Math.max(1, Math.floor(text.length / 40))) {
    const x = fast.parsed.nodePathAt(offset);
    const y = plain.parsed.nodePathAt(offset);
    assert.deepEqual([x.path, x.on, x.node?.range], [y.path, y.on, y.node?.range], `node path at ${offset} differs, ${what}`);
  }
}

function corpusTexts(): { kind: FileKind; text: string }[] {
  const root = path.join(__dirname, '../fixtures/corpus');
  const texts: { kind: FileKind; text: string }[] = [];
  for (const kind of ['mlproject', 'mlmodel'] as const) {
    for (const id of readdirSync(path.join(root, kind)).sort()) {
      const expected = JSON.parse(readFileSync(path.join(root, kind, id, 'EXPECTED.json'), 'utf8')) as { file: string };
      texts.push({ kind, text: readFileSync(path.join(root, kind, id, expected.file), 'utf8') });
    }
  }
  return texts;
}

function largeProject(entryPoints: number): string {
  const lines = ['# generated', 'name: big', 'python_env: python_env.yaml', '', 'entry_points:', '  # the steps'];
  for (let i = 0; i < entryPoints; i++) {
    lines.push(`  step_${i}:`, '    parameters:', '      alpha: {type: float, default: 0.1}', `      data: {type: path, default: data/part_${i}.csv}`);
    lines.push(
      i % 7 === 0
        ? `    command: |\n      python train.py {alpha}\n        --data {data} {undeclared}\n`
        : `    command: "python train.py --alpha {alpha} --data {data} --step ${i}"`,
    );
  }
  lines.push('# end', '');
  return lines.join('\n');
}

describe('incremental parse gives what the full parse gives', function () {
  this.timeout(300_000);

  it('corpus files, each parsed fresh and then along 40 edits with one cache per file', async () => {
    const rand = seededRandom(11);
    incrementalCount = 0;
    let total = 0;
    for (const [index, { kind, text }] of corpusTexts().entries()) {
      const cache = new YamlBlockCache();
      let current = text;
      for (let step = 0; step <= 40; step++) {
        total++;
        await assertSame(kind, current, cache, `corpus #${index} step ${step}`);
        // Edits pile up, back to the file every few steps (most random edits break the YAML for good).
        current = edit(step % 4 === 3 ? text : current, rand);
      }
    }
    // The comparison means something only if the block path is taken for a good share of the cases.
    assert.ok(incrementalCount > total / 4, `block path taken ${incrementalCount} of ${total} times`);
  });

  it('hand-picked shapes: comments after nested values, empty values, block scalars, CRLF, aliases, duplicates', async () => {
    const shapes = [
      'name: a\n# c\nentry_points:\n  main:\n    command: x\n  # after main\n  b:\n    command: y\n# end\n',
      'entry_points:\n  main:\n    parameters:\n      a: float\n    # c\n\n  other:\n    command: "{a}"\nname: x\n',
      'entry_points:\n  main:\n  # only a comment\n  b:\n    command: y\nname: n\n',
      'name: x\nentry_points:\n  main:\n    command: |\n      line one\n      # not a comment\n\n  b:\n    command: >\n      folded\n      text\n',
      'name: x\r\nentry_points:\r\n  main:\r\n    command: "a {p}"\r\n    parameters:\r\n      p: {type: float, default: 1}\r\n',
      'name: &n x\nentry_points:\n  main:\n    command: *n\n',
      'base: &b {type: float}\nentry_points:\n  main:\n    parameters:\n      a: *b\n      c:\n        <<: *b\n        default: 1\n    command: "{a} {c}"\n',
      'name: x\nname: y\nentry_points:\n  main:\n    command: a\n  main:\n    command: b\n',
      'name: x\nentry_points: # the steps\n\n    main:\n        command: a\n\n    b:\n        command: "b"\n',
      'name: x\nentry_points:\n  main:\n    command: "a\n  b"\n  c:\n    command: d\n',
      'name: x\nentry_points:\n  main: {command: a}\n  b: [1, 2]\n  c:\n  d: text\n',
      'name: "quoted: yes"\nentry_points:\n  main:\n    command: a\n\t\n',
      'flavors:\n  python_function:\n    loader_module: m\n    # c\nsignature:\n  inputs: \'[{"type": "double"}]\'\nutc_time_created: 2024-01-01 00:00:00\n',
      'entry_points:\n  main:\n    command: a\n  b:\n    command: c\n',
      'name: x\nentry_points:\n  main:\n    command: a\n  main:\n    command: a\n  other:\n    command: b\n  main:\n    command: a\n',
      '# only\n# comments\n',
      '',
    ];
    for (const [index, text] of shapes.entries()) {
      for (const kind of ['mlproject', 'mlmodel'] as const) {
        await assertSame(kind, text, new YamlBlockCache(), `shape #${index}`);
        // And through a cache that saw a shifted version of the same text.
        const cache = new YamlBlockCache();
        if (kind === 'mlproject') parseMlproject('\n\n' + text, cache);
        else parseMlmodel('\n\n' + text, cache);
        await assertSame(kind, text, cache, `shape #${index} after a shift`);
      }
    }
  });

  it('random documents made of YAML pieces', async () => {
    const rand = seededRandom(5);
    const cache = new YamlBlockCache();
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const length = 1 + Math.floor(rand() * 40);
      for (let j = 0; j < length; j++) text += PIECES[Math.floor(rand() * PIECES.length)];
      for (const kind of ['mlproject', 'mlmodel'] as const) await assertSame(kind, text, cache, `random #${i}`);
    }
  });

  it('a 500-entry-point project along edits anywhere (blocks shift and are re-used)', async () => {
    const rand = seededRandom(3);
    const cache = new YamlBlockCache();
    const original = largeProject(500);
    let text = original;
    incrementalCount = 0;
    for (let step = 0; step < 90; step++) {
      await assertSame('mlproject', text, cache, `large step ${step}`);
      const choice = rand();
      if (choice < 0.25) {
        // Any edit of the original, often breaking it (then both parses must agree on the errors too).
        text = edit(original, rand);
      } else {
        // Typing in an entry point: its block changes, the blocks after it move.
        const lines = text.split('\n');
        const at = Math.floor(rand() * lines.length);
        if (choice < 0.5)
          lines.splice(at, 0, lines[at].replace(/\S.*/, '')); // an empty line
        else if (choice < 0.75 && /^ {2}\w+:$/.test(lines[at])) lines[at] = lines[at].replace(':', 'x:');
        else if (/command: "/.test(lines[at])) lines[at] = lines[at].replace('"', '"echo {alpha} && ');
        else lines.splice(at - (at % 5), 0, `  added_${step}:`, '    command: python add.py');
        text = lines.join('\n');
      }
    }
    assert.ok(incrementalCount > 30, `block path taken ${incrementalCount} of 90 times`);
  });

  it('re-uses unchanged blocks: a second parse of a 500-entry-point edit shares their nodes', () => {
    const cache = new YamlBlockCache();
    const text = largeProject(500);
    const first = parseMlproject(text, cache);
    const second = parseMlproject(text.replace('# end', '# the end'), cache);
    assert.equal(first.entryPoints.length, 500);
    // Unchanged entry points come from the cache (the same nodes); only the edited last block is new.
    assert.equal(first.entryPoints[10].node, second.entryPoints[10].node);
    assert.notEqual(first.entryPoints[499].node, second.entryPoints[499].node);
  });
});
