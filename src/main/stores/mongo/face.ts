import type { Document, IndexDescription } from 'mongodb';
import type { CatalogEntry } from '@shared/model/workbench';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import type { StoreFace } from '../face';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import type { MongoTarget } from './scope';
import type { MongoUserRequest } from './user-request';

export type { MongoTarget } from './scope';
export type { MongoUserRequest } from './user-request';
export type { MongoIndexBuild } from './index-admin';
export type { CollectionExport } from './collection-export';
import type { CollectionExport } from './collection-export';
import type { MongoIndexBuild } from './index-admin';
export type { CollectionIndex, CollectionIndexUsage, IndexAccesses } from './index-usage';
import type { CollectionIndexUsage } from './index-usage';

/** A document or filter in plain JSON; ObjectIds and dates as canonical Extended JSON where a method says so. */
export type MongoDocument = Record<string, unknown>;

export interface MongoFindOptions {
  projection?: MongoDocument;
  sort?: Record<string, 1 | -1 | { $meta: 'textScore' }>;
  /** At most this many documents; default 1000, at most 100,000. */
  limit?: number;
  skip?: number;
}

export interface MongoCollectionStats {
  count: number;
  /** Uncompressed data size in bytes. */
  size: number;
}

/** One tenant's documents in one collection, as the tenant list counts them. */
export interface TenantDocuments {
  tenantId: string;
  documents: number;
}

/** Where a registry collection keeps a tenant's id and name (each document is a tenant). */
export interface RegistryFields {
  idField: string;
  nameField: string;
}

/** A tenant as the registry names it; `updatedAt` is ISO 8601. */
export interface RegisteredTenant {
  tenantId: string;
  name: string | null;
  status: string | null;
  updatedAt: string | null;
}

/**
 * MongoDB as the console sees it. With a scope, the store ANDs the tenant condition into every
 * filter and pipeline, resolves a logical collection name to the tenant's own under a
 * collection-prefix scope (`case_notes` → `tenant_<id>_case_notes`) and refuses a collection
 * outside the tenant's; a read-only (prod) store
 * refuses writes before sending. Index methods speak the driver's index description, which only
 * the stores room and the demo seeds use.
 */
