import { z } from 'zod';
import { StoreKind } from './workspace';

/**
 * A tenant as the tenant browser sees it: merged from every configured store. Each store says what
 * it holds for the tenant (its footprint); disagreements between stores are inconsistencies.
 * Footprints come from catalog estimates and store statistics, so rows, documents and bytes are
 * estimates unless a field says otherwise.
 */

/** The one tenant-id rule (see tenant-id.ts); a preset's pattern is applied on top of it. */
export { TenantId } from './tenant-id';

export const PostgresFootprint = z.object({
  store: z.literal('postgres'),
  /** The tenant's schema, or null when the registry row has none. */
  schema: z.string().nullable(),
  tables: z.number().int(),
  /** Sum of `pg_class.reltuples` over the schema's tables: as fresh as the last ANALYZE. */
  rowsEstimate: z.number(),
  /** Sum of `pg_class.relpages` × block size over tables, indexes and views of the schema. */
  bytesEstimate: z.number(),
});
export type PostgresFootprint = z.infer<typeof PostgresFootprint>;

export const MongoFootprint = z.object({
  store: z.literal('mongo'),
  collections: z.number().int(),
  documents: z.number(),
  bytes: z.number(),
});
export type MongoFootprint = z.infer<typeof MongoFootprint>;

export const RedisFootprint = z.object({
  store: z.literal('redis'),
  keys: z.number().int(),
  /** Extrapolated from MEMORY USAGE of a bounded sample per key family: an estimate. */
  bytesEstimate: z.number(),
  /** Keys per key family of the preset (`other` for keys that match none). */
  families: z.record(z.string(), z.number().int()),
});
export type RedisFootprint = z.infer<typeof RedisFootprint>;

export const ElasticFootprint = z.object({
  store: z.literal('elastic'),
  indices: z.number().int(),
  documents: z.number(),
  bytes: z.number(),
});
export type ElasticFootprint = z.infer<typeof ElasticFootprint>;

export const StoreFootprint = z.discriminatedUnion('store', [PostgresFootprint, MongoFootprint, RedisFootprint, ElasticFootprint]);
export type StoreFootprint = z.infer<typeof StoreFootprint>;

/** What each store holds for one tenant; a store that holds nothing for it is absent. */
export const TenantFootprint = z.object({
  postgres: PostgresFootprint.optional(),
  mongo: MongoFootprint.optional(),
  redis: RedisFootprint.optional(),
  elastic: ElasticFootprint.optional(),
});
export type TenantFootprint = z.infer<typeof TenantFootprint>;

export const InconsistencyKind = z.enum([
  /** A row in the registry (`public.tenants`, `organizations`) with no schema of its own. */
  'tenant_without_schema',
  /** A `tenant_<id>` schema that no registry row names. */
  'schema_without_tenant',
  /** Redis keys under the prefix of a tenant the registry does not know. */
  'keys_of_unknown_tenant',
  /** Elasticsearch indices of a tenant the registry does not know. */
  'indices_of_unknown_tenant',
  /** MongoDB collections or documents of a tenant the registry does not know. */
  'documents_of_unknown_tenant',
]);
export type InconsistencyKind = z.infer<typeof InconsistencyKind>;

export const Inconsistency = z.object({
  kind: InconsistencyKind,
  store: StoreKind,
  message: z.string(),
});
export type Inconsistency = z.infer<typeof Inconsistency>;

