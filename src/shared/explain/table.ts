import { misestimate, timeShare } from './badges';
import { totalRows, walkPlan, type Plan, type PlanNode } from './model';

/**
 * The node table beside the tree: one flat row per node (folded partitions as their members), with
 * the figures people sort by. Absent figures stay undefined and sort last in either direction.
 */
export interface PlanNodeRow {
  id: string;
  depth: number;
  operation: string;
  target?: string;
  index?: string;
  rowsActual?: number;
  rowsEstimated?: number;
  loops?: number;
  /** How far the estimate was off, signed: positive when underestimated, negative when overestimated. */
  misestimate?: number;
  timeSelfMs?: number;
  timeTotalMs?: number;
  share?: number;
  sharedRead?: number;
  sharedHit?: number;
  tempBlocks?: number;
  rowsRemoved?: number;
}

export type PlanNodeColumn = Exclude<keyof PlanNodeRow, 'id'>;

export function planNodeRows(plan: Plan): PlanNodeRow[] {
  const rows: PlanNodeRow[] = [];
  const visit = (node: PlanNode, _parent: PlanNode | undefined, depth: number): void => {
    if (node.group) {
      for (const member of node.group.members) walkPlan(member, (m, p, d) => visit(m, p, depth + d));
      return;
    }
    const row: PlanNodeRow = { id: node.id, depth, operation: node.operation };
    if (node.target !== undefined) row.target = node.target;
    if (node.index !== undefined) row.index = node.index;
    const actual = totalRows(node);
    if (actual !== undefined) row.rowsActual = actual;
    if (node.rowsEstimated !== undefined) row.rowsEstimated = node.rowsEstimated;
    if (node.loops !== undefined) row.loops = node.loops;
    const off = misestimate(node);
    if (off) row.misestimate = off.direction === 'under' ? off.factor : -off.factor;
    if (node.timeSelfMs !== undefined) row.timeSelfMs = node.timeSelfMs;
    if (node.timeTotalMs !== undefined) row.timeTotalMs = node.timeTotalMs;
    const share = timeShare(plan, node);
    if (share !== undefined) row.share = share;
    if (node.buffersSelf) {
      row.sharedRead = node.buffersSelf.sharedRead;
      row.sharedHit = node.buffersSelf.sharedHit;
      row.tempBlocks = node.buffersSelf.tempRead + node.buffersSelf.tempWritten;
    }
    if (node.rowsRemoved) row.rowsRemoved = (node.rowsRemoved.byFilter ?? 0) + (node.rowsRemoved.byIndexRecheck ?? 0) + (node.rowsRemoved.byJoinFilter ?? 0);
    rows.push(row);
  };
  walkPlan(plan.root, visit);
  return rows;
}

/** A sorted copy. Numbers compare as numbers, text case-insensitively; missing values go last. */
export function sortPlanNodeRows(rows: readonly PlanNodeRow[], column: PlanNodeColumn, direction: 'asc' | 'desc'): PlanNodeRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { sensitivity: 'base' });
    return order * sign;
  });
}
