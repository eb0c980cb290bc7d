/**
 * Search-language benchmark: 10,000 in-memory runs (20 params, 10 metrics, 4 tags each).
 * Figures: parsing a filter, testing it on every run, sorting by an order_by. The floor of each
 * is the same work hand-written in plain JS (array scans and comparisons, sort values read once),
 * so the ratio is the cost of going through the filter language. compareRuns reads the values at
 * every comparison; sortRuns reads them once, like the floor.
 *
 * Human lines on stderr, one JSON object as the last stdout line.
 */
import { compareRuns, parseOrderBy, parseRunFilter, runMatches, sortRuns } from '../src/tracking/search';
import type { Run } from '../src/tracking/types';
import { seededRandom } from '../test/helpers/seededRandom';

const RUNS = 10_000;
const log = (s: string) => process.stderr.write(s + '\n');

function makeRuns(): Run[] {
  const rand = seededRandom(7);
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const id = i.toString(16).padStart(32, '0');
    runs.push({
      info: {
        run_id: id,
        run_name: `run-${i}`,
        experiment_id: '1',
        status: i % 10 === 0 ? 'FAILED' : 'FINISHED',
        start_time: 1_700_000_000_000 + ((i * 7919) % RUNS) * 1000,
        lifecycle_stage: 'active',
        user_id: 'bench',
      },
      data: {
        params: Array.from({ length: 20 }, (_, p) => ({ key: `p${p}`, value: p === 1 ? ['adam', 'sgd', 'adamw'][Math.floor(rand() * 3)] : String(rand()) })),
        metrics: Array.from({ length: 10 }, (_, m) => ({ key: `m${m}`, value: rand(), timestamp: 0, step: 0 })),
        tags: [
          { key: 'mlflow.runName', value: `run-${i}` },
          { key: 'mlflow.user', value: 'bench' },
          { key: 'team', value: i % 3 === 0 ? 'vision' : 'nlp' },
          { key: 'mlflow.source.type', value: 'LOCAL' },
        ],
      },
    });
  }
  return runs;
}

/** Median of `repeat` timings of fn, in ms. */
function time(fn: () => unknown, repeat = 101): number {
  for (let i = 0; i < 20; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const s = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

const runs = makeRuns();
const FILTER = "metrics.m3 > 0.5 and params.p1 LIKE 'adam%' and tags.team = 'vision' and attributes.status = 'FINISHED'";

const parseMs = time(() => parseRunFilter(FILTER), 201);
const filter = parseRunFilter(FILTER);
let matched = 0;
const filterMs = time(() => {
  matched = 0;
  for (const r of runs) if (runMatches(filter, r)) matched++;
});
const find = (kv: { key: string; value: any }[] | undefined, k: string) => {
  if (kv) for (let i = 0; i < kv.length; i++) if (kv[i].key === k) return kv[i].value;
  return undefined;
};
let floorMatched = 0;
const filterFloorMs = time(() => {
  floorMatched = 0;
  for (const r of runs) {
    const m = find(r.data.metrics, 'm3');
    if (m === undefined || !(m > 0.5)) continue;
    const p = find(r.data.params, 'p1');
    if (p === undefined || !p.startsWith('adam')) continue;
    if (find(r.data.tags, 'team') !== 'vision') continue;
    if (r.info.status !== 'FINISHED') continue;
    floorMatched++;
  }
});
if (matched !== floorMatched) throw new Error(`filter disagrees with the floor: ${matched} vs ${floorMatched}`);

const order = parseOrderBy(['metrics.m5 DESC', 'params.p1']);
const sortMs = time(() => [...runs].sort(compareRuns(order)), 11);
const sortRunsMs = time(() => sortRuns(runs, order), 11);
// Floor: each run's two sort values read once by hand, then a plain sort on them.
const sortFloorMs = time(() => {
  const rows = runs.map((r) => ({ r, m: find(r.data.metrics, 'm5') as number, p: find(r.data.params, 'p1') as string }));
  rows.sort((a, b) => (a.m !== b.m ? b.m - a.m : a.p < b.p ? -1 : a.p > b.p ? 1 : b.r.info.start_time! - a.r.info.start_time!));
  return rows.map((x) => x.r);
}, 11);

log(`search: parse a 4-condition filter: ${(parseMs * 1000).toFixed(1)} µs`);
log(
  `search: test it on ${RUNS} runs: ${filterMs.toFixed(2)} ms (${((filterMs * 1e6) / RUNS).toFixed(0)} ns/run), floor ${filterFloorMs.toFixed(2)} ms, ×${(filterMs / filterFloorMs).toFixed(2)}; ${matched} match`,
);
log(
  `search: sort ${RUNS} runs by metrics.m5 DESC, params.p1 with compareRuns: ${sortMs.toFixed(2)} ms, floor ${sortFloorMs.toFixed(2)} ms, ×${(sortMs / sortFloorMs).toFixed(2)}`,
);
log(`search: the same with sortRuns (values read once): ${sortRunsMs.toFixed(2)} ms, ×${(sortRunsMs / sortFloorMs).toFixed(2)} of the floor`);
process.stdout.write(
  JSON.stringify({
    search_parse_filter_us: +(parseMs * 1000).toFixed(1),
    search_filter_10k_ms: +filterMs.toFixed(2),
    search_filter_10k_floor_ms: +filterFloorMs.toFixed(2),
    search_filter_10k_ratio: +(filterMs / filterFloorMs).toFixed(2),
    search_sort_10k_ms: +sortMs.toFixed(2),
    search_sort_10k_floor_ms: +sortFloorMs.toFixed(2),
    search_sort_10k_ratio: +(sortMs / sortFloorMs).toFixed(2),
    search_sortRuns_10k_ms: +sortRunsMs.toFixed(2),
    search_sortRuns_10k_ratio: +(sortRunsMs / sortFloorMs).toFixed(2),
  }) + '\n',
);
