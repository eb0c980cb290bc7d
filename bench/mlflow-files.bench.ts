/**
 * MLproject/MLmodel linter benchmark. Figures: linting every corpus file (as typed in an editor, no
 * file checks), a 5 MB MLproject with thousands of entry points, and a 5 MB MLmodel signature. The floor
 * of each is parsing the same text with the `yaml` package alone, with the same options (YAML 1.1, duplicate
 * keys allowed), plus JSON.parse of the signature for the MLmodel: work any checker must do. The ratio is
 * what our model and rules cost on top of parsing.
 *
 * An editor re-lints after every keystroke. With a YamlBlockCache (what the language server keeps per
 * document) only the blocks an edit touches are parsed again: the 5 MB MLproject re-linted after typing one
 * character in an entry point in the middle. Its floor is reading the text once (finding its line breaks),
 * since every position after the edit may have moved.
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
  const readFloor = await time(() => {
    let lines = 0;
    for (let i = project.indexOf('\n'); i >= 0; i = project.indexOf('\n', i + 1)) lines++;
    return lines;
  }, 9);
  const model = bigModel();
  const modelLint = await time(() => lint('mlmodel', model), 5);
  const modelFloor = await time(() => {
    const doc = parseFloor(model).toJS() as { signature: { inputs: string } };
    return JSON.parse(doc.signature.inputs);
  }, 5);
  const perFile = corpusLint / files.length;
  log(`corpus (${files.length} files): ${perFile.toFixed(3)} ms/file lint, floor (yaml parse) ${(corpusFloor / files.length).toFixed(3)} ms/file, ratio ${(corpusLint / corpusFloor).toFixed(2)}`);
  log(`5 MB MLproject: ${projectLint.toFixed(0)} ms lint, floor ${projectFloor.toFixed(0)} ms, ratio ${(projectLint / projectFloor).toFixed(2)}`);
  log(`5 MB MLproject re-linted after typing a character (block cache): ${projectEdit.toFixed(0)} ms, floor (reading the text) ${readFloor.toFixed(1)} ms, ratio ${(projectEdit / readFloor).toFixed(1)}`);
  log(`5 MB MLmodel signature: ${modelLint.toFixed(0)} ms lint, floor ${modelFloor.toFixed(0)} ms, ratio ${(modelLint / modelFloor).toFixed(2)}`);
  console.log(
    JSON.stringify({
      mlflowFilesCorpusMsPerFile: +perFile.toFixed(3),
      mlflowFilesCorpusRatio: +(corpusLint / corpusFloor).toFixed(2),
      mlflowFiles5MbProjectMs: Math.round(projectLint),
      mlflowFiles5MbProjectRatio: +(projectLint / projectFloor).toFixed(2),
      mlflowFiles5MbProjectEditMs: Math.round(projectEdit),
      mlflowFiles5MbProjectEditRatio: +(projectEdit / readFloor).toFixed(1),
      mlflowFiles5MbModelMs: Math.round(modelLint),
      mlflowFiles5MbModelRatio: +(modelLint / modelFloor).toFixed(2),
    }),
  );
})();
