// The corpus test: real MLproject/MLmodel folders with MLflow's own verdict (EXPECTED.json).
// - Files MLflow accepts (valid, valid-with-warnings) get no error from us.
// - Files MLflow rejects (error-load, error-run, error-env) get an error on the line of each expected error.
// - valid-with-warnings files get a warning of the matching rule on the line of each expected warning.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lint, nodeProjectFiles, type FileKind, type Finding } from '../../src/mlflow-files';

const CORPUS = path.join(__dirname, '../fixtures/corpus');

interface Expected {
  kind: FileKind;
  file: string;
  status: 'valid' | 'valid-with-warnings' | 'error-load' | 'error-run' | 'error-env';
  errors: { rule: string; message: string; line: number | null }[];
  warnings: { rule: string; message: string; line: number | null }[];
  notes?: string[];
}

/** Corpus warning rules → our finding codes. */
const WARNING_CODES: Record<string, string[]> = {
  'W-MALFORMED-PARAM-KEY': ['malformed-parameter-key'],
  'W-ENV-KEY': ['pyfunc-env-incomplete'],
  'W-NULL-ENV-KEY': ['empty-environment-key'],
  'W-UNKNOWN-TOP-KEY': ['unknown-key'],
  'W-UNKNOWN-EP-KEY': ['unknown-key'],
  'W-UNKNOWN-DOCKER-KEY': ['unknown-key'],
  'W-DOCKER-NAME': ['docker-name-invalid'],
  'W-DOCKER-ENV-PAIR': ['docker-environment-pair'],
  'W-SIGNATURE-NOT-MAPPING': ['signature-not-mapping'],
  'W-NO-FLAVORS': ['flavors-missing'],
  'W-EXAMPLE-TYPE': ['example-info-invalid'],
  'W-EXAMPLE-PATH': ['example-info-invalid', 'model-file-missing'],
  'W-EXAMPLE-INFO': ['example-info-invalid'],
};

interface CorpusCase {
  id: string;
  expected: Expected;
  findings: Finding[];
}

async function loadCorpus(): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [];
  for (const kind of ['mlproject', 'mlmodel']) {
    for (const id of readdirSync(path.join(CORPUS, kind)).sort()) {
      const folder = path.join(CORPUS, kind, id);
      const expected = JSON.parse(readFileSync(path.join(folder, 'EXPECTED.json'), 'utf8')) as Expected;
      const file = path.join(folder, expected.file);
      const findings = await lint(expected.kind, readFileSync(file, 'utf8'), nodeProjectFiles(path.dirname(file)));
      cases.push({ id: `${kind}/${id}`, expected, findings });
    }
  }
  return cases;
}

const show = (findings: Finding[]) => findings.map((f) => `${f.range.start.line + 1}: ${f.severity} ${f.code}: ${f.message}`).join('\n');

describe('corpus: real files against MLflow verdicts', () => {
  let cases: CorpusCase[] = [];
  before(async () => {
    cases = await loadCorpus();
  });

  it('has the whole visible corpus (111 files)', () => {
    assert.equal(cases.length, 111);
  });

  it('gives no error to any file MLflow accepts', () => {
    const accepted = cases.filter((c) => c.expected.status === 'valid' || c.expected.status === 'valid-with-warnings');
    assert.ok(accepted.length >= 100);
    const falsePositives = accepted.map((c) => ({ id: c.id, errors: c.findings.filter((f) => f.severity === 'error') })).filter((c) => c.errors.length > 0);
    assert.deepEqual(
      falsePositives.map((c) => `${c.id}\n${show(c.errors)}`),
      [],
    );
  });

  it('gives an error on the expected line to every file MLflow rejects', () => {
    const rejected = cases.filter((c) => c.expected.status.startsWith('error'));
    assert.ok(rejected.length >= 3);
    for (const c of rejected) {
      const errors = c.findings.filter((f) => f.severity === 'error');
      assert.ok(errors.length > 0, `${c.id}: no error found`);
      for (const expected of c.expected.errors) {
        if (expected.line === null) continue;
        assert.ok(
          errors.some((f) => f.range.start.line + 1 === expected.line),
          `${c.id}: expected an error on line ${expected.line} (${expected.rule}: ${expected.message}); found\n${show(errors)}`,
        );
      }
    }
  });

  it('gives the expected warning on the expected line to valid-with-warnings files', () => {
    const warned = cases.filter((c) => c.expected.status === 'valid-with-warnings');
    assert.ok(warned.length >= 5);
    for (const c of warned) {
      for (const expected of c.expected.warnings) {
        const codes = WARNING_CODES[expected.rule];
        assert.ok(codes, `no mapping for corpus rule ${expected.rule}`);
        assert.ok(
          c.findings.some((f) => f.severity === 'warning' && codes.includes(f.code) && (expected.line === null || f.range.start.line + 1 === expected.line)),
          `${c.id}: expected ${expected.rule} on line ${expected.line}; found\n${show(c.findings)}`,
        );
      }
    }
  });

  it('warns about exactly the scripts that commands run and the repository did not have', () => {
    // The corpus keeps every script a command names as a placeholder, except those its notes call absent.
    const absent = /^entry point '[^']+': script '(.+)' is not in the repository/;
    const expected = cases.flatMap((c) => (c.expected.notes ?? []).flatMap((note) => absent.exec(note)?.[1] ?? []).map((script) => `${c.id}: ${script}`));
    const found = cases.flatMap((c) =>
      c.findings.filter((f) => f.code === 'command-script-missing').map((f) => `${c.id}: ${/ runs '(.+?)', which /.exec(f.message)?.[1]}`),
    );
    assert.ok(expected.length >= 2);
    assert.deepEqual(found.sort(), expected.sort());
  });

  after(() => {
    const count = (pred: (c: CorpusCase) => boolean) => cases.filter(pred).length;
    const accepted = count((c) => !c.expected.status.startsWith('error'));
    const acceptedClean = count((c) => !c.expected.status.startsWith('error') && !c.findings.some((f) => f.severity === 'error'));
    const rejected = count((c) => c.expected.status.startsWith('error'));
    const rejectedCaught = count((c) => c.expected.status.startsWith('error') && c.findings.some((f) => f.severity === 'error'));
    console.log(`      corpus: ${acceptedClean}/${accepted} accepted files without error, ${rejectedCaught}/${rejected} rejected files with an error`);
  });
});
