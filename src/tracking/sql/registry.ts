/**
 * MLflow's model registry read from its SQL tables (`registered_models`, `model_versions`, their
 * tags, `registered_model_aliases`), shaped as MLflow's SQL registry serves them: each model with
 * its latest version per stage, tags and aliases; versions without aliases.
 */
import { paginate, parseModelVersionFilter, parseModelVersionOrderBy, parseRegisteredModelFilter, parseRegisteredModelOrderBy } from '../search';
import type { KeyValue, ModelVersion, RegisteredModel, SearchRegistryRequest } from '../types';
import type { SqlConnection } from './connection';
import { checkMaxResults, keyValues, modelVersion, num, put, str, withInsertionOrder } from './rows';

export async function searchRegisteredModels(db: SqlConnection, tables: Set<string>, req: SearchRegistryRequest) {
  const maxResults = checkMaxResults(req.max_results, 100, 1000);
  const matches = parseRegisteredModelFilter(req.filter);
  if (!tables.has('registered_models')) return { registered_models: [] as RegisteredModel[] };
  const tags = tables.has('registered_model_tags')
    ? await keyValues(db, 'SELECT name AS id, "key", value FROM registered_model_tags ORDER BY ORDER_INSERTION(, "key")')
    : new Map<string, KeyValue[]>();
  const aliases = new Map<string, { alias: string; version: string }[]>();
  if (tables.has('registered_model_aliases')) {
    for (const r of await db.all(withInsertionOrder(db, 'SELECT name, alias, version FROM registered_model_aliases ORDER BY ORDER_INSERTION(, alias)'))) {
      const list = aliases.get(String(r.name)) ?? [];
      list.push({ alias: String(r.alias), version: String(r.version) });
      aliases.set(String(r.name), list);
    }
  }
  const latest = new Map<string, Map<string, ModelVersion>>();
  for (const v of await modelVersions(db, tables)) {
    const stage = v.current_stage ?? 'None';
    const byStage = latest.get(v.name) ?? new Map<string, ModelVersion>();
    latest.set(v.name, byStage);
    const prev = byStage.get(stage);
    if (!prev || Number(prev.version) < Number(v.version)) byStage.set(stage, v);
  }
  const models = (await db.all('SELECT * FROM registered_models ORDER BY name')).map((r) => {
    const name = String(r.name);
    const m: RegisteredModel = { name };
    put(m, 'creation_timestamp', num(r.creation_time));
    put(m, 'last_updated_timestamp', num(r.last_updated_time));
    put(m, 'description', str(r.description));
    const lv = [...(latest.get(name)?.values() ?? [])];
    if (lv.length) m.latest_versions = lv;
    put(m, 'tags', tags.get(name));
    put(m, 'aliases', aliases.get(name));
    return m;
  });
  const p = paginate(models.filter(matches).sort(parseRegisteredModelOrderBy(undefined)), req.page_token, maxResults);
  return { registered_models: p.items, next_page_token: p.next_page_token };
}

export async function searchModelVersions(db: SqlConnection, tables: Set<string>, req: SearchRegistryRequest) {
  const maxResults = checkMaxResults(req.max_results, 10_000, 200_000);
  const matches = parseModelVersionFilter(req.filter);
  const versions = (await modelVersions(db, tables)).filter(matches);
  versions.sort(parseModelVersionOrderBy(undefined));
  const p = paginate(versions, req.page_token, maxResults);
  return { model_versions: p.items, next_page_token: p.next_page_token };
}

async function modelVersions(db: SqlConnection, tables: Set<string>): Promise<ModelVersion[]> {
  if (!tables.has('model_versions')) return [];
  const tags = new Map<string, KeyValue[]>();
  if (tables.has('model_version_tags')) {
    for (const r of await db.all(withInsertionOrder(db, 'SELECT name, version, "key", value FROM model_version_tags ORDER BY ORDER_INSERTION(, "key")'))) {
      const id = `${r.name}\u0000${r.version}`;
      const list = tags.get(id) ?? [];
      list.push({ key: String(r.key), value: str(r.value) ?? '' });
      tags.set(id, list);
    }
  }
  return (await db.all("SELECT * FROM model_versions WHERE current_stage IS NULL OR current_stage != 'Deleted_Internal'")).map((r) =>
    modelVersion(r, tags.get(`${r.name}\u0000${r.version}`)),
  );
}
