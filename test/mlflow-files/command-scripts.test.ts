import * as assert from 'node:assert/strict';
import { scriptsInCommand } from '../../src/mlflow-files/command-scripts';
import { seededRandom } from '../helpers/seededRandom';

/** The scripts found, each as `path@word` where word is the command text it was found in. */
function scripts(command: string): string[] {
  return scriptsInCommand(command).map((s) => `${s.path}@${command.slice(s.start, s.end)}`);
}

describe('scriptsInCommand', () => {
  const table: [string, string[]][] = [
    ['python train.py --alpha {alpha}', ['train.py@train.py']],
    ['python3 -u src/train.py', ['src/train.py@src/train.py']],
    ['python3.10 -W ignore train.py', ['train.py@train.py']],
    ['/usr/bin/python train.py', ['train.py@train.py']],
    ['Rscript train.R {alpha}', ['train.R@train.R']],
    ['bash run.sh && python eval.py', ['run.sh@run.sh', 'eval.py@eval.py']],
    ['./run.sh {alpha}', ['./run.sh@./run.sh']],
    ['scripts/prepare', ['scripts/prepare@scripts/prepare']],
    ['python "my train.py"', ['my train.py@my train.py']],
    ["python 'train.py' > out.log 2>&1", ['train.py@train.py']],
    ['python "src"/\'train\'.py', ['src/train.py@"src"/\'train\'.py']],
    ['FOO=1 BAR=2 python train.py', ['train.py@train.py']],
    ['nohup python train.py &', ['train.py@train.py']],
    ['python train.py \\\n  --alpha {alpha}', ['train.py@train.py']],
    ['pip install -r requirements.txt; python fit.py', ['fit.py@fit.py']],
    ['python ../app/app.py', ['../app/app.py@../app/app.py']],
    ['# set up\npython train.py', ['train.py@train.py']],
    // Not a script file of the project, or not known before the run.
    ['python -m pkg.train', []],
    ['python -um wine_quality.train --data-path {data-path}', []],
    ['python -c "import x"', []],
    ['bash -c "python train.py"', []],
    ['Rscript -e "mlflow::mlflow_source(\'train.R\')"', []],
    ['python {script} --alpha 1', []],
    ['python ${{HOME}}/train.py', []],
    ['python /opt/app/train.py', []],
    ['python ~/train.py', []],
    ['python s3://bucket/train.py', []],
    ['python train', []],
    ['python *.py', []],
    ['python "$DIR/train.py"', []],
    ['python my\\ train.py', []],
    ['spark-submit --master local[2] train.py', []],
    ['echo hi > ./out.sh', []],
    ['python "unclosed.py', []],
    // After a change of folder, relative paths no longer name project files.
    ['cd src && python train.py', []],
    ['python a.py; cd .. && python b.py', ['a.py@a.py']],
    ['', []],
  ];
  for (const [command, expected] of table) {
    it(`${JSON.stringify(command)} → ${expected.length ? expected.join(', ') : 'none'}`, () => {
      assert.deepEqual(scripts(command), expected);
    });
  }
});

describe('scriptsInCommand on random commands', () => {
  it('never throws, and every script lies inside the command and reads as its path', () => {
    const random = seededRandom(4242);
    const pieces = [
      'python',
      'bash',
      './x.sh',
      'a.py',
      'src/b.py',
      '-u',
      '-m',
      ' ',
      ' ',
      '\n',
      ';',
      '&&',
      '|',
      '>',
      '"',
      "'",
      '{p}',
      '$X',
      '\\',
      'cd',
      '#',
      '(',
      'R.R',
      'Rscript',
      '=',
      'A=1',
    ];
    let found = 0;
    for (let n = 0; n < 5000; n++) {
      let command = '';
      const length = Math.floor(random() * 14);
      for (let i = 0; i < length; i++) command += pieces[Math.floor(random() * pieces.length)];
      for (const script of scriptsInCommand(command)) {
        found++;
        assert.ok(script.start >= 0 && script.end <= command.length && script.start < script.end, JSON.stringify({ command, script }));
        const word = command.slice(script.start, script.end);
        // Scripts hold no escapes or expansions, so the shell's reading of the word is its quotes removed, pair by pair.
        const dequoted = word.replace(/"([^"]*)"|'([^']*)'/g, (_, double?: string, single?: string) => double ?? single ?? '');
        assert.equal(dequoted, script.path, JSON.stringify({ command, script }));
      }
    }
    assert.ok(found > 500, `only ${found} scripts found: the generator no longer exercises the scanner`);
  });
});
