import type { MongoDatabases, TenancyPreset } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';
import type { RedisReader } from '../redis-namespace/redis-reader';

/**
 * The narrow slices of the stores the tenant browser needs, declared here so the feature depends
 * on what it uses and tests can hand it real stores or small adapters. Every call is a read.
 */

/** A result as PostgresStore returns it: rows as arrays in column order. */
export interface CatalogResult {
  columns: ReadonlyArray<{ name: string }>;
  rows: unknown[][];
}

/** `Pick<PostgresStore, 'query'>`, used for catalog queries only: no tenant scope, values as parameters. */
export interface TenantsPostgres {
  query(sql: string, params: readonly unknown[], scope: undefined, options: ExecutionOptions): Promise<CatalogResult>;
}

/** Rows as records keyed by column name (catalog queries never repeat a column name). */
export function recordsOf(result: CatalogResult): Array<Record<string, unknown>> {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])));
}

export interface MongoCollectionStats {
  count: number;
  /** Uncompressed data size in bytes. */
  size: number;
}

export interface TenantsMongo {
  listCollectionNames(database: string, options: ExecutionOptions): Promise<string[]>;
  collectionStats(database: string, collection: string, options: ExecutionOptions): Promise<MongoCollectionStats>;
  aggregate(database: string, collection: string, pipeline: Array<Record<string, unknown>>, options: ExecutionOptions): Promise<Array<Record<string, unknown>>>;
}

export interface ElasticIndexStats {
  index: string;
  docsCount: number;
  storeSizeBytes: number;
}

export interface TenantsElastic {
  /** `_cat/indices/<pattern>` with docs.count and store.size in bytes. */
  catIndices(pattern: string, options: ExecutionOptions): Promise<ElasticIndexStats[]>;
}

/** A workspace's stores as the tenant browser sees them; an absent store is not configured. */
export interface TenantStores {
  preset: TenancyPreset;
  postgres?: TenantsPostgres;
  /** With the workspace's database names resolved (customer, shared, admin, or the tenant database). */
  mongo?: { reader: TenantsMongo; databases: MongoDatabases };
  redis?: RedisReader;
  elastic?: TenantsElastic;
  /** Stores the workspace configures but the console cannot reach here, with the reason. */
  unavailable?: Partial<Record<'postgres' | 'mongo' | 'redis' | 'elastic', string>>;
}
