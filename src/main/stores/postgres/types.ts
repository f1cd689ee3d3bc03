/** A result column: its name as the server sent it and its type OID. */
export interface QueryColumn {
  name: string;
  dataTypeId: number;
}

/** A whole result, rows as arrays in column order (names can repeat: `select 1 a, 2 a`). */
export interface QueryResult {
  columns: QueryColumn[];
  rows: unknown[][];
  /** Rows returned or affected; null for statements that have no count. */
  rowCount: number | null;
  /** The command tag: SELECT, INSERT, CREATE TABLE… */
  command: string;
}

/** One batch of a streamed result. */
export interface RowBatch {
  columns: QueryColumn[];
  rows: unknown[][];
}

export interface TableName {
  schema: string;
  name: string;
}

/** A statement's plan as the server gave it, in EXPLAIN (FORMAT JSON) form. */
export interface ExplainResult {
  plan: unknown;
  /** Whether the statement ran (EXPLAIN ANALYZE); false for a write analysed without `analyzeWrites`. */
  analyzed: boolean;
  /** The plan holds a ModifyTable node: the statement writes. */
  writes: boolean;
}
