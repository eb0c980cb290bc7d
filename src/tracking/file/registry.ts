/**
 * The model registry's file store: `mlruns/models/<name>/meta.yaml` (with an `aliases:` map),
 * `tags/`, `aliases/`, and `version-<n>/meta.yaml` with its `tags/`.
 */
import { modelVersionOf, type ModelVersion, type RegisteredModel } from '../types';
import { readText, type Warn } from './fsRead';
import { readKeyValueDir } from './keyValueDir';
import type { StoreLayout } from './layout';
import { int, parseMetaYaml, str, type Meta, type MetaValue } from './metaYaml';

/** MLflow marks a deleted version with this stage instead of removing its folder. */
const DELETED_STAGE = 'Deleted_Internal';
const STAGE_ORDER = ['None', 'Staging', 'Production', 'Archived'];

export interface RegistryEntry {
  model: RegisteredModel;
  versions: ModelVersion[];
}

function readMeta(path: string, warn: Warn): Meta | undefined {
  const text = readText(path, warn);
  if (text === undefined) return undefined;
  try {
    if (text.trim() === '') throw new Error('meta.yaml is empty');
    return parseMetaYaml(text);
  } catch (e) {
    warn(path, `skipped: ${(e as Error).message}`);
    return undefined;
  }
}

function aliasMap(v: MetaValue | undefined, dir: string, warn: Warn): Map<string, string> {
  const out = new Map<string, string>();
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [alias, version] of Object.entries(v)) {
      const s = str(version);
      if (s !== undefined) out.set(alias, s);
    }
    return out;
  }
  for (const kv of readKeyValueDir(`${dir}/aliases`, warn)) out.set(kv.key, kv.value.trim());
  return out;
}

/** Every registered model with its (non-deleted) versions, sorted by name. */
export function readRegistry(layout: StoreLayout, warn: Warn): RegistryEntry[] {
  const base = `${layout.root}/models`;
  const out: RegistryEntry[] = [];
  for (const folder of layout.subfolders(base)) {
    const dir = `${base}/${folder}`;
    const meta = readMeta(`${dir}/meta.yaml`, warn);
    if (!meta) continue;
    const name = str(meta.name) ?? folder;
    const aliases = aliasMap(meta.aliases, dir, warn);
    const aliasesOf = (version: string) =>
      [...aliases]
        .filter(([, v]) => v === version)
        .map(([a]) => a)
        .sort();
    const versions: ModelVersion[] = [];
    for (const vf of layout.subfolders(dir)) {
      const m = /^version-(\d+)$/.exec(vf);
      if (!m) continue;
      const vmeta = readMeta(`${dir}/${vf}/meta.yaml`, warn);
      if (!vmeta) continue;
      const v = versionFromMeta(vmeta, name, m[1], `${dir}/${vf}`, warn);
      if (!v) continue;
      const al = aliasesOf(v.version);
      if (al.length) v.aliases = al;
      versions.push(v);
    }
    versions.sort((a, b) => Number(b.version) - Number(a.version));
    const model: RegisteredModel = { name };
    setIf(model, 'creation_timestamp', int(meta.creation_timestamp));
    setIf(model, 'last_updated_timestamp', int(meta.last_updated_timestamp));
    setIf(model, 'user_id', str(meta.user_id));
    setIf(model, 'description', str(meta.description));
    const latest = latestPerStage(versions);
    if (latest.length) model.latest_versions = latest;
    const tags = readKeyValueDir(`${dir}/tags`, warn);
    if (tags.length) model.tags = tags;
    if (aliases.size) {
      model.aliases = [...aliases].sort(([a], [b]) => (a < b ? -1 : 1)).map(([alias, version]) => ({ alias, version }));
    }
    out.push({ model, versions });
  }
  out.sort((a, b) => (a.model.name < b.model.name ? -1 : a.model.name > b.model.name ? 1 : 0));
  return out;
}

function versionFromMeta(meta: Meta, name: string, folderVersion: string, dir: string, warn: Warn): ModelVersion | undefined {
  const stage = str(meta.current_stage) ?? 'None';
  if (stage === DELETED_STAGE) return undefined;
  const tags = readKeyValueDir(`${dir}/tags`, warn);
  // model_id is in meta.yaml but MLflow 3.6's server does not return it for the file
  // registry; left out so both agree (`source` holds models:/<model_id>).
  return modelVersionOf({
    name,
    version: str(meta.version) ?? folderVersion,
    creation_timestamp: int(meta.creation_timestamp),
    last_updated_timestamp: int(meta.last_updated_timestamp),
    user_id: str(meta.user_id),
    current_stage: stage,
    description: str(meta.description),
    source: str(meta.source),
    run_id: str(meta.run_id),
    status: str(meta.status),
    status_message: str(meta.status_message),
    run_link: str(meta.run_link),
    tags: tags.length ? tags : undefined,
  });
}

/** The highest version per stage, stages in MLflow's order. */
function latestPerStage(versions: ModelVersion[]): ModelVersion[] {
  const best = new Map<string, ModelVersion>();
  for (const v of versions) {
    const s = v.current_stage ?? 'None';
    const cur = best.get(s);
    if (!cur || Number(v.version) > Number(cur.version)) best.set(s, v);
  }
  const rank = (s: string) => (STAGE_ORDER.indexOf(s) < 0 ? STAGE_ORDER.length : STAGE_ORDER.indexOf(s));
  return [...best.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([, v]) => v);
}

function setIf<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined && v !== null) o[k] = v;
}