export const Tenant = z.object({
  id: z.string(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  /** ISO time of the latest activity any store reports, or null when none does. */
  lastActivity: z.string().nullable(),
  /** True when a registry (`public.tenants`, `organizations`) has a row for the tenant. */
  registered: z.boolean(),
  footprint: TenantFootprint,
  inconsistencies: z.array(Inconsistency),
});
export type Tenant = z.infer<typeof Tenant>;

/** One store's word on one tenant, as streamed while the list fills in. */
export const StoreTenantRow = z.object({
  /** The tenant id as this store spells it (schema suffix, key prefix, index segment). */
  id: z.string(),
  /** True when the row comes from the store's tenant registry. */
  registered: z.boolean(),
  name: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  lastActivity: z.string().nullable().optional(),
  footprint: StoreFootprint.optional(),
});
export type StoreTenantRow = z.infer<typeof StoreTenantRow>;

export const StoreAnswerState = z.enum(['ok', 'down', 'timeout', 'not_configured', 'cancelled']);
export type StoreAnswerState = z.infer<typeof StoreAnswerState>;

/** How one store answered a tenant listing: in time, or why not. */
export const StoreAnswer = z.object({
  store: StoreKind,
  state: StoreAnswerState,
  reason: z.string().optional(),
  elapsedMs: z.number(),
});
export type StoreAnswer = z.infer<typeof StoreAnswer>;

export const TenantList = z.object({
  tenants: z.array(Tenant),
  stores: z.array(StoreAnswer),
});
export type TenantList = z.infer<typeof TenantList>;

// ── Redis namespace map ──────────────────────────────────────────────────────────────────────

export const TTL_BUCKETS = ['none', 'under_1m', 'under_1h', 'under_1d', 'longer'] as const;
export const TtlBucket = z.enum(TTL_BUCKETS);
export type TtlBucket = z.infer<typeof TtlBucket>;
export const TtlBuckets = z.object({
  none: z.number().int(),
  under_1m: z.number().int(),
  under_1h: z.number().int(),
  under_1d: z.number().int(),
  longer: z.number().int(),
});
export type TtlBuckets = z.infer<typeof TtlBuckets>;

/**
 * The TTLs read of one key family (across the keyspace, or in one tenant) as raw sample figures,
 * against the TTL the blueprint prescribes: the retention view scales them when the map sampled.
 */
export const FamilyTtlSample = z.object({
  /** Keys whose TTL was read. */
  sampled: z.number().int(),
  /** Of them, keys without a TTL. */
  none: z.number().int(),
  /** Of them, keys whose TTL is longer than the blueprint's (0 where it prescribes none). */
  over: z.number().int(),
  /** The longest TTL read, in ms; 0 when none had one. */
  maxTtlMs: z.number(),
  /** The keys read, by TTL bucket (as read, not scaled). */
  ttl: TtlBuckets,
});
export type FamilyTtlSample = z.infer<typeof FamilyTtlSample>;

/** One key family across the keyspace (`session`, `permissions`…, or `other`). */
export const KeyFamily = z.object({
  name: z.string(),
  keys: z.number().int(),
  ttl: TtlBuckets,
  ttlSample: FamilyTtlSample.optional(),
  /** Keys whose MEMORY USAGE was read. */
  sampled: z.number().int(),
  /** Mean MEMORY USAGE of the sample, in bytes. */
  meanBytes: z.number(),
  /** meanBytes × keys: an estimate. */
  bytesEstimate: z.number(),
});
export type KeyFamily = z.infer<typeof KeyFamily>;

export const NamespaceTenant = z.object({
  id: z.string(),
  keys: z.number().int(),
  families: z.record(z.string(), z.number().int()),
  ttl: TtlBuckets,
  /** Per family with a key read, its TTL sample (see FamilyTtlSample). */
  familyTtl: z.record(z.string(), FamilyTtlSample).optional(),
  bytesEstimate: z.number(),
});
export type NamespaceTenant = z.infer<typeof NamespaceTenant>;

export const NamespaceMap = z.object({
  builtAt: z.string(),
  durationMs: z.number(),
  scanCalls: z.number().int(),
  totalKeys: z.number().int(),
  /** Memory figures are extrapolated from a sample: always an estimate. */
  memoryIsEstimate: z.literal(true),
  /** Whether the TTL buckets were scaled up from a sample (a big keyspace) or count every key. */
  ttlIsEstimate: z.boolean(),
  /** Keys whose TTL was read: every key when the buckets are exact. */
  ttlSampled: z.number().int(),
  families: z.array(KeyFamily),
  tenants: z.array(NamespaceTenant),
  /** Keys with no tenant prefix at all (no `<id>:` the preset would accept). */
  orphans: z.object({
    keys: z.number().int(),
    /** Up to 100 of them, for a first look. */
    sample: z.array(z.string()),
  }),
});
export type NamespaceMap = z.infer<typeof NamespaceMap>;

export const NamespaceProgress = z.object({
  keysSeen: z.number().int(),
  scanCalls: z.number().int(),
  /** The server's key count (DBSIZE) at the start; SCAN may see a few more or fewer. */
  keysTotal: z.number().int().nullable(),
  done: z.boolean(),
});
export type NamespaceProgress = z.infer<typeof NamespaceProgress>;

export const RedisValueType = z.enum(['string', 'hash', 'list', 'set', 'zset', 'stream', 'none', 'other']);
export type RedisValueType = z.infer<typeof RedisValueType>;

export const TenantKey = z.object({
  key: z.string(),
  family: z.string(),
  type: RedisValueType,
  /** Milliseconds left, or null when the key has no TTL (or is gone). */
  ttlMs: z.number().nullable(),
});
export type TenantKey = z.infer<typeof TenantKey>;

export const KeyPage = z.object({
  keys: z.array(TenantKey),
  /** '0' when the walk is complete. */
  cursor: z.string(),
  scanCalls: z.number().int(),
});
export type KeyPage = z.infer<typeof KeyPage>;

/** A value as the key browser shows it: bounded, with the full size beside it. */
export const KeyValue = z.discriminatedUnion('type', [
  z.object({ type: z.literal('string'), key: z.string(), ttlMs: z.number().nullable(), value: z.string(), bytes: z.number().int(), truncated: z.boolean() }),
  z.object({
    type: z.literal('hash'),
    key: z.string(),
    ttlMs: z.number().nullable(),
    fields: z.array(z.tuple([z.string(), z.string()])),
    length: z.number().int(),
    truncated: z.boolean(),
  }),
  z.object({ type: z.literal('list'), key: z.string(), ttlMs: z.number().nullable(), items: z.array(z.string()), length: z.number().int(), truncated: z.boolean() }),
  z.object({ type: z.literal('set'), key: z.string(), ttlMs: z.number().nullable(), members: z.array(z.string()), length: z.number().int(), truncated: z.boolean() }),
  z.object({
    type: z.literal('zset'),
    key: z.string(),
    ttlMs: z.number().nullable(),
    members: z.array(z.object({ member: z.string(), score: z.number() })),
    length: z.number().int(),
    truncated: z.boolean(),
  }),
]);
export type KeyValue = z.infer<typeof KeyValue>;

// ── Blueprint drift ──────────────────────────────────────────────────────────────────────────

export const DriftObjectKind = z.enum(['table', 'index', 'policy', 'partition', 'row_level_security']);
export type DriftObjectKind = z.infer<typeof DriftObjectKind>;

export const DriftItem = z.object({
  kind: DriftObjectKind,
  /** `missing`: the blueprint has it and the tenant does not; `extra`: the other way round. */
  change: z.enum(['missing', 'extra']),
  name: z.string(),
  table: z.string().optional(),
  /** The seed section the blueprint item comes from. */
  source: z.string().optional(),
});
export type DriftItem = z.infer<typeof DriftItem>;

export const TenantSummary = z.object({
  tenant: Tenant,
  stores: z.array(StoreAnswer),
  /** Null when the workspace has no PostgreSQL or the preset no PostgreSQL blueprint. */
  drift: z.array(DriftItem).nullable(),
});
export type TenantSummary = z.infer<typeof TenantSummary>;
