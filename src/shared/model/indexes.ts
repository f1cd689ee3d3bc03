import { z } from 'zod';
import { TenantId } from './tenant-id';

/**
 * The shapes of the indexes capability: the inventory of one tenant's table, the fleet view (one
 * logical index across every tenant schema), findings, blueprint drift by definition and the plan
 * that fixes it. Plain JSON for both processes.
 */

/**
 * A PostgreSQL name as a person typed it: 1–63 bytes, no NUL. Quotes, semicolons and any unicode
 * are allowed — the stores quote every name, so such a name is a name and never SQL.
 */
export const PgName = z
  .string()
  .min(1)
  .refine((name) => !name.includes('\0'), 'a name cannot hold NUL')
  .refine((name) => new TextEncoder().encode(name).length <= 63, 'PostgreSQL names are at most 63 bytes');
export type PgName = z.infer<typeof PgName>;

/** When the statistics the usage figures count from were last reset (null: never, i.e. since the cluster began). */
export const StatsReset = z.object({
  at: z.string().datetime({ offset: true }).nullable(),
  /** Whole days since `at`, or since the server started when `at` is null. */
  ageDays: z.number().min(0),
});
export type StatsReset = z.infer<typeof StatsReset>;

/** One index of one tenant's table, as the catalog and `pg_stat_user_indexes` describe it. */
export const TableIndex = z.object({
  name: z.string(),
  /** `pg_get_indexdef` with the tenant's schema left out, so tenants compare alike. */
  definition: z.string(),
  method: z.string(),
  unique: z.boolean(),
  primary: z.boolean(),
  /** False for the leftover of a failed or cancelled `CREATE INDEX CONCURRENTLY`. */
  valid: z.boolean(),
  /** The constraint it backs (primary key, unique, exclusion), if any. */
  constraint: z.string().nullable(),
  /** Key columns in order; an expression key shows as its text. */
  keys: z.array(z.string()),
  include: z.array(z.string()),
  predicate: z.string().nullable(),
  sizeBytes: z.number().int().min(0),
  scans: z.number().int().min(0),
  tuplesRead: z.number().int().min(0),
  tuplesFetched: z.number().int().min(0),
  /**
   * When the index was last scanned (`last_idx_scan`), or null: never since the stats reset when
   * `lastScanKnown`, and not known at all when the server does not keep it (PostgreSQL 15 and earlier).
   */
  lastScanAt: z.string().nullable(),
  /** False before PostgreSQL 16: a null `lastScanAt` then says nothing, and only the scan count since the reset is known. */
  lastScanKnown: z.boolean(),
  /** Whether the preset's blueprint prescribes an index of this name on this table. */
  prescribed: z.boolean(),
});
export type TableIndex = z.infer<typeof TableIndex>;

export const TableIndexes = z.object({
  tenantId: TenantId,
  schema: z.string(),
  table: z.string(),
  statsReset: StatsReset,
  indexes: z.array(TableIndex),
});
export type TableIndexes = z.infer<typeof TableIndexes>;

/** One logical index — the same table and index name — across every tenant schema that has it. */
export const FleetIndex = z.object({
  table: z.string(),
  name: z.string(),
  /** The definition most tenants have; `variants` counts the distinct definitions seen. */
  definition: z.string(),
  variants: z.number().int().min(1),
  prescribed: z.boolean(),
  /** Tenant schemas holding it. */
  tenants: z.number().int().min(0),
  sizeBytes: z.number().int().min(0),
  scans: z.number().int().min(0),
  usedIn: z.number().int().min(0),
  neverUsedIn: z.number().int().min(0),
  invalidIn: z.number().int().min(0),
  /** The busiest tenants by scans, at most five. */
  topTenants: z.array(z.object({ tenantId: z.string(), scans: z.number().int().min(0) })).max(5),
});
export type FleetIndex = z.infer<typeof FleetIndex>;

