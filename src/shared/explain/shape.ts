import { walkPlan, type Plan, type PlanNode } from './model';
import { collapsePartitions } from './partitions';

/**
 * The shape of a plan: its operations, tables and indexes in tree order, without numbers. Two
 * tenants whose schemas hold the same indexes and similar data get the same shape; a tenant missing
 * an index (Seq Scan where the others use Index Scan) or with stale statistics (another join
 * method) gets another. Partition scans are folded first, so a tenant with one more month of
 * partitions keeps the shape of the rest.
 */
export interface PlanShape {
  /** Short stable key (FNV-1a of `text`), for grouping. */
  key: string;
  /** One line per node, indented by depth: what the key was computed from. */
  text: string;
}

export function planShape(plan: Plan): PlanShape {
  const lines: string[] = [];
  walkPlan(collapsePartitions(plan).root, (node, _parent, depth) => lines.push(`${'  '.repeat(depth)}${describe(node)}`));
  const text = lines.join('\n');
  return { key: fnv1a(text), text };
}

function describe(node: PlanNode): string {
  const target = node.group ? `${node.group.parent} (partitions: ${Object.keys(node.group.operations).sort().join(', ')})` : node.target;
  return [node.group ? Object.keys(node.group.operations).sort().join('|') : node.operation, target, node.index && `using ${node.index}`, node.relationship && `as ${node.relationship}`]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

export interface ShapeGroup<T> {
  shape: PlanShape;
  members: { item: T; plan: Plan }[];
  /** Slowest member's total time, for ordering inside and across groups. */
  slowestMs: number;
}

export interface ShapeGrouping<T> {
  /** Largest group first; ties by slowest member. */
  groups: ShapeGroup<T>[];
  /** Members of every group but the largest: the tenants whose plan differs from most. */
  outliers: { item: T; plan: Plan; shape: PlanShape }[];
  /** The slowest members overall, slowest first. */
  slowest: { item: T; plan: Plan; totalMs: number }[];
}

/** Fleet explain's grouping: one query's plans across tenants, grouped by shape, outliers and slowest first. */
export function groupPlansByShape<T>(entries: readonly { item: T; plan: Plan }[], slowestCount = 10): ShapeGrouping<T> {
  const byKey = new Map<string, ShapeGroup<T>>();
  for (const entry of entries) {
    const shape = planShape(entry.plan);
    const group = byKey.get(shape.key) ?? { shape, members: [], slowestMs: 0 };
    group.members.push(entry);
    group.slowestMs = Math.max(group.slowestMs, entry.plan.totalMs ?? 0);
    byKey.set(shape.key, group);
  }
  const groups = [...byKey.values()].sort((a, b) => b.members.length - a.members.length || b.slowestMs - a.slowestMs);
  for (const group of groups) group.members.sort((a, b) => (b.plan.totalMs ?? 0) - (a.plan.totalMs ?? 0));
  const outliers = groups.slice(1).flatMap((g) => g.members.map((m) => ({ ...m, shape: g.shape })));
  const slowest = entries
    .map((e) => ({ ...e, totalMs: e.plan.totalMs ?? 0 }))
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, slowestCount);
  return { groups, outliers, slowest };
}
