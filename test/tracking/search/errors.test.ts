/** Malformed filters and order_by clauses: each must fail with the offending token's 0-based position. */
import * as assert from 'node:assert/strict';
import { parseOrderBy, parseRunFilter, SearchSyntaxError } from '../../../src/tracking/search';
import { MlflowError } from '../../../src/tracking/types';

function expectError(fn: () => unknown, input: string, position: number, reason: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SearchSyntaxError, `not a SearchSyntaxError: ${String(e)}`);
    assert.ok(e instanceof MlflowError);
    assert.equal(e.error_code, 'INVALID_PARAMETER_VALUE');
    assert.equal(e.input, input);
    assert.match(e.reason, reason);
    assert.equal(e.position, position, `position of: ${e.message}`);
    assert.equal(e.message, `${e.reason} at position ${position}`);
    return true;
  });
}

const FILTERS: [string, number, RegExp][] = [
  ['metrics.rmse', 12, /^Expected a comparison operator after 'metrics\.rmse', found the end of the filter$/],
  ['metrics.rmse 0.5', 13, /^Expected a comparison operator after 'metrics\.rmse', found '0\.5'$/],
  ['metrics.loss <<< 0.5', 13, /^Invalid comparator '<<<' not one of '\{'>', '=', '<', '!=', '>=', '<='\}$/],
  ['metrics.loss == 0.5', 13, /^Invalid comparator '=='/],
  ['metrics.loss <> 0.5', 13, /^Invalid comparator '<>'/],
  ["metrics.loss < 'abc'", 15, /^Expected numeric value type for metric\. Found 'abc'$/],
  ['metrics.loss LIKE 0.5', 13, /^Invalid comparator 'LIKE'/],
  ['metrics.loss < 0.5abc', 18, /^Unexpected character 'a' after the number '0\.5'$/],
  ['metrics.loss <', 14, /^Expected a value after '<', found the end of the filter$/],
  ['metrics.f1-score > 0.5', 10, /^Unexpected character '-' after 'metrics\.f1' \(quote names/],
  ['metrics.x = -abc', 12, /^Unexpected character '-'$/],
  ['metrics. > 1', 8, /^Expected a name after 'metrics\.', found ' '$/],
  ['metrics.x IS NULL', 10, /^IS NULL \/ IS NOT NULL is only supported for tags and params, not for 'metric' 'x'$/],
  ['params.lr = 0.01', 12, /^Expected a quoted string value for parameter \(e\.g\. 'my-value'\)\. Got value 0\.01$/],
  ["params.lr > '0.01'", 10, /^Invalid comparator '>' not one of '\{'!=', '=', 'ILIKE', 'IS NOT NULL', 'IS NULL', 'LIKE'\}'$/],
  ['params.lr = abc', 12, /^Parameter value is either not quoted or unidentified quote types used for string value abc/],
  ["params.lr = 'abc", 12, /^Unterminated string starting$/],
  ["params.x NOT LIKE 'a'", 13, /^Expected IN after 'NOT', found 'LIKE'$/],
  ["params.x IN ('a')", 9, /^Invalid comparator 'IN'/],
  ["params.x = ('a')", 11, /^Expected a quoted string value for parameter .* Got value \('a'\)$/],
  ["tags.x IS NOT 'a'", 14, /^Expected NULL after 'IS NOT', found ''a''$/],
  ["tags.`unterminated = 'x'", 5, /^Unterminated backtick-quoted name starting$/],
  ["tags.x = 'a' )", 13, /^Expected AND or the end of the filter, found '\)'$/],
  ['metrics.a > 1 OR metrics.b < 2', 14, /OR/],
  ['metrics.a > 1 or metrics.b < 2', 14, /OR/],
  ['metrics.a > 1 AND', 17, /^Expected a condition after 'AND'$/],
  ['metrics.a > 1 metrics.b < 2', 14, /^Expected AND or the end of the filter, found 'metrics\.b'$/],
  ['metrics.x > 1 AND AND metrics.y > 2', 18, /^Expected a name such as .* found 'AND'$/],
  ['AND metrics.a > 1', 0, /^Expected a name such as/],
  ['(metrics.a > 1)', 0, /^Expected a name such as/],
  ["foo.bar = 'x'", 0, /^Invalid entity type 'foo'\. Valid values are \['metric', 'parameter', 'tag', 'attribute', 'dataset'\]$/],
  ["attributes.colour = 'red'", 11, /^Invalid attribute key 'colour' specified\. Valid keys are '\{.*'run_id'.*\}'$/],
  ["colour = 'red'", 0, /^Invalid attribute key 'colour'/],
  ["attributes.lifecycle_stage = 'deleted'", 11, /^Invalid attribute key 'lifecycle_stage'/],
  ["attributes.status IN ('FINISHED')", 21, /^Only the 'run_id' attribute supports comparison with a list of quoted string values\.$/],
  ['attributes.run_id IN ()', 21, /^While parsing a list in the query, expected a non-empty list of string values, but got empty list$/],
  ["attributes.run_id IN ('a', 1)", 27, /^Expected a quoted string in the list after 'IN', found '1'$/],
  ["attributes.run_id IN ('a' 'b')", 26, /^Expected ',' or '\)' in the list, found ''b''$/],
  ["attributes.run_id IN 'a'", 21, /^Expected a parenthesized list after 'IN', found ''a''$/],
  ["attributes.run_id = ('a')", 18, /^Use IN or NOT IN to compare run_id with a list$/],
  ["attributes.start_time > '2024'", 24, /^Expected numeric value type for numeric attribute: start_time\. Found '2024'$/],
  ['attributes.start_time > 1.5', 24, /^Expected an integer/],
  ["attributes.start_time LIKE '1%'", 22, /^Invalid comparator 'LIKE'/],
  ['attributes.end_time IS NULL', 20, /^IS NULL \/ IS NOT NULL is only supported for tags and params, not for 'attribute' 'end_time'$/],
  ['attributes.status = FINISHED', 20, /^Parameter value is either not quoted/],
  ["datasets.size = 'x'", 9, /^Invalid dataset key 'size' specified/],
  ["datasets.name > 'x'", 14, /^Invalid comparator '>'/],
  ['params.x = @', 11, /^Unexpected character '@'$/],
];

const ORDER_BYS: [string, number, RegExp][] = [
  ['metrics.rmse DESCENDING', 13, /^Invalid ordering key in order_by clause 'metrics\.rmse DESCENDING'\.$/],
  ['metrics.rmse DESC extra', 18, /^Invalid order_by clause 'metrics\.rmse DESC extra'\. Could not be parsed\.$/],
  ['', 0, /^Invalid order_by clause ''\. Could not be parsed\.$/],
  ['foo.rmse', 0, /^Invalid entity type 'foo'/],
  ['attributes.colour ASC', 11, /^Invalid attribute key 'colour'/],
  ['attributes.`Run Name`', 11, /^Invalid attribute key 'Run Name'/],
  ['datasets.name', 0, /^Invalid order_by entity type 'dataset'$/],
  ['metrics."unterminated', 8, /Could not be parsed/],
];

describe('search: malformed filters', () => {
  for (const [filter, position, reason] of FILTERS) {
    it(`${JSON.stringify(filter)} → position ${position}`, () => {
      expectError(() => parseRunFilter(filter), filter, position, reason);
    });
  }
});

describe('search: malformed order_by', () => {
  for (const [orderBy, position, reason] of ORDER_BYS) {
    it(`${JSON.stringify(orderBy)} → position ${position}`, () => {
      expectError(() => parseOrderBy(['metrics.ok DESC', orderBy]), orderBy, position, reason);
    });
  }
});
