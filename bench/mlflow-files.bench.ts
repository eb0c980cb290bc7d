/**
 * MLproject/MLmodel linter benchmark. Figures: linting every corpus file (as typed in an editor, no
 * file checks), a 5 MB MLproject with thousands of entry points, and a 5 MB MLmodel signature.
 *
 * The floor of each is reading its text once (finding its line breaks; for the MLmodel also JSON.parse of the
 * signature, which any checker of it must do): nothing that looks at every character can do less. Parsing the
 * same text with the `yaml` package alone (same options) is printed beside it for comparison: the linter reads
 * most blocks with its own reader (src/mlflow-files/yaml-fast-blocks.ts), so it can beat that.
 *
 * An editor re-lints after every keystroke. With a YamlBlockCache (what the language server keeps per
 * document) only the blocks an edit touches are parsed again: the 5 MB MLproject re-linted after typing one
 * character in an entry point in the middle, against the same floor.
 *
 * Human lines on stderr, one JSON object as the last stdout line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { lint, parseMlproject, type FileKind } from '../src/mlflow-files';
import { lintMlprojectModel } from '../src/mlflow-files/mlproject-rules';
import { YamlBlockCache } from '../src/mlflow-files/yaml-blocks';

const log = (s: string) => process.stderr.write(s + '\n');
const OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = { uniqueKeys: false, version: '1.1' };
const parseFloor = (text: string) => parseDocument(text, OPTIONS);

async function time(fn: () => unknown, repeat: number): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const s = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

/** One pass over the text: its line breaks. */
function readLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function corpus(): { kind: FileKind; text: string }[] {
  const root = path.join(__dirname, '../test/fixtures/corpus');
  const files: { kind: FileKind; text: string }[] = [];
  for (const kind of ['mlproject', 'mlmodel'] as const) {
    for (const id of readdirSync(path.join(root, kind))) {
      const expected = JSON.parse(readFileSync(path.join(root, kind, id, 'EXPECTED.json'), 'utf8')) as { file: string };
      files.push({ kind, text: readFileSync(path.join(root, kind, id, expected.file), 'utf8') });
    }
  }
  return files;
}

function bigProject(): string {
  let text = 'name: big\nentry_points:\n';
  for (let i = 0; text.length < 5_000_000; i++) {
    text += `  ep_${i}:\n    parameters:\n      alpha: {type: float, default: 0.${i}}\n      data: {type: path, default: data_${i}.csv}\n    command: "python train.py --alpha {alpha} --data {data}"\n`;
  }
  return text;
}

function bigModel(): string {
  const columns = Array.from({ length: 80_000 }, (_, i) => `{"type": "double", "name": "feature_${i}", "required": true}`);
  return `flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    python_version: "3.11"\n    env: {conda: conda.yaml, virtualenv: python_env.yaml}\nsignature:\n  inputs: '[${columns.join(', ')}]'\n`;
}

(async () => {
  const files = corpus();
  const corpusLint = await time(async () => {
    for (const f of files) await lint(f.kind, f.text);
  }, 21);
  const corpusFloor = await time(() => {
    for (const f of files) parseFloor(f.text);
  }, 21);
  const project = bigProject();
  const projectLint = await time(() => lint('mlproject', project), 3);
  const projectFloor = await time(() => parseFloor(project), 3);
  const cache = new YamlBlockCache();
  await lintMlprojectModel(parseMlproject(project, cache));
  const middle = project.indexOf('    command:', project.length >> 1) + '    command: "python'.length;
  let typed = 0;
  const projectEdit = await time(() => {
    // Alternately one character more and one less, so each run is an edit of the previous text.
    typed = (typed + 1) % 2;
    const text = project.slice(0, middle) + 'x'.repeat(typed) + project.slice(middle);
    return lintMlprojectModel(parseMlproject(text, cache));
  }, 9);
  const readFloor = await time(() => readLines(project), 9);
  const model = bigModel();
  const modelLint = await time(() => lint('mlmodel', model), 5);
  const modelFloor = await time(() => {
    const doc = parseFloor(model).toJS() as { signature: { inputs: string } };
    return JSON.parse(doc.signature.inputs);
  }, 5);
  const corpusRead = await time(() => {
    for (const f of files) readLines(f.text);
  }, 21);
  const modelRead = await time(() => {
    readLines(model);
    return JSON.parse(model.slice(model.indexOf("'[") + 1, model.lastIndexOf("]'") + 1));
  }, 5);
  const perFile = corpusLint / files.length;
  log(
    `corpus (${files.length} files): ${perFile.toFixed(3)} ms/file lint, ×${(corpusLint / corpusRead).toFixed(0)} of reading them (${(corpusRead / files.length).toFixed(4)} ms/file); a yaml package parse alone: ${(corpusFloor / files.length).toFixed(3)} ms/file (lint ×${(corpusLint / corpusFloor).toFixed(2)} of it)`,
  );
  log(
    `5 MB MLproject: ${projectLint.toFixed(0)} ms lint, ×${(projectLint / readFloor).toFixed(0)} of reading it (${readFloor.toFixed(1)} ms); a yaml package parse alone: ${projectFloor.toFixed(0)} ms (lint ×${(projectLint / projectFloor).toFixed(2)} of it)`,
  );
  log(`5 MB MLproject re-linted after typing a character (block cache): ${projectEdit.toFixed(0)} ms, ×${(projectEdit / readFloor).toFixed(0)} of reading it`);
  log(
    `5 MB MLmodel signature: ${modelLint.toFixed(0)} ms lint, ×${(modelLint / modelRead).toFixed(2)} of reading it and JSON.parse of the signature (${modelRead.toFixed(0)} ms); a yaml package parse + JSON.parse: ${modelFloor.toFixed(0)} ms`,
  );
  console.log(
    JSON.stringify({
      mlflowFilesCorpusMsPerFile: +perFile.toFixed(3),
      mlflowFilesCorpusRatio: +(corpusLint / corpusRead).toFixed(1),
      mlflowFilesCorpusVsYamlParse: +(corpusLint / corpusFloor).toFixed(2),
      mlflowFiles5MbProjectMs: Math.round(projectLint),
      mlflowFiles5MbProjectRatio: +(projectLint / readFloor).toFixed(1),
      mlflowFiles5MbProjectVsYamlParse: +(projectLint / projectFloor).toFixed(2),
      mlflowFiles5MbProjectEditMs: Math.round(projectEdit),
      mlflowFiles5MbProjectEditRatio: +(projectEdit / readFloor).toFixed(1),
      mlflowFiles5MbModelMs: Math.round(modelLint),
      mlflowFiles5MbModelRatio: +(modelLint / modelRead).toFixed(2),
    }),
  );
})();
