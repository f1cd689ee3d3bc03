import { AppError } from '@shared/errors';
import type { Month } from '@shared/model/lifecycle';
import type { MongoBucketFamily, MongoRetention, TtlIndexCheck } from '@shared/model/retention';
import { tenantCollectionName, tenantIdPattern, tenantOfCollection, type MongoCollection, type TenancyPreset } from '@shared/tenancy';
import type { MongoFace } from '../../stores/mongo/face';
import { bucketParser, bucketRules, classifyBuckets, type ParsedBucket } from './buckets';
import { compareTtlIndexes, prescribesTtl, type LiveIndex } from './ttl-indexes';

/** What retention uses of MongoDB: catalog reads, the export and the drop. */
export type RetentionMongoFace = Pick<MongoFace, 'listCollectionNames' | 'collectionStats' | 'listIndexes' | 'find' | 'countDocuments' | 'exportCollection' | 'dropCollection'>;

export interface RetentionMongo {
  face: RetentionMongoFace;
  /** The database tenant data lives in (the tenant database, or the customer one of a field layout). */
  database: string;
}

/** Catalog calls in flight at once: a fleet of tenants is thousands of small commands. */
const CONCURRENCY = 8;

/** Runs `work` over `items`, at most `limit` at a time, answers in item order. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const at = next++;
      out[at] = await work(items[at] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

export interface BucketsOfTenant {
  family: string;
  retentionMonths: number;
  source: string;
  present: Array<ParsedBucket & { collection: string }>;
}

/**
 * The tenants' buckets read from collection names alone, grouped by tenant and family: the one
 * `listCollections` a fleet view costs. Only a collection-prefix layout gives tenants buckets of
 * their own; a field layout's shared buckets belong to no one tenant, so none are listed.
 */
export function bucketsByTenant(preset: TenancyPreset, names: readonly string[], tenantId?: string): Map<string, BucketsOfTenant[]> {
  const layout = preset.layout.mongo;
  const rules = bucketRules(preset);
  const out = new Map<string, BucketsOfTenant[]>();
  if (layout?.mode !== 'collection-prefix' || rules.length === 0) return out;
  const parse = bucketParser(layout.collectionPrefix, rules.map((r) => r.family), tenantIdPattern(preset));
  for (const collection of names) {
    const parsed = parse(collection);
    if (!parsed || (tenantId !== undefined && parsed.tenantId !== tenantId)) continue;
    let families = out.get(parsed.tenantId);
    if (!families) out.set(parsed.tenantId, (families = []));
    let family = families.find((f) => f.family === parsed.family);
    if (!family) {
      const rule = rules.find((r) => r.family === parsed.family);
      if (!rule) continue;
      families.push((family = { family: rule.family, retentionMonths: rule.buckets.retentionMonths, source: rule.buckets.source, present: [] }));
    }
    family.present.push({ ...parsed, collection });
  }
  return out;
}

/** The tenants that own any collection of the database, by the layout's names. */
function tenantsOfNames(preset: TenancyPreset, names: readonly string[]): Set<string> {
  const layout = preset.layout.mongo;
  const tenants = new Set<string>();
  if (layout?.mode !== 'collection-prefix') return tenants;
  const known = (preset.blueprint.mongo?.collections ?? []).map((c) => c.name);
  const idPattern = tenantIdPattern(preset);
  for (const name of names) {
    const id = tenantOfCollection(layout.collectionPrefix, name, known, idPattern);
    if (id !== undefined) tenants.add(id);
  }
  return tenants;
}

/** The live indexes of a collection as the TTL comparison reads them; null when the collection is not there. */
async function liveIndexes(mongo: RetentionMongo, collection: string, exists: boolean, signal: AbortSignal): Promise<LiveIndex[] | null> {
  if (!exists) return null;
  const listed = await mongo.face.listIndexes({ database: mongo.database, collection }, { signal });
  return listed.map((doc) => ({ name: String(doc.name), key: (doc.key ?? {}) as Record<string, unknown>, expireAfterSeconds: doc.expireAfterSeconds }));
}

