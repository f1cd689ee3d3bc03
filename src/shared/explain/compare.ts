import { totalRows, walkPlan, type Plan, type PlanNode } from './model';

/**
 * Two plans of one query side by side (before and after an index, last week and today). Nodes are
 * matched along the tree first, children by operation and target, then by target alone (a Seq Scan
 * that became an Index Scan of the same table), then by operation; whatever the tree walk leaves
 * (a node that moved under a new Gather, say) is matched across the whole plan by the same keys.
 */
export interface Change {
  before?: number;
  after?: number;
  /** after − before, when both are known. */
  delta?: number;
}

export interface NodeSummary {
  id: string;
  operation: string;
  target?: string;
}

export interface NodeDelta {
  before: NodeSummary;
  after: NodeSummary;
  timeSelfMs: Change;
  timeTotalMs: Change;
  rows: Change;
  /** Shared buffers hit + read, this node alone. */
  sharedBlocks: Change;
  tempBlocks: Change;
}

export interface PlanComparison {
  matched: NodeDelta[];
  onlyBefore: NodeSummary[];
  onlyAfter: NodeSummary[];
  executionMs: Change;
  planningMs: Change;
  totalMs: Change;
}

export function comparePlans(before: Plan, after: Plan): PlanComparison {
  const pairs = new Map<PlanNode, PlanNode>();
  const taken = new Set<PlanNode>();
  const pair = (a: PlanNode, b: PlanNode): void => {
    pairs.set(a, b);
    taken.add(b);
  };
  if (compatible(before.root, after.root)) {
    pair(before.root, after.root);
    const stack: [PlanNode, PlanNode][] = [[before.root, after.root]];
    while (stack.length > 0) {
      const [a, b] = stack.pop()!;
      for (const [ca, cb] of matchChildren(a.children, b.children)) {
        if (taken.has(cb) || pairs.has(ca)) continue;
        pair(ca, cb);
        stack.push([ca, cb]);
      }
    }
  }
  const restBefore = collect(before.root).filter((n) => !pairs.has(n));
  const restAfter = collect(after.root).filter((n) => !taken.has(n));
  for (const key of [fullKey, targetKey, operationKey]) {
    const pool = new Map<string, PlanNode[]>();
    for (const b of restAfter) {
      if (taken.has(b)) continue;
      const k = key(b);
      if (k === undefined) continue;
      const list = pool.get(k);
      if (list) list.push(b);
      else pool.set(k, [b]);
    }
    for (const a of restBefore) {
      if (pairs.has(a)) continue;
      const k = key(a);
      const candidates = k === undefined ? undefined : pool.get(k);
      const b = candidates?.find((c) => !taken.has(c));
      if (b) pair(a, b);
    }
  }
  const matched: NodeDelta[] = [];
  for (const a of collect(before.root)) {
    const b = pairs.get(a);
    if (b) matched.push(delta(a, b));
  }
  return {
    matched,
    onlyBefore: collect(before.root).filter((n) => !pairs.has(n)).map(summary),
    onlyAfter: collect(after.root).filter((n) => !taken.has(n)).map(summary),
    executionMs: change(before.executionMs, after.executionMs),
    planningMs: change(before.planningMs, after.planningMs),
    totalMs: change(before.totalMs, after.totalMs),
  };
}

const fullKey = (n: PlanNode): string => `${n.operation}\u0000${n.target ?? ''}`;
const targetKey = (n: PlanNode): string | undefined => n.target;
const operationKey = (n: PlanNode): string => n.operation;

function compatible(a: PlanNode, b: PlanNode): boolean {
  return a.operation === b.operation || (a.target !== undefined && a.target === b.target);
}

/** Children matched in order, by the strictest key first. */
function matchChildren(as: PlanNode[], bs: PlanNode[]): [PlanNode, PlanNode][] {
  const out: [PlanNode, PlanNode][] = [];
  const usedA = new Set<PlanNode>();
  const usedB = new Set<PlanNode>();
  for (const key of [fullKey, targetKey, operationKey]) {
    for (const a of as) {
      if (usedA.has(a)) continue;
      const k = key(a);
      if (k === undefined) continue;
      const b = bs.find((c) => !usedB.has(c) && key(c) === k);
      if (b) {
        usedA.add(a);
        usedB.add(b);
        out.push([a, b]);
      }
    }
  }
  // One inner node left on each side under matched parents (a Hash Join that became a Merge Join)
  // is the same step whatever it became; a scan is only ever matched by its table.
  const leftA = as.filter((a) => !usedA.has(a));
  const leftB = bs.filter((b) => !usedB.has(b));
  if (leftA.length === 1 && leftB.length === 1 && leftA[0]!.target === undefined && leftB[0]!.target === undefined) out.push([leftA[0]!, leftB[0]!]);
  return out;
}

function collect(root: PlanNode): PlanNode[] {
  const nodes: PlanNode[] = [];
  walkPlan(root, (n) => nodes.push(n));
  return nodes;
}

function summary(node: PlanNode): NodeSummary {
  return node.target === undefined ? { id: node.id, operation: node.operation } : { id: node.id, operation: node.operation, target: node.target };
}

function change(before: number | undefined, after: number | undefined): Change {
  const c: Change = {};
  if (before !== undefined) c.before = before;
  if (after !== undefined) c.after = after;
  if (before !== undefined && after !== undefined) c.delta = after - before;
  return c;
}

function delta(a: PlanNode, b: PlanNode): NodeDelta {
  const shared = (n: PlanNode): number | undefined => (n.buffersSelf ? n.buffersSelf.sharedHit + n.buffersSelf.sharedRead : undefined);
  const temp = (n: PlanNode): number | undefined => (n.buffersSelf ? n.buffersSelf.tempRead + n.buffersSelf.tempWritten : undefined);
  return {
    before: summary(a),
    after: summary(b),
    timeSelfMs: change(a.timeSelfMs, b.timeSelfMs),
    timeTotalMs: change(a.timeTotalMs, b.timeTotalMs),
    rows: change(totalRows(a), totalRows(b)),
    sharedBlocks: change(shared(a), shared(b)),
    tempBlocks: change(temp(a), temp(b)),
  };
}
