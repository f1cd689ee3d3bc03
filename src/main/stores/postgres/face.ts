import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import type { StoreFace } from '../face';
import type { ExplainRequest } from './explain';
import type { ExplainResult, QueryResult, RowBatch, TableName } from './types';
import type { SessionWork } from './session';

export type { ExplainResult, QueryColumn, QueryResult, RowBatch, TableName } from './types';
export type { PostgresSession, SessionWork } from './session';

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
  /** A session of its own for a sequence of statements (its own transaction, SET, CONCURRENTLY builds); refused on a read-only store. */
  session<T>(work: SessionWork<T>, options?: ExecutionOptions): Promise<T>;
}
