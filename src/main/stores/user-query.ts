import type { ExecutionOptions } from './execution';

/**
 * A query a person typed into the workbench, as every store runs it. The store is the one place
 * that turns a tenant scope into SQL settings, a filter, a key prefix or an index pattern, so it is
 * also the place that refuses a user's query reaching outside it — before anything is sent — and
 * refuses writes unless `write` is set (and always on a read-only store).
 *
 * A store yields parts as the server hands them over and pulls the next batch only when the caller
 * asks for it, so a slow consumer slows the server read instead of filling memory.
 */

/** A column as the store names it: the engine's own type word (`int8`, `text`, `string`, `reply`). */
export interface UserColumn {
  name: string;
  type: string;
}

export type UserQueryPart =
  /** The columns of the rows that follow (PostgreSQL, Redis); sent before the first rows of each result. */
  | { kind: 'columns'; columns: UserColumn[] }
  /**
   * Rows in the order of the last `columns`. PostgreSQL values are the server's text form (null
   * for NULL), exactly what COPY would write; Redis replies are strings, numbers, null or arrays.
   */
  | { kind: 'rows'; rows: unknown[][] }
  /** Documents (MongoDB as relaxed Extended JSON, Elasticsearch `_source` with `_id` and `_index`). */
  | { kind: 'documents'; documents: Record<string, unknown>[] }
  /** The server's word for a statement without rows: `UPDATE 3`, `CREATE INDEX`, `OK`. */
  | { kind: 'notice'; text: string }
  /** The row limit was reached with more rows left; nothing follows. */
  | { kind: 'truncated' };

export interface UserQueryOptions extends ExecutionOptions {
  /** Rows (or documents) to hand over at most; the store reads one more to know whether it cut. */
  rowLimit: number;
  /** Whether the query may change data. Ignored (always false) on a read-only store. */
  write: boolean;
  /** Rows per batch read from the server; the store picks when absent. */
  batchSize?: number;
}