/**
 * The TTL checks: per tenant and blueprint collection that prescribes a TTL (every blueprint
 * collection of the tenant when one tenant is asked, so a TTL nobody prescribed shows too); a field
 * layout's shared collections once, for every tenant.
 */
async function ttlChecks(mongo: RetentionMongo, preset: TenancyPreset, names: ReadonlySet<string>, tenants: readonly string[], oneTenant: boolean, signal: AbortSignal): Promise<TtlIndexCheck[]> {
  const layout = preset.layout.mongo;
  const collections = (preset.blueprint.mongo?.collections ?? []).filter((c) => oneTenant || prescribesTtl(c));
  const work: Array<{ tenantId: string | null; blueprint: MongoCollection; collection: string }> = [];
  if (layout?.mode === 'collection-prefix') {
    for (const tenantId of tenants) for (const blueprint of collections) work.push({ tenantId, blueprint, collection: tenantCollectionName(layout, tenantId, blueprint.name) });
  } else if (layout) {
    for (const blueprint of collections.filter((c) => c.database === 'customer' || c.database === 'tenant')) work.push({ tenantId: null, blueprint, collection: blueprint.name });
  }
  const checks = await inBatches(work, CONCURRENCY, async ({ tenantId, blueprint, collection }) =>
    compareTtlIndexes(blueprint, await liveIndexes(mongo, collection, names.has(collection), signal), { tenantId, collection }),
  );
  return checks.flat();
}

/**
 * MongoDB retention for the fleet (collection names only: buckets without sizes) or one tenant
 * (each bucket's `$collStats` count and size too), with the TTL indexes against the blueprint.
 */
export async function readMongoRetention(mongo: RetentionMongo, preset: TenancyPreset, options: { tenantId?: string | undefined; now: Month; signal: AbortSignal }): Promise<MongoRetention> {
  const { tenantId, now, signal } = options;
  if (!preset.layout.mongo) throw new AppError('invalid_argument', `The ${preset.title} preset keeps nothing in MongoDB.`);
  const names = await mongo.face.listCollectionNames(mongo.database, { signal });
  const byTenant = bucketsByTenant(preset, names, tenantId);
  const withSizes = tenantId !== undefined;
  const buckets: MongoBucketFamily[] = [];
  for (const [owner, families] of byTenant) {
    for (const family of families) {
      const sized = withSizes
        ? await inBatches(family.present, CONCURRENCY, async (b) => ({ ...b, ...(await sizeOf(mongo, b.collection, signal)) }))
        : family.present;
      const classified = classifyBuckets(sized, now, family.retentionMonths);
      buckets.push({
        tenantId: owner,
        family: family.family,
        retentionMonths: family.retentionMonths,
        keepFrom: classified.keepFrom,
        buckets: classified.buckets,
        missingMonths: classified.missingMonths,
        expiredCount: classified.buckets.filter((b) => b.expired).length,
        source: family.source,
      });
    }
  }
  buckets.sort((a, b) => b.expiredCount - a.expiredCount || a.tenantId.localeCompare(b.tenantId) || a.family.localeCompare(b.family));
  const tenants = tenantId !== undefined ? [tenantId] : [...new Set([...tenantsOfNames(preset, names), ...byTenant.keys()])].sort();
  const ttl = await ttlChecks(mongo, preset, new Set(names), tenants, tenantId !== undefined, signal);
  return {
    available: true,
    database: mongo.database,
    now,
    withSizes,
    buckets,
    ttl,
    tenants: tenants.length,
    rules: bucketRules(preset).map((r) => ({ family: r.family, retentionMonths: r.buckets.retentionMonths, source: r.buckets.source })),
  };
}

async function sizeOf(mongo: RetentionMongo, collection: string, signal: AbortSignal): Promise<{ documents: number | null; bytes: number | null }> {
  try {
    const stats = await mongo.face.collectionStats({ database: mongo.database, collection }, { signal });
    return { documents: stats.count, bytes: stats.size };
  } catch (error) {
    // A bucket dropped between the listing and its stats is shown without figures, not as a failed view.
    if (signal.aborted) throw error;
    return { documents: null, bytes: null };
  }
}
