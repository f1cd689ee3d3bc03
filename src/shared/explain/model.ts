/**
 * One plan model for the three engines. PostgreSQL plan nodes, MongoDB stages and Elasticsearch
 * profiled queries all become `PlanNode`s, so one tree, one set of badges, one advisor and one
 * comparison serve them all. Plain JSON only: plans cross the contract and are stored per query.
 */

export type PlanEngine = 'postgres' | 'mongo' | 'elastic';

/** Block counts as PostgreSQL reports them (8 kB pages). Inclusive of the node's children. */
export interface PlanBuffers {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  localDirtied: number;
  localWritten: number;
  tempRead: number;
  tempWritten: number;
}

export const BUFFER_KEYS: readonly (keyof PlanBuffers)[] = [
  'sharedHit', 'sharedRead', 'sharedDirtied', 'sharedWritten',
  'localHit', 'localRead', 'localDirtied', 'localWritten',
  'tempRead', 'tempWritten',
];

/** Time spent waiting for reads and writes (`track_io_timing`), inclusive, in milliseconds. */
export interface PlanIoTimings {
  readMs: number;
  writeMs: number;
}

/** A condition printed on a node: which kind, and the engine's text of it. */
export interface PlanCondition {
  kind: 'filter' | 'index' | 'recheck' | 'join filter' | 'hash' | 'merge' | 'one-time filter' | 'query';
  text: string;
}

/** Rows a node read and threw away, summed over all loops. */
export interface PlanRowsRemoved {
  byFilter?: number;
  byIndexRecheck?: number;
  byJoinFilter?: number;
}

export interface PlanSort {
  method?: string;
  keys?: string[];
  /** Where the sort ran: in memory, or spilled to disk. */
  spaceType?: 'Memory' | 'Disk';
  spaceUsedKb?: number;
}

export interface PlanHash {
  buckets?: number;
  batches?: number;
  originalBatches?: number;
  peakMemoryKb?: number;
}

/** Sibling scans of one partitioned table, folded into one node that carries their sums. */
export interface PlanPartitionGroup {
  /** The partitioned table (or its alias when the catalog is unknown). */
  parent: string;
  /** The folded nodes, in plan order. The group's own `children` stay empty until expanded. */
  members: PlanNode[];
  /** How many members per operation, e.g. { 'Seq Scan': 9998, 'Index Scan': 2 }. */
  operations: Record<string, number>;
}

export interface PlanNode {
  /** Path from the root: "0", "0.1", "0.1.0". Stable for one plan; used to match and to select. */
  id: string;
  engine: PlanEngine;
  /** Node type, stage or query type: "Seq Scan", "IXSCAN", "TermQuery". */
  operation: string;
  /** Relation, collection, index or shard the node works on. */
  target?: string;
  schema?: string;
  alias?: string;
  /** The index the node reads, when it reads one. */
  index?: string;
  /** A one-line description: join type, Elasticsearch's query description, a stage's key pattern. */
  detail?: string;
  /** How the node relates to its parent (Outer, Inner, Member, InitPlan, SubPlan, shard…). */
  relationship?: string;
  /** Rows per loop as the planner estimated them. */
  rowsEstimated?: number;
  /** Rows per loop actually produced. */
  rowsActual?: number;
  loops?: number;
  /** Inclusive time in ms, per loop × loops (shared across parallel workers), as pev2 computes it. */
  timeTotalMs?: number;
  /** Exclusive time in ms: the inclusive time less the children's. */
  timeSelfMs?: number;
  costStartup?: number;
  costTotal?: number;
  buffers?: PlanBuffers;
  /** Buffers of this node alone (its inclusive buffers less its children's). */
  buffersSelf?: PlanBuffers;
  io?: PlanIoTimings;
  conditions?: PlanCondition[];
  rowsRemoved?: PlanRowsRemoved;
  workers?: { planned?: number; launched?: number };
  /** The node was planned but never ran (e.g. the other branch of a pruned Append). */
  neverExecuted?: boolean;
  heapFetches?: number;
  sort?: PlanSort;
  hash?: PlanHash;
  /** Partitions removed at execution time by run-time pruning. */
  subplansRemoved?: number;
  /** MongoDB's keys and documents examined; Elasticsearch has neither. */
  examined?: { keys?: number; documents?: number };
  /** Elasticsearch's per-phase timing breakdown, in nanoseconds. */
  breakdown?: Record<string, number>;
  /** Set on a folded group of partition scans. */
  group?: PlanPartitionGroup;
  children: PlanNode[];
  /** The engine's own node, without its children. */
  raw: unknown;
}

export interface PlanJit {
  functions?: number;
  generationMs?: number;
  inliningMs?: number;
  optimizationMs?: number;
  emissionMs?: number;
  totalMs: number;
}

export interface Plan {
  engine: PlanEngine;
  /** True when the statement ran (ANALYZE, executionStats, profile): actual rows and times exist. */
  analyzed: boolean;
  root: PlanNode;
  /** The time shares are measured against this: execution time, or the root's inclusive time. */
  totalMs?: number;
  planningMs?: number;
  executionMs?: number;
  jit?: PlanJit;
  /** PostgreSQL settings that differ from the defaults (EXPLAIN SETTINGS). */
  settings?: Record<string, string>;
  triggers?: { name: string; relation?: string; timeMs: number; calls: number }[];
  /** Collection namespace, index pattern… what the plan is about, when the engine says. */
  namespace?: string;
  /** What the engine said about the plan as a whole that is not a node (rejected plans, rewrite time). */
  notes?: string[];
  /** The whole document as given, for the raw JSON view. */
  raw: unknown;
}

/** Every node of a tree, depth first, parents before children. Iterative: plans can be deep. */
export function walkPlan(root: PlanNode, visit: (node: PlanNode, parent: PlanNode | undefined, depth: number) => void): void {
  const stack: { node: PlanNode; parent: PlanNode | undefined; depth: number }[] = [{ node: root, parent: undefined, depth: 0 }];
  while (stack.length > 0) {
    const { node, parent, depth } = stack.pop()!;
    visit(node, parent, depth);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, parent: node, depth: depth + 1 });
  }
}

/** Actual rows summed over loops, or undefined when the plan was not run. */
export function totalRows(node: PlanNode): number | undefined {
  return node.rowsActual === undefined ? undefined : node.rowsActual * (node.loops ?? 1);
}

export function emptyBuffers(): PlanBuffers {
  return { sharedHit: 0, sharedRead: 0, sharedDirtied: 0, sharedWritten: 0, localHit: 0, localRead: 0, localDirtied: 0, localWritten: 0, tempRead: 0, tempWritten: 0 };
}

export function addBuffers(into: PlanBuffers, from: PlanBuffers | undefined, sign = 1): PlanBuffers {
  if (from) for (const key of BUFFER_KEYS) into[key] += sign * from[key];
  return into;
}
