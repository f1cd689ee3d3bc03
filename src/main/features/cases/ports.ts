import type { TenantScope } from '@shared/model/tenant-scope';
import type { TenancyPreset } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';

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
 * MongoDB reads. Filters, sorts and documents cross this port as canonical Extended JSON
 * (`{ $oid }`, `{ $date }`), so feature code never needs the driver's types; the store
 * deserialises filters and serialises documents. `collection` is the base name: with a
 * collection-prefix scope the store reaches `tenant_<id>_<collection>`, with a field scope it adds
 * the tenant filter itself as well.
 */
export interface ScopedMongo {
  find(
    database: string,
    collection: string,
    filter: Record<string, unknown>,
    findOptions: MongoFindOptions,
    scope: TenantScope,
    options: ExecutionOptions,
  ): Promise<Array<Record<string, unknown>>>;
}

export interface ElasticHit {
  index: string;
  id: string;
  source: Record<string, unknown>;
}

/** Elasticsearch `_search` restricted by the store to the scope's index pattern. */
export interface ScopedElastic {
  search(body: Record<string, unknown>, scope: TenantScope, options: ExecutionOptions): Promise<ElasticHit[]>;
}

/** A workspace's stores as the inspectors see them; a store left out is not configured. */
export interface InspectorStores {
  preset: TenancyPreset;
  postgres?: ScopedPostgres;
  /** With the database resolved from the workspace (Murima2025's tenant database, CMS's customer database). */
  mongo?: { reader: ScopedMongo; database: string };
  elastic?: ScopedElastic;
}
