import type { TenantScope } from '@shared/model/tenant-scope';
import type { TenancyPreset } from '@shared/tenancy';
import type { ExecutionOptions } from '../stores/execution';

/**
 * The narrow slices of the stores the case and client inspectors read through. Every call carries
 * the tenant's scope, which the store applies (search_path and the RLS setting, the tenant's
 * collection prefix or tenant filter, the tenant's index pattern). Every call is a read.
 */

/** A result as PostgresStore returns it: rows as arrays in column order. */
export interface RowsResult {
  columns: ReadonlyArray<{ name: string }>;
  rows: unknown[][];
}

/** `Pick<PostgresStore, 'query'>` with a tenant scope. */
export interface ScopedPostgres {
  query(sql: string, params: readonly unknown[], scope: TenantScope, options: ExecutionOptions): Promise<RowsResult>;
}

/** Rows as records keyed by column name (the inspectors never repeat a column name). */
export function recordsOf(result: RowsResult): Array<Record<string, unknown>> {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])));
}

export interface MongoFindOptions {
  sort?: Record<string, 1 | -1 | { $meta: 'textScore' }>;
  projection?: Record<string, unknown>;
  limit: number;
}

/**
 * `Pick<MongoStore, 'find'>`. The store ANDs the scope's tenant condition into the filter and
 * refuses a collection outside the scope. Filters are plain JSON: a value MongoDB holds as an
 * ObjectId is written in canonical Extended JSON (`{ $oid: hex }`), so feature code never needs
 * the driver's types; a Client Management workspace's adapter deserialises filters with
 * `EJSON.deserialize` before `MongoStore.find`. Documents may come back as driver values or
 * Extended JSON; the inspectors turn both into plain JSON.
 */
export interface ScopedMongo {
  find(
    target: { database: string; collection: string },
    filter: Record<string, unknown>,
    findOptions: MongoFindOptions,
    scope: TenantScope,
    options: ExecutionOptions,
  ): Promise<Array<Record<string, unknown>>>;
}

/** The collection a scope reaches for a base name: `tenant_<id>_case_notes`, or `clients` as it is. */
export function scopedCollection(scope: TenantScope, name: string): string {
  return scope.mongo?.mode === 'collection-prefix' ? `${scope.mongo.collectionPrefix}${name}` : name;
}

/** One hit as `_search` returns it. */
export interface ElasticRawHit {
  _index: string;
  _id?: string | null;
  _source?: unknown;
}

/** One hit as the inspectors use it. */
export interface ElasticHit {
  index: string;
  id: string;
  source: Record<string, unknown>;
}

/**
 * `Pick<ElasticStore, 'search'>`: `_search` with no index of its own, so the store searches the
 * scope's pattern (`tenant-<id>-*`) and nothing else.
 */
export interface ScopedElastic {
  search(index: undefined, request: Record<string, unknown>, scope: TenantScope, options: ExecutionOptions): Promise<{ hits: { hits: ElasticRawHit[] } }>;
}

/** A workspace's stores as the inspectors see them; a store left out is not configured. */
export interface InspectorStores {
  preset: TenancyPreset;
  postgres?: ScopedPostgres;
  /** With the database resolved from the workspace (Murima2025's tenant database, CMS's customer database). */
  mongo?: { reader: ScopedMongo; database: string };
  elastic?: ScopedElastic;
  /** Stores the workspace configures but the console could not open, with the reason. */
  unavailable?: Partial<Record<'mongo' | 'elastic', string>>;
}
