import { AppError } from '@shared/errors';
import type { QueryResult } from './types';

/** What the caller asked of one EXPLAIN. */
export interface ExplainRequest {
  /** Run the statement (EXPLAIN ANALYZE) for actual rows, times and buffers. */
  analyze?: boolean;
  /**
   * Also ANALYZE a statement that writes (INSERT, UPDATE, DELETE, MERGE, or a CTE holding one).
   * It runs inside the lease's transaction, which is always rolled back; a read-only store refuses.
   */
  analyzeWrites?: boolean;
}

/** Runs one statement of EXPLAIN on the lease's session (its transaction and tenant scope). */
export type RunExplain = (sql: string) => Promise<QueryResult>;

export const ESTIMATE_PREFIX = 'EXPLAIN (SETTINGS, FORMAT JSON) ';
export const ANALYZE_PREFIX = 'EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) ';

export interface ExplainOutcome {
  /** The server's EXPLAIN (FORMAT JSON) document. */
  plan: unknown;
  analyzed: boolean;
  /** The plan holds a ModifyTable node: the statement writes. */
  writes: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a plan writes, as the server planned it: a ModifyTable node anywhere in the tree (at the
 * top for INSERT, UPDATE, DELETE and MERGE; under the CTE's InitPlan for `WITH d AS (DELETE …)
 * SELECT …`). The planner has already resolved rules and views, which no reading of the text can.
 */
export function planWrites(document: unknown): boolean {
  const top = Array.isArray(document) ? document[0] : document;
  const stack: unknown[] = [isRecord(top) ? top.Plan : undefined];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isRecord(node)) continue;
    if (node['Node Type'] === 'ModifyTable') return true;
    if (Array.isArray(node.Plans)) stack.push(...(node.Plans as unknown[]));
  }
  return false;
}

/**
 * EXPLAIN as the console asks for it: first the plain plan, which tells whether the statement
 * writes; then, when asked, EXPLAIN (ANALYZE, BUFFERS, SETTINGS) on the same session. A write is
 * analysed only with `analyzeWrites` and never on a read-only store. The session's transaction is
 * rolled back by the caller whatever happens.
 */
export async function explainOnLease(run: RunExplain, sql: string, request: ExplainRequest, readOnly: boolean): Promise<ExplainOutcome> {
  const estimate = await runWithStatementPosition(run, ESTIMATE_PREFIX, sql);
  const writes = planWrites(estimate);
  if (request.analyze !== true) return { plan: estimate, analyzed: false, writes };
  if (writes && request.analyzeWrites !== true) return { plan: estimate, analyzed: false, writes };
  if (writes && readOnly) {
    throw new AppError('read_only', 'EXPLAIN ANALYZE would run this write, and this workspace is read-only (prod). Its estimated plan is shown without ANALYZE.', {
      reason: 'analyze_write_read_only',
    });
  }
  const analyzed = await runWithStatementPosition(run, ANALYZE_PREFIX, sql);
  return { plan: analyzed, analyzed: true, writes };
}

async function runWithStatementPosition(run: RunExplain, prefix: string, sql: string): Promise<unknown> {
  try {
    const result = await run(prefix + sql);
    return result.rows[0]?.[0] ?? null;
  } catch (error) {
    throw shiftPosition(error, prefix.length, sql);
  }
}

/**
 * The server counts an error's position in the text it received, EXPLAIN prefix included; the
 * person wrote only the statement. Moves the position back into the statement and names its line
 * and column, so the editor can point at it.
 */
export function shiftPosition(error: unknown, prefixLength: number, sql: string): unknown {
  if (!(error instanceof Error) || !('position' in error)) return error;
  const raw = Number((error as { position?: unknown }).position);
  if (!Number.isInteger(raw) || raw <= prefixLength) return error;
  const position = raw - prefixLength;
  const before = sql.slice(0, position - 1).split('\n');
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  Object.assign(error, { position: String(position), message: `${error.message} (at line ${line}, column ${column} of the statement)` });
  return error;
}
