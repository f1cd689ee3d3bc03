import { AppError } from '@shared/errors';
import type { StoreTenantRow } from '@shared/model/tenant';
import type { TenantScope } from '@shared/model/tenant-scope';
import { tenantOfCollection, type MongoBlueprint, type MongoDatabases, type MongoLayout } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';
import type { MongoFace } from '../../stores/mongo/face';

/**
 * What the tenant list reads of MongoDB: catalog reads across tenants. It names what it wants
 * (documents per tenant, the registry's tenants); the store builds the pipelines and, for one
 * tenant, applies that tenant's scope.
 */
export type TenantsMongo = Pick<MongoFace, 'listCollectionNames' | 'collectionStats' | 'tenantDocuments' | 'registeredTenants'>;

/** collStats calls in flight at once: enough to hide round trips, few enough to spare the server. */
const STATS_CONCURRENCY = 8;

// Shared with the tenant roster: one reading of a collection name.
export { tenantOfCollection };

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function databaseOf(databases: MongoDatabases, which: keyof MongoDatabases): string {
  const name = databases[which];
  if (!name) throw new AppError('invalid_argument', `The workspace names no MongoDB ${which} database, which the preset needs.`);
  return name;
}

export interface MongoTenantsOptions extends ExecutionOptions {
  idPattern: RegExp;
  tenantId?: string;
  /** The scope of `tenantId` when one tenant is asked for; a field layout reads through it. */
  scope?: TenantScope;
}

/**
 * The MongoDB side of the tenant list. Collection-prefix layouts (Murima2025): one row per
 * `tenant_<id>_` prefix with collStats counts. Field layouts (Client Management): the registry
 * collection (organizations) plus documents per tenant in each tenant-scoped collection, which
 * the store counts in one $group per collection (for one tenant, under that tenant's scope), with
 * bytes from collStats' mean document size.
 */
export async function listMongoTenants(
  mongo: TenantsMongo,
  layout: MongoLayout,
  blueprint: MongoBlueprint | undefined,
  databases: MongoDatabases,
  options: MongoTenantsOptions,
): Promise<StoreTenantRow[]> {
  const exec: ExecutionOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
  const collections = blueprint?.collections ?? [];
  if (layout.mode === 'collection-prefix') {
    const database = databases.tenant ?? databaseOf(databases, 'customer');
    const names = await mongo.listCollectionNames(database, exec);
    const known = collections.map((c) => c.name).sort((a, b) => b.length - a.length);
    const owned = names
      .map((name) => ({ name, id: tenantOfCollection(layout.collectionPrefix, name, known, options.idPattern) }))
      .filter((c): c is { name: string; id: string } => c.id !== undefined && (options.tenantId === undefined || c.id === options.tenantId));
    const stats = await mapLimited(owned, STATS_CONCURRENCY, (c) => mongo.collectionStats({ database, collection: c.name }, exec));
    const byTenant = new Map<string, { collections: number; documents: number; bytes: number }>();
    owned.forEach((c, i) => {
      const tally = byTenant.get(c.id) ?? { collections: 0, documents: 0, bytes: 0 };
      tally.collections += 1;
      tally.documents += stats[i]?.count ?? 0;
      tally.bytes += stats[i]?.size ?? 0;
      byTenant.set(c.id, tally);
    });
    return [...byTenant].map(([id, tally]) => ({ id, registered: false, footprint: { store: 'mongo' as const, ...tally } }));
  }

  if (options.tenantId !== undefined && options.scope?.tenantId !== options.tenantId) {
    throw new AppError('internal', `Listing MongoDB tenant ${options.tenantId} needs that tenant's scope.`);
  }
  const registryDb = databaseOf(databases, layout.registry.database);
  const registry = { idField: layout.registry.idField, nameField: layout.registry.nameField };
  const organizations = await mongo.registeredTenants({ database: registryDb, collection: layout.registry.collection }, registry, options.scope, exec);
  const rows = new Map<string, StoreTenantRow & { documents: number; bytes: number; collections: number }>();
  for (const org of organizations) {
    rows.set(org.tenantId, {
      id: org.tenantId,
      registered: true,
      name: org.name,
      status: org.status,
      lastActivity: org.updatedAt,
      documents: 0,
      bytes: 0,
      collections: 0,
    });
  }
  const scoped = collections.filter((c) => c.tenantScoped && c.database !== 'tenant');
  await mapLimited(scoped, STATS_CONCURRENCY, async (collection) => {
    const database = databaseOf(databases, collection.database as keyof MongoDatabases);
    const [counts, stats] = await Promise.all([
      mongo.tenantDocuments({ database, collection: collection.name }, layout.field, options.scope, exec),
      mongo.collectionStats({ database, collection: collection.name }, exec),
    ]);
    const meanSize = stats.count > 0 ? stats.size / stats.count : 0;
    for (const { tenantId: id, documents } of counts) {
      const row = rows.get(id) ?? { id, registered: false, documents: 0, bytes: 0, collections: 0 };
      row.documents += documents;
      row.bytes += documents * meanSize;
      row.collections += 1;
      rows.set(id, row);
    }
  });
  return [...rows.values()].map(({ documents, bytes, collections: count, ...row }) => ({
    ...row,
    footprint: { store: 'mongo' as const, collections: count, documents, bytes: Math.round(bytes) },
  }));
}
