/**
 * Columns of the run index: the keys a search filters or orders by, read for one run alone
 * while its whole run is not in the index yet (what a cold search reads).
 */
import type { IndexedRun } from './runIndexEntry';
import type { RunReader } from './runs';

/** What a search needs of each run: the keys it filters or orders by, and dataset inputs. */
export interface ColumnKeys {
  metrics: Iterable<string>;
  params: Iterable<string>;
  tags: Iterable<string>;
  datasets?: boolean;
  /** The run's name, which older runs keep only in the mlflow.runName tag. */
  runName?: boolean;
}

/** A column: one key of one kind; `runName` is the info's run_name filled from the tag (partial does that). */
export interface Column {
  id: number;
  kind: 'metrics' | 'params' | 'tags' | 'datasets' | 'runName';
  key: string;
}

/** The columns for these keys, numbered per experiment (`ids` grows as new keys are asked for). */
export function columnsOf(ids: Map<string, number>, keys: ColumnKeys): Column[] {
  const columns: Column[] = [];
  const add = (kind: Column['kind'], key: string) => {
    const name = `${kind}\0${key}`;
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = ids.size));
    columns.push({ id, kind, key });
  };
  for (const k of keys.metrics) add('metrics', k);
  for (const k of keys.params) add('params', k);
  for (const k of keys.tags) add('tags', k);
  if (keys.datasets) add('datasets', '');
  if (keys.runName) add('runName', '');
  return columns;
}

/** Reads these columns of one run into its view (its files for those keys). Throws when the run cannot be read. */
export async function readColumns(reader: RunReader, entry: IndexedRun, columns: Column[]): Promise<void> {
  const run = entry.loaded!;
  const want = { metrics: [] as string[], params: [] as string[], tags: [] as string[] };
  let datasets = false;
  for (const c of columns) {
    if (c.kind === 'datasets') datasets = true;
    else if (c.kind !== 'runName') want[c.kind].push(c.key);
  }
  const part = await reader.partial(run, want);
  const inputs = datasets ? reader.inputsOf(run) : undefined;
  // Another search found meta.yaml changed meanwhile and started the run afresh: what was
  // read here belongs to the old info (that search reads the keys again).
  if (entry.loaded !== run || entry.complete) return;
  const data = entry.view.data;
  data.metrics!.push(...part.data.metrics!);
  data.params!.push(...part.data.params!);
  data.tags!.push(...part.data.tags!);
  entry.view.info = part.info;
  if (inputs) entry.view.inputs = inputs;
  for (const c of columns) entry.has[c.id] = true;
}
