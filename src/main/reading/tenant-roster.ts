import type { StoreKind } from '@shared/model/workspace';
import {
  allTenantsPattern,
  isTenantId,
  tenantIdOfSchema,
  tenantIdPattern,
  tenantOfCollection,
  tenantOfIndex,
  tenantOfKey,
  type MongoDatabases,
  type TenancyPreset,
} from '@shared/tenancy';
import { qualified, quoteIdent } from '@shared/sql/identifiers';
import type { ExecutionOptions } from '../stores/execution';
import type { ElasticFace } from '../stores/elastic/face';
import type { MongoFace } from '../stores/mongo/face';
import type { PostgresFace } from '../stores/postgres/face';
import type { RedisFace } from '../stores/redis/face';
import { recordsOf } from './stores';

/**
 * The tenant ids of a workspace as one store knows them, cheaply: a catalog read, a collection or
 * index listing, a capped SCAN. No sizes and no per-tenant calls, unlike the tenant list, so
 * work that runs per tenant (fleet explain, fan-out reads) can start at once on thousands of them.
 */
export interface TenantRoster {
  store: StoreKind;
  /** Sorted and unique; every id passed the one tenant-id rule and the preset's pattern. */
  tenantIds: string[];
  /** Names that looked like a tenant's but whose id the preset refuses (left out of `tenantIds`). */
  refused: number;
  /** The listing stopped at its cap (Redis), so more tenants may exist. */
  truncated: boolean;
}

export type RosterPostgres = Pick<PostgresFace, 'query'>;
export type RosterMongo = Pick<MongoFace, 'listCollectionNames' | 'registeredTenants'>;
export type RosterRedis = Pick<RedisFace, 'scanKeys'>;
export type RosterElastic = Pick<ElasticFace, 'listIndices'>;

export interface RosterOptions extends ExecutionOptions {
  /** Redis: stop the SCAN after this many keys (default 200,000). */
  maxKeys?: number;
}

const DEFAULT_MAX_KEYS = 200_000;

/** Splits candidate ids into the preset's valid ones (sorted, unique) and a count of the rest. */
function rosterOf(store: StoreKind, preset: TenancyPreset, candidates: Iterable<string>, truncated = false): TenantRoster {
  const valid = new Set<string>();
  const refused = new Set<string>();
  for (const id of candidates) (isTenantId(preset, id) ? valid : refused).add(id);
  for (const id of valid) refused.delete(id);
  return { store, tenantIds: [...valid].sort(), refused: refused.size, truncated };
}

/**
 * Whether the registry table exists with its id column, and every schema under the tenant prefix,
 * in one catalog query. `starts_with` instead of LIKE: the prefix's `_` is not a wildcard.
 */
const POSTGRES_CATALOG_SQL = `
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped) AS registry,
       coalesce((SELECT array_agg(n.nspname::text) FROM pg_catalog.pg_namespace n WHERE starts_with(n.nspname, $3::text)), '{}') AS schemas`;

/**
 * PostgreSQL: the preset's registry table ∪ the `tenant_%` schemas. A registered tenant without a
 * schema and a schema nobody registered are both listed, as the tenant list shows both.
 */
export async function postgresRoster(pg: RosterPostgres, preset: TenancyPreset, options: ExecutionOptions = {}): Promise<TenantRoster> {
  const layout = preset.layout.postgres;
  if (!layout) return rosterOf('postgres', preset, []);
  const exec: ExecutionOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
  const { registry: table, schemaPrefix } = layout;
  const registryName = qualified(table.schema, table.table);
  const [catalog] = recordsOf(await pg.query(POSTGRES_CATALOG_SQL, [registryName, table.idColumn, schemaPrefix], undefined, exec));
  const schemas = Array.isArray(catalog?.schemas) ? catalog.schemas.map(String) : [];
  const idPattern = tenantIdPattern(preset);
  const ids = schemas.map((schema) => tenantIdOfSchema(layout, schema, idPattern));
  if (catalog?.registry === true) {
    const { rows } = await pg.query(`SELECT DISTINCT ${quoteIdent(table.idColumn)}::text FROM ${registryName}`, [], undefined, exec);
    for (const row of rows) if (row[0] !== null && row[0] !== undefined) ids.push(String(row[0]));
  }
  return rosterOf('postgres', preset, ids);
}

