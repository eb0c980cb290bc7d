import * as assert from 'node:assert/strict';
import { filterProblem } from '../../../src/extension/explorer/model/filter';

describe('run filter input validation', () => {
  it('accepts an empty filter and valid MLflow search syntax', () => {
    assert.equal(filterProblem(''), undefined);
    assert.equal(filterProblem('   '), undefined);
    assert.equal(filterProblem('metrics.loss < 0.5'), undefined);
    assert.equal(filterProblem("metrics.loss < 0.5 and params.optimizer = 'adam' and attributes.status = 'FINISHED'"), undefined);
    assert.equal(filterProblem("tags.`mlflow.runName` LIKE 'lr-%'"), undefined);
  });

  it('points at the column of the mistake', () => {
    const message = filterProblem('metrics.loss <<< 0.5');
    assert.ok(message, 'an invalid comparison is reported');
    assert.match(message, /\(at column \d+\)$/);
    const incomplete = filterProblem('metrics.loss <');
    assert.ok(incomplete);
    assert.match(incomplete, /column 15\)$/, incomplete);
  });
});
