import { ObjectId, type Document, type Filter } from 'mongodb';
import { AppError } from '@shared/errors';
import type { TenantScope } from '@shared/model/tenant-scope';

/** A database and collection the store is asked to work on. */
export interface MongoTarget {
  database: string;
  collection: string;
}

/**
 * Stages a tenant-scoped aggregation may not use: they read or write other collections ($lookup,
 * $unionWith, $graphLookup, $out, $merge), must come first (so our $match could not), or look at
 * the server rather than the tenant's documents.
 */
const STAGES_OUTSIDE_SCOPE = new Set([
  '$lookup',
  '$unionWith',
  '$graphLookup',
  '$out',
  '$merge',
  '$collStats',
  '$indexStats',
  '$currentOp',
  '$listSessions',
  '$listLocalSessions',
  '$planCacheStats',
  '$geoNear',
  '$search',
  '$searchMeta',
  '$vectorSearch',
  '$changeStream',
  '$documents',
  '$listSearchIndexes',
]);

/** Stages that write, refused on a read-only store. */
const WRITING_STAGES = new Set(['$out', '$merge']);

/** Every `$`-key anywhere in a value, so a stage nested in `$facet` is found too. */
function operatorsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) operatorsIn(item, found);
  } else if (value && typeof value === 'object' && !(value instanceof ObjectId) && !(value instanceof Date)) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key.startsWith('$')) found.add(key);
      operatorsIn(inner, found);
    }
  }
  return found;
}

/** Whether a pipeline writes ($out, $merge), anywhere in it. */
export function pipelineWrites(pipeline: readonly Document[]): boolean {
  return [...operatorsIn(pipeline)].some((op) => WRITING_STAGES.has(op));
}

