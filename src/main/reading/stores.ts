import type { TenancyPreset } from '@shared/tenancy';
import type { ElasticFace, ElasticRawHit } from '../stores/elastic/face';
import type { MongoFace, MongoFindOptions as FindOptionsOfTheFace } from '../stores/mongo/face';
import type { PostgresFace } from '../stores/postgres/face';

/**
 * What the inspectors (cases, clients, platform logs) read of a workspace's stores: a `Pick` of
 * each engine's face. Every call carries the tenant's scope, which the store applies (search_path
 * and the RLS setting, the tenant condition, the tenant's collection for a logical collection
 * name, the tenant's index pattern); no reader builds a tenant filter or name of its own. Every
 * call is a read.
 */

export type { ElasticRawHit };

/** A find of the inspectors: always bounded. */
export type MongoFindOptions = FindOptionsOfTheFace & { limit: number };

/** A result as PostgresStore returns it, as far as the inspectors read it: rows as arrays in column order. */
export interface RowsResult {
  columns: ReadonlyArray<{ name: string }>;
  rows: unknown[][];
}

/** Rows as records keyed by column name (the inspectors and catalog queries never repeat a column name). */
export function recordsOf(result: RowsResult): Array<Record<string, unknown>> {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])));
}

export type ScopedPostgres = Pick<PostgresFace, 'query'>;

/**
 * Filters are plain JSON: a value MongoDB holds as an ObjectId is written in canonical Extended
 * JSON (`{ $oid: hex }`), which `findExtendedJson` turns into driver values, so feature code never
 * needs the driver's types. Documents may come back as driver values or Extended JSON; the
 * inspectors turn both into plain JSON.
 */
export type ScopedMongo = Pick<MongoFace, 'findExtendedJson'>;

/** `_search` with no index of its own searches the scope's pattern (`tenant-<id>-*`) and nothing else. */
export type ScopedElastic = Pick<ElasticFace, 'search'>;

/** One hit as the inspectors use it. */
export interface ElasticHit {
  index: string;
  id: string;
  source: Record<string, unknown>;
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
