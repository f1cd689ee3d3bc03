import type { TenantScope } from '@shared/model/tenant-scope';
import type { CatalogEntry } from '@shared/model/workbench';
import type { ExecutionOptions } from '../execution';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import type { StoreFace } from '../face';
import type { ExplainRequest } from './explain';
import type { ExplainResult, QueryResult, RowBatch, TableName } from './types';
import type { SessionWork } from './session';
import type { PostgresTools, ToolSearch } from './tools';

export type { ExplainResult, QueryColumn, QueryResult, RowBatch, TableName } from './types';
export type { PostgresSession, SessionWork } from './session';

/** A workbench run's options; `sharedTables` are the tables of `public` the preset lets every tenant read. */
export type PostgresUserQueryOptions = UserQueryOptions & { sharedTables?: readonly string[] };

/**
 * PostgreSQL as the console sees it. With a scope, work runs in the tenant's schema with the RLS
 * setting in one transaction; a read-only (prod) store runs everything READ ONLY.
 */
export interface PostgresFace extends StoreFace {
  /** One statement, every row, as arrays in column order. */
  query(sql: string, params?: readonly unknown[], scope?: TenantScope, options?: ExecutionOptions): Promise<QueryResult>;
  /** A result in batches through a server-side cursor. */
  stream(sql: string, params?: readonly unknown[], scope?: TenantScope, options?: ExecutionOptions & { batchSize?: number }): AsyncGenerator<RowBatch, void, undefined>;
  /** `COPY … FROM STDIN`; returns the rows written. */
  copyRows(table: TableName, columns: readonly string[], rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>, options?: ExecutionOptions): Promise<number>;
  /** DDL or any statement whose rows do not matter. */
  execute(sql: string, params?: readonly unknown[], options?: ExecutionOptions): Promise<{ command: string; rowCount: number | null }>;
  /**
   * `EXPLAIN (SETTINGS, FORMAT JSON)`; with `analyze`, ANALYZE and BUFFERS inside a transaction that
   * is always rolled back. A write is analysed only with `analyzeWrites`, never on a read-only store.
   */
  explain(sql: string, params?: readonly unknown[], scope?: TenantScope, options?: ExecutionOptions & ExplainRequest): Promise<ExplainResult>;
  /**
   * One statement a person typed, in the tenant's scope: checked with PostgreSQL's parser before
   * anything is sent (one statement, only the tenant's relations, no session or role change), run
   * READ ONLY unless `write`, values in the server's text form, read through a cursor as pulled.
   */
  runUser(sql: string, scope: TenantScope, options: PostgresUserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined>;
  /** The tenant schema's tables, views and partitioned tables (not their partitions) with columns and types. */
  userCatalog(scope: TenantScope, options?: ExecutionOptions): Promise<CatalogEntry[]>;
  /** A session of its own for a sequence of statements (its own transaction, SET, CONCURRENTLY builds); refused on a read-only store. */
  session<T>(work: SessionWork<T>, options?: ExecutionOptions): Promise<T>;
  /** The client programs (pg_dump, pg_restore, psql) against the same endpoint and credentials; read-only when the store is. */
  tools(search?: ToolSearch): PostgresTools;
}