export const FleetView = z.object({
  statsReset: StatsReset,
  /** Tenant schemas the pass read. */
  tenantSchemas: z.number().int().min(0),
  rows: z.array(FleetIndex),
});
export type FleetView = z.infer<typeof FleetView>;

export const FINDING_KINDS = ['unused', 'duplicate', 'redundant', 'invalid', 'not_tenant_prefixed', 'missing_fk_index'] as const;
export const FindingKind = z.enum(FINDING_KINDS);
export type FindingKind = z.infer<typeof FindingKind>;

/** A finding, grouped over the tenants where it holds, with its evidence and the statement that fixes it. */
export const IndexFinding = z.object({
  kind: FindingKind,
  table: z.string(),
  /** The index the finding is about (absent for a missing foreign-key index). */
  index: z.string().nullable(),
  /** The other index of a duplicate or redundant pair: the one to keep. */
  keptIndex: z.string().nullable(),
  /** Words a person can check: keys, scans, the reset date, the foreign key's columns. */
  evidence: z.string(),
  /**
   * The statement for the first tenant listed; the others differ only in the schema. Null when the
   * fix would drop an index the blueprint prescribes: drift would re-create it, so the blueprint
   * has to change first (which Tenantscope does not do).
   */
  fix: z.string().nullable(),
  /** The index the finding is about is one the preset's blueprint prescribes. */
  blueprint: z.boolean(),
  tenantCount: z.number().int().min(1),
  /** At most 200 tenants, the first in tenant-schema order. */
  tenantIds: z.array(z.string()).max(200),
});
export type IndexFinding = z.infer<typeof IndexFinding>;

export const IndexFindings = z.object({
  statsReset: StatsReset,
  /** False when the statistics are younger than the asked-for days: nothing is called unused then. */
  unusedChecked: z.boolean(),
  tenantSchemas: z.number().int().min(0),
  findings: z.array(IndexFinding),
});
export type IndexFindings = z.infer<typeof IndexFindings>;

export const DRIFT_OBJECTS = ['index', 'constraint', 'policy', 'row_level_security', 'trigger'] as const;
export const DriftObject = z.enum(DRIFT_OBJECTS);
export type DriftObject = z.infer<typeof DriftObject>;

/** One way tenants differ from the blueprint, with every tenant that differs that way. */
export const DriftGroup = z.object({
  /** Stable within a report: `index:cases:idx_cases_status:different:<digest>`. */
  key: z.string(),
  object: DriftObject,
  change: z.enum(['missing', 'different', 'extra']),
  table: z.string(),
  name: z.string(),
  /** "missing idx_cases_status_priority", "policy tenant_isolation on cases: USING differs". */
  title: z.string(),
  /** Which parts differ: `keys`, `predicate`, `unique`, `method`, `include`, `using`, `with_check`, `command`, `definition`. */
  differences: z.array(z.string()),
  /** The blueprint's normalised definition, and what these tenants have instead (null when missing). */
  expected: z.string().nullable(),
  actual: z.string().nullable(),
  /** The blueprint section it comes from. */
  source: z.string().nullable(),
  tenantCount: z.number().int().min(1),
  tenantIds: z.array(z.string()).max(1000),
});
export type DriftGroup = z.infer<typeof DriftGroup>;

export const DriftReport = z.object({
  comparedTenants: z.number().int().min(0),
  cleanTenants: z.number().int().min(0),
  /** Tenants asked for that have no schema. */
  missingTenants: z.array(z.string()),
  /** Tenants left out: another session holds or waits for an ACCESS EXCLUSIVE lock on one of their tables. */
  busyTenants: z.array(z.string()),
  groups: z.array(DriftGroup),
});
export type DriftReport = z.infer<typeof DriftReport>;

