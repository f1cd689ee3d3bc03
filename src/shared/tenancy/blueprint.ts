/**
 * A blueprint is what a seed document prescribes for one tenant, written as data: tables with their
 * columns and constraints, indexes with their exact keys, RLS policies, partition schemes, Redis key
 * families with TTLs, MongoDB collections with their indexes, Elasticsearch templates and ILM
 * policies. The demo generator builds a tenant from it and later features compare a live tenant
 * with it, so nothing here may depend on a driver.
 */

/** Where a foreign key points: the shared `public` schema or the tenant's own schema. */
export type SchemaRef = 'public' | 'tenant';

export interface PgColumn {
  name: string;
  /** The type as PostgreSQL spells it in `format_type` (`character varying(255)`, `uuid`, `text[]`). */
  type: string;
  nullable: boolean;
  /** A constant SQL expression of the blueprint (never user input). */
  default?: string;
}

export type PgConstraint =
  | { kind: 'primary_key'; name: string; columns: string[] }
  | { kind: 'unique'; name: string; columns: string[] }
  | {
      kind: 'foreign_key';
      name: string;
      columns: string[];
      references: { schema: SchemaRef; table: string; columns: string[] };
      onDelete?: 'cascade' | 'set null' | 'restrict';
    }
  /** `expression` is a constant SQL boolean expression of the blueprint. */
  | { kind: 'check'; name: string; expression: string }
  /**
   * `CHECK (<column> = '<this tenant's id>')`: every row of a tenant schema carries that tenant's
   * id. The id is a value, so the constraint is added by a server-side helper that formats it with
   * %L, never pasted into the DDL text.
   */
  | { kind: 'tenant_check'; name: string; column: string };

/** Range partitioning by calendar month, as seed 003 §5.1.1 does for interactions. */
export interface PgMonthlyPartitioning {
  strategy: 'range';
  column: string;
  interval: 'month';
  /** Partition names: `<table>_y<YYYY>m<MM>`, plus a `<table>_default` catch-all. */
  nameFormat: 'table_yYYYYmMM';
  withDefault: boolean;
  /** Months of partitions kept, the current one included; older ones are retired (detached, then dropped on request). None: kept for ever. */
  retentionMonths?: number;
}

export interface PgTable {
  name: string;
  columns: PgColumn[];
  constraints: PgConstraint[];
  partitioning?: PgMonthlyPartitioning;
  rowLevelSecurity: boolean;
  /** The seed section this table comes from, so a report can point the reader at it. */
  source: string;
}

/** One key part of an index: a column or a constant SQL expression of the blueprint. */
export type PgIndexKey = { column: string; order?: 'asc' | 'desc' } | { expression: string };

export interface PgIndex {
  name: string;
  table: string;
  method: 'btree' | 'gin';
  keys: PgIndexKey[];
  unique: boolean;
  /** Partial index predicate, a constant SQL expression of the blueprint. */
  where?: string;
  source: string;
}

export interface PgPolicy {
  name: string;
  table: string;
  command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  /** Constant SQL expressions of the blueprint. */
  using: string;
  withCheck?: string;
  source: string;
}

/** A trigger function whose body is a constant of the blueprint (no identifier pasted into it). */
export interface PgFunction {
  name: string;
  language: 'plpgsql';
  returns: 'trigger';
  body: string;
  source: string;
}

export interface PgTrigger {
  name: string;
  table: string;
  timing: 'BEFORE' | 'AFTER';
  events: Array<'INSERT' | 'UPDATE' | 'DELETE'>;
  function: string;
  source: string;
}

export interface PostgresBlueprint {
  /** Tables of the shared `public` schema (the tenant registry). */
  shared: PgTable[];
  /** Tables of every tenant schema, in creation order (referenced tables first). */
  tables: PgTable[];
  indexes: PgIndex[];
  policies: PgPolicy[];
  functions: PgFunction[];
  triggers: PgTrigger[];
}

/** A MongoDB index key: 1 / -1, 'text', or another special kind. */
export type MongoKeyValue = 1 | -1 | 'text' | 'hashed' | '2dsphere';

export interface MongoIndex {
  name: string;
  /** Ordered key: the order of the entries is the order of the index. */
  key: Array<[field: string, value: MongoKeyValue]>;
  unique?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Record<string, unknown>;
  /** Text index options. */
  defaultLanguage?: string;
  weights?: Record<string, number>;
  source: string;
}

/**
 * A collection kept as one collection per calendar month, `<name>_YYYY_MM` (seed 003 §5.2.2:
 * `tenant_123456_audit_logs_2025_06`), and how many months are kept.
 */
export interface MongoTimeBuckets {
  interval: 'month';
  nameFormat: 'name_YYYY_MM';
  /** Months kept, the current one included; a bucket of an earlier month is past retention. */
  retentionMonths: number;
  source: string;
}

export interface MongoCollection {
  /** The collection's base name (without the tenant prefix, where the layout uses one). */
  name: string;
  /** Which database of the layout holds it (Client Management); `tenant` for Murima2025 prefixes. */
  database: 'customer' | 'shared' | 'admin' | 'tenant';
  /** True when each document carries the tenant field and every query must filter on it. */
  tenantScoped: boolean;
  indexes: MongoIndex[];
  /** Present when the collection is also kept in monthly buckets beside (or instead of) its base name. */
  timeBuckets?: MongoTimeBuckets;
  source: string;
}

export interface MongoBlueprint {
  collections: MongoCollection[];
}

export type RedisType = 'hash' | 'string' | 'zset' | 'set' | 'list';

export interface RedisKeyFamily {
  /** Stable name of the family, e.g. `session`. */
  name: string;
  /** The pattern after the tenant prefix, e.g. `session:{session_id}`. */
  pattern: string;
  /** A glob that matches the family's keys after the tenant prefix. */
  glob: string;
  type: RedisType;
  /** Seconds; `null` when the key lives until removed. */
  ttlSeconds: number | null;
  purpose: string;
  source: string;
}

export interface RedisBlueprint {
  families: RedisKeyFamily[];
}

/** JSON of an Elasticsearch request body, kept as plain data. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface ElasticIndexFamily {
  /** Entity part of `tenant-<id>-<entity>-<YYYY-MM>`. */
  entity: string;
  settings: JsonObject;
  mappings: JsonObject;
  source: string;
}

export interface ElasticTemplate {
  name: string;
  indexPatterns: string[];
  template: JsonObject;
  source: string;
}

export interface ElasticIlmPolicy {
  name: string;
  policy: JsonObject;
  source: string;
}

export interface ElasticBlueprint {
  indices: ElasticIndexFamily[];
  templates: ElasticTemplate[];
  ilmPolicies: ElasticIlmPolicy[];
}

export interface Blueprint {
  postgres?: PostgresBlueprint;
  mongo?: MongoBlueprint;
  redis?: RedisBlueprint;
  elastic?: ElasticBlueprint;
}
