/**
 * Charts on a tracking server: MLflow's sampled history (`metrics/get-history-bulk-interval`)
 * for the first draw, then every point (paged `get-history`). Against the recorded server of
 * the other REST tests (test/helpers/recordedMlflowServer.ts, answers a real MLflow 3.6 gave).
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChartsDataSource } from '../../src/charts/dataSource';
import type { SeriesRequest } from '../../src/protocol/chartsPanel';
import { openRestStore, type RestTrackingStore } from '../../src/tracking/rest';
import type { Metric } from '../../src/tracking/types';
import { startRecordedServer, type RecordedServer } from '../helpers/recordedMlflowServer';
import { FIXTURES, recorded } from '../tracking/sqlite/fixtures';

const DIR = join(FIXTURES, 'rest-file-store');
const RUN = '08fcbe1b542c478a85a0e69209d4bd03';

const request: SeriesRequest = {
  type: 'requestSeries',
  requestId: 7,
  metric: 'loss',
  xAxis: 'step',
  range: null,
  columns: 400,
  smoothing: 0,
  ignoreOutliers: false,
  withStats: false,
  hiddenRuns: [],
};

describe('Charts on a tracking server: sampled first, then every point', () => {
  let server: RecordedServer;
  let store: RestTrackingStore;
  beforeEach(async () => {
    server = await startRecordedServer({ dir: DIR });
    store = openRestStore(server.url);
  });
  afterEach(async () => {
    store.dispose();
    await server.close();
  });

  it("asks get-history-bulk-interval as MLflow's UI does and sorts each run's sample by step", async () => {
    const sample = await store.getMetricHistorySampled([RUN], 'loss', 20);
    const expected = recorded<{ metrics: Metric[] }>('metrics_get_history_bulk_interval_api.json', DIR).metrics;
    assert.deepEqual([...sample.keys()], [RUN]);
    assert.deepEqual(
      sample.get(RUN)!.map((m) => [m.step, m.value, m.timestamp]),
      expected.map((m) => [m.step, m.value, m.timestamp]),
    );
    assert.equal(server.requests[0].answeredWith, 'metrics_get_history_bulk_interval_api.json');
  });

  it('asks for at most 100 runs a request (MLflow refuses more) and keeps each point with its run', async () => {
    const runIds = Array.from({ length: 150 }, (_, i) => `run${i}`);
    server.addAnswer({
      match: (req) => req.path.endsWith('/metrics/get-history-bulk-interval'),
      body: { metrics: [{ key: 'loss', value: 1, timestamp: 5, step: 3, run_id: 'run120' }] },
    });
    const sample = await store.getMetricHistorySampled(runIds, 'loss', 50);
    const asked = server.requests.map((r) => r.query.getAll('run_ids').length);
    assert.deepEqual(asked, [100, 50]);
    assert.equal(server.requests[0].query.get('max_results'), '50');
    assert.equal(sample.size, 150);
    assert.deepEqual(
      sample.get('run120')!.map((m) => m.step),
      [3],
    );
  });

  it('the data source draws the sample first (marked sampled), then every point of the history', async () => {
    const fullHistory = recorded<{ metrics: Metric[] }>('metrics_get_history_loss.json', DIR).metrics;
    server.addAnswer({
      match: (req) => req.path.endsWith('/runs/get'),
      body: {
        run: {
          info: { run_id: RUN, run_uuid: RUN, experiment_id: '1', run_name: 'sampled-run', status: 'FINISHED', start_time: 1795116617999 },
          data: { metrics: [{ key: 'loss', value: 0.08, timestamp: 1795116717499, step: 199 }] },
        },
      },
    });
    // The full history arrives late, as a long paged read does.
    server.addFault({ kind: 'slow', match: /\/metrics\/get-history\?/, delayMs: 400 });
    server.addAnswer({
      match: (req) => req.path.endsWith('/metrics/get-history-bulk-interval'),
      body: recorded('metrics_get_history_bulk_interval_api.json', DIR),
    });
    const data = new ChartsDataSource(store);
    await data.load([RUN]);
    const progress: [number, number][] = [];
    const full = data.answer(request, (read, of) => progress.push([read, of]));
    const preview = await data.preview(request);
    assert.ok(preview, 'a preview while the history is read');
    assert.equal(preview.sampled, true);
    assert.equal(preview.total, 21, 'the sample: 21 points');
    const answer = await full;
    assert.equal(answer.sampled, undefined);
    assert.equal(answer.total, fullHistory.length);
    assert.ok(answer.total > preview.total);
    assert.deepEqual(progress, [[1, 1]]);
    assert.equal(await data.preview(request), undefined, 'once every history is read, no preview is asked for');
    const bulk = server.requests.filter((r) => r.path.endsWith('/get-history-bulk-interval'));
    assert.equal(bulk.length, 1);
    assert.equal(bulk[0].query.get('metric_key'), 'loss');
  });
});