export interface MongoFace extends StoreFace {
  find(target: MongoTarget, filter?: MongoDocument, find?: MongoFindOptions, scope?: TenantScope, options?: ExecutionOptions): Promise<MongoDocument[]>;
  /**
   * `find` with a filter in canonical Extended JSON (`{ $oid }`, `{ $date }`), so callers need no
   * driver types; always bounded by a `limit` of the caller's.
   */
  findExtendedJson(target: MongoTarget, filter: MongoDocument, find: MongoFindOptions & { limit: number }, scope?: TenantScope, options?: ExecutionOptions): Promise<MongoDocument[]>;
  countDocuments(target: MongoTarget, filter?: MongoDocument, scope?: TenantScope, options?: ExecutionOptions): Promise<number>;
  aggregate(target: MongoTarget, pipeline: readonly MongoDocument[], scope?: TenantScope, options?: ExecutionOptions): Promise<MongoDocument[]>;
  insertMany(target: MongoTarget, documents: readonly MongoDocument[], scope?: TenantScope, options?: ExecutionOptions): Promise<{ insertedCount: number }>;
  insertExtendedJson(target: MongoTarget, documents: readonly MongoDocument[], scope?: TenantScope, options?: ExecutionOptions): Promise<{ insertedCount: number }>;
  createIndexes(target: MongoTarget, indexes: readonly IndexDescription[], options?: ExecutionOptions): Promise<string[]>;
  listIndexes(target: MongoTarget, options?: ExecutionOptions): Promise<Document[]>;
  /** Hides or unhides an index (`collMod`); refused on a read-only store. */
  setIndexHidden(target: MongoTarget, name: string, hidden: boolean, options?: ExecutionOptions): Promise<void>;
  /** Drops one index by name (`dropIndexes`); refused on a read-only store. */
  dropIndex(target: MongoTarget, name: string, options?: ExecutionOptions): Promise<void>;
  /** Index builds running on a collection, from `currentOp`. */
  indexBuilds(target: MongoTarget, options?: ExecutionOptions): Promise<MongoIndexBuild[]>;
  /** Each collection's indexes with sizes (`$collStats`) and accesses per node (`$indexStats`), a few collections at a time; unscoped. */
  indexUsage(database: string, collections: readonly string[], options?: ExecutionOptions): Promise<CollectionIndexUsage[]>;
  /**
   * Streams a whole collection into `file` as gzip canonical Extended JSON, one document per line,
   * with the file's SHA-256; the file appears only once complete. Unscoped: the caller names a
   * collection it resolved for one tenant. A read, so a read-only store runs it.
   */
  exportCollection(target: MongoTarget, file: string, options?: ExecutionOptions): Promise<CollectionExport>;
  /** Drops a collection; false when there was none. Refused on a read-only store. */
  dropCollection(target: MongoTarget, options?: ExecutionOptions): Promise<boolean>;
  /** Collections of a database (names and types); with a scope only the tenant's. */
  listCollections(database: string, scope?: TenantScope, options?: ExecutionOptions): Promise<Array<{ name: string; type: string }>>;
  /** Names of a database's collections, views left out; unscoped (the tenant list reads across tenants). */
  listCollectionNames(database: string, options?: ExecutionOptions): Promise<string[]>;
  /** Document count and data size of one collection from `$collStats`; unscoped. */
  collectionStats(target: MongoTarget, options?: ExecutionOptions): Promise<MongoCollectionStats>;
  /**
   * Documents per tenant in one collection, grouped by the tenant `field` across tenants; with a
   * scope, that tenant's only (the store adds the tenant condition).
   */
  tenantDocuments(target: MongoTarget, field: string, scope?: TenantScope, options?: ExecutionOptions): Promise<TenantDocuments[]>;
  /** The tenants a registry collection names; with a scope, that tenant's entry only. */
  registeredTenants(target: MongoTarget, fields: RegistryFields, scope?: TenantScope, options?: ExecutionOptions): Promise<RegisteredTenant[]>;
  /**
   * A workbench find (filter) or aggregate (pipeline) in Extended JSON for one tenant, streamed in
   * cursor batches as relaxed Extended JSON. The tenant condition goes into the filter, the
   * pipeline and the pipelines of `$lookup`/`$graphLookup`/`$unionWith`; collections outside the
   * tenant's and server-side JavaScript are `forbidden`, `$out`/`$merge` need `write`.
   */
  runUser(target: MongoTarget, request: MongoUserRequest, scope: TenantScope, options: UserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined>;
  /** The tenant's collections (logical names); with a collection, its fields from a `$sample` of ~100 of the tenant's documents. */
  userCatalog(database: string, scope: TenantScope, collection?: string, options?: ExecutionOptions): Promise<CatalogEntry[]>;
  /** The `executionStats` explain document of the same find or aggregate, with the same scope and refusals, as relaxed Extended JSON. */
  explainUser(target: MongoTarget, request: MongoUserRequest, scope: TenantScope, options?: ExecutionOptions): Promise<unknown>;
  /**
   * The tenant's documents of one collection (the tenant condition applied as for `find`), by
   * `_id`, as lines of canonical Extended JSON handed over in batches; the next batch is read once
   * `onBatch` resolves. Returns how many documents there were.
   */
  exportCanonical(target: MongoTarget, scope: TenantScope, onBatch: (lines: string[]) => Promise<void>, options?: ExecutionOptions & { batchSize?: number }): Promise<number>;
  /**
   * Inserts lines of canonical Extended JSON for the tenant, in order; each document gets the
   * tenant field and one naming another tenant is refused (as `insertMany`). Refused on a read-only store.
   */
  importCanonical(target: MongoTarget, lines: readonly string[], scope: TenantScope, options?: ExecutionOptions): Promise<{ insertedCount: number }>;
  /** Drops a whole database (a scratch restore); refused on a read-only store. */
  dropDatabase(database: string, options?: ExecutionOptions): Promise<void>;
}
