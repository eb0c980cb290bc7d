/**
 * A generated sweep for the sweep page's tests and benchmark: `count` runs with seven params
 * (numeric, categorical with missing values, and a key shaped like a script tag) and a loss
 * metric with NaNs. Run 0 is named like an XSS attack and has the largest lr and loss.
 */
import type { SweepToPage } from '../../src/protocol/compare';
import { seededRandom } from './seededRandom';

export const XSS_NAME = '<img src=x onerror=window.__ran=1>';
export const XSS_KEY = 'params.</script><script>window.__ran=2</script>';

export function sweepData(count: number, mode: 'parallel' | 'scatter'): Extract<SweepToPage, { type: 'data' }> {
  const random = seededRandom(17);
  const columns: Record<string, (string | number | null)[]> = {
    'params.lr': [],
    'params.optimizer': [],
    'params.batch_size': [],
    'params.dropout': [],
    'params.layers': [],
    'params.seed': [],
    [XSS_KEY]: [],
    'metrics.loss': [],
  };
  for (let i = 0; i < count; i++) {
    const lr = 10 ** (-4 + 3 * random());
    columns['params.lr'].push(String(lr));
    columns['params.optimizer'].push(i % 50 === 0 ? null : ['adam', 'sgd', 'adamw'][i % 3]);
    columns['params.batch_size'].push(String(2 ** (4 + (i % 5))));
    columns['params.dropout'].push(String(Math.round(random() * 50) / 100));
    columns['params.layers'].push(String(1 + (i % 8)));
    columns['params.seed'].push(String(i));
    columns[XSS_KEY].push(i % 2 ? '</script><script>window.__ran=3</script>' : 'plain');
    columns['metrics.loss'].push(i === 0 ? 10 : i % 97 === 0 ? NaN : Math.abs(Math.log10(lr) + 2.5) + random() * 0.2);
  }
  // Run 0 has the largest lr and loss: the top-right point of a lr/loss scatter.
  columns['params.lr'][0] = '0.5';
  return {
    type: 'data',
    mode,
    storeUri: 'file:///sweep/mlruns',
    experimentId: '7',
    experimentName: 'lr-search',
    filter: "params.optimizer != 'rmsprop'",
    runIds: Array.from({ length: count }, (_, i) => i.toString(16).padStart(32, '0')),
    runNames: Array.from({ length: count }, (_, i) => (i === 0 ? XSS_NAME : `trial-${i}`)),
    columns,
    truncated: false,
  };
}
