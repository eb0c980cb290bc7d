/** Experiments: `<id>/meta.yaml` (or `.trash/<id>/meta.yaml`) plus `tags/`. */
import type { Experiment } from '../types';
import { resolveArtifactRoot } from './artifacts';
import { describeError, type Warn } from './fsRead';
import { readKeyValueDir } from './keyValueDir';
import type { ExperimentDir } from './layout';
import { int, parseMetaYaml, str } from './metaYaml';
import { readIfChanged } from './runs';

interface Entry {
  mtimeMs: number;
  size: number;
  exp?: Omit<Experiment, 'tags'>;
}

export class ExperimentReader {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly root: string,
    private readonly warn: Warn,
  ) {}

  /** The experiment, or undefined (with a warning) when its meta.yaml is missing or unusable. */
  read(e: ExperimentDir): Experiment | undefined {
    const path = `${e.dir}/meta.yaml`;
    const cached = this.cache.get(path);
    let base: Omit<Experiment, 'tags'> | undefined;
    try {
      const r = readIfChanged(path, cached);
      if (r.text === undefined) base = cached?.exp;
      else {
        try {
          base = this.fromMeta(r.text, e);
        } catch (err) {
          this.warn(path, `experiment skipped: ${(err as Error).message}`);
        }
        this.cache.set(path, { mtimeMs: r.mtimeMs, size: r.size, exp: base });
      }
    } catch (err) {
      this.cache.delete(path);
      this.warn(path, `experiment skipped: cannot read meta.yaml: ${describeError(err)}`);
      return undefined;
    }
    if (!base) return undefined;
    const tags = readKeyValueDir(`${e.dir}/tags`, this.warn);
    return tags.length ? { ...base, tags } : { ...base };
  }

  private fromMeta(text: string, e: ExperimentDir): Omit<Experiment, 'tags'> {
    if (text.trim() === '') throw new Error('meta.yaml is empty');
    const meta = parseMetaYaml(text);
    const id = str(meta.experiment_id) ?? e.id;
    if (id !== e.id) throw new Error(`meta.yaml names experiment '${id}' but the folder is '${e.id}'`);
    const name = str(meta.name);
    if (name === undefined) throw new Error('meta.yaml has no name');
    const stage = e.trashed ? 'deleted' : (str(meta.lifecycle_stage) ?? 'active');
    if (stage !== 'active' && stage !== 'deleted') throw new Error(`unknown lifecycle_stage '${stage}'`);
    const out: Omit<Experiment, 'tags'> = { experiment_id: id, name, lifecycle_stage: stage };
    // Reported where the experiment lives when active (its folder in the root), also for a trashed one.
    const art = resolveArtifactRoot(str(meta.artifact_location), `${this.root}/${id}`, [id]);
    if (art.uri !== undefined) out.artifact_location = art.uri;
    const updated = int(meta.last_update_time);
    if (updated !== undefined) out.last_update_time = updated;
    const created = int(meta.creation_time);
    if (created !== undefined) out.creation_time = created;
    return out;
  }
}