const DATABASE_NAME = /^[^\0/\\. "$*<>:|?]{1,63}$/;
const COLLECTION_NAME = /^(?!system\.)[^\0$]{1,255}$/;

/** Refuses database and collection names MongoDB would reject or that reach system collections. */
export function assertTarget(target: MongoTarget): void {
  if (typeof target.database !== 'string' || !DATABASE_NAME.test(target.database)) {
    throw new AppError('invalid_argument', `${JSON.stringify(String(target.database).slice(0, 80))} is not a MongoDB database name.`);
  }
  if (typeof target.collection !== 'string' || !COLLECTION_NAME.test(target.collection)) {
    throw new AppError('invalid_argument', `${JSON.stringify(String(target.collection).slice(0, 80))} is not a collection Tenantscope opens.`);
  }
}

/**
 * The collection a scoped call reaches. Under a collection-prefix scope callers name the logical
 * collection (`case_notes`) and the store adds the tenant's prefix (`tenant_<id>_case_notes`), so
 * no caller builds a tenant's collection name. A name that already carries the layout's tenant
 * prefix (`tenant_`) is taken as a physical name, which the scope then refuses unless it is the
 * tenant's own. Other scopes, and unscoped calls, reach the collection as named.
 */
export function scopedTarget(target: MongoTarget, scope: TenantScope | undefined): MongoTarget {
  const mongo = scope?.mongo;
  if (!scope || mongo?.mode !== 'collection-prefix') return target;
  const layoutPrefix = mongo.collectionPrefix.slice(0, mongo.collectionPrefix.indexOf(scope.tenantId));
  const physical = target.collection.startsWith(mongo.collectionPrefix) || (layoutPrefix !== '' && target.collection.startsWith(layoutPrefix));
  return physical ? target : { ...target, collection: `${mongo.collectionPrefix}${target.collection}` };
}

export function tenantValue(scope: TenantScope, valueType: 'objectId' | 'string' | undefined): string | ObjectId {
  if (valueType !== 'objectId') return scope.tenantId;
  if (!/^[0-9a-f]{24}$/i.test(scope.tenantId)) {
    throw new AppError('invalid_argument', `Tenant id ${scope.tenantId} is not an ObjectId, but this platform stores tenant ids as ObjectIds.`);
  }
  return new ObjectId(scope.tenantId);
}

/**
 * What the scope adds to every query on `collection`: the tenant field condition, or nothing when
 * the collection itself belongs to the tenant and documents carry no field. Refuses a collection
 * the scope does not cover.
 */
export function tenantCondition(scope: TenantScope, collection: string): Document | undefined {
  const mongo = scope.mongo;
  if (!mongo) throw new AppError('invalid_argument', `The tenant scope of ${scope.tenantId} says nothing about MongoDB.`);
  if (mongo.mode === 'collection-prefix') {
    if (!collection.startsWith(mongo.collectionPrefix)) {
      throw new AppError('invalid_argument', `The collection ${collection} is not one of tenant ${scope.tenantId}'s (they start with ${mongo.collectionPrefix}).`);
    }
    return mongo.field ? { [mongo.field]: tenantValue(scope, mongo.valueType) } : undefined;
  }
  if (mongo.collections && !mongo.collections.includes(collection)) {
    throw new AppError('invalid_argument', `The collection ${collection} is not a tenant-scoped customer collection, so it cannot be read for one tenant.`);
  }
  return { [mongo.field]: tenantValue(scope, mongo.valueType) };
}

/**
 * The caller's filter with the tenant condition AND-ed in, so no filter can widen past the tenant.
 * This is the only place a tenant equality enters a MongoDB filter: callers name what they look
 * for and nothing of the tenant. The planner flattens a top-level `$and`, so the equality serves
 * the tenant-prefixed compound indexes as a top-level field would, and it satisfies the equality a
 * compound text index (`{ tenantId: 1, companyName: 'text', … }`) needs on its prefix field; a
 * `$text` stays at the top level of its `$and` member, where MongoDB accepts it.
 */
export function scopedFilter(filter: Filter<Document>, scope: TenantScope | undefined, collection: string): Filter<Document> {
  if (!scope) return filter;
  const condition = tenantCondition(scope, collection);
  if (!condition) return filter;
  return Object.keys(filter).length === 0 ? condition : { $and: [filter, condition] };
}

/** The caller's pipeline behind a leading `$match` on the tenant; stages that could escape it are refused. */
export function scopedPipeline(pipeline: readonly Document[], scope: TenantScope | undefined, collection: string): Document[] {
  if (!scope) return [...pipeline];
  const escaping = [...operatorsIn(pipeline)].filter((op) => STAGES_OUTSIDE_SCOPE.has(op));
  if (escaping.length > 0) {
    throw new AppError('invalid_argument', `${escaping.join(', ')} cannot be used in a tenant-scoped aggregation: it reaches beyond the tenant's documents.`);
  }
  const condition = tenantCondition(scope, collection);
  return condition ? [{ $match: condition }, ...pipeline] : [...pipeline];
}

/** Documents to insert for a tenant: the tenant field is set, and a document naming another tenant is refused. */
export function scopedDocuments(documents: readonly Document[], scope: TenantScope | undefined, collection: string): Document[] {
  if (!scope) return [...documents];
  const condition = tenantCondition(scope, collection);
  if (!condition) return [...documents];
  const [field, value] = Object.entries(condition)[0] as [string, unknown];
  return documents.map((document, index) => {
    const existing: unknown = document[field];
    if (existing !== undefined && String(existing) !== String(value)) {
      throw new AppError('invalid_argument', `Document ${index + 1} belongs to tenant ${String(existing)}, not ${scope.tenantId}.`);
    }
    return { ...document, [field]: value };
  });
}

/** Collection names the scope may see, out of a database listing. */
export function collectionsInScope(names: readonly string[], scope: TenantScope | undefined): string[] {
  if (!scope?.mongo) return [...names];
  const mongo = scope.mongo;
  if (mongo.mode === 'collection-prefix') return names.filter((name) => name.startsWith(mongo.collectionPrefix));
  return mongo.collections ? names.filter((name) => mongo.collections?.includes(name)) : [...names];
}