/** The lock a statement takes on its table, as the PostgreSQL manual names it (§13.3.1). */
export const LockLevel = z.enum(['ACCESS EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'SHARE', 'SHARE UPDATE EXCLUSIVE']);
export type LockLevel = z.infer<typeof LockLevel>;

export const FixStatement = z.object({
  sql: z.string(),
  lock: LockLevel,
  /** False for `… CONCURRENTLY`: it runs alone, outside the tenant's transaction. */
  transactional: z.boolean(),
  /** The drift group it repairs. */
  group: z.string(),
});
export type FixStatement = z.infer<typeof FixStatement>;

export const TenantFixPlan = z.object({
  tenantId: z.string(),
  schema: z.string(),
  statements: z.array(FixStatement),
});
export type TenantFixPlan = z.infer<typeof TenantFixPlan>;

export const FixPlan = z.object({
  tenantCount: z.number().int().min(0),
  statementCount: z.number().int().min(0),
  /** Per tenant, at most 1,000 listed; `tenantCount` says how many there are. */
  tenants: z.array(TenantFixPlan).max(1000),
  /** Drift that no statement repairs by itself (an extra table, say), left for a person. */
  notFixed: z.array(z.string()),
});
export type FixPlan = z.infer<typeof FixPlan>;

/** A key part of a new index: a column (quoted) or an expression (parsed by the server). */
export const IndexKeySpec = z.union([
  z.object({ column: PgName, order: z.enum(['asc', 'desc']).optional() }).strict(),
  z.object({ expression: z.string().trim().min(1).max(2_000), order: z.enum(['asc', 'desc']).optional() }).strict(),
]);
export type IndexKeySpec = z.infer<typeof IndexKeySpec>;

export const IndexDefinition = z
  .object({
    table: PgName,
    name: PgName,
    keys: z.array(IndexKeySpec).min(1).max(32),
    unique: z.boolean().default(false),
    method: z.enum(['btree', 'gin', 'gist', 'brin', 'hash']).default('btree'),
    include: z.array(PgName).max(32).default([]),
    /** A partial index's predicate, checked by the server before the build starts. */
    where: z.string().trim().min(1).max(4_000).optional(),
  })
  .strict();
export type IndexDefinition = z.infer<typeof IndexDefinition>;

/** A MongoDB index as `createIndexes` takes it (compound, unique, partial, TTL, text weights, collation, hidden). */
export const MongoIndexSpec = z
  .object({
    name: z.string().min(1).max(120),
    key: z
      .array(z.tuple([z.string().min(1).max(200).regex(/^[^$\0][^\0]*$/, 'a field path'), z.union([z.literal(1), z.literal(-1), z.enum(['text', 'hashed', '2dsphere'])])]))
      .min(1)
      .max(32),
    unique: z.boolean().optional(),
    partialFilterExpression: z.record(z.string(), z.json()).optional(),
    expireAfterSeconds: z.number().int().min(0).max(2_147_483_647).optional(),
    weights: z.record(z.string(), z.number().int().min(1).max(99_999)).optional(),
    defaultLanguage: z.string().min(1).max(40).optional(),
    collation: z.object({ locale: z.string().min(1).max(40), strength: z.number().int().min(1).max(5).optional() }).strict().optional(),
    hidden: z.boolean().optional(),
  })
  .strict();
export type MongoIndexSpec = z.infer<typeof MongoIndexSpec>;

/**
 * The index document `createIndexes` sends for a spec (MongoDB manual, "createIndexes": `key` in
 * order, `name`, then the options under their server names — `default_language` included). The
 * screen previews exactly this, and main sends exactly this.
 */
export function mongoIndexDocument(spec: MongoIndexSpec): Record<string, unknown> {
  const { key, name, defaultLanguage, ...options } = spec;
  const document: Record<string, unknown> = { key: Object.fromEntries(key), name };
  for (const [option, value] of Object.entries(options)) if (value !== undefined) document[option] = value;
  if (defaultLanguage !== undefined) document.default_language = defaultLanguage;
  return document;
}

/** The whole command as a person would type it into a shell: `{ createIndexes, indexes: [ … ] }`. */
export function createIndexesCommand(collection: string, spec: MongoIndexSpec): { createIndexes: string; indexes: Array<Record<string, unknown>> } {
  return { createIndexes: collection, indexes: [mongoIndexDocument(spec)] };
}

export const MongoIndexUsage = z.object({
  name: z.string(),
  key: z.array(z.tuple([z.string(), z.union([z.number(), z.string()])])),
  options: z.record(z.string(), z.json()),
  hidden: z.boolean(),
  prescribed: z.boolean(),
  /** `$indexStats` per node: accesses since the node started or the index was built. */
  accesses: z.array(z.object({ host: z.string(), ops: z.number().int().min(0), since: z.string().nullable() })),
});
export type MongoIndexUsage = z.infer<typeof MongoIndexUsage>;

export const MongoCollectionIndexes = z.object({
  database: z.string(),
  collection: z.string(),
  indexes: z.array(MongoIndexUsage),
  /** Blueprint differences by definition: key spec, options, TTL seconds, text weights. */
  drift: z.array(z.object({ name: z.string(), change: z.enum(['missing', 'different', 'extra']), differences: z.array(z.string()) })),
});
export type MongoCollectionIndexes = z.infer<typeof MongoCollectionIndexes>;

/**
 * One logical MongoDB index across the fleet: the same index name on every `tenant_<id>_<name>`
 * collection of a prefix layout, or one index of a shared collection whose documents carry the
 * tenant key. Sizes come from `$collStats` (`indexSizes`), accesses from `$indexStats`.
 */
export const MongoFleetIndex = z.object({
  /** The logical collection: `case_notes` for every `tenant_<id>_case_notes`, or a shared collection's own name. */
  collection: z.string(),
  name: z.string(),
  /** The key spec most collections have; `variants` counts the distinct ones seen under this name. */
  key: z.array(z.tuple([z.string(), z.union([z.number(), z.string()])])),
  variants: z.number().int().min(1),
  /** `per-tenant`: one index per tenant collection; `shared`: one index over every tenant's documents. */
  layout: z.enum(['per-tenant', 'shared']),
  prescribed: z.boolean(),
  /** Collections holding it: tenant collections, or 1 for a shared collection. */
  collections: z.number().int().min(0),
  sizeBytes: z.number().int().min(0),
  /** `$indexStats` ops summed over the collections and the nodes that answered. */
  accesses: z.number().int().min(0),
  /**
   * Tenants whose own index was used / never used since `since`. Null on a shared collection:
   * `$indexStats` counts accesses per index, so they cannot be split by tenant.
   */
  usedIn: z.number().int().min(0).nullable(),
  neverUsedIn: z.number().int().min(0).nullable(),
  /** The busiest tenants by accesses, at most five (per-tenant layout only). */
  topTenants: z.array(z.object({ tenantId: z.string(), ops: z.number().int().min(0) })).max(5),
  /** The earliest moment the summed counters count from: a node restart or a rebuild resets them. */
  since: z.string().nullable(),
});
export type MongoFleetIndex = z.infer<typeof MongoFleetIndex>;

export const MongoFleetView = z.object({
  database: z.string(),
  /** Collections read: one `$indexStats` and one `$collStats` each, a few at a time. */
  collectionsRead: z.number().int().min(0),
  tenantCollections: z.number().int().min(0),
  rows: z.array(MongoFleetIndex),
});
export type MongoFleetView = z.infer<typeof MongoFleetView>;

/** Where the template and a live index disagree, and whether applying the template needs a reindex. */
export const MappingNote = z.object({
  index: z.string(),
  field: z.string(),
  template: z.string().nullable(),
  live: z.string().nullable(),
  needsReindex: z.boolean(),
  why: z.string(),
});
export type MappingNote = z.infer<typeof MappingNote>;

export const ElasticMappings = z.object({
  templates: z.array(z.object({ name: z.string(), indexPatterns: z.array(z.string()), template: z.record(z.string(), z.json()) })),
  indices: z.array(z.object({ index: z.string(), mappings: z.record(z.string(), z.json()) })),
  notes: z.array(MappingNote),
});
export type ElasticMappings = z.infer<typeof ElasticMappings>;