/**
 * MongoDB: a collection-prefix layout's `tenant_<id>_` collections in the tenant database (one
 * listCollections), or a field layout's registry collection. `databases` are the workspace's
 * names over the preset's.
 */
export async function mongoRoster(mongo: RosterMongo, preset: TenancyPreset, databases: MongoDatabases, options: ExecutionOptions = {}): Promise<TenantRoster> {
  const layout = preset.layout.mongo;
  if (!layout) return rosterOf('mongo', preset, []);
  const exec: ExecutionOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
  const idPattern = tenantIdPattern(preset);
  if (layout.mode === 'collection-prefix') {
    const database = databases.tenant ?? databases.customer;
    if (!database) return rosterOf('mongo', preset, []);
    const known = (preset.blueprint.mongo?.collections ?? []).map((c) => c.name).sort((a, b) => b.length - a.length);
    const names = await mongo.listCollectionNames(database, exec);
    const ids = names.map((name) => tenantOfCollection(layout.collectionPrefix, name, known, idPattern)).filter((id): id is string => id !== undefined);
    return rosterOf('mongo', preset, ids);
  }
  const database = databases[layout.registry.database];
  if (!database) return rosterOf('mongo', preset, []);
  const { idField, nameField } = layout.registry;
  const tenants = await mongo.registeredTenants({ database, collection: layout.registry.collection }, { idField, nameField }, undefined, exec);
  return rosterOf('mongo', preset, tenants.map((t) => t.tenantId));
}

/** Redis: the distinct `<id><separator>` prefixes of a SCAN over the keyspace, stopped after `maxKeys` keys. */
export async function redisRoster(redis: RosterRedis, preset: TenancyPreset, options: RosterOptions = {}): Promise<TenantRoster> {
  const layout = preset.layout.redis;
  if (!layout) return rosterOf('redis', preset, []);
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const idPattern = tenantIdPattern(preset);
  const ids = new Set<string>();
  let seen = 0;
  let truncated = false;
  const pages = redis.scanKeys({ match: '*', count: 1_000 }, undefined, { signal: options.signal, timeoutMs: options.timeoutMs });
  for await (const keys of pages) {
    for (const key of keys) {
      const id = tenantOfKey(layout.separator, key, idPattern);
      if (id !== undefined) ids.add(id);
    }
    seen += keys.length;
    if (seen >= maxKeys) {
      truncated = true;
      await pages.return(undefined);
      break;
    }
  }
  return rosterOf('redis', preset, ids, truncated);
}

/** Elasticsearch: the tenant ids in the names of the indices under the layout's `tenant-*` pattern. */
export async function elasticRoster(es: RosterElastic, preset: TenancyPreset, options: ExecutionOptions = {}): Promise<TenantRoster> {
  const layout = preset.layout.elastic;
  if (!layout) return rosterOf('elastic', preset, []);
  const entities = (preset.blueprint.elastic?.indices ?? []).map((i) => i.entity).sort((a, b) => b.length - a.length);
  const idPattern = tenantIdPattern(preset);
  // Across tenants by design: `_cat/indices` on the layout's pattern, without a tenant's scope.
  const indices = await es.listIndices(allTenantsPattern(layout), undefined, { signal: options.signal, timeoutMs: options.timeoutMs });
  const ids = indices.map((index) => tenantOfIndex(layout, index.index, entities, idPattern)).filter((id): id is string => id !== undefined);
  return rosterOf('elastic', preset, ids);
}
