import { addBuffers, emptyBuffers, totalRows, walkPlan, type Plan, type PlanBuffers, type PlanNode } from './model';

/** Per-table and per-node-type sums, as pev2's statistics tab shows them beside the tree. */
export interface PlanStatistic {
  /** The table, collection or index pattern; or the node type. */
  name: string;
  nodes: number;
  timeSelfMs: number;
  /** Share of the plan's total time spent in these nodes alone. */
  share: number;
  rows: number;
  buffersSelf: PlanBuffers;
  /** For tables: the operations that read it, e.g. { 'Seq Scan': 1 }. For node types: the tables they read. */
  breakdown: Record<string, number>;
}

export interface PlanStatistics {
  byTarget: PlanStatistic[];
  byOperation: PlanStatistic[];
}

/** Folded partition groups count as their members, so statistics do not depend on folding. */
export function planStatistics(plan: Plan): PlanStatistics {
  const byTarget = new Map<string, PlanStatistic>();
  const byOperation = new Map<string, PlanStatistic>();
  const total = plan.totalMs ?? 0;
  const add = (map: Map<string, PlanStatistic>, name: string, node: PlanNode, detail: string | undefined): void => {
    const stat = map.get(name) ?? { name, nodes: 0, timeSelfMs: 0, share: 0, rows: 0, buffersSelf: emptyBuffers(), breakdown: {} };
    stat.nodes++;
    stat.timeSelfMs += node.timeSelfMs ?? 0;
    stat.rows += totalRows(node) ?? 0;
    addBuffers(stat.buffersSelf, node.buffersSelf);
    if (detail !== undefined) Object.defineProperty(stat.breakdown, detail, { value: (Object.hasOwn(stat.breakdown, detail) ? stat.breakdown[detail]! : 0) + 1, enumerable: true, writable: true, configurable: true });
    map.set(name, stat);
  };
  const visit = (node: PlanNode): void => {
    if (node.group) {
      for (const member of node.group.members) walkPlan(member, visit);
      return;
    }
    add(byOperation, node.operation, node, node.target);
    if (node.target !== undefined) add(byTarget, node.target, node, node.operation);
  };
  walkPlan(plan.root, visit);
  const finish = (map: Map<string, PlanStatistic>): PlanStatistic[] =>
    [...map.values()].map((s) => ({ ...s, share: total > 0 ? s.timeSelfMs / total : 0 })).sort((a, b) => b.timeSelfMs - a.timeSelfMs || a.name.localeCompare(b.name));
  return { byTarget: finish(byTarget), byOperation: finish(byOperation) };
}
