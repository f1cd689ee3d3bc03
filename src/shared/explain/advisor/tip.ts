import { AppError } from '../../errors';
import type { PlanEngine } from '../model';

export interface TipFix {
  /** `sql` and `mongosh` are ready to run; `setting` changes a session setting; `text` is advice. */
  kind: 'sql' | 'mongosh' | 'setting' | 'text';
  text: string;
}

export interface Tip {
  /** Stable rule id, e.g. `pg.seq-scan`, used to filter and to test. */
  rule: string;
  engine: PlanEngine;
  /** The node the tip is about, when it is about one. */
  nodeId?: string;
  title: string;
  /** What is wrong and why, in plain language. */
  message: string;
  /** The figures from the plan that show it. */
  evidence: string[];
  /** 0–1: the share of execution time the fix could save, at most. */
  score: number;
  fix?: TipFix;
}

export interface AdvisorOptions {
  /** The platform's tenant column or field, put first in every suggested index: `tenant_id` (Murima2025), `tenantId` (Client Management). */
  tenantKey: string;
  /** The schema to qualify suggested PostgreSQL DDL with (a tenant's schema) when the plan does not name it. */
  schema?: string;
  /** Suggest CREATE INDEX CONCURRENTLY (default true: it does not block writes on a live tenant). */
  concurrently?: boolean;
  thresholds?: Partial<Thresholds>;
}

export interface Thresholds {
  /** Rows read before a scan counts as one of a large table. */
  largeTableRows: number;
  /** A filter is selective when it keeps at most this share of the rows it reads. */
  selectiveShare: number;
  /** Estimated and actual rows this many times apart count as a misestimate. */
  misestimateFactor: number;
  /** Outer rows that make a nested loop large. */
  nestedLoopOuterRows: number;
  /** Rows an index scan may throw away before the tip fires, and the share of its reads they must be. */
  indexFilterRemovedRows: number;
  indexFilterRemovedShare: number;
  /** Heap fetches as a share of an index-only scan's rows, and at least this many. */
  heapFetchShare: number;
  heapFetchMin: number;
  /** JIT or planning as a share of planning + execution. */
  overheadShare: number;
  /** MongoDB: documents examined per document returned. */
  examinedPerReturned: number;
  /** Elasticsearch: one clause's share of its enclosing query's time (with two clauses one always has half). */
  dominantClauseShare: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  largeTableRows: 10_000,
  selectiveShare: 0.1,
  misestimateFactor: 10,
  nestedLoopOuterRows: 10_000,
  indexFilterRemovedRows: 1_000,
  indexFilterRemovedShare: 0.5,
  heapFetchShare: 0.1,
  heapFetchMin: 100,
  overheadShare: 0.2,
  examinedPerReturned: 10,
  dominantClauseShare: 0.7,
};

export interface ResolvedOptions {
  tenantKey: string;
  schema?: string;
  concurrently: boolean;
  t: Thresholds;
}

/** The tenant key ends up in DDL and shell commands, so it is checked like any argument from a caller. */
export function resolveOptions(options: AdvisorOptions): ResolvedOptions {
  if (typeof options.tenantKey !== 'string' || !/^[A-Za-z_][\w]{0,62}$/.test(options.tenantKey)) {
    throw new AppError('invalid_argument', 'The tenant key must be a plain column or field name such as tenant_id or tenantId.', { field: 'tenantKey' });
  }
  const resolved: ResolvedOptions = { tenantKey: options.tenantKey, concurrently: options.concurrently ?? true, t: { ...DEFAULT_THRESHOLDS, ...options.thresholds } };
  if (options.schema !== undefined) resolved.schema = options.schema;
  return resolved;
}

export function clampScore(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

export function pct(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en');
}
